"""The tables under finance and outcome charts: one builder each, shared by both reports."""

from __future__ import annotations

import pandas as pd

from councilpack.finance.charts import active_title, comparator_table, trend_table


def test_comparator_table_is_alphabetical_and_names_the_council_in_words() -> None:
    frame = pd.DataFrame(
        {
            "gss_code": ["B", "A", "C"],
            "name": ["Bexford", "Aldermoor", "Cowley"],
            "value": [2.0, 1.0, 3.0],
        }
    )
    table = comparator_table(frame, "B", "Spend", notes=["", "capped", ""])
    assert list(table.columns) == ["Council", "Spend", "Note"]
    assert list(table["Council"]) == ["Aldermoor", "Bexford (this council)", "Cowley"]
    # Values and notes stay with their council through the sort.
    assert list(table["Spend"]) == [1.0, 2.0, 3.0]
    assert list(table["Note"]) == ["capped", "", ""]
    assert list(comparator_table(frame, "B", "Spend").columns) == ["Council", "Spend"]


def test_trend_table_headings_and_units() -> None:
    trend = pd.DataFrame(
        {
            "period": ["2022-23", "2023-24"],
            "council": [1.0, None],
            "median": [2.0, 2.5],
            "lower_quartile": [1.5, 2.0],
            "upper_quartile": [2.5, 3.0],
            "councils": [15, 16],
        }
    )
    table, units = trend_table(trend, "Aldermoor", "GBP per head")
    assert list(table.columns) == [
        "Year", "Aldermoor", "Group median", "Lower quartile", "Upper quartile",
        "Councils with a figure",
    ]  # fmt: skip
    # The count of councils is a plain number; every other figure is in the indicator's unit.
    assert units == dict.fromkeys(
        ("Aldermoor", "Group median", "Lower quartile", "Upper quartile"), "GBP per head"
    )


def test_active_title_keeps_ten_words() -> None:
    words = " ".join(f"w{i}" for i in range(12))
    assert active_title(words, "") == " ".join(f"w{i}" for i in range(10))
