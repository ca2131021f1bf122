"""The catalogue of reports: notebook, title and validated parameters of each.

Parameters are validated here, before any kernel starts, with errors that name
the parameter and the bad value. Each notebook's ``parameters`` cell mirrors
its model: same names, same defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from councilpack.errors import ParameterError, suggest, validation_message
from councilpack.settings import notebooks_dir

if TYPE_CHECKING:
    # mypy checks here that each analysis's report module meets the report contract
    # (tests/unit/test_report_contract.py checks the same at run time).
    from councilpack.finance import report as finance_report
    from councilpack.finance.analysis import FinanceAnalysis
    from councilpack.outcomes import report as outcomes_report
    from councilpack.outcomes.analysis import OutcomesAnalysis
    from councilpack.reporting import ReportModule
    from councilpack.residents import report as residents_report
    from councilpack.residents.analysis import ResidentsAnalysis
    from councilpack.workforce import report as workforce_report
    from councilpack.workforce.analysis import WorkforceAnalysis

    _FINANCE: ReportModule[FinanceAnalysis] = finance_report
    _OUTCOMES: ReportModule[OutcomesAnalysis] = outcomes_report
    _RESIDENTS: ReportModule[ResidentsAnalysis] = residents_report
    _WORKFORCE: ReportModule[WorkforceAnalysis] = workforce_report

GSS_PATTERN = re.compile(r"^[A-Z]\d{8}$")

#: Marks a parameter that names a file or folder: made absolute before a kernel
#: starts, because kernels run in ``notebooks/`` rather than the caller's folder.
PATH: dict[str, Any] = {"path": True}


class ReportParameters(BaseModel):
    """Parameters every report notebook takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    council: str = Field(description="ONS GSS code of the council")
    data_dir: str = Field(
        default="",
        description="folder of staged open data; empty for the demo councils",
        json_schema_extra=PATH,
    )

    @field_validator("council")
    @classmethod
    def _gss(cls, value: str) -> str:
        if not GSS_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a GSS code (a letter and eight digits)")
        return value


class FinanceParameters(ReportParameters):
    """Parameters of the finance report."""


class OutcomesParameters(ReportParameters):
    """Parameters of the place and service outcomes report."""


class SurveyReportParameters(ReportParameters):
    """Parameters of a report on one of the council's own surveys."""

    survey_dir: str = Field(
        default="",
        description="survey folder with survey.yml; empty for the demo council's survey",
        json_schema_extra=PATH,
    )


class ResidentsParameters(SurveyReportParameters):
    """Parameters of the residents' satisfaction report."""

    national_table: str = Field(
        default="",
        description="CSV of national LGA polling figures; empty for the shipped table",
        json_schema_extra=PATH,
    )
    minimum_base: int = Field(
        default=100, ge=30, description="smallest unweighted base shown in breakdowns"
    )


class WorkforceParameters(SurveyReportParameters):
    """Parameters of the workforce (staff survey) report."""

    threshold: int = Field(
        default=10,
        ge=10,
        description="fewest respondents behind any published figure (10 at least)",
    )


class BriefingParameters(ReportParameters):
    """Parameters of the council briefing (it reads every analysis it can)."""

    residents_survey_dir: str = Field(
        default="",
        description="residents' survey folder; empty: the demo survey, or none for a real council",
        json_schema_extra=PATH,
    )
    staff_survey_dir: str = Field(
        default="",
        description="staff survey folder; empty: the demo survey, or none for a real council",
        json_schema_extra=PATH,
    )
    threshold: int = Field(
        default=10,
        ge=10,
        description="staff survey: fewest respondents behind any published figure (10 at least)",
    )


@dataclass(frozen=True)
class ReportSpec:
    """One report: its notebook, reader-facing title and parameter model.

    ``survey`` is the kind of survey folder its ``survey_dir`` must hold
    (``"residents"`` or ``"staff"``), checked before any kernel starts; each
    report takes its own folder (``-p workforce.survey_dir=...``).

    ``analysis`` is the package of the analysis the report shows: its entry
    point ``<analysis>.analyse`` and its ``<analysis>.report`` module, which
    meets :class:`councilpack.reporting.ReportModule`. Empty for the briefing,
    which composes the analyses.
    """

    name: str
    title: str
    notebook: str
    parameters: type[ReportParameters]
    survey: str | None = None
    analysis: str = ""

    @property
    def path(self) -> Path:
        """Return the notebook's path."""
        return notebooks_dir() / self.notebook


