"""Residents' satisfaction analysis: :func:`analyse` is the one function a notebook calls.

Example
-------
A council's survey folder, weighted to its ONS age margins from the data context:

>>> from councilpack import residents
>>> analysis = residents.analyse(data, "E08000011", folder)  # doctest: +SKIP

Waves of one's own, without a data context or survey folder:

>>> from councilpack.residents import WaveInput, analyse_waves, load_codebook
>>> analysis = analyse_waves(  # doctest: +SKIP
...     waves=[WaveInput("2023", "2023-10", "wave-2023.csv"),
...            WaveInput("2024", "2024-10", "wave-2024.sav")],
...     codebook=load_codebook("codebook.yml"),
...     population_margins={"age_band": {"16-24": 52_000, "25-34": 81_000, ...}},
... )
>>> analysis.estimates  # doctest: +SKIP
>>> [f.sentence for f in analysis.findings]  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from councilpack.data.model import DataContext
from councilpack.figures import ComparatorSummary, Figure
from councilpack.residents.items import LGA_ITEM_BY_ID
from councilpack.residents.margins import age_margins_from_metrics
from councilpack.residents.national import (
    NationalFigure,
    load_national_table,
    nearest_national_figure,
)
from councilpack.residents.wording import change_phrase, national_phrase, percent_text
from councilpack.surveys.codebook import BASE_DESCRIPTIONS, Codebook, CodedSurvey, apply_codebook
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import SurveyFolder
from councilpack.surveys.io import SurveyFile, read_survey_file
from councilpack.surveys.stats import (
    Estimate,
    compare_to_reference,
    kish_effective_base,
    two_proportion_test,
    weighted_proportion,
)
from councilpack.surveys.weighting import rake
from councilpack.wording import SURVEY_DECIMALS, format_number, rounded_change

#: Default smallest unweighted base shown in a breakdown.
DEFAULT_MINIMUM_BASE = 100


@dataclass(frozen=True)
class WaveInput:
    """One wave of a residents' survey.

    Parameters
    ----------
    label
        How the wave is named in text and tables, e.g. ``"2024"``.
    fieldwork
        Fieldwork month ``YYYY-MM`` (the middle month if fieldwork spanned
        several); used to pick the national figure nearest in time.
    source
        Path to a CSV, XLSX or SPSS ``.sav`` file, a DataFrame, or a
        :class:`~councilpack.surveys.io.SurveyFile`.
    sheet
        XLSX sheet name or index (first sheet when ``None``).
    """

    label: str
    fieldwork: str
    source: Path | str | pd.DataFrame | SurveyFile
    sheet: str | int | None = None

    def read(self) -> SurveyFile:
        """Return the wave's data as a :class:`~councilpack.surveys.io.SurveyFile`."""
        if isinstance(self.source, SurveyFile):
            return self.source
        if isinstance(self.source, pd.DataFrame):
            return SurveyFile.from_frame(self.source, file_name=f"wave {self.label}")
        return read_survey_file(Path(self.source), sheet=self.sheet)


@dataclass
class ResidentsAnalysis:
    """Everything :func:`analyse` (or :func:`analyse_waves`) computes.

    All percentages are on a 0-100 scale; every estimate row carries its base.

    Attributes
    ----------
    weighting
        Per wave: method, respondents, Kish effective base, design effect, weight range.
    estimates
        Per wave and item: ``percent``, ``lower``, ``upper`` (95 % Wilson on the
        effective base), ``base_unweighted``, ``base_effective``,
        ``design_effect``, ``base_description``.
    distributions
        Per wave and item: weighted per cent of each answer category among all
        who answered (refusals shown, not in any base).
    changes
        Per item and wave after the first: change in points since the previous
        wave, z, p-value, significance and the phrase.
    national
        Per wave and item: nearest national figure, its month and source,
        difference, test and the phrase.
    breakdowns
        Per wave, group (``age_band``, ``sex``, ``area``), category and item:
        estimate, bases, ``shown`` and ``reason`` when suppressed.
    findings
        One :class:`~councilpack.figures.Figure` per wave and item (latest wave
        first, then items in order): per cent positive, the sentence, the base in
        words (``note``), the unweighted and effective bases and the 95 per cent
        Wilson interval, and the national figure as its comparator (``group``
        names the polling question, ``definition`` its source, ``vintage`` its
        fieldwork month). These are the report's sidecar figures.
    notes
        Method notes to print with the tables (weighting, bases, suppression).
    minimum_base
        Smallest unweighted base shown in breakdowns.
    folder
        The survey folder the waves were read from (set by :func:`analyse`).
    """

    weighting: pd.DataFrame
    estimates: pd.DataFrame
    distributions: pd.DataFrame
    changes: pd.DataFrame
    national: pd.DataFrame
    breakdowns: pd.DataFrame
    findings: list[Figure]
    notes: list[str]
    minimum_base: int
    survey_title: str = ""
    waves: list[str] = field(default_factory=list)
    folder: SurveyFolder | None = None

    def finding_texts(self) -> list[str]:
        """Return just the sentences of :attr:`findings`."""
        return [finding.sentence for finding in self.findings]


