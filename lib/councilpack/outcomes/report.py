"""Narrative blocks and charts of the outcomes report, ready for the notebook to display.

The notebook holds no wording or plumbing of its own: each cell calls one
function here and shows its result. Markdown is built with
:func:`councilpack.markup.md`: council names, group labels, definitions and
reasons are escaped, so no text from the register or the data becomes markup.

The module meets the report contract
(:class:`councilpack.reporting.ReportModule` of
:class:`~councilpack.outcomes.analysis.OutcomesAnalysis`): :data:`SECTIONS`,
:func:`summary_markdown`, :func:`method_markdown`, :func:`figures`,
:func:`sources` and :func:`data_vintage`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from councilpack.charts import ChartResult, comparator_bar, data_table_html, show_each
from councilpack.charts.specs import SpecChartResult, comparator_bar_spec, trend_with_band_spec
from councilpack.charts.trends import trend_with_band
from councilpack.figures import Figure
from councilpack.finance.charts import (
    active_title,
    bar_chart_arguments,
    comparator_table,
    trend_table,
)
from councilpack.finance.findings import format_indicator
from councilpack.finance.report_text import (
    DEMO_NOTE,
    DEMO_SOURCE,
    group_description,
    group_with_vintage,
    open_data_sources,
)
from councilpack.markup import Markdown, bullets, join, md
from councilpack.markup import show as show_markdown
from councilpack.outcomes.analysis import MIN_OTHERS, OutcomesAnalysis
from councilpack.reporting import Section
from councilpack.vocabulary import Polarity

SOURCE_NAMES = {
    "demo": DEMO_SOURCE,
    "dft_roads": "DfT road condition statistics, table RDC0120 (last updated 21 January 2026)",
    "defra_env18": "Defra local authority collected waste statistics (ENV18), Table 3",
    "oflog_asc": "Oflog Local Authority Data Explorer, adult social care measures",
}
#: The report's sections, in the order the notebook shows them (measures are shown by theme).
SECTIONS: tuple[Section, ...] = (
    Section("Summary"),
    Section("About this analysis"),
    Section("Outcomes by theme"),
    Section("All measures at a glance"),
    Section("Figures not available"),
    Section("Sources and definitions"),
)
POLARITY: dict[Polarity, str] = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neither higher nor lower is better",
}


def summary_markdown(analysis: OutcomesAnalysis) -> Markdown:
    """Return one bullet per measure the council has a figure for."""
    lines = [r.sentence for r in analysis.results.values() if r.available and r.sentence.strip()]
    if not lines:
        return md("- No outcome measure has a figure for {}.", analysis.council.name)
    return bullets(lines)


def method_markdown(analysis: OutcomesAnalysis, *, demo: bool) -> Markdown:
    """Return how the comparisons were made: groups, like with like, conventions."""
    council = analysis.council
    lines: list[Markdown] = []
    if demo:
        lines.append(DEMO_NOTE)
    if analysis.primary is not None:
        description = group_description(analysis.primary, council.name)
        lines.append(md("Each measure compares **{}** with {}.", council.name, description))
    lines.append(
        md(
            "Like is compared with like: only councils that run the service count (highway "
            "authorities for roads; upper-tier councils for adult social care), and for waste "
            "only councils in the same waste role that year (collection authority, unitary, or "
            "disposal authority), because their figures measure different things. Where fewer "
            "than {} other councils of the group have a figure, the comparison uses every "
            "English council of the same kind instead; each finding names the group it uses.",
            MIN_OTHERS,
        )
    )
    lines.append(
        md(
            "Medians and quartiles include the council and only councils with a figure; "
            "quartiles use linear interpolation. Ranks are read through each measure's polarity "
            "(1st is the most favourable). Direction of travel compares the latest year with "
            "three years earlier. No composite score is calculated."
        )
    )
    return join("\n\n", lines)


def measure_markdown(analysis: OutcomesAnalysis, identifier: str) -> Markdown:
    """Return a measure's heading, finding, trend and the group it was compared with."""
    result = analysis.results[identifier]
    parts = [md("**{}.** {}", result.spec.indicator.label, result.sentence)]
    if result.travel_sentence:
        parts.append(md("{}", result.travel_sentence))
    if result.group is not None:
        parts.append(md("Comparator group: {}. {}.", result.group.label, result.group.definition))
    return join("\n\n", parts)


def comparator_chart(analysis: OutcomesAnalysis, identifier: str) -> ChartResult | None:
    """Bar chart of one measure across its comparator group, the council highlighted."""
    result = analysis.results[identifier]
    if result.group is None or result.group_values.empty or result.value is None:
        return None
    indicator = result.spec.indicator
    position = result.position
    frame, bar_arguments = bar_chart_arguments(
        result.group_values,
        analysis.council.gss_code,
        active_title(indicator.short_label + ",", result.period),
        indicator.unit,
        position.median if position else None,
    )
    table = comparator_table(frame, analysis.council.gss_code, indicator.short_label)
    return SpecChartResult(
        comparator_bar_spec(frame, **bar_arguments),
        partial(comparator_bar, frame, **bar_arguments),
        result.sentence,
        table,
        f"{indicator.label}, {result.group.label}, {result.period} (alphabetical)",
        {indicator.short_label: indicator.unit},
    )


