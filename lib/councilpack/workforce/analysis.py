"""One call from staff survey files to disclosure-controlled tables and findings."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import pandas as pd

from councilpack.errors import ArgumentError, UnknownKeyError
from councilpack.figures import ComparatorSummary, Figure
from councilpack.surveys.folder import SurveyFolder
from councilpack.surveys.io import read_survey_file
from councilpack.vocabulary import Position
from councilpack.wording import SURVEY_DECIMALS, format_number
from councilpack.workforce import measures
from councilpack.workforce import wording as words
from councilpack.workforce.disclosure import NO_ANSWERS, SUPPRESSED_MARKER, validate_threshold
from councilpack.workforce.folder import invited_counts
from councilpack.workforce.hr import HRFigures, read_hr_figures
from councilpack.workforce.inputs import (
    NOT_STATED,
    Invited,
    StaffCodebook,
    StaffWaves,
    WaveSource,
    load_waves,
    read_invited,
)
from councilpack.workforce.measures import ALL_STAFF, ALL_STAFF_VARIABLE

SOURCE = "Council staff survey"
#: GSS marker for "not available" (e.g. a group with no respondents in a wave).
NOT_AVAILABLE = "[x]"

#: Names of the tables a :class:`WorkforceAnalysis` holds.
TABLE_NAMES: tuple[str, ...] = (
    "responses",
    "items",
    "themes",
    "engagement",
    "enps",
    "trends",
    "enps_trends",
    "gaps",
    "hr",
)


@dataclass(frozen=True)
class WorkforceFindings:
    """The findings of a staff survey, by kind, each kind in report order.

    Attributes
    ----------
    response_rates
        Response rate of each wave whose respondents could be published, oldest first.
    items
        % positive of every item in the latest wave, all staff, with its changes.
    enps
        The latest wave's Employee Net Promoter Score (none without a 0-10 item).
    gaps
        Groups whose % positive differs significantly from all staff in the latest wave.
    hr
        HR figures (none when none were supplied).
    """

    response_rates: tuple[Figure, ...] = ()
    items: tuple[Figure, ...] = ()
    enps: tuple[Figure, ...] = ()
    gaps: tuple[Figure, ...] = ()
    hr: tuple[Figure, ...] = ()

    def all(self) -> tuple[Figure, ...]:
        """Return every finding: response rates, items, eNPS, gaps, HR figures."""
        return (*self.response_rates, *self.items, *self.enps, *self.gaps, *self.hr)


@dataclass(frozen=True)
class WorkforceAnalysis:
    """Disclosure-controlled staff survey results.

    Every table has already been through disclosure control: a hidden cell has
    its figures missing, ``published`` false and a ``[c]`` ``note``; derived
    figures are computed only from published cells. Tables are returned as
    copies, so nothing done to them changes the analysis.

    Attributes
    ----------
    waves
        Wave labels, oldest first.
    threshold
        Disclosure threshold applied.
    codebook
        The staff codebook.
    by_kind
        The findings by kind (:attr:`findings` holds them all in report order).
    files
        Wave -> file name read.
    inputs
        Files read, for the report's input hashes: a survey folder's
        ``survey.yml``, codebook, waves and HR figures; the paths given to
        :func:`analyse` otherwise.
    """

    waves: tuple[str, ...]
    threshold: int
    codebook: StaffCodebook
    by_kind: WorkforceFindings
    files: Mapping[str, str]
    inputs: tuple[Path, ...]
    _tables: Mapping[str, pd.DataFrame] = field(repr=False)

    @property
    def title(self) -> str:
        """The survey's title, as its codebook gives it (required there)."""
        return self.codebook.codebook.title

    @property
    def findings(self) -> tuple[Figure, ...]:
        """Sentences for the report, each a :class:`councilpack.figures.Figure`.

        Response rates, items, eNPS, group gaps and HR figures, in that order
        (``id, label, value, unit, period, source, comparator, sentence``).
        """
        return self.by_kind.all()

    @property
    def summary_findings(self) -> tuple[Figure, ...]:
        """The findings that open the report, in report order.

        The latest wave's response rate and every item, eNPS and HR finding;
        earlier waves' response rates and group gaps are left out (the gaps
        have their own section).
        """
        latest_rates = tuple(f for f in self.by_kind.response_rates if f.period == self.latest_wave)
        return (*latest_rates, *self.by_kind.items, *self.by_kind.enps, *self.by_kind.hr)

    def table(self, name: str) -> pd.DataFrame:
        """Return a copy of one table.

        Parameters
        ----------
        name
            One of :data:`TABLE_NAMES`.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        KeyError
            For an unknown table name.
        """
        if name not in self._tables:
            raise UnknownKeyError(f"no table {name!r}; tables: {', '.join(TABLE_NAMES)}")
        return self._tables[name].copy()

    @property
    def responses(self) -> pd.DataFrame:
        """Respondents and response rates by wave, all staff and every group."""
        return self.table("responses")

    @property
    def items(self) -> pd.DataFrame:
        """% positive per item by wave, all staff and every group, with gaps."""
        return self.table("items")

    @property
    def themes(self) -> pd.DataFrame:
        """Pooled % positive per theme."""
        return self.table("themes")

    @property
    def engagement(self) -> pd.DataFrame:
        """The LGA Employee Engagement Index items, item by item (no composite score)."""
        return self.table("engagement")

    @property
    def enps(self) -> pd.DataFrame:
        """Employee Net Promoter Score by wave and group (empty without a 0-10 item)."""
        return self.table("enps")

    @property
    def trends(self) -> pd.DataFrame:
        """Changes in % positive against the previous and first wave, with tests."""
        return self.table("trends")

    @property
    def enps_trends(self) -> pd.DataFrame:
        """Changes in eNPS against the previous and first wave, with tests."""
        return self.table("enps_trends")

    @property
    def gaps(self) -> pd.DataFrame:
        """Group % positive against all staff (published groups only)."""
        return self.table("gaps")

    @property
    def hr(self) -> pd.DataFrame:
        """HR figures with comparators (empty when none were supplied)."""
        return self.table("hr")

    @property
    def latest_wave(self) -> str:
        """Return the most recent wave."""
        return self.waves[-1]

    def variable_label(self, variable: str) -> str:
        """Return a group variable's label (``"Directorate"``), or ``"All staff"``."""
        if variable == ALL_STAFF_VARIABLE:
            return ALL_STAFF
        spec = self.codebook.codebook.groups.get(variable)
        if spec is None or spec.label is None:
            return variable.replace("_", " ").capitalize()
        return spec.label

    def display(
        self,
        name: str,
        value: str,
        variable: str = ALL_STAFF_VARIABLE,
        decimals: int = SURVEY_DECIMALS,
        *,
        sign: bool = False,
    ) -> pd.DataFrame:
        """Return a wide table for reading: rows groups (or items), columns waves, ``[c]`` marked.

        Parameters
        ----------
        name
            Table name: ``items``, ``engagement``, ``responses``, ``themes``,
            ``enps``, ``trends`` or ``gaps``.
        value
            Column to show, e.g. ``positive_pct`` or ``respondents``.
        variable
            ``"all_staff"`` (rows are items or themes) or a group id (rows are
            groups; for ``items`` the index is item then group).
        decimals
            Decimal places (survey figures are whole: the sentences' precision).
        sign
            Print ``+`` before a positive number (a score that can be negative,
            the employee Net Promoter Score, as its sentence gives it).

        Returns
        -------
        pandas.DataFrame
            Text cells; hidden cells show ``[c]``, and cells of a question nobody
            answered in the wave ``not asked or no answers``.
        """
        table = self.table(name)
        table = table[table["variable"] == variable]
        row_keys = {
            "items": ["label"],
            "engagement": ["label"],
            "gaps": ["label"],
            "trends": ["label"],
            "themes": ["theme"],
        }.get(name, [])
        if variable != ALL_STAFF_VARIABLE or not row_keys:
            row_keys = [*row_keys, "group"]

        def cell(row: pd.Series) -> str:
            if not row["published"]:
                return NO_ANSWERS if row["note"] == NO_ANSWERS else SUPPRESSED_MARKER
            number = row[value]
            if pd.isna(number):
                return NOT_AVAILABLE
            return format_number(float(number), decimals, sign=sign)

        table = table.assign(_cell=table.apply(cell, axis=1))
        wide = table.pivot_table(
            index=row_keys, columns="wave", values="_cell", aggfunc="first", sort=False
        )
        wide = wide.reindex(columns=[w for w in self.waves if w in wide.columns])
        if name == "themes" and "theme" in wide.index.names:
            # Theme ids ("engagement") read as words ("Engagement").
            wide = wide.rename(index=lambda t: str(t).replace("_", " ").capitalize(), level="theme")
        return wide.fillna(NOT_AVAILABLE)


