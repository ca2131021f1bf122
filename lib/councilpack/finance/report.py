"""Narrative blocks of the finance report: summary, method, definitions, gaps.

Each function returns Markdown (or an HTML table) for the notebook to display,
so the notebook holds no wording of its own. The Markdown is built with
:func:`councilpack.markup.md`: council names, group labels and sentences are
escaped, so no text from the register or the data becomes markup.

The module meets the report contract
(:class:`councilpack.reporting.ReportModule` of
:class:`~councilpack.finance.analysis.FinanceAnalysis`): :data:`SECTIONS`,
:func:`summary_markdown`, :func:`method_markdown`, :func:`figures`,
:func:`sources` and :func:`data_vintage`.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from councilpack.charts import data_table_html, show_each
from councilpack.figures import Figure
from councilpack.finance.analysis import FinanceAnalysis
from councilpack.finance.charts import comparator_chart, trend_chart
from councilpack.finance.indicators import unsupported_indicators
from councilpack.finance.report_text import (
    DEMO_NOTE,
    DEMO_SOURCE,
    group_description,
    group_with_vintage,
    open_data_sources,
)
from councilpack.markup import Markdown, bullets, join, md
from councilpack.reporting import Section
from councilpack.wording import ROUNDING_NOTE, glossary_markdown

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
    "earmarked_budget_stabilisation_pct_nre",
    "earmarked_specific_risks_pct_nre",
    "earmarked_planned_spending_pct_nre",
)
#: Debt, commercial income and the schools deficit held off the books.
RISKS: tuple[str, ...] = (
    "dsg_deficit_pct_reserves",
    "interest_payable_pct_nre",
    "investment_property_income_pct_nre",
    "fees_charges_pct_service_expenditure",
)
#: Council tax levels (CTR tables).
COUNCIL_TAX: tuple[str, ...] = (
    "band_d_council_tax_level",
    "band_d_change_1yr",
    "band_d_change_5yr",
    "asc_precept_pct_ctr",
)
#: Net current expenditure per head by service (RSX).
SERVICES: tuple[str, ...] = (
    "service_spend_per_head_adult_social_care",
    "service_spend_per_head_children_social_care",
    "service_spend_per_head_education",
    "service_spend_per_head_public_health",
    "service_spend_per_head_highways_transport",
    "service_spend_per_head_housing_gfra",
    "service_spend_per_head_cultural",
    "service_spend_per_head_environmental_regulatory",
    "service_spend_per_head_planning_development",
    "service_spend_per_head_central_services",
)
#: Indicators whose findings open the report.
SUMMARY: tuple[str, ...] = (
    "unallocated_reserves_pct_nre",
    "total_reserves_pct_nre",
    "reserves_sustainability",
    "dsg_deficit_pct_reserves",
    "social_care_ratio",
    "council_tax_requirement_pct_nre",
    "nre_per_head",
)
#: The report's sections, in the order the notebook shows them.
SECTIONS: tuple[Section, ...] = (
    Section("Summary", SUMMARY),
    Section("About this analysis"),
    Section("Spending", SPENDING),
    Section("Reserves", RESERVES),
    Section("Debt, commercial income and the schools deficit", RISKS),
    Section("Spending by service", SERVICES),
    Section("Council tax", COUNCIL_TAX),
    Section("Position against each comparator group"),
    Section("Figures not available"),
    Section("Glossary"),
    Section("Sources and definitions"),
)
#: Why a share of net revenue expenditure can be above 100 per cent, by indicator.
OVER_100_NOTES: dict[str, str] = {
    "council_tax_requirement_pct_nre": (
        "A council tax requirement above 100 per cent of net revenue expenditure can be "
        "right: NRE is spending after income from fees, charges and specific grants, while "
        "the council tax requirement also pays for what NRE leaves out, such as parish "
        "precepts collected by a billing council, contributions to reserves and capital "
        "financing, so for councils with small net spending (often districts) it can exceed NRE."
    ),
    "total_reserves_pct_nre": (
        "Reserves above 100 per cent of net revenue expenditure mean the council holds more "
        "in reserves than a year of its net spending on services."
    ),
    "earmarked_reserves_pct_nre": (
        "Earmarked reserves above 100 per cent of net revenue expenditure mean the council "
        "holds more set aside for particular purposes than a year of its net spending."
    ),
}
#: Terms the finance report uses, explained in its glossary.
GLOSSARY_TERMS: tuple[str, ...] = (
    "net revenue expenditure (NRE)",
    "unallocated reserves",
    "earmarked reserves",
    "comparator group",
    "median",
    "quartiles",
    "percentage point",
)
SOURCE_NAMES = {
    "demo": DEMO_SOURCE,
    "mhclg_rs": "MHCLG Revenue Outturn Summary (RS), individual local authority data, "
    "2010-11 to 2023-24",
    "mhclg_rsx": "MHCLG Revenue Outturn Service Expenditure Summary (RSX), individual local "
    "authority data, 2022-23 to 2024-25 (latest release staged)",
    "ons_mye": "ONS mid-year population estimates, mid-2011 to mid-2024 (2023 boundaries)",
    "mhclg_ctr": "MHCLG council tax levels set by local authorities in England, 2015-16 to "
    "2022-23 tables (ctr_1516.xlsx to ctr_2223.xlsx) and CTR Table 9 2023-24 "
    "(2015-16 to 2023-24; where two tables print a year, the later one)",
}
SOURCE_LABELS = {
    "mhclg_rs": "RS outturn",
    "mhclg_rsx": "RSX service spending",
    "mhclg_ctr": "CTR council tax levels",
}


def summary_markdown(analysis: FinanceAnalysis) -> Markdown:
    """Return where the council stands on the key indicators, as a bulleted list.

    Each line is the indicator's finding (figure, year, group median and rank),
    the sentence its section and the briefing state, and links to that section.
    """
    return bullets(summary_findings(analysis))


def section_of(identifier: str) -> str:
    """Return the heading of the section that states an indicator's figure and charts.

    Examples
    --------
    >>> section_of("dsg_deficit_pct_reserves")
    'Debt, commercial income and the schools deficit'
    """
    return next(s.heading for s in SECTIONS if s.figures is not SUMMARY and identifier in s.figures)


def section_anchor(heading: str) -> str:
    """Return the id the exported HTML gives a heading: its text with spaces as hyphens.

    Examples
    --------
    >>> section_anchor("Sources and definitions")
    'Sources-and-definitions'
    """
    return heading.replace(" ", "-")


def _finding_line(analysis: FinanceAnalysis, identifier: str) -> Markdown:
    """Return one indicator's summary line: its finding and a link to its section.

    The finding is :attr:`IndicatorResult.sentence`, worded by
    :func:`councilpack.finance.findings.position_sentence` (the sentence the
    section, the sidecar figure and the briefing give), without the money gap.
    """
    sentence = analysis.results[identifier].sentence.rstrip().removesuffix(".")
    section = section_of(identifier)
    return md("{} ([{}](#{})).", sentence, section, section_anchor(section))


def summary_findings(analysis: FinanceAnalysis) -> list[str]:
    """Return the summary's lines; indicators without a figure for one reason share one.

    An indicator with a figure reads its finding: figure, year, the group
    median and its rank. A council the data do not cover reads one sentence
    with the reason, not the same "not available" sentence once per indicator.
    """
    identifiers = [i for i in SUMMARY if i in analysis.results]
    found: list[str] = []
    missing: dict[str, list[str]] = {}
    for identifier in identifiers:
        result = analysis.results[identifier]
        if result.available:
            found.append(_finding_line(analysis, identifier))
        else:
            missing.setdefault(result.reason, []).append(identifier)
    for reason, group in missing.items():
        if len(group) == 1:
            found.extend(analysis.findings(group))
            continue
        labels = [analysis.results[i].spec.label for i in group]
        # Lower-case labels after the first, except ones opening with an acronym ("NRE ...").
        labels[1:] = [
            label if label[1:2].isupper() else label[0].lower() + label[1:] for label in labels[1:]
        ]
        listed = ", ".join(labels[:-1]) + f" and {labels[-1]}"
        found.append(f"{listed} are not available for {analysis.period}: {reason}.")
    return found


def indicator_markdown(analysis: FinanceAnalysis, identifier: str) -> Markdown:
    """Return an indicator's heading line, finding, trend and caveats."""
    result = analysis.results[identifier]
    parts = [md("**{}.** {}", result.spec.label, analysis.findings([identifier])[0])]
    if result.travel_sentence:
        parts.append(md("{}", result.travel_sentence))
    if result.long_run_sentence:
        parts.append(md("{}", result.long_run_sentence))
    if result.note and result.available:
        parts.append(md("Note: {}{}.", result.note[0].upper(), result.note[1:]))
    over_100 = ratio_note(analysis, identifier)
    if over_100:
        parts.append(md("Note: {}", over_100))
    return join("\n\n", parts)


