"""Optional HR figures: sickness absence per FTE and staff turnover.

A council may supply a small YAML (or one-row CSV) file of HR figures for one
year, with comparator figures when it has them::

    period: "2023/24"
    source: Council HR system, 31 March 2024
    sickness_days: 26300        # working days lost to sickness absence
    fte: 1850.5                 # average full-time equivalent staff
    leavers: 245                # leavers in the year (all reasons)
    average_headcount: 1810
    comparators:
      sickness_days_per_fte:
        value: 12
        group: its most similar councils
        source: LG Inform, 2023/24
      turnover_pct:
        value: 15
        group: its most similar councils

``sickness_days_per_fte`` and ``turnover_pct`` may be given directly instead
of being worked out from the parts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from councilpack.errors import validation_message
from councilpack.files import reading
from councilpack.surveys.errors import SurveyDataError, read_yaml_mapping

HR_MEASURES: dict[str, tuple[str, str]] = {
    "sickness_days_per_fte": ("Sickness absence (days per FTE)", "days per FTE"),
    "turnover_pct": ("Staff turnover (leavers as % of average headcount)", "percent"),
}


class HRComparator(BaseModel):
    """A comparator figure for one HR measure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(ge=0)
    group: str = Field(default="its most similar councils", min_length=1)
    source: str = ""


class HRFigures(BaseModel):
    """One year of HR figures for a council.

    Attributes
    ----------
    period
        The year, e.g. ``"2023/24"``.
    source
        Where the figures come from.
    sickness_days, fte
        Working days lost and average FTE; or give ``sickness_days_per_fte``.
    leavers, average_headcount
        Leavers and average headcount in the year; or give ``turnover_pct``.
    comparators
        Measure id -> comparator figure.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str = Field(min_length=1)
    source: str = Field(default="council HR figures", min_length=1)
    sickness_days: float | None = Field(default=None, ge=0)
    fte: float | None = Field(default=None, gt=0)
    sickness_days_per_fte: float | None = Field(default=None, ge=0)
    leavers: int | None = Field(default=None, ge=0)
    average_headcount: float | None = Field(default=None, gt=0)
    turnover_pct: float | None = Field(default=None, ge=0, le=100)
    comparators: dict[str, HRComparator] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> HRFigures:
        unknown = sorted(set(self.comparators) - set(HR_MEASURES))
        if unknown:
            raise ValueError(
                f"comparators for unknown measures: {', '.join(unknown)} "
                f"(known: {', '.join(HR_MEASURES)})"
            )
        if (self.sickness_days is None) != (self.fte is None):
            raise ValueError("give both sickness_days and fte, or sickness_days_per_fte")
        if (self.leavers is None) != (self.average_headcount is None):
            raise ValueError("give both leavers and average_headcount, or turnover_pct")
        if (
            self.leavers is not None
            and self.average_headcount is not None
            and self.leavers > self.average_headcount
        ):
            raise ValueError(
                f"leavers ({self.leavers}) exceed the average headcount "
                f"({self.average_headcount:g})"
            )
        return self

    def values(self) -> dict[str, float]:
        """Return measure id -> value for the measures that can be worked out."""
        result: dict[str, float] = {}
        if self.sickness_days_per_fte is not None:
            result["sickness_days_per_fte"] = self.sickness_days_per_fte
        elif self.sickness_days is not None and self.fte is not None:
            result["sickness_days_per_fte"] = self.sickness_days / self.fte
        if self.turnover_pct is not None:
            result["turnover_pct"] = self.turnover_pct
        elif self.leavers is not None and self.average_headcount is not None:
            result["turnover_pct"] = 100 * self.leavers / self.average_headcount
        return result

    def table(self) -> pd.DataFrame:
        """Return the figures as a table with their comparators.

        Returns
        -------
        pandas.DataFrame
            Columns ``measure, label, value, unit, period, comparator_value,
            comparator_group, source``.
        """
        rows = []
        for measure, value in self.values().items():
            label, unit = HR_MEASURES[measure]
            comparator = self.comparators.get(measure)
            rows.append(
                {
                    "measure": measure,
                    "label": label,
                    "value": value,
                    "unit": unit,
                    "period": self.period,
                    "comparator_value": None if comparator is None else comparator.value,
                    "comparator_group": None if comparator is None else comparator.group,
                    "source": self.source,
                }
            )
        return pd.DataFrame(rows)


def read_hr_figures(path: Path | str) -> HRFigures:
    """Read HR figures from a YAML file or a one-row CSV.

    A CSV has one header row and one data row with the fields of
    :class:`HRFigures` (comparators as ``comparator_<measure>`` and
    ``comparator_<measure>_group`` columns).

    Parameters
    ----------
    path
        ``.yml``/``.yaml`` or ``.csv`` file.

    Returns
    -------
    HRFigures

    Raises
    ------
    SurveyDataError
        A missing or unreadable file or invalid figures, naming the field.
    """
    path = Path(path)
    if not path.is_file():
        raise SurveyDataError("HR figures file not found", file=path.name)
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        parsed = dict(read_yaml_mapping(path, "HR figures"))
    elif suffix == ".csv":
        with reading(path, SurveyDataError):
            frame = pd.read_csv(path, dtype=object)
        if len(frame) != 1:
            raise SurveyDataError(
                f"expected one row of HR figures, found {len(frame)}", file=path.name
            )
        # Column names of a CSV file read by pandas are strings.
        record = {str(k): v for k, v in frame.iloc[0].to_dict().items() if pd.notna(v)}
        comparators: dict[str, dict[str, object]] = {}
        for measure in HR_MEASURES:
            value = record.pop(f"comparator_{measure}", None)
            group = record.pop(f"comparator_{measure}_group", None)
            if value is not None:
                comparators[measure] = {"value": value}
                if group is not None:
                    comparators[measure]["group"] = group
        parsed = {**record, "comparators": comparators}
    else:
        raise SurveyDataError(f"unsupported file type {suffix!r}; use .yml or .csv", file=path.name)
    return hr_from_mapping(parsed, source=path.name)


def hr_from_mapping(mapping: dict[str, object], source: str = "HR figures") -> HRFigures:
    """Validate HR figures given as a mapping.

    Parameters
    ----------
    mapping
        Fields of :class:`HRFigures`.
    source
        Name used in error messages.

    Returns
    -------
    HRFigures

    Raises
    ------
    SurveyDataError
        Naming the bad field.
    """
    try:
        return HRFigures.model_validate(mapping)
    except ValidationError as error:
        raise SurveyDataError(
            validation_message(error, mapping, model=HRFigures), file=source
        ) from None
