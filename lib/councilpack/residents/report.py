"""Glue between a report session and the residents' analysis: inputs in, figures out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councilpack.markup import Markdown, bullets
from councilpack.residents.analysis import ResidentsAnalysis, WaveInput, analyse_residents
from councilpack.residents.margins import age_margins_from_metrics
from councilpack.session import ReportSession
from councilpack.surveys.folder import SurveyFolder
from councilpack.wording import (
    ROUNDING_NOTE,
    glossary_markdown,
    natural_key,
    plain_label,
    round_half_up,
)


def survey_folder(session: ReportSession, survey_dir: str) -> SurveyFolder:
    """Return the council's residents' survey folder (the demo survey when ``survey_dir`` is empty)."""
    return session.survey_folder("residents", survey_dir)


def analyse_for_council(
    session: ReportSession, folder: SurveyFolder, national_table: str = "", minimum_base: int = 100
) -> ResidentsAnalysis:
    """Analyse a council's waves, raked to its ONS age margins when unweighted."""
    waves = [
        WaveInput(wave.label, wave.fieldwork, folder.path(wave.file), wave.sheet)
        for wave in folder.waves
    ]
    margins = {"age_band": age_margins_from_metrics(session.data.metrics, session.council.gss_code)}
    return analyse_residents(
        waves,
        folder.codebook_path,
        population_margins=margins,
        national_table=Path(national_table) if national_table else None,
        minimum_base=minimum_base,
    )


def group_table(analysis: ResidentsAnalysis, wave: str) -> pd.DataFrame:
    """Return per cent positive by group in ``wave`` (shown groups only), for reading.

    One row per group and category with plain-English group names ("Age band",
    not ``age_band``), categories in natural order (25-34 before 100+), one
    column per item, whole per cent.
    """
    breakdowns = analysis.breakdowns
    shown = breakdowns[(breakdowns["wave"] == wave) & breakdowns["shown"]]
    table = shown.pivot_table(index=["group", "category"], columns="label", values="percent")
    table = table.reset_index()
    table["group"] = table["group"].map(plain_label)
    order = sorted(
        range(len(table)),
        key=lambda i: (str(table.at[i, "group"]), natural_key(str(table.at[i, "category"]))),
    )
    table = table.iloc[order].reset_index(drop=True)
    table.columns.name = None
    numbers = [c for c in table.columns if c not in ("group", "category")]
    table[numbers] = table[numbers].map(lambda v: round_half_up(float(v)))
    return table


def weighting_table(analysis: ResidentsAnalysis) -> pd.DataFrame:
    """Return each wave's weighting method, respondents, effective base and design effect."""
    return analysis.weighting[["wave", "method", "respondents", "base_effective", "design_effect"]]


#: Terms the residents' report uses, explained in its glossary.
GLOSSARY_TERMS: tuple[str, ...] = (
    "per cent positive",
    "95 per cent confidence interval",
    "statistically significant",
    "percentage point",
    "effective base",
    "design effect",
)


def method_notes(analysis: ResidentsAnalysis) -> Markdown:
    """Return the method notes (analysis notes and the rounding rule) as a Markdown list."""
    return bullets([*analysis.notes, ROUNDING_NOTE])


def glossary(terms: tuple[str, ...] = GLOSSARY_TERMS) -> Markdown:
    """Return the report's glossary as a Markdown list."""
    return glossary_markdown(terms)