def trend_chart(analysis: OutcomesAnalysis, identifier: str) -> ChartResult | None:
    """Line chart of the council's figure over time, with its group's median and quartiles."""
    result = analysis.results[identifier]
    trend = result.trend.dropna(subset=["median"])
    if result.value is None or len(trend) < 2 or result.group is None:
        return None
    indicator = result.spec.indicator
    trend = trend.tail(8).reset_index(drop=True)
    trend_arguments: dict[str, Any] = {
        "title": active_title(
            indicator.short_label + ",", f"{trend['period'].iloc[0]} to {result.period}"
        ),
        "unit": indicator.unit,
        "council_label": analysis.council.name,
        "group_label": result.group.label,
    }
    missing = trend.loc[trend["council"].isna(), "period"].tolist()
    parts = [
        result.travel_sentence
        or (
            f"{indicator.label} for {analysis.council.name} from {trend['period'].iloc[0]} to "
            f"{trend['period'].iloc[-1]}, latest {format_indicator(result.value, indicator)}."
        )
    ]
    if missing:
        parts.append(f"{analysis.council.name} has no figure for {', '.join(missing)}.")
    parts.append("The shaded band is the middle half of the group (quartiles).")
    table, units = trend_table(trend, analysis.council.name, indicator.unit)
    return SpecChartResult(
        trend_with_band_spec(trend, **trend_arguments),
        partial(trend_with_band, trend, **trend_arguments),
        " ".join(parts),
        table,
        f"{indicator.label}: {analysis.council.name} and {result.group.label}",
        units,
    )


def theme_heading(theme: str) -> Markdown:
    """Return a theme's heading (the theme name comes from the catalogue, escaped)."""
    return md("### {}", theme)


def show_theme(analysis: OutcomesAnalysis, theme: str) -> None:
    """Display every measure of one theme: finding, comparator chart and trend chart."""
    show_each(analysis, analysis.in_theme(theme), measure_markdown, comparator_chart, trend_chart)


def show_themes(analysis: OutcomesAnalysis) -> None:
    """Display every theme in order: its heading, then its measures (:func:`show_theme`)."""
    for theme in analysis.themes:
        show_markdown(theme_heading(theme))
        show_theme(analysis, theme)


def not_available_markdown(analysis: OutcomesAnalysis) -> Markdown:
    """Return the measures without a figure for the council, with the reason."""
    lines = [
        md("- **{}** ({}): not available, {}.", row.Measure, row.Year, row.Reason)
        for row in analysis.not_available().itertuples(index=False)
    ]
    if not lines:
        return md("- Every outcome measure has a figure for {}.", analysis.council.name)
    return join("\n", lines)


def definitions_markdown(analysis: OutcomesAnalysis) -> Markdown:
    """Return each measure's definition, polarity and who provides the service."""
    lines = []
    for result in analysis.results.values():
        spec = result.spec
        indicator = spec.indicator
        lines.append(
            md(
                "- **{}** ({}; provided by {}): {}",
                indicator.label,
                POLARITY[indicator.polarity],
                ", ".join(t.lower() for t in spec.applies_to),
                indicator.definition,
            )
        )
    return join("\n", lines)


def figures(analysis: OutcomesAnalysis) -> list[Figure]:
    """Return the headline figures published to the sidecar: every figure behind a sentence."""
    return analysis.figures


def sources(analysis: OutcomesAnalysis, *, demo: bool) -> list[str]:
    """Return the sources named in the report footer."""
    used = dict.fromkeys(r.spec.indicator.source for r in analysis.results.values())
    groups = [analysis.primary] if analysis.primary is not None else []
    return open_data_sources((SOURCE_NAMES.get(s, s) for s in used), groups, demo=demo)


def data_vintage(analysis: OutcomesAnalysis) -> str:
    """Return the data vintage line of the header and footer: each theme's latest years.

    One entry a theme ("Highways 2024-25; Adult social care 2021-22, 2022-23"), not one
    a measure: the line is also printed at the foot of every page, and eleven measures
    named one by one ran past it. Each measure's own year is in its sentence and in the
    table of all measures.
    """
    years = "; ".join(
        f"{theme} {', '.join(periods)}"
        for theme in analysis.themes
        if (
            periods := sorted(
                {r.period for k in analysis.in_theme(theme) if (r := analysis.results[k]).period}
            )
        )
    )
    return f"{years}; comparator group: {group_with_vintage(analysis.primary)}"


def overview_table(analysis: OutcomesAnalysis) -> Any:
    """Return every measure's figure, year, group and rank as an HTML table."""
    from IPython.display import HTML

    table = analysis.table()
    return HTML(data_table_html(table, f"Outcome measures for {analysis.council.name}", None))