def analyse(survey: SurveyFolder, *, threshold: int = 10) -> WorkforceAnalysis:
    """Analyse a council's staff survey folder into disclosure-controlled tables and findings.

    The report's entry point. ``survey.yml`` names the codebook, the waves
    (read oldest first by fieldwork month), the staff invited per wave and,
    optionally, the HR figures (``data/surveys/STAFF.md``).

    Parameters
    ----------
    survey
        A staff survey folder
        (:func:`~councilpack.surveys.folder.load_survey_folder`).
    threshold
        Smallest number of respondents behind any published figure; at least 10.

    Returns
    -------
    WorkforceAnalysis
        With :attr:`~WorkforceAnalysis.inputs` the folder's files
        (``survey.yml``, codebook, waves, HR figures).

    Raises
    ------
    councilpack.errors.ArgumentError
        ``survey`` is not a survey folder (waves of one's own go to
        :func:`analyse_waves`).
    councilpack.errors.ArgumentError
        A threshold below 10.
    councilpack.surveys.errors.SurveyDataError
        A bad file, codebook, invited count or HR figure, or a wave without
        ``invited`` (one line naming the file, column and row).
    """
    if not isinstance(survey, SurveyFolder):
        raise ArgumentError(
            f"analyse takes a staff survey folder, not {type(survey).__name__}; "
            "analyse_waves takes waves with their codebook and staff invited"
        )
    validate_threshold(threshold)
    waves = {
        wave.label: read_survey_file(survey.path(wave.file), wave.sheet) for wave in survey.waves
    }
    return _analyse(
        waves,
        survey.codebook_path,
        invited_counts(survey),
        threshold,
        survey.path(survey.hr) if survey.hr else None,
        tuple(survey.files),
    )