def load_codebook(path: Path | str) -> Codebook:
    """Read a residents' survey codebook (YAML) and check its item ids.

    Parameters
    ----------
    path
        The YAML file; see ``lib/councilpack/residents/example_codebook.yml``.

    Returns
    -------
    Codebook

    Raises
    ------
    SurveyDataError
        The codebook is invalid or uses an item id outside the LGA question set.
    """
    codebook = Codebook.from_yaml(path)
    check_residents_codebook(codebook, Path(path).name)
    return codebook


def example_codebook_path() -> Path:
    """Return the path of the shipped example codebook."""
    return Path(__file__).with_name("example_codebook.yml")


def check_residents_codebook(codebook: Codebook, source: str = "codebook") -> None:
    """Check a codebook uses only LGA item ids.

    Raises
    ------
    SurveyDataError
        Naming the unknown item key.
    """
    unknown = [item_id for item_id in codebook.items if item_id not in LGA_ITEM_BY_ID]
    if unknown:
        raise SurveyDataError(
            f"codebook key items.{unknown[0]}: not an LGA item; use one of "
            f"{', '.join(LGA_ITEM_BY_ID)}",
            file=source,
        )


def _weights_for(
    coded: CodedSurvey,
    population_margins: Mapping[str, Mapping[str, float]] | None,
) -> tuple[np.ndarray, str]:
    n = len(coded)
    if coded.weights is not None:
        values = coded.weights.to_numpy(dtype=float)
        return values * n / values.sum(), f"weight column {coded.codebook.weight!r} from the file"
    if not population_margins:
        return np.ones(n), "unweighted (no weight column and no population margins given)"
    unknown = [g for g in population_margins if g not in coded.codebook.groups]
    if unknown:
        raise SurveyDataError(
            f"population margin {unknown[0]!r} has no group of that name in the codebook "
            f"(groups: {', '.join(coded.codebook.groups) or 'none'})",
            file=coded.file_name,
        )
    frame = pd.DataFrame(
        {group: coded.groups[group] for group in population_margins}, index=coded.groups.index
    )
    frame.columns = [coded.codebook.groups[g].column for g in population_margins]
    margins = {coded.codebook.groups[g].column: m for g, m in population_margins.items()}
    weights = rake(frame, margins, file_name=coded.file_name)
    raked = ", ".join(g.replace("_", " ") for g in population_margins)
    return weights, f"raked to population margins for {raked}"


def _estimate_row(
    wave: WaveInput, coded: CodedSurvey, item_id: str, weights: np.ndarray, mask: np.ndarray
) -> dict[str, Any]:
    item = coded.codebook.items[item_id]
    in_base = coded.in_base(item_id) & mask
    estimate = weighted_proportion(coded.is_positive(item_id)[in_base], weights[in_base])
    return {
        "wave": wave.label,
        "fieldwork": wave.fieldwork,
        "item": item_id,
        "label": LGA_ITEM_BY_ID[item_id].label,
        "percent": 100 * estimate.proportion,
        "lower": 100 * estimate.lower,
        "upper": 100 * estimate.upper,
        "base_unweighted": estimate.base_unweighted,
        "base_effective": estimate.base_effective,
        "design_effect": estimate.design_effect,
        "base_description": BASE_DESCRIPTIONS[item.base],
        "_estimate": estimate,
    }


def _base_text(row: Mapping[Any, Any]) -> str:
    return (
        f"base: {row['base_description']}; {int(row['base_unweighted']):,} respondents, "
        f"effective base {format_number(float(row['base_effective']))}"
    )


