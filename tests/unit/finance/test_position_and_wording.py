"""Quartiles, ranks and wording rules on small hand-made groups (values worked by hand)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from finance_fixtures import RESERVES, SOCIAL_CARE, SPEND

from councilpack.data import ComparatorGroup
from councilpack.finance.findings import (
    group_phrase,
    money_gap_sentence,
    not_available_sentence,
    position_sentence,
    travel_sentence,
)
from councilpack.finance.indicators import NOT_DRAWING_DOWN, IndicatorSpec, indicator_specs
from councilpack.finance.position import direction_of_travel, group_position, is_similar

NEIGHBOURS = ComparatorGroup("nearest_neighbours", "Nearest neighbours", "d", "v", ())


def _group(values: dict[str, float]) -> pd.Series:
    return pd.Series(values, dtype=float)


def test_odd_group_median_quartiles_and_rank() -> None:
    # Sorted 1, 2, 3, 4, 10: median is the 3rd value; type-7 quartiles fall on
    # positions 1 and 3 (0-based), i.e. 2 and 4.
    values = _group({"A": 1, "B": 2, "C": 3, "D": 4, "E": 10})
    position = group_position(values, "B", RESERVES)
    assert position is not None
    assert (position.median, position.lower_quartile, position.upper_quartile) == (3, 2, 4)
    assert position.difference == -1
    assert position.position == "below"
    assert (position.rank, position.rank_text) == (4, "4th highest of 5")


def test_even_group_quartiles_interpolate() -> None:
    # 1, 2, 3, 4: median (2 + 3) / 2; Q1 at position 0.75 -> 1.75; Q3 at 2.25 -> 3.25.
    position = group_position(_group({"A": 1, "B": 2, "C": 3, "D": 4}), "D", RESERVES)
    assert position is not None
    assert (position.median, position.lower_quartile, position.upper_quartile) == (2.5, 1.75, 3.25)
    assert position.rank_text == "the highest of 4"


def test_rank_is_read_through_polarity() -> None:
    values = _group({"A": 1, "B": 2, "C": 3, "D": 4, "E": 10})
    lower = group_position(values, "B", SOCIAL_CARE)
    assert lower is not None
    assert lower.rank_text == "2nd lowest of 5"
    worst = group_position(values, "E", SOCIAL_CARE)
    assert worst is not None
    assert worst.rank_text == "the highest of 5"


def test_ties_share_the_better_rank() -> None:
    position = group_position(_group({"A": 5, "B": 5, "C": 1}), "B", RESERVES)
    assert position is not None
    assert position.rank == 1


def test_council_without_figure_has_no_position() -> None:
    assert group_position(_group({"A": 1.0, "B": float("nan")}), "B", RESERVES) is None


@pytest.mark.parametrize(
    ("value", "median", "spec", "expected"),
    [
        (5.4, 5.0, RESERVES, True),  # within 0.5 percentage points
        (5.5, 5.0, RESERVES, True),  # the boundary counts as similar
        (5.6, 5.0, RESERVES, False),
        (104.0, 100.0, SPEND, True),  # within 5% of the median
        (106.0, 100.0, SPEND, False),
    ],
)
def test_similar_tolerance(
    value: float, median: float, spec: IndicatorSpec, expected: bool
) -> None:
    assert is_similar(value, median, spec) is expected


def test_position_sentence_below_median() -> None:
    position = group_position(_group({"A": 3.2, "B": 5.1, "C": 7.0}), "A", RESERVES)
    assert position is not None
    text = position_sentence(RESERVES, "2016-17", NEIGHBOURS, position)
    assert text == (
        "Unallocated reserves were 3.2 per cent of net revenue expenditure in 2016-17, "
        "below the median of its nearest neighbours (5.1 per cent); the lowest of 3."
    )


def test_position_sentence_similar() -> None:
    position = group_position(_group({"A": 4.8, "B": 5.1, "C": 7.0}), "A", RESERVES)
    assert position is not None
    assert "similar to the median of its nearest neighbours (5.1 per cent)" in (
        position_sentence(RESERVES, "2016-17", NEIGHBOURS, position)
    )


def test_not_drawing_down_sentence() -> None:
    sustainability = replace(RESERVES, kind="sustainability", years=3, cap=100.0, unit="years")
    position = group_position(_group({"A": 100.0, "B": 100.0, "C": 7.0}), "A", sustainability)
    assert position is not None
    text = position_sentence(
        sustainability,
        "2017-18",
        NEIGHBOURS,
        position,
        status=NOT_DRAWING_DOWN,
        not_drawing_down_members=2,
    )
    assert text.startswith("In 2017-18 the council was not drawing down its reserves")
    assert "1 of the other 2 councils" in text


def test_money_gap() -> None:
    # 5.1 - 3.2 = 1.9 percentage points of £100m NRE = £1.9m.
    position = group_position(_group({"A": 3.2, "B": 5.1, "C": 7.0}), "A", RESERVES)
    assert position is not None
    assert money_gap_sentence(RESERVES, position, 100e6) == (
        "Reaching the median would take £1.9m more in reserves."
    )
    similar = group_position(_group({"A": 5.0, "B": 5.1, "C": 7.0}), "A", RESERVES)
    assert similar is not None
    assert money_gap_sentence(RESERVES, similar, 100e6) == ""


def test_direction_of_travel_through_polarity() -> None:
    assert direction_of_travel("2014-15", 2.0, "2017-18", 3.0, RESERVES).reading == "improving"
    rising_care = direction_of_travel("2014-15", 50.0, "2017-18", 55.0, SOCIAL_CARE)
    assert (rising_care.direction, rising_care.reading) == ("rose", "worsening")
    steady = direction_of_travel("2014-15", 2.0, "2017-18", 2.3, RESERVES)
    assert (steady.direction, steady.reading) == ("held steady", "")
    neutral = direction_of_travel("2014-15", 100.0, "2017-18", 120.0, SPEND)
    assert (neutral.direction, neutral.reading) == ("rose", "")


def test_travel_sentence_mentions_median() -> None:
    mine = direction_of_travel("2014-15", 2.1, "2017-18", 3.2, RESERVES)
    median = direction_of_travel("2014-15", 4.0, "2017-18", 5.1, RESERVES)
    assert travel_sentence(RESERVES, mine, NEIGHBOURS, median) == (
        "Unallocated reserves as a share of NRE rose from 2.1 per cent in 2014-15 to "
        "3.2 per cent in 2017-18 (improving); the median of its nearest neighbours rose "
        "from 4.0 per cent to 5.1 per cent."
    )


def test_group_phrase_and_not_available() -> None:
    assert group_phrase(ComparatorGroup("t", "All English county councils", "", "", ())) == (
        "all English county councils"
    )
    assert not_available_sentence(RESERVES, "2013-14", "no return for 2013-14") == (
        "Unallocated reserves as a share of NRE is not available for 2013-14: "
        "no return for 2013-14."
    )


@pytest.mark.parametrize(
    ("identifier", "value", "opening"),
    [
        # Band D is set for each year: its changes read from year to year, over five
        # years as over one (a five-year change ending 2023-24 starts in 2018-19).
        ("band_d_change_5yr", 24.04, "rose by 24.0 per cent from 2018-19 to 2023-24"),
        ("band_d_change_1yr", -1.25, "fell by 1.3 per cent from 2022-23 to 2023-24"),
        # Reserves are a stock at 31 March: their change reads over the years to a date.
        ("reserves_change_3yr", -23.7, "fell by 23.7 per cent in the three years to 31 March 2024"),
    ],
)
def test_a_change_reads_from_year_to_year_or_to_a_date(
    identifier: str, value: float, opening: str
) -> None:
    spec = indicator_specs()[identifier]
    position = group_position(_group({"A": value, "B": 0.0, "C": 50.0}), "A", spec)
    assert position is not None
    text = position_sentence(spec, "2023-24", NEIGHBOURS, position)
    assert text.startswith(f"{spec.subject} {opening}, "), text