def analyse_waves(
    waves: Mapping[str, WaveSource],
    codebook: StaffCodebook | Path | str,
    invited: Mapping[str, int | Invited | Mapping[str, object]] | Path | str,
    *,
    threshold: int = 10,
    hr: HRFigures | Path | str | None = None,
) -> WorkforceAnalysis:
    """Analyse staff survey waves of one's own into disclosure-controlled tables and findings.

    What :func:`analyse` does for a survey folder, for waves, codebook and
    staff invited given one by one.

    Parameters
    ----------
    waves
        Wave label -> respondent-level file (CSV, XLSX, SPSS ``.sav``),
        :class:`~councilpack.surveys.io.SurveyFile` or DataFrame, **oldest first**.
    codebook
        A :class:`~councilpack.workforce.inputs.StaffCodebook` or the path of
        its YAML file.
    invited
        Wave label -> staff invited: an ``int``, an
        :class:`~councilpack.workforce.inputs.Invited` (with optional
        headcount by group) or ``{"total": ..., "by_group": {...}}``; or the
        path of a YAML file of the same (see
        :func:`~councilpack.workforce.inputs.read_invited`).
    threshold
        Smallest number of respondents behind any published figure; at least 10.
    hr
        Optional HR figures (:class:`~councilpack.workforce.hr.HRFigures` or
        a YAML/CSV path).

    Returns
    -------
    WorkforceAnalysis
        With :attr:`~WorkforceAnalysis.inputs` the paths given (waves,
        codebook, invited and HR files).

    Raises
    ------
    councilpack.errors.ArgumentError
        A threshold below 10.
    councilpack.surveys.errors.SurveyDataError
        A bad file, codebook, invited count or HR figure (one line naming the
        file, column and row).
    """
    validate_threshold(threshold)
    inputs = tuple(
        Path(path)
        for path in (*waves.values(), codebook, invited, hr)
        if isinstance(path, (str, Path))
    )
    return _analyse(waves, codebook, invited, threshold, hr, inputs)