REPORTS: dict[str, ReportSpec] = {
    "finance": ReportSpec(
        "finance",
        "Finance briefing",
        "finance.ipynb",
        FinanceParameters,
        analysis="councilpack.finance",
    ),
    "outcomes": ReportSpec(
        "outcomes",
        "Place and service outcomes",
        "outcomes.ipynb",
        OutcomesParameters,
        analysis="councilpack.outcomes",
    ),
    "residents": ReportSpec(
        "residents",
        "Resident satisfaction",
        "residents.ipynb",
        ResidentsParameters,
        "residents",
        analysis="councilpack.residents",
    ),
    "workforce": ReportSpec(
        "workforce",
        "Workforce survey trends",
        "workforce.ipynb",
        WorkforceParameters,
        "staff",
        analysis="councilpack.workforce",
    ),
    "briefing": ReportSpec("briefing", "Council briefing", "briefing.ipynb", BriefingParameters),
}


def get_report(name: str) -> ReportSpec:
    """Return a report by name, or raise naming the known reports."""
    try:
        return REPORTS[name]
    except KeyError:
        raise ParameterError(unknown_report_message(name)) from None


def unknown_report_message(name: str) -> str:
    """Return the one-line message for a report name that is not in :data:`REPORTS`.

    Examples
    --------
    >>> unknown_report_message("finanse")
    "unknown report 'finanse' (did you mean 'finance'?); known: finance, residents, workforce"
    """
    known = ", ".join(sorted(REPORTS))
    return f"unknown report {name!r}{suggest(name, REPORTS)}; known: {known}"


def check_report_names(names: Iterable[str]) -> list[str]:
    """Return the report names as a list, or raise one line for the unknown ones.

    Raises
    ------
    ParameterError
        ``--report``: each unknown name with a suggestion, and the known reports.
    """
    chosen = list(names)
    if not chosen:
        raise ParameterError(f"--report: give at least one report; known: {', '.join(REPORTS)}")
    unknown = [name for name in chosen if name not in REPORTS]
    if unknown:
        raise ParameterError(
            "--report: " + "; ".join(unknown_report_message(name) for name in unknown)
        )
    return chosen


def validate_parameters(report: str, values: dict[str, Any]) -> dict[str, Any]:
    """Validate parameters for a report and return them as notebook parameters.

    Raises
    ------
    ParameterError
        One line per bad parameter: ``report 'finance': parameter 'council': ...``.
    """
    spec = get_report(report)
    try:
        model = spec.parameters.model_validate(values)
    except ValidationError as error:
        problems = validation_message(error, values, model=spec.parameters, prefix="parameter ")
        raise ParameterError(f"report {report!r}: {problems}") from None
    return model.model_dump()


def missing_paths(report: str, parameters: dict[str, Any]) -> list[str]:
    """Return one message per path parameter naming a file or folder that does not exist.

    Checked before any kernel starts, so that a typo in ``-p national_table=...``
    is not found half-way through a batch.

    Examples
    --------
    >>> missing_paths("residents", {"council": "X00000001", "national_table": "no-such.csv"})
    ["parameter national_table: 'no-such.csv' does not exist"]
    """
    fields = get_report(report).parameters.model_fields
    found = []
    for name, value in parameters.items():
        extra = fields[name].json_schema_extra if name in fields else None
        if value and isinstance(extra, dict) and extra.get("path") and not Path(value).exists():
            found.append(f"parameter {name}: {str(value)!r} does not exist")
    return found


def absolute_paths(report: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Return ``parameters`` with every non-empty path parameter made absolute.

    Relative paths are read against the caller's working folder (where the
    command or batch was started), as a user expects.
    """
    fields = get_report(report).parameters.model_fields
    result = dict(parameters)
    for name, value in parameters.items():
        extra = fields[name].json_schema_extra if name in fields else None
        if value and isinstance(extra, dict) and extra.get("path"):
            result[name] = str(Path(value).absolute())
    return result
