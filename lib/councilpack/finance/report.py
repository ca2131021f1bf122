"""Narrative blocks of the finance report: summary, method, definitions, gaps.

Each function returns Markdown (or an HTML table) for the notebook to display,
so the notebook holds no wording of its own.
"""

from __future__ import annotations

from typing import Any

from councilpack.charts import data_table_html
from councilpack.finance.analysis import FinanceAnalysis
from councilpack.finance.findings import group_phrase
from councilpack.finance.indicators import NOT_DRAWING_DOWN, unsupported_indicators

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


def summary_markdown(analysis: FinanceAnalysis) -> str:
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
            f"- **{result.spec.label}** ({result.period}): {where} ([{section}](#{section}))."
        )
    return "\n".join(lines)


def indicator_markdown(analysis: FinanceAnalysis, identifier: str) -> str:
    """Return an indicator's heading line, finding, trend and caveats."""
    result = analysis.results[identifier]
    parts = [f"**{result.spec.label}.** {analysis.findings([identifier])[0]}"]
    if result.travel_sentence:
        parts.append(result.travel_sentence)
    if result.note and result.available:
        parts.append(f"Note: {result.note[0].upper()}{result.note[1:]}.")
    return "\n\n".join(parts)


def method_markdown(analysis: FinanceAnalysis, *, demo: bool) -> str:
    """Return how the analysis was done: year, groups, conventions, tolerances."""
    council = analysis.council
    lines = [
        (
            f"Figures are for **{council.name}** in the financial year **{analysis.period}**, "
            "the latest year in the data with its net revenue expenditure."
        )
    ]
    if demo:
        lines.append("These are **fictional demo councils**; no figure describes a real council.")
    if analysis.primary is not None:
        group = analysis.primary
        lines.append(
            f"Findings compare the council with {group_phrase(group)} "
            f"({len(group.members)} councils including {council.name}): {group.definition} "
            f"({group.vintage})."
        )
    others = [g for g in analysis.groups if g is not analysis.primary]
    if others:
        lines.append(
            "Its position in the other comparator groups is set out further down: "
            + "; ".join(f"{g.label} ({len(g.members)} councils)" for g in others)
            + "."
        )
    lines.append(
        "Medians and quartiles include the council itself and only the councils with a "
        "figure; quartiles use linear interpolation. Ranks are read through each indicator's "
        "polarity (for reserves 'highest' is more resilient; for the social care ratio "
        "'lowest' is), and no composite score is calculated."
    )
    tolerance = "; ".join(
        f"{r.spec.short_label}: {r.spec.tolerance_text()}" for r in analysis.results.values()
    )
    lines.append(f"'Similar to the median' means: {tolerance}.")
    notes = {r.note for r in analysis.results.values() if r.note}
    if notes:
        lines.append("Per-head figures: " + "; ".join(sorted(notes)) + ".")
    return "\n\n".join(lines)


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


def not_available_markdown(analysis: FinanceAnalysis) -> str:
    """Return the indicators without a figure and those the data cannot support."""
    lines = [
        f"- **{row.Indicator}** ({row.Year}): not available, {row.Reason}."
        for row in analysis.not_available().itertuples(index=False)
    ]
    if not lines:
        lines.append(
            f"- Every indicator has a figure for {analysis.council.name} in {analysis.period}."
        )
    lines.append("")
    lines.append("Not supported by the data used here:")
    lines.extend(f"- **{u.label}**: {u.reason}" for u in unsupported_indicators())
    return "\n".join(lines)


def definitions_markdown(analysis: FinanceAnalysis) -> str:
    """Return each indicator's definition, unit and polarity."""
    polarity = {
        "higher_is_better": "higher is more resilient",
        "lower_is_better": "lower is more resilient",
        "neutral": "neither higher nor lower is better",
    }
    return "\n".join(
        f"- **{r.spec.label}** ({polarity[r.spec.polarity]}): {r.spec.definition}"
        for r in analysis.results.values()
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
