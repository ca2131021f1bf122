"""Narrative blocks of the finance report: summary, method, definitions, gaps.

Each function returns Markdown (or an HTML table) for the notebook to display,
so the notebook holds no wording of its own. The Markdown is built with
:func:`councilpack.markup.md`: council names, group labels and sentences are
escaped, so no text from the register or the data becomes markup.
"""

from __future__ import annotations

from typing import Any

from councilpack.charts import data_table_html
from councilpack.finance.analysis import FinanceAnalysis
from councilpack.finance.findings import group_phrase
from councilpack.finance.indicators import NOT_DRAWING_DOWN, unsupported_indicators
from councilpack.markup import Markdown, bullets, join, md

SPENDING: tuple[str, ...] = (
    "nre",
    "nre_per_head",
    "council_tax_requirement_pct_nre",
    "social_care_ratio",
    "children_social_care_per_child",
    "adult_social_care_per_adult",
)
RESERVES: tuple[str, ...] = (
    "unallocated_reserves_pct_nre",
    "earmarked_reserves_pct_nre",
    "total_reserves_pct_nre",
    "reserves_change_3yr",
    "reserves_sustainability",
)
#: Indicators whose findings open the report.
SUMMARY: tuple[str, ...] = (
    "unallocated_reserves_pct_nre",
    "total_reserves_pct_nre",
    "reserves_sustainability",
    "social_care_ratio",
    "council_tax_requirement_pct_nre",
    "nre_per_head",
)
SOURCE_NAMES = {
    "demo": "councilpack demo generator (fictional figures)",
    "mhclg_rs": "MHCLG Revenue Outturn Summary (RS), individual local authority data",
    "ons_mye": "ONS mid-year population estimates, mid-2023",
}


def summary_markdown(analysis: FinanceAnalysis) -> Markdown:
    """Return where the council stands on the key indicators, as a bulleted list.

    Each line gives the position in words and points to the section that states
    the figure, so the report states each figure once.
    """
    group = analysis.primary
    lines = []
    for identifier in (i for i in SUMMARY if i in analysis.results):
        result = analysis.results[identifier]
        section = "Reserves" if identifier in RESERVES else "Spending"
        position = result.positions.get(group.kind) if group is not None else None
        if not result.available:
            where = f"not available ({result.reason})"
        elif result.status == NOT_DRAWING_DOWN:
            where = "the council was not drawing down its reserves"
        elif position is None or group is None:
            where = "no comparator group"
        elif position.position == "similar":
            where = f"similar to the median of {group_phrase(group)}"
        else:
            where = f"{position.position} the median of {group_phrase(group)}"
        lines.append(
            md(
                "**{}** ({}): {} ([{}](#{})).",
                result.spec.label,
                result.period,
                where,
                section,
                section,
            )
        )
    return bullets(lines)


def indicator_markdown(analysis: FinanceAnalysis, identifier: str) -> Markdown:
    """Return an indicator's heading line, finding, trend and caveats."""
    result = analysis.results[identifier]
    parts = [md("**{}.** {}", result.spec.label, analysis.findings([identifier])[0])]
    if result.travel_sentence:
        parts.append(md("{}", result.travel_sentence))
    if result.note and result.available:
        parts.append(md("Note: {}{}.", result.note[0].upper(), result.note[1:]))
    return join("\n\n", parts)


def position_heading(analysis: FinanceAnalysis, identifier: str) -> Markdown:
    """Return the bold line above an indicator's table of positions."""
    return md("**{}, {}**", analysis.results[identifier].spec.label, analysis.period)


def method_markdown(analysis: FinanceAnalysis, *, demo: bool) -> Markdown:
    """Return how the analysis was done: year, groups, conventions, tolerances."""
    council = analysis.council
    lines = [
        md(
            "Figures are for **{}** in the financial year **{}**, "
            "the latest year in the data with its net revenue expenditure.",
            council.name,
            analysis.period,
        )
    ]
    if demo:
        lines.append(
            Markdown("These are **fictional demo councils**; no figure describes a real council.")
        )
    if analysis.primary is not None:
        group = analysis.primary
        lines.append(
            md(
                "Findings compare the council with {} ({} councils including {}): {} ({}).",
                group_phrase(group),
                len(group.members),
                council.name,
                group.definition,
                group.vintage,
            )
        )
    others = [g for g in analysis.groups if g is not analysis.primary]
    if others:
        lines.append(
            md(
                "Its position in the other comparator groups is set out further down: {}.",
                "; ".join(f"{g.label} ({len(g.members)} councils)" for g in others),
            )
        )
    lines.append(
        Markdown(
            "Medians and quartiles include the council itself and only the councils with a "
            "figure; quartiles use linear interpolation. Ranks are read through each indicator's "
            "polarity (for reserves 'highest' is more resilient; for the social care ratio "
            "'lowest' is), and no composite score is calculated."
        )
    )
    tolerance = "; ".join(
        f"{r.spec.short_label}: {r.spec.tolerance_text()}" for r in analysis.results.values()
    )
    lines.append(md("'Similar to the median' means: {}.", tolerance))
    notes = {r.note for r in analysis.results.values() if r.note}
    if notes:
        lines.append(md("Per-head figures: {}.", "; ".join(sorted(notes))))
    return join("\n\n", lines)


def positions_html(analysis: FinanceAnalysis, identifier: str) -> Any:
    """Return the council's position in every comparator group as an HTML table."""
    from IPython.display import HTML

    result = analysis.results[identifier]
    table = analysis.positions_table(identifier)
    unit = result.spec.unit
    units = dict.fromkeys(("Lower quartile", "Median", "Upper quartile"), unit)
    units["Difference from median"] = "percentage points" if unit == "percent" else unit
    caption = f"{result.spec.label}: {analysis.council.name} in each comparator group"
    return HTML(data_table_html(table, caption, units))


def not_available_markdown(analysis: FinanceAnalysis) -> Markdown:
    """Return the indicators without a figure and those the data cannot support."""
    lines = [
        md("- **{}** ({}): not available, {}.", row.Indicator, row.Year, row.Reason)
        for row in analysis.not_available().itertuples(index=False)
    ]
    if not lines:
        lines.append(
            md(
                "- Every indicator has a figure for {} in {}.",
                analysis.council.name,
                analysis.period,
            )
        )
    lines.append(Markdown(""))
    lines.append(Markdown("Not supported by the data used here:"))
    lines.extend(md("- **{}**: {}", u.label, u.reason) for u in unsupported_indicators())
    return join("\n", lines)


def definitions_markdown(analysis: FinanceAnalysis) -> Markdown:
    """Return each indicator's definition, unit and polarity."""
    polarity = {
        "higher_is_better": "higher is more resilient",
        "lower_is_better": "lower is more resilient",
        "neutral": "neither higher nor lower is better",
    }
    return join(
        "\n",
        (
            md("- **{}** ({}): {}", r.spec.label, polarity[r.spec.polarity], r.spec.definition)
            for r in analysis.results.values()
        ),
    )


def sources(analysis: FinanceAnalysis, *, demo: bool) -> list[str]:
    """Return the sources named in the report footer."""
    if demo:
        return [SOURCE_NAMES["demo"]]
    names = [SOURCE_NAMES["mhclg_rs"], SOURCE_NAMES["ons_mye"]]
    names.extend(f"Comparator group: {g.label} ({g.vintage})" for g in analysis.groups)
    return names


def data_vintage(analysis: FinanceAnalysis) -> str:
    """Return the data vintage line of the footer."""
    group = analysis.primary.label if analysis.primary else "none"
    return f"finance {analysis.period}; population mid-2023; comparator group: {group}"