def ratio_note(analysis: FinanceAnalysis, identifier: str) -> str:
    """Return why the council's share is above 100 per cent, where it is; else ``""``."""
    result = analysis.results[identifier]
    if result.spec.unit != "percent" or result.value is None or result.value <= 100:
        return ""
    return OVER_100_NOTES.get(identifier, "")


def glossary(terms: tuple[str, ...] = GLOSSARY_TERMS) -> Markdown:
    """Return the report's glossary as a Markdown list."""
    return glossary_markdown(terms)


#: The section that holds the reference detail: definitions, tolerances, years, sources.
DEFINITIONS = "Sources and definitions"


def method_markdown(analysis: FinanceAnalysis, *, demo: bool) -> Markdown:
    """Return what a reader needs first: the council, its comparator group, the conventions.

    The reference detail (each indicator's "similar" tolerance, years, sources,
    population estimates and rounding) is in the section :data:`DEFINITIONS`,
    which the last paragraph links to.
    """
    council = analysis.council
    years = sorted({r.period for r in analysis.results.values()})
    definitions = md("[{}](#{})", DEFINITIONS, section_anchor(DEFINITIONS))
    lines = [
        md(
            "Figures are for **{}**. Each indicator is reported for the latest year the data "
            "hold it ({}), and its trend runs from the first year with comparable figures. The "
            "council's own latest year with net revenue expenditure is **{}**; a year with no "
            "return from the council is said to be missing.",
            council.name,
            ", ".join(years),
            analysis.period,
        )
    ]
    if demo:
        lines.append(DEMO_NOTE)
    if analysis.primary is not None:
        description = group_description(analysis.primary, council.name)
        lines.append(md("Findings compare the council with {}.", description))
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
    lines.append(
        md(
            "'Similar to the median' means within a tolerance set for each indicator. The "
            "tolerances, each indicator's definition, years and source, and how figures are "
            "rounded are in {}.",
            definitions,
        )
    )
    return join("\n\n", lines)


