"""The workforce report's sections: what the notebook shows, one call a cell.

The module meets the report contract (:class:`councilpack.reporting.ReportModule`):
``SECTIONS``, ``summary_markdown``, ``method_markdown``, ``figures``, ``sources``
and ``data_vintage`` for a :class:`~councilpack.workforce.analysis.WorkforceAnalysis`.
Each section function returns the blocks it shows, in order: Markdown,
tables (:class:`~councilpack.workforce.tables.Table`) and charts
(:class:`~councilpack.charts.ChartResult`); :func:`show`
displays them. The sections hold every word of the report, so the notebook
holds none of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeAlias

from councilpack import charts, markup
from councilpack.errors import ArgumentError
from councilpack.figures import Figure
from councilpack.markup import Markdown
from councilpack.reporting import Section
from councilpack.session import ReportSession
from councilpack.surveys.folder import SurveyFolder
from councilpack.wording import ROUNDING_NOTE, SURVEY_ROUNDING_NOTE, glossary_markdown
from councilpack.workforce import tables
from councilpack.workforce.analysis import WorkforceAnalysis
from councilpack.workforce.charts import group_gap_chart, item_trend_chart
from councilpack.workforce.tables import Table

#: The report's sections, in the order the notebook shows them.
SECTIONS: tuple[Section, ...] = (
    Section("Summary"),
    Section("Response rates"),
    Section("Engagement index items"),
    Section("Every item and theme"),
    Section("Changes since earlier waves"),
    Section("Experience of groups of staff"),
    Section("HR figures"),
    Section("Method"),
    Section("Glossary"),
)
#: What a section shows: Markdown, a table or a chart.
Block: TypeAlias = Markdown | Table | charts.ChartResult

#: Terms the workforce report uses, explained in its glossary.
GLOSSARY_TERMS: tuple[str, ...] = (
    "per cent positive",
    "percentage point",
    "statistically significant",
    "employee Net Promoter Score (eNPS)",
)
#: How per cent positive is worked out, for the method.
PER_CENT_POSITIVE_NOTE = (
    "Per cent positive: share of respondents who answered the question (including "
    "'don't know') giving a positive answer; unanswered questions are left out of the base."
)
#: How changes and gaps are tested, for the method.
SIGNIFICANCE_NOTE = (
    "Significance: two-proportion z-tests at the 5 per cent level; 95 per cent "
    "confidence intervals are given in the chart tables."
)
#: Group gaps worded in the groups section; the rest are in its tables.
WIDEST_GAPS = 8

__all__ = [
    "GLOSSARY_TERMS",
    "PER_CENT_POSITIVE_NOTE",
    "SECTIONS",
    "SIGNIFICANCE_NOTE",
    "WIDEST_GAPS",
    "Block",
    "changes",
    "data_vintage",
    "engagement_items",
    "figures",
    "gap_lines",
    "gap_size",
    "glossary",
    "groups",
    "hr_figures",
    "items_and_themes",
    "method_markdown",
    "response_rates",
    "show",
    "sources",
    "summary_markdown",
    "survey_folder",
    "widest_gaps",
]


def survey_folder(session: ReportSession, survey_dir: str) -> SurveyFolder:
    """Return the council's staff survey folder (the demo survey when ``survey_dir`` is empty)."""
    return session.survey_folder("staff", survey_dir)


def show(blocks: Iterable[Block]) -> None:
    """Display a section's blocks in order.

    Markdown through :func:`councilpack.markup.show`, tables as accessible
    HTML, charts through :func:`councilpack.charts.show` with their
    description and data table.
    """
    from IPython.display import HTML, display

    for block in blocks:
        if isinstance(block, Table):
            display(HTML(block.html()))
        elif isinstance(block, charts.ChartResult):
            charts.show(block)
        else:
            markup.show(block)


def summary_markdown(analysis: WorkforceAnalysis) -> Markdown:
    """Return the summary: one bullet per summary finding's sentence.

    The findings are :attr:`WorkforceAnalysis.summary_findings` (the latest
    response rate, every item, eNPS and HR figure).
    """
    return markup.bullets(finding.sentence for finding in analysis.summary_findings)


def response_rates(analysis: WorkforceAnalysis) -> list[Block]:
    """Return respondents and response rates by wave (and by headcount group)."""
    return list(tables.response_tables(analysis))


def engagement_items(analysis: WorkforceAnalysis) -> list[Block]:
    """Return the trend chart of the engagement index items, or say the survey lacks them."""
    engagement = analysis.codebook.workforce.engagement_index
    if not engagement:
        return [markup.escape("The survey does not ask the engagement index items.")]
    return [
        item_trend_chart(analysis, items=engagement, title="Engagement index items, by survey wave")
    ]


def items_and_themes(analysis: WorkforceAnalysis) -> list[Block]:
    """Return the trend chart of the items outside the engagement index, and the theme table."""
    engagement = analysis.codebook.workforce.engagement_index
    others = [item for item in analysis.codebook.item_ids if item not in engagement]
    blocks: list[Block] = []
    if others:
        blocks.append(item_trend_chart(analysis, items=others, title="Other items, by survey wave"))
    blocks.append(tables.theme_table(analysis))
    return blocks


