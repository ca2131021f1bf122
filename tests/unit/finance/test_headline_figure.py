"""The figures finance and outcomes publish alike, on hand-made positions and series.

Every expected value is written out by hand from the inputs below, not read back
from the code.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from finance_fixtures import RESERVES, SPEND

from councilpack.data import ComparatorGroup
from councilpack.figures import ComparatorSummary
from councilpack.finance.analysis import travel_with_sentence
from councilpack.finance.position import GroupPosition, Travel, headline_figure, trend_figure

NEIGHBOURS = ComparatorGroup(
    "nearest_neighbours", "Nearest neighbours", "CIPFA-style model", "2024", ("A", "B", "C")
)
# The council at 2.0 in a group of five with a figure (six members): median 3.0,
# quartiles 2.0 and 4.0, 4th highest; 2.0 is 1.0 below 3.0, beyond the 0.5 tolerance.
BELOW_MEDIAN = GroupPosition(
    value=2.0,
    median=3.0,
    lower_quartile=2.0,
    upper_quartile=4.0,
    rank=4,
    group_size=5,
    members=6,
    difference=-1.0,
    position="below",
    rank_direction="highest",
)


def test_headline_figure_with_a_position_carries_the_comparator_and_the_similar_rule() -> None:
    figure = headline_figure(
        RESERVES,
        2.0,
        period="2023-24",
        source="RS 2023-24",
        group=NEIGHBOURS,
        position=BELOW_MEDIAN,
        notes=("", "figure estimated", ""),
        sentence="Unallocated reserves were below the median.",
    )
    assert (figure.id, figure.label, figure.value, figure.unit) == (
        "unallocated_reserves_pct_nre",
        "Unallocated reserves as a share of NRE",
        2.0,
        "percent",
    )
    assert (figure.period, figure.source) == ("2023-24", "RS 2023-24")
    assert figure.sentence == "Unallocated reserves were below the median."
    # Empty notes dropped, then the rule for a percent with a 0.5 absolute tolerance.
    assert figure.note == (
        "figure estimated; similar means within 0.5 percentage points of the median"
    )
    assert figure.comparator == ComparatorSummary(
        group="Nearest neighbours",
        definition="CIPFA-style model",
        vintage="2024",
        median=3.0,
        lower_quartile=2.0,
        upper_quartile=4.0,
        rank=4,
        group_size=5,
        position="below",
    )


def test_headline_figure_relative_tolerance_in_the_note() -> None:
    figure = headline_figure(
        SPEND,
        950.0,
        period="2023-24",
        source="RS",
        group=NEIGHBOURS,
        position=replace(BELOW_MEDIAN, value=950.0, median=1000.0, difference=-50.0),
        sentence="",
    )
    # similar_relative 0.05 -> "within 5% of the median"; no other note.
    assert figure.note == "similar means within 5% of the median"
    assert figure.comparator is not None
    assert figure.comparator.median == 1000.0


@pytest.mark.parametrize(
    ("value", "group", "position"),
    [
        (None, NEIGHBOURS, BELOW_MEDIAN),  # no figure: no comparison, whatever is given
        (2.0, None, BELOW_MEDIAN),
        (2.0, NEIGHBOURS, None),
    ],
)
def test_headline_figure_without_a_comparison_has_no_summary_nor_rule(
    value: float | None, group: ComparatorGroup | None, position: GroupPosition | None
) -> None:
    figure = headline_figure(
        RESERVES,
        value,
        period="2023-24",
        source="RS",
        group=group,
        position=position,
        notes=("no return for 2023-24", "", "rounded"),
        sentence="s",
    )
    assert figure.comparator is None
    assert figure.note == "no return for 2023-24; rounded"
    assert figure.value == value


def test_trend_figure_is_the_change_in_points_with_its_direction() -> None:
    travel = Travel("2019-20", "2022-23", 2.1, 3.2, "rose", "improving")
    figure = trend_figure(RESERVES, travel, source="RS", sentence="It rose.")
    assert figure.id == "unallocated_reserves_pct_nre_trend"
    assert figure.label == "Unallocated reserves as a share of NRE: change 2019-20 to 2022-23"
    assert figure.value == pytest.approx(1.1)  # 3.2 - 2.1
    assert (figure.unit, figure.period) == ("percentage points", "2019-20 to 2022-23")
    assert (figure.note, figure.source, figure.sentence) == ("rose, improving", "RS", "It rose.")
    assert figure.comparator is None


def test_trend_figure_of_a_neutral_indicator_keeps_its_unit_and_has_no_reading() -> None:
    travel = Travel("2019-20", "2022-23", 1000.0, 900.0, "fell", "")
    figure = trend_figure(SPEND, travel, source="RS", sentence="")
    assert (figure.value, figure.unit, figure.note) == (-100.0, "GBP per head", "fell")


def _trend(council: list[float], median: list[float]) -> pd.DataFrame:
    periods = ["2019-20", "2020-21", "2021-22", "2022-23"]
    return pd.DataFrame({"period": periods, "council": council, "median": median})


def test_travel_with_sentence_sets_the_group_median_beside_the_council() -> None:
    trend = _trend([2.1, 2.5, 2.9, 3.2], [4.0, 4.2, 4.8, 5.1])
    travelled = travel_with_sentence(trend, "2022-23", RESERVES, NEIGHBOURS)
    assert travelled is not None
    travel, sentence = travelled
    # Three years to 2022-23 starts at 2019-20; 2.1 -> 3.2 is more than 0.5 up: rose, improving.
    assert (travel.start_period, travel.start, travel.end, travel.direction) == (
        "2019-20",
        2.1,
        3.2,
        "rose",
    )
    assert sentence == (
        "Unallocated reserves as a share of NRE rose from 2.1 per cent in 2019-20 to "
        "3.2 per cent in 2022-23 (improving); the median of its nearest neighbours rose "
        "from 4.0 per cent to 5.1 per cent."
    )


def test_travel_with_sentence_without_a_group_speaks_of_the_council_alone() -> None:
    trend = _trend([2.1, 2.5, 2.9, 3.2], [4.0, 4.2, 4.8, 5.1])
    travelled = travel_with_sentence(trend, "2022-23", RESERVES, None)
    assert travelled is not None
    assert travelled[1] == (
        "Unallocated reserves as a share of NRE rose from 2.1 per cent in 2019-20 to "
        "3.2 per cent in 2022-23 (improving)."
    )


def test_travel_with_sentence_needs_both_end_years() -> None:
    trend = _trend([float("nan"), 2.5, 2.9, 3.2], [4.0, 4.2, 4.8, 5.1])
    assert travel_with_sentence(trend, "2022-23", RESERVES, NEIGHBOURS) is None
