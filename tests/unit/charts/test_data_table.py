"""The chart data table: the same HTML as a plain row-by-row loop over ``itertuples``."""

from __future__ import annotations

import datetime
import html

import numpy as np
import pandas as pd
import pytest

from councilpack.charts import data_table_html
from councilpack.charts.core import _cell_text
from councilpack.wording import COLUMN_DECIMALS, plain_label


def _reference(table: pd.DataFrame, caption: str, units: dict[str, str]) -> str:
    """The table as written before, one ``itertuples`` row at a time (the oracle)."""
    places = dict(COLUMN_DECIMALS)
    head = "".join(f"<th scope='col'>{html.escape(plain_label(c))}</th>" for c in table.columns)

    def default_places(column: pd.Series) -> int:
        numbers = pd.to_numeric(column, errors="coerce") if column.dtype == object else column
        if not pd.api.types.is_float_dtype(numbers):
            return 0
        finite = numbers.dropna()
        return 0 if finite.empty or bool((finite == finite.round()).all()) else 1

    column_places = {c: places.get(str(c), default_places(table[c])) for c in table.columns}
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for position, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            text = _cell_text(value, units.get(column), column_places[column])
            tag = "th scope='row'" if position == 0 else "td"
            cells.append(f"<{tag}>{html.escape(text)}</{tag.split()[0]}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table class='cp-data'><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


TABLES = {
    "finance comparator": pd.DataFrame(
        {
            "Council": ["Knowsley (this council)", "Halton", "St Helens & <Wirral>"],
            "Reserves per head": [101.25, np.nan, -3.0],
            "Note": ["not drawing down", "", ""],
        }
    ),
    "trend": pd.DataFrame(
        {
            "Year": ["2021-22", "2022-23", "2023-24"],
            "Knowsley": [1.0, np.nan, 3.0],
            "Group median": [2.5, 2.0, 2.25],
            "Councils with a figure": [16, 15, 16],
        }
    ),
    "whole floats and inf": pd.DataFrame({"Year": ["a", "b"], "n": [2.0, np.inf]}),
    "all missing floats": pd.DataFrame({"Year": ["a", "b"], "n": [np.nan, np.nan]}),
    "objects": pd.DataFrame(
        {"Label": ["x", None, "z"], "Mixed": pd.Series(["1.5", 2, None], dtype=object)}
    ),
    "bools dates categories": pd.DataFrame(
        {
            "When": [pd.Timestamp("2023-10-01"), pd.Timestamp("2024-01-31"), pd.NaT],
            "Day": [datetime.date(2023, 10, 5), datetime.date(2024, 2, 1), None],
            "Flag": [True, False, True],
            "Kind": pd.Categorical(["a", "b", "a"]),
            "base_effective": [10.4, 11.0, 12.0],
            "Nullable": pd.array([1.5, None, 2.0], dtype="Float64"),
            "Int": pd.array([1, None, 3], dtype="Int64"),
        }
    ),
    "no rows": pd.DataFrame({"Council": pd.Series(dtype=str), "Value": pd.Series(dtype=float)}),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_data_table_html_is_the_row_loop(name: str) -> None:
    table = TABLES[name]
    units = {"Reserves per head": "GBP per head", "Group median": "percent"}
    assert data_table_html(table, "A <caption>", units) == _reference(table, "A <caption>", units)


def test_data_table_html_reads_a_known_table() -> None:
    table = pd.DataFrame({"Council": ["A & B"], "Share": [12.34]})
    assert data_table_html(table, "c", {"Share": "percent"}) == (
        "<table class='cp-data'><caption>c</caption><thead><tr><th scope='col'>Council</th>"
        "<th scope='col'>Share</th></tr></thead><tbody><tr><th scope='row'>A &amp; B</th>"
        "<td>12.3 per cent</td></tr></tbody></table>"  # format_value: one place, words
    )
