"""The text finance and outcomes reports share (method, footer sources), on hand-made analyses."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from finance_fixtures import RESERVES

from councilpack.data import ComparatorGroup, Council
from councilpack.finance import report as finance_report
from councilpack.finance.analysis import FinanceAnalysis
from councilpack.finance.indicators import IndicatorSpec
from councilpack.finance.report_text import (
    DEMO_NOTE,
    DEMO_SOURCE,
    data_set_sources,
    group_description,
    group_with_vintage,
    open_data_sources,
)
from councilpack.outcomes import report as outcomes_report
from councilpack.outcomes.analysis import OutcomeResult, OutcomesAnalysis, OutcomeSpec

COUNCIL = Council("E08000011", "Knowsley", "metropolitan district", "North West")
NEIGHBOURS = ComparatorGroup("ons_nn_2025", "ONS nearest neighbours", "d", "2025", ("A", "B"))
REGION = ComparatorGroup("region", "North West councils", "d", "April 2024", ("A", "C"))
ROADS = replace(
    RESERVES,
    id="roads_a_red",
    label="A roads in red condition",
    short_label="A roads red",
    source="dft_roads",
    kind="level",
)


def test_group_with_vintage() -> None:
    assert group_with_vintage(NEIGHBOURS) == "ONS nearest neighbours (2025)"
    assert group_with_vintage(None) == "none"


def test_open_data_sources_lists_data_sets_then_groups() -> None:
    assert open_data_sources(["RS", "ONS"], [NEIGHBOURS, REGION], demo=False) == [
        "RS",
        "ONS",
        "Comparator group: ONS nearest neighbours (2025)",
        "Comparator group: North West councils (April 2024)",
    ]
    assert open_data_sources(["RS"], [], demo=False) == ["RS"]


def test_open_data_sources_for_the_demo_names_the_generator_alone() -> None:
    assert open_data_sources(["RS"], [NEIGHBOURS], demo=True) == [
        "councilpack demo generator (fictional figures)"
    ]
    assert DEMO_SOURCE == "councilpack demo generator (fictional figures)"


def test_finance_sources_name_the_four_data_sets_and_every_group() -> None:
    analysis = FinanceAnalysis(COUNCIL, "2023-24", NEIGHBOURS, (NEIGHBOURS, REGION), {})
    names = finance_report.sources(analysis, demo=False)
    assert names[:4] == [
        finance_report.SOURCE_NAMES[k] for k in ("mhclg_rs", "mhclg_rsx", "mhclg_ctr", "ons_mye")
    ]
    assert names[4:] == [
        "Comparator group: ONS nearest neighbours (2025)",
        "Comparator group: North West councils (April 2024)",
    ]
    assert finance_report.sources(analysis, demo=True) == [DEMO_SOURCE]


def _result(spec: IndicatorSpec, period: str, theme: str = "Roads") -> OutcomeResult:
    outcome = OutcomeSpec(indicator=spec, theme=theme, applies_to=(), not_applicable_reason="")
    empty = pd.DataFrame()
    return OutcomeResult(outcome, period, 1.0, "", None, None, empty, empty, "")


def test_outcomes_sources_name_each_data_set_once_and_the_primary_group() -> None:
    care = replace(ROADS, id="asc", short_label="Care", source="Local survey")
    analysis = OutcomesAnalysis(
        COUNCIL,
        NEIGHBOURS,
        {
            "roads_a_red": _result(ROADS, "2023-24"),
            "roads_b_red": _result(replace(ROADS, id="roads_b_red", short_label="B roads"), ""),
            "roads_c_red": _result(
                replace(ROADS, id="roads_c_red", short_label="C roads"), "2021-22"
            ),
            "asc": _result(care, "2022-23", "Adult social care"),
        },
    )
    assert outcomes_report.sources(analysis, demo=False) == [
        "DfT road condition statistics, table RDC0120 (last updated 21 January 2026)",
        "Local survey",  # a source with no name of its own is named as given
        "Comparator group: ONS nearest neighbours (2025)",
    ]
    assert outcomes_report.sources(analysis, demo=True) == [DEMO_SOURCE]
    # One entry a theme; a measure with no period is left out of the vintage line.
    assert outcomes_report.data_vintage(analysis) == (
        "Roads 2021-22, 2023-24; Adult social care 2022-23; "
        "comparator group: ONS nearest neighbours (2025)"
    )
    alone = OutcomesAnalysis(COUNCIL, None, analysis.results)
    assert outcomes_report.sources(alone, demo=False)[-1] == "Local survey"
    assert outcomes_report.data_vintage(alone).endswith("; comparator group: none")


def test_group_description_escapes_each_value_once() -> None:
    group = ComparatorGroup("nn", "Nearest neighbours", "CIPFA *model*", "2024", ("A", "B", "C"))
    # group_phrase lower-cases "Nearest" and adds "its"; * and & are escaped for Markdown.
    assert group_description(group, "Tees & Wear") == (
        r"its nearest neighbours (3 councils including Tees &amp; Wear): CIPFA \*model\* (2024)"
    )


def test_methods_open_with_the_demo_note_and_describe_the_group() -> None:
    assert DEMO_NOTE == (
        "These are **fictional demo councils**; no figure describes a real council."
    )
    finance = FinanceAnalysis(COUNCIL, "2023-24", NEIGHBOURS, (NEIGHBOURS,), {})
    lines = finance_report.method_markdown(finance, demo=True).split("\n\n")
    assert lines[1:3] == [
        DEMO_NOTE,
        (
            "Findings compare the council with its ONS nearest neighbours "
            "(2 councils including Knowsley): d (2025)."
        ),
    ]
    outcomes = OutcomesAnalysis(COUNCIL, NEIGHBOURS, {})
    lines = outcomes_report.method_markdown(outcomes, demo=True).split("\n\n")
    assert lines[:2] == [
        DEMO_NOTE,
        (
            "Each measure compares **Knowsley** with its ONS nearest neighbours "
            "(2 councils including Knowsley): d (2025)."
        ),
    ]
    assert DEMO_NOTE not in outcomes_report.method_markdown(outcomes, demo=False)


def test_data_set_sources_leave_out_the_groups_a_footer_names() -> None:
    sources = open_data_sources(["RS", "ONS"], [NEIGHBOURS, REGION], demo=False)
    assert data_set_sources(sources) == ["RS", "ONS"]
    assert data_set_sources([DEMO_SOURCE]) == [DEMO_SOURCE]
    assert data_set_sources([]) == []