def changes(analysis: WorkforceAnalysis) -> list[Block]:
    """Return the changes table (or why there is none) and the eNPS table when there is one."""
    table = tables.changes_table(analysis)
    blocks: list[Block] = [
        table
        if table is not None
        else markup.escape("There is only one wave, so no changes can be shown.")
    ]
    enps = tables.enps_table(analysis)
    if enps is not None:
        blocks.append(enps)
    return blocks


def gap_size(finding: Figure) -> float:
    """Return the size of a group gap in percentage points, whatever its sign.

    >>> from councilpack.figures import ComparatorSummary
    >>> gap = Figure(id="g", label="g", value=52.0, unit="percent", period="2024",
    ...              source="s", comparator=ComparatorSummary(group="All staff", value=61.5))
    >>> gap_size(gap)
    9.5

    Raises
    ------
    councilpack.errors.ArgumentError
        A finding without a value or a comparator value.
    """
    if finding.value is None or finding.comparator is None or finding.comparator.value is None:
        raise ArgumentError(f"finding {finding.id!r}: a gap needs a value and a comparator value")
    return abs(finding.value - finding.comparator.value)


def widest_gaps(gaps: Sequence[Figure], limit: int = WIDEST_GAPS) -> list[Figure]:
    """Return the ``limit`` widest gaps, widest first; equal gaps keep their order."""
    return sorted(gaps, key=lambda finding: -gap_size(finding))[:limit]


def gap_lines(gaps: Sequence[Figure], limit: int = WIDEST_GAPS) -> list[str]:
    """Return the sentences of the ``limit`` widest group gaps, and how many more there are.

    Parameters
    ----------
    gaps
        Significant group gaps (:attr:`WorkforceFindings.gaps`).
    limit
        Most gaps worded; the rest are counted.

    Returns
    -------
    list of str
        Empty when there are no gaps.
    """
    widest = widest_gaps(gaps, limit)
    lines = [finding.sentence for finding in widest]
    if len(gaps) > len(widest):
        lines.append(f"{len(gaps) - len(widest)} smaller significant gaps are in the tables below.")
    return lines


def groups(analysis: WorkforceAnalysis) -> list[Block]:
    """Return the groups section: the widest gaps in words, then a table per group variable.

    The headcount group's table follows a chart of the first item's gaps.
    """
    lines = gap_lines(analysis.by_kind.gaps)
    blocks: list[Block] = [
        markup.bullets(lines)
        if lines
        else markup.escape("No group differed significantly from all staff in the latest wave.")
    ]
    headline = analysis.codebook.item_ids[0]
    for group in tables.group_tables(analysis):
        blocks.append(markup.md("### {}", group.name))
        if group.variable == analysis.codebook.workforce.headcount_group:
            blocks.append(group_gap_chart(analysis, headline, group.variable))
        blocks.append(group.table)
    return blocks


def hr_figures(analysis: WorkforceAnalysis) -> list[Block]:
    """Return the HR figures table, or say that none were supplied."""
    table = tables.hr_table(analysis)
    if table is None:
        return [markup.escape("No HR figures were supplied with this survey.")]
    return [table]


def method_markdown(analysis: WorkforceAnalysis, *, demo: bool) -> Markdown:
    """Return the method: source and waves, per cent positive, disclosure, tests, rounding.

    ``demo`` (the contract's) changes nothing: the source line names the demo
    survey's own title, which says it is synthetic.
    """
    disclosure = (
        f"Disclosure control: no figure rests on fewer than {analysis.threshold} "
        "respondents, and further cells are withheld where a hidden figure could otherwise "
        "be worked out by subtraction (from totals, other groups, other waves or other "
        "tables of the same group)."
    )
    return markup.bullets(
        [
            markup.md("Source: {}; waves {}.", analysis.title, ", ".join(analysis.waves)),
            PER_CENT_POSITIVE_NOTE,
            disclosure,
            SIGNIFICANCE_NOTE,
            f"Rounding: {ROUNDING_NOTE} {SURVEY_ROUNDING_NOTE}",
        ]
    )


def glossary(terms: tuple[str, ...] = GLOSSARY_TERMS) -> Markdown:
    """Return the report's glossary as a Markdown list."""
    return glossary_markdown(terms)


def figures(analysis: WorkforceAnalysis) -> list[Figure]:
    """Return the figures published to the sidecar: every finding, in report order."""
    return list(analysis.findings)


def sources(analysis: WorkforceAnalysis, *, demo: bool) -> list[str]:
    """Return the report's sources: the survey, and the HR figures' source when supplied.

    ``demo`` (the contract's) changes nothing: the demo survey's title says it
    is synthetic.
    """
    hr = analysis.hr
    return [analysis.title] + ([str(hr["source"].iloc[0])] if not hr.empty else [])


def data_vintage(analysis: WorkforceAnalysis) -> str:
    """Return the waves the report rests on (``staff survey waves 2022, 2023, 2024``)."""
    return f"staff survey waves {', '.join(analysis.waves)}"