def analyse(
    data: DataContext,
    gss_code: str,
    survey: SurveyFolder,
    *,
    national_table: pd.DataFrame | Path | str | None = None,
    minimum_base: int = DEFAULT_MINIMUM_BASE,
) -> ResidentsAnalysis:
    """Analyse every wave of a council's residents' survey folder, against the national polling.

    Waves without a weight column are raked to the council's ONS age margins
    from ``data``.

    Parameters
    ----------
    data
        The data context (demo or open data): the council's population by age band.
    gss_code
        The council.
    survey
        The council's residents' survey folder (``survey.yml``, codebook, waves).
    national_table
        National LGA polling figures: a DataFrame, the path of a newer CSV, or
        ``None`` (or ``""``) for the shipped table.
    minimum_base
        Smallest unweighted base shown in breakdowns.

    Returns
    -------
    ResidentsAnalysis
        Estimates, changes, national comparisons, breakdowns and findings.

    Raises
    ------
    SurveyDataError
        Any bad file, codebook or margin, with a one-line message naming the
        file, column and row.
    """
    waves = [
        WaveInput(wave.label, wave.fieldwork, survey.path(wave.file), wave.sheet)
        for wave in survey.waves
    ]
    margins = {"age_band": age_margins_from_metrics(data.metrics, gss_code)}
    if isinstance(national_table, str):  # a notebook parameter: empty for the shipped table
        national_table = Path(national_table) if national_table else None
    analysis = analyse_waves(
        waves,
        survey.codebook_path,
        population_margins=margins,
        national_table=national_table,
        minimum_base=minimum_base,
    )
    analysis.folder = survey
    return analysis