def _analyse(
    waves: Mapping[str, WaveSource],
    codebook: StaffCodebook | Path | str,
    invited: Mapping[str, int | Invited | Mapping[str, object]] | Path | str,
    threshold: int,
    hr: HRFigures | Path | str | None,
    inputs: tuple[Path, ...],
) -> WorkforceAnalysis:
    if not isinstance(codebook, StaffCodebook):
        codebook = StaffCodebook.from_yaml(codebook)
    if hr is not None and not isinstance(hr, HRFigures):
        hr = read_hr_figures(hr)
    if isinstance(invited, (str, Path)):
        invited = read_invited(invited)
    staff = load_waves(waves, codebook, invited)
    suppression = measures.patterns(staff, threshold)
    items = measures.item_table(staff, suppression)
    enps = measures.enps_table(staff, suppression)
    tables = {
        "responses": measures.response_table(staff, suppression),
        "items": items,
        "themes": measures.theme_table(staff, suppression),
        "engagement": items[items["item"].isin(codebook.workforce.engagement_index)].reset_index(
            drop=True
        ),
        "enps": enps,
        "trends": measures.trend_table(items, staff.waves),
        "enps_trends": measures.enps_trend_table(enps, staff.waves),
        "gaps": items[
            (items["variable"] != ALL_STAFF_VARIABLE) & items["published"].astype(bool)
        ].reset_index(drop=True),
        "hr": hr.table() if hr is not None else pd.DataFrame(),
    }
    return WorkforceAnalysis(
        waves=staff.waves,
        threshold=threshold,
        codebook=codebook,
        by_kind=_findings(staff, tables, hr),
        files=dict(staff.files),
        inputs=inputs,
        _tables=tables,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def _comparison(row: pd.Series, suffix: str) -> tuple[str, float, bool] | None:
    other = row.get(f"{suffix}_wave")
    change = row.get(f"change_vs_{suffix}_pp")
    if other is None or pd.isna(change):
        return None
    return str(other), float(row["positive_pct"] - change), bool(row[f"significant_vs_{suffix}"])


def _comparator(wave: str, value: float, significant: bool, change: float) -> ComparatorSummary:
    position: Position = "similar" if not significant else ("above" if change > 0 else "below")
    return ComparatorSummary(
        group=f"{wave} staff survey", definition="same item, earlier wave", value=value,
        position=position,
    )  # fmt: skip


class _SurveyBase(TypedDict):
    """The survey fields of a :class:`~councilpack.figures.Figure`."""

    base: int
    effective_base: float
    interval_lower: float
    interval_upper: float


def _survey_base(row: pd.Series) -> _SurveyBase:
    """Return a published item row's base, effective base and 95 per cent interval."""
    return {
        "base": int(row["base"]),
        "effective_base": float(row["effective_base"]),
        "interval_lower": float(row["lower_pct"]),
        "interval_upper": float(row["upper_pct"]),
    }


def _findings(
    staff: StaffWaves, tables: Mapping[str, pd.DataFrame], hr: HRFigures | None
) -> WorkforceFindings:
    latest = staff.waves[-1]
    first_wave = staff.waves[0]
    response_rates: list[Figure] = []
    item_findings: list[Figure] = []
    enps_findings: list[Figure] = []
    gap_findings: list[Figure] = []
    hr_findings: list[Figure] = []
    responses = tables["responses"]
    for _, row in responses[responses["variable"] == ALL_STAFF_VARIABLE].iterrows():
        if not row["published"]:
            continue
        response_rates.append(
            Figure(
                id=f"workforce.response_rate.{row['wave']}",
                label="Staff survey response rate",
                value=float(row["response_rate_pct"]),
                unit="percent",
                period=str(row["wave"]),
                source=SOURCE,
                decimals=SURVEY_DECIMALS,
                note=f"{int(row['respondents']):,} responses from {int(row['invited']):,} staff invited",
                sentence=words.response_sentence(
                    str(row["wave"]), int(row["respondents"]), int(row["invited"])
                ),
            )
        )
    trends = tables["trends"]
    if not trends.empty:
        current = trends[(trends["variable"] == ALL_STAFF_VARIABLE) & (trends["wave"] == latest)]
        engagement = set(staff.codebook.workforce.engagement_index)
        for _, row in current.iterrows():
            previous = _comparison(row, "previous")
            first = _comparison(row, "first") if first_wave != row.get("previous_wave") else None
            comparator = None
            if previous is not None:
                comparator = _comparator(
                    previous[0], previous[1], previous[2], float(row["change_vs_previous_pp"])
                )
            prefix = "Engagement index: " if row["item"] in engagement else ""
            item_findings.append(
                Figure(
                    id=f"workforce.positive.{row['item']}",
                    label=f"{prefix}{row['label']} (% positive)",
                    value=float(row["positive_pct"]),
                    unit="percent",
                    period=latest,
                    source=SOURCE,
                    comparator=comparator,
                    note=f"base {int(row['base']):,} respondents",
                    **_survey_base(row),
                    decimals=SURVEY_DECIMALS,
                    sentence=words.item_sentence(
                        staff.codebook.statement(str(row["item"])),
                        float(row["positive_pct"]),
                        previous,
                        first,
                    ),
                )
            )
    enps_trends = tables["enps_trends"]
    if not enps_trends.empty:
        current = enps_trends[
            (enps_trends["variable"] == ALL_STAFF_VARIABLE) & (enps_trends["wave"] == latest)
        ]
        for _, row in current.iterrows():
            previous = None
            comparator = None
            if not pd.isna(row.get("change_vs_previous", math.nan)):
                before = float(row["enps"] - row["change_vs_previous"])
                significant = bool(row["significant_vs_previous"])
                previous = (str(row["previous_wave"]), before, significant)
                comparator = _comparator(
                    previous[0], before, significant, float(row["change_vs_previous"])
                )
            enps_findings.append(
                Figure(
                    id="workforce.enps",
                    label="Employee Net Promoter Score",
                    value=float(row["enps"]),
                    unit="points",
                    period=latest,
                    source=SOURCE,
                    comparator=comparator,
                    note="% scoring 9-10 minus % scoring 0-6",
                    decimals=SURVEY_DECIMALS,
                    sentence=words.enps_sentence(
                        float(row["enps"]),
                        float(row["promoters_pct"]),
                        float(row["detractors_pct"]),
                        previous,
                    ),
                )
            )
    gaps = tables["gaps"]
    significant_gaps = gaps[
        (gaps["wave"] == latest)
        & gaps["gap_significant"].fillna(False)
        & (gaps["group"] != NOT_STATED)
    ]
    for _, row in significant_gaps.iterrows():
        spec = staff.codebook.codebook.groups.get(str(row["variable"]))
        variable_label = spec.label if spec is not None and spec.label else str(row["variable"])
        who = words.group_phrase(str(row["variable"]), variable_label, str(row["group"]))
        gap_findings.append(
            Figure(
                id=f"workforce.gap.{row['variable']}.{_slug(str(row['group']))}.{row['item']}",
                label=f"{row['label']}: {who} (% positive)",
                value=float(row["positive_pct"]),
                unit="percent",
                period=latest,
                source=SOURCE,
                comparator=ComparatorSummary(
                    group="All staff",
                    value=float(row["all_staff_pct"]),
                    position="above" if row["gap_pp"] > 0 else "below",
                ),
                note=f"base {int(row['base']):,} respondents",
                **_survey_base(row),
                decimals=SURVEY_DECIMALS,
                sentence=words.gap_sentence(
                    who,
                    str(row["label"]),
                    float(row["positive_pct"]),
                    float(row["all_staff_pct"]),
                    True,
                ),
            )
        )
    if hr is not None:
        for measure, value in hr.values().items():
            comparator_spec = hr.comparators.get(measure)
            label, unit = (
                ("Sickness absence (days per FTE)", "days per FTE")
                if measure == "sickness_days_per_fte"
                else ("Staff turnover", "percent")
            )
            hr_findings.append(
                Figure(
                    id=f"workforce.hr.{measure}",
                    label=label,
                    value=value,
                    unit=unit,
                    period=hr.period,
                    source=hr.source,
                    comparator=None
                    if comparator_spec is None
                    else ComparatorSummary(
                        group=comparator_spec.group,
                        value=comparator_spec.value,
                        definition=comparator_spec.source,
                        position="above" if value > comparator_spec.value else "below",
                    ),
                    sentence=words.hr_sentence(
                        measure,
                        value,
                        hr.period,
                        None if comparator_spec is None else comparator_spec.value,
                        "" if comparator_spec is None else comparator_spec.group,
                    ),
                )
            )
    return WorkforceFindings(
        response_rates=tuple(response_rates),
        items=tuple(item_findings),
        enps=tuple(enps_findings),
        gaps=tuple(gap_findings),
        hr=tuple(hr_findings),
    )
