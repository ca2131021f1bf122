"""The finance report reads like a briefing: findings with figures first, reference detail last."""

from __future__ import annotations

import re
import statistics
from decimal import ROUND_HALF_UP, Decimal

import mistune
import pytest

from councilpack.data import open_data
from councilpack.finance import analysis, report
from councilpack.finance.analysis import FinanceAnalysis


@pytest.fixture(scope="module")
def aldermoor() -> FinanceAnalysis:
    return analysis.analyse(open_data(""), "X00000001")


def _one_place(value: float) -> str:
    # Worked independently of the library: decimal half up on the value as written.
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def test_summary_states_figure_year_median_and_rank(aldermoor: FinanceAnalysis) -> None:
    identifier = "unallocated_reserves_pct_nre"
    result = aldermoor.results[identifier]
    # The group's figures, from the chart's data, not from the position the sentence used.
    values = dict(zip(result.group_values["gss_code"], result.group_values["value"], strict=True))
    own = values["X00000001"]
    median = statistics.median(values.values())
    rank = 1 + sum(v > own for v in values.values())  # higher is more resilient: 1st highest
    assert own < median  # Aldermoor is below its neighbours' median (demo truth)
    line = next(
        line
        # As read: without the escaping backslashes (councilpack.markup).
        for line in re.sub(r"\\(.)", r"\1", report.summary_markdown(aldermoor)).splitlines()
        if "Unallocated reserves were" in line
    )
    rank_text = {1: "the highest", len(values): "the lowest"}.get(rank, f"{rank}th highest")
    assert line == (
        f"- Unallocated reserves were {_one_place(own)} per cent of net revenue expenditure in "
        f"{result.period}, below the median of its demo nearest neighbours "
        f"({_one_place(median)} per cent); {rank_text} of {len(values)} ([Reserves](#Reserves))."
    )
    # The figure the sidecar publishes backs the same sentence.
    (figure,) = [f for f in result.figures if f.id == identifier]
    assert figure.sentence.startswith(line[2:].split(" ([")[0])
    assert figure.comparator is not None
    assert figure.comparator.median == pytest.approx(median)
    assert figure.comparator.rank == rank


def test_about_keeps_to_what_a_reader_needs_first(aldermoor: FinanceAnalysis) -> None:
    about = str(report.method_markdown(aldermoor, demo=True))
    # The council, its comparator group, what medians and ranks mean, no composite score.
    assert "Figures are for **Aldermoor**" in about
    assert "Findings compare the council with its demo nearest neighbours" in about
    assert "Medians and quartiles include the council itself" in about
    assert "no composite score is calculated" in about
    # No per-indicator tolerance list: one link to the reference section instead.
    assert "percentage points of the median" not in about
    assert "within 5%" not in about
    assert "rounded half up" not in about
    assert 'href="#Sources-and-definitions"' in mistune.html(about)
    assert len(about.split("\n\n")) <= 7
    assert len(about) < 1500
    assert "Sources and definitions" in [s.heading for s in report.SECTIONS]


def test_tolerances_table_has_one_row_per_indicator(aldermoor: FinanceAnalysis) -> None:
    table = report.tolerances_table(aldermoor)
    assert list(table.columns) == ["Indicator", "Similar to the median means"]
    assert len(table) == len(aldermoor.results)
    rows = dict(zip(table["Indicator"], table["Similar to the median means"], strict=True))
    # The rules as the catalogue states them (catalogue/finance indicators).
    assert rows["Net revenue expenditure"] == "within 5% of the median"
    assert rows["Unallocated reserves as a share of NRE"] == (
        "within 0.5 percentage points of the median"
    )
    assert rows["Average Band D council tax"] == "within 3% of the median"
    page = report.tolerances_html(aldermoor).data
    assert "<caption>What &#x27;similar to the median&#x27; means for each indicator</caption>" in (
        page
    )
    assert page.count("<th scope='row'>") == len(aldermoor.results)


def test_conventions_name_the_population_estimates_and_rounding(
    aldermoor: FinanceAnalysis,
) -> None:
    text = re.sub(r"\\(.)", r"\1", report.conventions_markdown(aldermoor))
    assert "this report uses mid-2023, mid-2024." in text
    assert "rounded half up" in text


def test_position_tables_are_one_click_away(aldermoor: FinanceAnalysis) -> None:
    block = report.positions_html(aldermoor, "nre_per_head")
    assert block.startswith(
        "<details class='cp-chart-data cp-positions'>"
        "<summary>Net revenue expenditure per head, 2023-24</summary><table class='cp-data'>"
    )
    assert block.endswith("</table></details>")
    # Every group's row is in the table, as before: nothing is dropped.
    rows = re.findall(r"<th scope='row'>([^<]+)</th>", block)
    assert rows == [g.label for g in aldermoor.groups]