def analyse_waves(
    waves: Sequence[WaveInput],
    codebook: Codebook | Path | str,
    population_margins: Mapping[str, Mapping[str, float]] | None = None,
    national_table: pd.DataFrame | Path | str | None = None,
    *,
    minimum_base: int = DEFAULT_MINIMUM_BASE,
    breakdown_groups: Sequence[str] = ("area", "age_band", "sex"),
) -> ResidentsAnalysis:
    """Analyse one or more waves of a residents' satisfaction survey.

    Parameters
    ----------
    waves
        The waves in time order (earliest first).
    codebook
        A :class:`~councilpack.surveys.codebook.Codebook` or the path of its YAML file.
    population_margins
        Used only when the codebook names no weight column: group id ->
        {category: population}. Age band from the ONS mid-year estimates, e.g.
        ``{"age_band": {"16-24": 52_000, ...}}`` (see
        :func:`councilpack.residents.margins.age_margins_from_metrics`). Sex is
        raked only when a ``"sex"`` margin is given (the ONS file held has no
        sex split); ``"area"`` likewise. When ``None`` and there is no weight
        column the analysis is unweighted and says so.
    national_table
        National LGA polling figures: a DataFrame from
        :func:`~councilpack.residents.national.load_national_table`, the path
        of a newer CSV, or ``None`` for the shipped table.
    minimum_base
        Smallest unweighted base shown in breakdowns (default 100).
    breakdown_groups
        Groups to break down by (those absent from the codebook are skipped).

    Returns
    -------
    ResidentsAnalysis

    Raises
    ------
    SurveyDataError
        Any bad file, codebook or margin, with a one-line message naming the
        file, column and row.
    """
    if not waves:
        raise SurveyDataError("no survey waves given")
    labels = [w.label for w in waves]
    if len(set(labels)) != len(labels):
        raise SurveyDataError(f"wave labels repeat: {labels}")
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    else:
        check_residents_codebook(codebook)
    if isinstance(national_table, pd.DataFrame):
        national = national_table
    else:
        national = load_national_table(national_table)

    weighting_rows: list[dict[str, object]] = []
    estimate_rows: list[dict[str, object]] = []
    distribution_rows: list[dict[str, object]] = []
    breakdown_rows: list[dict[str, Any]] = []
    for wave in waves:
        coded = apply_codebook(wave.read(), codebook)
        weights, method = _weights_for(coded, population_margins)
        effective = kish_effective_base(weights)
        weighting_rows.append(
            {
                "wave": wave.label,
                "fieldwork": wave.fieldwork,
                "file": coded.file_name,
                "method": method,
                "respondents": len(coded),
                "base_effective": effective,
                "design_effect": len(coded) / effective,
                "weight_min": float(weights.min()),
                "weight_max": float(weights.max()),
            }
        )
        everyone = np.ones(len(coded), dtype=bool)
        for item_id in codebook.items:
            if item_id in coded.absent_items:
                continue
            estimate_rows.append(_estimate_row(wave, coded, item_id, weights, everyone))
            answers = coded.responses[item_id]
            answered = (answers != "not_answered").to_numpy()
            total = weights[answered].sum()
            for category in ("positive", "neutral", "negative", "dont_know", "refused"):
                chosen = (answers == category).to_numpy()
                distribution_rows.append(
                    {
                        "wave": wave.label,
                        "item": item_id,
                        "category": category,
                        "percent_of_answered": 100 * weights[chosen].sum() / total
                        if total
                        else float("nan"),
                        "respondents": int(chosen.sum()),
                    }
                )
            for group in breakdown_groups:
                if group not in coded.groups.columns:
                    continue
                values = coded.groups[group]
                categories = _group_order(codebook, group, values)
                for category in categories:
                    mask = (values == category).to_numpy()
                    row = _estimate_row(wave, coded, item_id, weights, mask)
                    shown = row["base_unweighted"] >= minimum_base
                    row.update(
                        group=group,
                        category=category,
                        shown=shown,
                        reason=""
                        if shown
                        else f"not shown: base of {row['base_unweighted']} is below the "
                        f"minimum of {minimum_base}",
                    )
                    if not shown:
                        for column in ("percent", "lower", "upper"):
                            row[column] = float("nan")
                    breakdown_rows.append(row)

    estimates = pd.DataFrame(estimate_rows)
    changes = _changes(estimates, waves)
    national_rows = _national(estimates, waves, national)
    findings = _findings(estimates, changes, national_rows, waves, weighting_rows, codebook)
    notes = [
        (
            "Percentages are weighted per cent positive; 95 per cent confidence intervals are "
            "Wilson score intervals on the Kish effective base."
        ),
        "Bases: "
        + "; ".join(
            f"{item_id}: {BASE_DESCRIPTIONS[item.base]}" for item_id, item in codebook.items.items()
        ),
        *(f"Wave {row['wave']}: {row['method']}." for row in weighting_rows),
        f"Breakdowns with fewer than {minimum_base} unweighted respondents are not shown.",
        (
            "Changes use a two-sided pooled two-proportion z-test on effective bases; national "
            "comparisons a one-sample score test against the published figure (5 per cent level)."
        ),
    ]
    if population_margins and "sex" not in population_margins and codebook.weight is None:
        notes.append(
            "Not weighted by sex: the ONS population file held has no sex split; pass a "
            "'sex' margin to rake by sex."
        )
    drop = ["_estimate"]
    return ResidentsAnalysis(
        weighting=pd.DataFrame(weighting_rows),
        estimates=estimates.drop(columns=drop),
        distributions=pd.DataFrame(distribution_rows),
        changes=changes,
        national=national_rows.drop(columns=drop, errors="ignore"),
        breakdowns=pd.DataFrame(breakdown_rows).drop(columns=drop, errors="ignore"),
        findings=findings,
        notes=notes,
        minimum_base=minimum_base,
        survey_title=codebook.title,
        waves=labels,
    )


def _group_order(codebook: Codebook, group: str, values: pd.Series) -> list[str]:
    spec = codebook.groups[group]
    if spec.categories is not None:
        return [c for c in spec.categories if (values == c).any()]
    return sorted(str(v) for v in values.dropna().unique())


