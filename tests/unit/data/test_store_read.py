"""Reading the store: categorical columns and per-council rows give the figures written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from councilpack import explore
from councilpack.data.model import TIDY_COLUMNS, DataContext, Register
from councilpack.data.store.read import CATEGORICAL_COLUMNS, StoreContext, read_metrics


def _tidy() -> pd.DataFrame:
    """Six rows by hand: two councils, vintages written out of alphabetical order."""
    return pd.DataFrame(
        {
            "gss_code": ["E2", "E1", "E2", "E1", "E3", "E2"],
            "metric": ["nre", "nre", "reserves", "reserves", "nre", "nre"],
            "period": ["2023-24", "2023-24", "2023-24", "2023-24", "2023-24", "2022-23"],
            "value": [3.5, 1.25, -2.0, 0.0, 7.0, 3.0],
            "unit": ["GBP", "GBP", "GBP", "GBP", "GBP", "GBP"],
            "source": ["rs", "rs", "rs", "rs", "ra", "rs"],
            "vintage": ["z release", "b release", "z release", "b release", "a budget", "m old"],
        },
        columns=list(TIDY_COLUMNS),
    )


def test_read_metrics_gives_the_strings_written(tmp_path: Path) -> None:
    written = _tidy()
    written.to_parquet(tmp_path / "metrics.parquet", index=False)
    read = read_metrics(tmp_path / "metrics.parquet")
    assert tuple(read.columns) == TIDY_COLUMNS
    for column in CATEGORICAL_COLUMNS:
        assert isinstance(read[column].dtype, pd.CategoricalDtype), column
        categories = list(read[column].cat.categories)
        assert categories == sorted(set(written[column])), column
        assert read[column].tolist() == written[column].tolist(), column
    # Sorting by a categorical column orders its strings alphabetically, as before.
    assert read.sort_values("vintage", kind="stable")["vintage"].tolist() == [
        "a budget",
        "b release",
        "b release",
        "m old",
        "z release",
        "z release",
    ]
    back = read.astype(dict.fromkeys(CATEGORICAL_COLUMNS, "str"))
    pd.testing.assert_frame_equal(back, pd.read_parquet(tmp_path / "metrics.parquet"))


def _context(metrics: pd.DataFrame) -> StoreContext:
    register = Register(
        pd.DataFrame(
            {
                "gss_code": ["E1", "E2", "E3"],
                "name": ["One", "Two", "Three"],
                "slug": ["one", "two", "three"],
                "council_type": ["district"] * 3,
                "region": ["North West"] * 3,
            }
        )
    )
    return StoreContext(register, metrics, {}, "open data")


def test_council_metrics_are_the_councils_rows_in_table_order() -> None:
    metrics = _tidy()
    context = _context(metrics)
    e2 = context.council_metrics("E2")
    # Rows 0, 2 and 5 of the table, with their labels and in that order.
    assert e2.index.tolist() == [0, 2, 5]
    pd.testing.assert_frame_equal(e2, metrics[metrics["gss_code"] == "E2"])
    assert context.council_metrics("E2") is e2  # the same council again: kept
    e1 = context.council_metrics("E1")
    pd.testing.assert_frame_equal(e1, metrics[metrics["gss_code"] == "E1"])
    unknown = context.council_metrics("E9")
    assert unknown.empty
    assert list(unknown.columns) == list(TIDY_COLUMNS)
    assert unknown.dtypes.equals(metrics.dtypes)


@pytest.mark.parametrize("gss", ["E08000034", "E06000060", "E07000008", "E10000016"])
def test_store_council_rows_match_a_scan_of_the_table(context: DataContext, gss: str) -> None:
    scanned = DataContext.council_metrics(context, gss)
    pd.testing.assert_frame_equal(context.council_metrics(gss), scanned)


def test_side_by_side_shows_units_as_strings(context: DataContext) -> None:
    frame = explore.side_by_side(context, ["E08000034"], "net_revenue_expenditure", ["2016-17"])
    assert frame["unit"].tolist() == ["GBP"]
    assert not isinstance(frame["unit"].dtype, pd.CategoricalDtype)