def tolerances_table(analysis: FinanceAnalysis) -> pd.DataFrame:
    """Return what "similar to the median" means for each indicator: one row per indicator."""
    results = analysis.results.values()
    return pd.DataFrame(
        {
            "Indicator": [r.spec.label for r in results],
            "Similar to the median means": [r.spec.tolerance_text() for r in results],
        }
    )


def tolerances_html(analysis: FinanceAnalysis) -> Any:
    """Return :func:`tolerances_table` as an HTML table."""
    from IPython.display import HTML

    caption = "What 'similar to the median' means for each indicator"
    return HTML(data_table_html(tolerances_table(analysis), caption, {}))


def conventions_markdown(analysis: FinanceAnalysis) -> Markdown:
    """Return the population estimates per-head figures use and how figures are rounded."""
    lines = []
    populations = sorted(
        {
            r.note.split("ONS ")[1].split(" ")[0]
            for r in analysis.results.values()
            if "ONS " in r.note
        }
    )
    if populations:
        lines.append(
            md(
                "Per-head figures divide by the ONS mid-year population estimate for the finance "
                "year (2022-23 uses mid-2022), on 2023 council boundaries; this report uses {}.",
                ", ".join(populations),
            )
        )
    lines.append(md("{}", ROUNDING_NOTE))
    return join("\n\n", lines)


def latest_years_html(analysis: FinanceAnalysis) -> Any:
    """Return the table of each indicator's latest year, first year, source and population."""
    from IPython.display import HTML

    table = analysis.latest_years()
    return HTML(data_table_html(table, "Latest year, first year and source of each indicator", {}))


def positions_html(analysis: FinanceAnalysis, identifier: str) -> str:
    """Return the council's position in every comparator group, as a table one click away.

    The table (median, quartiles, difference, position and rank in each group)
    is in a disclosure widget named for the indicator and year; on paper it is
    printed open, as the charts' data tables are.
    """
    result = analysis.results[identifier]
    table = analysis.positions_table(identifier)
    unit = result.spec.unit
    units = dict.fromkeys(("Lower quartile", "Median", "Upper quartile"), unit)
    units["Difference from median"] = "percentage points" if unit == "percent" else unit
    caption = f"{result.spec.label}: {analysis.council.name} in each comparator group"
    summary = html.escape(f"{result.spec.label}, {result.period}")
    return (
        f"<details class='cp-chart-data cp-positions'><summary>{summary}</summary>"
        f"{data_table_html(table, caption, units)}</details>"
    )


def show_positions(analysis: FinanceAnalysis) -> None:
    """Display the council's position in every comparator group, one table per indicator."""
    from IPython.display import HTML, display

    display(HTML("".join(positions_html(analysis, i) for i in analysis.results)))


def show_section(analysis: FinanceAnalysis, identifiers: tuple[str, ...]) -> None:
    """Display a section's indicators: each one's finding, comparator chart and trend chart."""
    show_each(analysis, identifiers, indicator_markdown, comparator_chart, trend_chart)


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


def figures(analysis: FinanceAnalysis) -> list[Figure]:
    """Return the headline figures published to the sidecar: every figure behind a sentence."""
    return analysis.figures


def sources(analysis: FinanceAnalysis, *, demo: bool) -> list[str]:
    """Return the sources named in the report footer."""
    datasets = (SOURCE_NAMES[k] for k in ("mhclg_rs", "mhclg_rsx", "mhclg_ctr", "ons_mye"))
    return open_data_sources(datasets, analysis.groups, demo=demo)


def data_vintage(analysis: FinanceAnalysis) -> str:
    """Return the data vintage line of the footer."""
    group = group_with_vintage(analysis.primary)
    latest: dict[str, str] = {}
    for result in analysis.results.values():
        source = result.spec.source.split(";")[0].strip()
        latest[source] = max(latest.get(source, ""), result.period)
    years = "; ".join(f"{SOURCE_LABELS.get(s, s)} {y}" for s, y in sorted(latest.items()))
    return f"finance: {years}; population: mid-year of each finance year; comparator group: {group}"