def _changes(estimates: pd.DataFrame, waves: Sequence[WaveInput]) -> pd.DataFrame:
    rows = []
    for item_id, item_rows in estimates.groupby("item", sort=False):
        by_wave = {row["wave"]: row for row in item_rows.to_dict("records")}
        present = [w.label for w in waves if w.label in by_wave]
        for previous_label, label in itertools.pairwise(present):
            now, before = by_wave[label]["_estimate"], by_wave[previous_label]["_estimate"]
            if now.base_effective <= 0 or before.base_effective <= 0:
                continue
            test = two_proportion_test(
                now.proportion, now.base_effective, before.proportion, before.base_effective
            )
            rows.append(
                {
                    "item": item_id,
                    "wave": label,
                    "previous_wave": previous_label,
                    "percent": 100 * now.proportion,
                    "previous_percent": 100 * before.proportion,
                    "change_points": 100 * test.difference,
                    "z": test.z,
                    "p_value": test.p_value,
                    "significant": test.significant,
                    # Worded as the difference of the rounded figures the report prints
                    # (the raw difference only to say "less than 1 point" the right way).
                    "phrase": change_phrase(
                        rounded_change(100 * now.proportion, 100 * before.proportion)
                        or 100 * test.difference,
                        test.significant,
                        previous_label,
                    ),
                }
            )
    columns = [
        "item",
        "wave",
        "previous_wave",
        "percent",
        "previous_percent",
        "change_points",
        "z",
        "p_value",
        "significant",
        "phrase",
    ]
    return pd.DataFrame(rows, columns=columns)


def _national(
    estimates: pd.DataFrame, waves: Sequence[WaveInput], table: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    fieldwork = {w.label: w.fieldwork for w in waves}
    for row in estimates.to_dict("records"):
        figure = nearest_national_figure(table, row["item"], fieldwork[row["wave"]])
        estimate: Estimate = row["_estimate"]
        if figure is None or estimate.base_effective <= 0:
            continue
        comparison = compare_to_reference(estimate, figure.percent / 100)
        rows.append(
            {
                "wave": row["wave"],
                "item": row["item"],
                "label": row["label"],
                "percent": row["percent"],
                "lower": row["lower"],
                "upper": row["upper"],
                "national_percent": figure.percent,
                "national_fieldwork": figure.fieldwork,
                "national_source": figure.source,
                "difference_points": 100 * comparison.test.difference,
                "z": comparison.test.z,
                "p_value": comparison.test.p_value,
                "direction": comparison.direction,
                "phrase": national_phrase(
                    comparison.direction, figure.percent, figure.fieldwork_text
                ),
                "_figure": figure,
            }
        )
    columns = [
        "wave",
        "item",
        "label",
        "percent",
        "lower",
        "upper",
        "national_percent",
        "national_fieldwork",
        "national_source",
        "difference_points",
        "z",
        "p_value",
        "direction",
        "phrase",
        "_figure",
    ]
    return pd.DataFrame(rows, columns=columns)


def _findings(
    estimates: pd.DataFrame,
    changes: pd.DataFrame,
    national: pd.DataFrame,
    waves: Sequence[WaveInput],
    weighting_rows: list[dict[str, object]],
    codebook: Codebook,
) -> list[Figure]:
    findings = []
    method = {row["wave"]: row["method"] for row in weighting_rows}
    for wave in reversed(waves):
        for row in estimates[estimates["wave"] == wave.label].to_dict("records"):
            item = LGA_ITEM_BY_ID[row["item"]]
            if np.isnan(row["percent"]):
                continue
            clauses = []
            comparator = None
            match = national[(national["wave"] == wave.label) & (national["item"] == row["item"])]
            if not match.empty:
                figure: NationalFigure = match.iloc[0]["_figure"]
                clauses.append(match.iloc[0]["phrase"])
                comparator = ComparatorSummary(
                    group=f"National LGA polling: {item.label.lower()}",
                    definition=figure.source,
                    vintage=figure.fieldwork,
                    value=figure.percent,
                    # above / below only when the difference is significant, else similar.
                    position=match.iloc[0]["direction"],
                )
            change = changes[(changes["wave"] == wave.label) & (changes["item"] == row["item"])]
            if not change.empty:
                clauses.append(change.iloc[0]["phrase"])
            text = (
                f"In {wave.label}, {percent_text(row['percent'])} of residents {item.description} "
                f"({_base_text(row)})"
            )
            if clauses:
                text += ": " + "; ".join(clauses)
            findings.append(
                Figure(
                    id=f"residents.{row['item']}.{wave.label}",
                    label=item.label,
                    value=float(row["percent"]),
                    unit="percent",
                    period=wave.label,
                    source=f"{codebook.title}, {wave.label} ({method[wave.label]})",
                    comparator=comparator,
                    note=_base_text(row),
                    sentence=text + ".",
                    base=int(row["base_unweighted"]),
                    effective_base=float(row["base_effective"]),
                    interval_lower=float(row["lower"]),
                    interval_upper=float(row["upper"]),
                    decimals=SURVEY_DECIMALS,
                )
            )
    return findings
