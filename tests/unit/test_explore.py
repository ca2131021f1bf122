"""Explore helpers: any councils side by side on any store metric (issue 13 item 10)."""

from __future__ import annotations

import pytest

from councilpack import explore
from councilpack.data import open_data
from councilpack.errors import ArgumentError, UnknownKeyError


@pytest.fixture(scope="module")
def data():
    return open_data("")


def test_side_by_side_is_the_store_rows_in_council_order(data) -> None:
    councils = ["X00000003", "X00000001"]
    frame = explore.side_by_side(data, councils, "net_revenue_expenditure", ["2017-18"])
    assert list(frame["gss_code"]) == councils
    for row in frame.itertuples(index=False):
        stored = data.metrics[
            (data.metrics["gss_code"] == row.gss_code)
            & (data.metrics["metric"] == "net_revenue_expenditure")
            & (data.metrics["period"] == "2017-18")
        ]["value"]
        assert row.value == float(stored.iloc[0])
        assert row.council == data.register.get(row.gss_code).name
    result = explore.side_by_side_chart(frame)
    assert result.chart.to_dict()["mark"]["type"] == "bar"
    councils = frame["council"].nunique()
    assert result.description == f"Net revenue expenditure for {councils} councils."
    assert result.table is frame


def test_several_years_chart_as_lines(data) -> None:
    frame = explore.side_by_side(data, ["X00000001", "X00000002"], "unallocated_reserves")
    assert frame["period"].nunique() > 1
    assert explore.side_by_side_chart(frame).chart.to_dict()["mark"]["type"] == "line"


def test_unknown_metric_suggests_near_names(data) -> None:
    with pytest.raises(UnknownKeyError, match="net_revenue_expenditure") as raised:
        explore.side_by_side(data, ["X00000001"], "net_revenue_expenditur")
    assert isinstance(raised.value, KeyError)  # existing except clauses still catch it
    assert str(raised.value) == (
        "no metric 'net_revenue_expenditur' in the data; "
        "did you mean net_revenue_expenditure, service_gross_expenditure?"
    )


def test_unknown_period_and_empty_chart_are_councilpack_errors(data) -> None:
    with pytest.raises(UnknownKeyError, match="has no period 1066-67"):
        explore.side_by_side(data, ["X00000001"], "unallocated_reserves", periods=["1066-67"])
    empty = explore.side_by_side(data, ["X00000001"], "unallocated_reserves").iloc[0:0]
    with pytest.raises(ArgumentError, match="nothing to chart"):
        explore.side_by_side_chart(empty)


def test_available_metrics_lists_labels(data) -> None:
    metrics = explore.available_metrics(data)
    row = metrics[metrics["metric"] == "net_revenue_expenditure"].iloc[0]
    assert row["label"] == "Net revenue expenditure"
    assert (
        row["councils"]
        == data.metrics[data.metrics["metric"] == "net_revenue_expenditure"]["gss_code"].nunique()
    )
