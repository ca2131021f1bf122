"""The analyses a briefing reads, plugged in by one registration each.

A :class:`Provider` names an analysis (its report name), the themes it informs
and a function that runs the analysis for a council and returns an
:class:`~councilpack.briefing.model.AnalysisResult`, or raises
:class:`NotSupplied` when the council has no input for it (no staff survey).
Another analysis joins the briefing with one call (as the outcomes report does below)::

    from councilpack.briefing.providers import Provider, register
    register(Provider("outcomes", "Service outcomes", ("priorities",), _outcomes))

Analyses planned for the pack but not registered yet (:data:`PLANNED`) are
reported by the briefing as not covered, so a reader knows what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from councilpack import finance, outcomes, residents, workforce
from councilpack.briefing import select
from councilpack.briefing.model import AnalysisResult, MissingAnalysis, ThemeId
from councilpack.finance import report as finance_report
from councilpack.finance.report_text import data_set_sources
from councilpack.outcomes import report as outcomes_report
from councilpack.residents import report as residents_report
from councilpack.session import ReportSession
from councilpack.workforce import report as workforce_report


class NotSupplied(LookupError):
    """The council has no input for an analysis (the message says which and why).

    Parameters
    ----------
    reason
        Why, as a reader of the briefing reads it ("no staff survey was supplied").
    remedy
        What the adviser preparing the pack can do about it, in plain words (no
        parameter names: the briefing is read by the peer team).
    """

    def __init__(self, reason: str, remedy: str = "") -> None:
        super().__init__(reason)
        self.remedy = remedy


@dataclass(frozen=True)
class BriefingContext:
    """What a provider gets: the report session and the briefing's parameters."""

    session: ReportSession
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = "") -> Any:
        """Return a briefing parameter, or ``default`` when it is not set."""
        return self.options.get(name, default)


@dataclass(frozen=True)
class Provider:
    """One analysis the briefing reads.

    Attributes
    ----------
    name
        The detailed report's name (its findings link to ``<name>.html``).
    title
        What the analysis is called in the briefing.
    themes
        Themes it informs; a missing analysis is reported under the first.
    analyse
        Runs the analysis: context -> result; raises :class:`NotSupplied`.
    missing_question
        Question template key asked when the analysis is missing.
    """

    name: str
    title: str
    themes: tuple[ThemeId, ...]
    analyse: Callable[[BriefingContext], AnalysisResult]
    missing_question: str = ""


PROVIDERS: dict[str, Provider] = {}

#: Analyses the pack will cover but whose provider is not registered yet (none at present;
#: an entry here is reported by the briefing as "not yet covered" until it is registered).
PLANNED: dict[str, MissingAnalysis] = {}


def register(provider: Provider) -> Provider:
    """Add (or replace) an analysis of the briefing; returns it, so it can decorate."""
    PROVIDERS[provider.name] = provider
    return provider


def _finance(context: BriefingContext) -> AnalysisResult:
    session = context.session
    result = finance.analyse(session.data, session.council.gss_code)
    group = result.primary
    comparator = (
        f"{group.label} ({len(group.members)} councils; {group.vintage})"
        if group is not None
        else "no comparator group"
    )
    return AnalysisResult(
        name="finance",
        title="Finance",
        period=result.period,
        # Comparator groups have their own line on the front page.
        source="; ".join(data_set_sources(finance_report.sources(result, demo=session.is_demo))),
        comparator=comparator,
        figures=finance_report.figures(result),
        candidates=select.finance_candidates(result),
    )


def _survey_dir(context: BriefingContext, name: str, kind: str) -> str:
    folder = str(context.option(name, ""))
    if not folder and not context.session.is_demo:
        # The briefing is read by the peer team: the parameter's name stays out of it.
        raise NotSupplied(
            f"no {kind} survey was supplied",
            f"Add the council's {kind} survey folder to the pack to include it.",
        )
    return folder


def _residents(context: BriefingContext) -> AnalysisResult:
    session = context.session
    folder = residents_report.survey_folder(
        session, _survey_dir(context, "residents_survey_dir", "residents'")
    )
    result = residents.analyse(session.data, session.council.gss_code, folder)
    return AnalysisResult(
        name="residents",
        title="Residents' survey",
        period=f"survey waves {', '.join(result.waves)}",
        source=result.survey_title or folder.title,
        comparator="national LGA resident satisfaction polling, nearest in time",
        figures=residents_report.figures(result),
        candidates=select.residents_candidates(result),
    )


def _workforce(context: BriefingContext) -> AnalysisResult:
    session = context.session
    folder = workforce_report.survey_folder(
        session, _survey_dir(context, "staff_survey_dir", "staff")
    )
    result = workforce.analyse(folder, threshold=int(context.option("threshold", 10) or 10))
    return AnalysisResult(
        name="workforce",
        title="Staff survey",
        period=workforce_report.data_vintage(result),
        source="; ".join(workforce_report.sources(result, demo=session.is_demo)),
        comparator="the council's earlier survey waves and all staff",
        figures=workforce_report.figures(result),
        candidates=select.workforce_candidates(result),
    )


def _outcomes(context: BriefingContext) -> AnalysisResult:
    session = context.session
    result = outcomes.analyse(session.data, session.council.gss_code)
    group = result.primary
    comparator = (
        f"{group.label}, limited to councils that run each service "
        f"({len(group.members)} councils; {group.vintage})"
        if group is not None
        else "councils of the same kind that run each service"
    )
    periods = sorted({r.period for r in result.results.values() if r.available})
    return AnalysisResult(
        name="outcomes",
        title="Service outcomes",
        period=", ".join(periods) if periods else "no year with a figure",
        source="; ".join(data_set_sources(outcomes_report.sources(result, demo=session.is_demo))),
        comparator=comparator,
        figures=outcomes_report.figures(result),
        candidates=select.outcomes_candidates(result),
    )


register(Provider("finance", "Finance", ("finance",), _finance))
register(Provider("outcomes", "Service outcomes", ("priorities",), _outcomes, "missing_outcomes"))
register(Provider("residents", "Residents' survey", ("priorities", "leadership"), _residents,
                  "missing_residents"))  # fmt: skip
register(Provider("workforce", "Staff survey", ("capacity", "governance"), _workforce,
                  "missing_staff"))  # fmt: skip
