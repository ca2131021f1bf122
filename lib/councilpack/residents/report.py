"""Glue between a report session and the residents' analysis: inputs in, figures out.

The module meets the report contract
(:class:`councilpack.reporting.ReportModule` of
:class:`~councilpack.residents.analysis.ResidentsAnalysis`): :data:`SECTIONS`,
:func:`summary_markdown`, :func:`method_markdown`, :func:`figures`,
:func:`sources` and :func:`data_vintage`. The analysis itself is
:func:`councilpack.residents.analyse`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from councilpack import charts
from councilpack.figures import Figure
from councilpack.markup import Markdown, bullets
from councilpack.reporting import Section
from councilpack.residents.analysis import ResidentsAnalysis
from councilpack.residents.charts import trend_chart
from councilpack.session import ReportSession
from councilpack.surveys.folder import SurveyFolder
from councilpack.wording import (
    ROUNDING_NOTE,
    SURVEY_DECIMALS,
    SURVEY_ROUNDING_NOTE,
    glossary_markdown,
    natural_key,
    plain_label,
)

#: The report's sections, in the order the notebook shows them.
SECTIONS: tuple[Section, ...] = (
    Section("Summary"),
    Section("Against the national figures"),
    Section("Trends since the first wave"),
    Section("Results by group"),
    Section("Method"),
    Section("Glossary"),
)


def survey_folder(session: ReportSession, survey_dir: str) -> SurveyFolder:
    """Return the council's residents' survey folder (the demo survey when ``survey_dir`` is empty)."""
    return session.survey_folder("residents", survey_dir)


def summary_markdown(analysis: ResidentsAnalysis) -> Markdown:
    """Return the latest wave's findings as a bulleted list."""
    latest = analysis.waves[-1]
    return bullets(finding.sentence for finding in analysis.findings if finding.period == latest)


def figures(analysis: ResidentsAnalysis) -> list[Figure]:
    """Return the headline figures published to the sidecar: every finding, every wave."""
    return list(analysis.findings)


def show_trends(analysis: ResidentsAnalysis) -> None:
    """Display each item's trend chart over the waves (:func:`~councilpack.residents.trend_chart`)."""
    for item in analysis.estimates["item"].unique():
        charts.show(trend_chart(analysis, item))


def group_table(analysis: ResidentsAnalysis, wave: str) -> pd.DataFrame:
    """Return per cent positive by group in ``wave`` (shown groups only), for reading.

    One row per group and category with plain-English group names ("Age band",
    not ``age_band``), categories in natural order (25-34 before 100+), one
    column per item, per cent unrounded (:func:`group_table_html` prints it
    whole, :data:`~councilpack.wording.SURVEY_DECIMALS`).
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
    return table


def group_table_html(analysis: ResidentsAnalysis, wave: str | None = None) -> Any:
    """Return :func:`group_table` as an accessible HTML table (the latest wave by default).

    Per cent positive is printed whole (:data:`~councilpack.wording.SURVEY_DECIMALS`)
    through the one rounding path, :func:`councilpack.wording.format_number`.
    """
    from IPython.display import HTML

    wave = analysis.waves[-1] if wave is None else wave
    table = group_table(analysis, wave)
    items = {str(c): SURVEY_DECIMALS for c in table.columns if c not in ("group", "category")}
    caption = f"Per cent positive by group, {wave}"
    return HTML(charts.data_table_html(table, caption, decimals=items))


def weighting_table(analysis: ResidentsAnalysis) -> pd.DataFrame:
    """Return each wave's weighting method, respondents, effective base and design effect."""
    return analysis.weighting[["wave", "method", "respondents", "base_effective", "design_effect"]]


def weighting_table_html(analysis: ResidentsAnalysis) -> Any:
    """Return :func:`weighting_table` as an accessible HTML table."""
    from IPython.display import HTML

    weighting = weighting_table(analysis)
    return HTML(charts.data_table_html(weighting, "Weighting and effective base by wave"))


#: Terms the residents' report uses, explained in its glossary.
GLOSSARY_TERMS: tuple[str, ...] = (
    "per cent positive",
    "95 per cent confidence interval",
    "statistically significant",
    "percentage point",
    "effective base",
    "design effect",
)


def method_markdown(analysis: ResidentsAnalysis, *, demo: bool) -> Markdown:
    """Return the method notes (analysis notes and the rounding rule) as a Markdown list.

    ``demo`` (part of the report contract) changes nothing here: the notes
    describe the survey as analysed, demo or not.
    """
    return bullets([*analysis.notes, f"{ROUNDING_NOTE} {SURVEY_ROUNDING_NOTE}"])


def sources(analysis: ResidentsAnalysis, *, demo: bool) -> list[str]:
    """Return the sources named in the report footer: the survey, the national polling, ONS.

    ``demo`` (part of the report contract) changes nothing here: the survey is
    named by its codebook's title, or else its folder's.
    """
    folder_title = analysis.folder.title if analysis.folder is not None else ""
    return [
        analysis.survey_title or folder_title,
        "LGA resident satisfaction polling (national figures, as dated in each comparison)",
        "ONS mid-year population estimates (weighting margins)",
    ]


def data_vintage(analysis: ResidentsAnalysis) -> str:
    """Return the data vintage line of the footer: the survey waves."""
    return f"survey waves {', '.join(analysis.waves)}"


def glossary(terms: tuple[str, ...] = GLOSSARY_TERMS) -> Markdown:
    """Return the report's glossary as a Markdown list."""
    return glossary_markdown(terms)
