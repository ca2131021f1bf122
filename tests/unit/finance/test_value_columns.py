"""The per-context value columns give what the DataFrame filters they replace gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from councilpack.data import DataContext
from councilpack.demo import demo_context
from councilpack.finance import analysis
from councilpack.finance.indicators import ValueColumns, compute, indicator_specs, value_columns
from councilpack.finance.position import group_position, position_of, quartiles

COUNCILS = ("X00000001", "X00000007", "X00000013", "X00000020")


@pytest.fixture(scope="module")
def demo() -> DataContext:
    return demo_context()


def test_value_columns_are_the_frames_columns(demo: DataContext) -> None:
    spec = indicator_specs()["reserves_sustainability"]
    values = compute(demo, spec)
    columns = value_columns(demo, spec)
    assert value_columns(demo, spec) is columns  # kept with the context
    assert list(columns.codes) == values["gss_code"].tolist()
    assert list(columns.periods) == values["period"].tolist()
    assert list(columns.statuses) == values["status"].tolist()
    np.testing.assert_array_equal(columns.numbers, values["value"].to_numpy())
    assert list(columns.years) == sorted(set(values["period"]))
    for period, rows in columns.rows_by_period.items():
        assert rows.tolist() == np.flatnonzero(values["period"] == period).tolist()
    assert [columns.codes[i] for i in range(len(columns.codes))] == [
        list(columns.code_index)[number] for number in columns.code_ids
    ]
    flags = columns.members(["X00000002", "X00000005", "not a council"])
    assert sorted(np.array(list(columns.code_index))[flags]) == ["X00000002", "X00000005"]
    with pytest.raises(ValueError, match="read-only"):
        columns.numbers[0] = 1.0


@pytest.mark.parametrize("gss", COUNCILS)
def test_trend_and_positions_equal_the_pandas_versions(demo: DataContext, gss: str) -> None:
    groups = analysis.distinct_groups(demo.groups_for(gss))
    for spec in indicator_specs().values():
        values = compute(demo, spec)
        columns = ValueColumns.of(values)
        for group in (*groups, None):
            members = group.members if group else (gss,)
            expected = analysis.group_trend(values, members, gss)
            pd.testing.assert_frame_equal(analysis._trend(columns, group, gss), expected)
        for period in columns.years[-2:]:
            year = values[values["period"] == period].set_index("gss_code")
            for group in groups:
                in_group = year.loc[year.index.isin(group.members), "value"]
                rows = columns.rows_by_period[period]
                rows = rows[columns.members(group.members)[columns.code_ids[rows]]]
                fast = position_of(
                    columns.numbers[rows],
                    [columns.codes[r] for r in rows],
                    gss,
                    spec,
                    members=len(group.members),
                )
                assert fast == group_position(in_group, gss, spec, members=len(group.members))


@pytest.mark.parametrize("gss", COUNCILS)
def test_own_rows_give_the_source_and_base_a_scan_gives(demo: DataContext, gss: str) -> None:
    mine = demo.council_metrics(gss)
    own = analysis._OwnRows(mine)
    for spec in indicator_specs().values():
        for period in sorted(set(mine["period"])):
            rows = mine[(mine["metric"] == spec.numerator[0]) & (mine["period"] == period)]
            vintage = str(rows["vintage"].iloc[0]) if not rows.empty else spec.source
            assert analysis._source_text(own, demo, spec, period).startswith(vintage)
            if spec.denominator and spec.kind in ("ratio", "per_head"):
                wanted = period if spec.kind == "ratio" else f"mid-{period[:4]}"
                base = mine[(mine["metric"] == spec.denominator) & (mine["period"] == wanted)]
                expected = None if base.empty else float(base["value"].iloc[-1])
                assert analysis._base(own, spec, period) == expected


def test_quartiles_from_one_call_equal_two_calls() -> None:
    generator = np.random.default_rng(12)
    for size in [1, 2, 3, 4, 5, 7, 16, 33, 150, 317]:
        for scale in (1.0, 1e6, 1e-3):
            numbers = np.round(generator.normal(50, 30, size) * scale, generator.integers(0, 4))
            expected = (float(np.quantile(numbers, 0.25)), float(np.quantile(numbers, 0.75)))
            assert quartiles(numbers) == expected  # exactly, bit for bit
