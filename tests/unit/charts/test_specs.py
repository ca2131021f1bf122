"""The directly built chart specs equal Altair's, key order included (byte-identical reports)."""

from __future__ import annotations

import json
from typing import Any, cast

import altair as alt
import numpy as np
import pandas as pd
import pytest

from councilpack.charts import comparator_bar, show
from councilpack.charts.core import ChartTooLongTitleError
from councilpack.charts.specs import (
    SpecChartResult,
    comparator_bar_spec,
    records,
    trend_with_band_spec,
)
from councilpack.charts.trends import trend_with_band
from councilpack.demo import demo_context
from councilpack.errors import ArgumentError
from councilpack.finance import analysis
from councilpack.finance.charts import comparator_chart, trend_chart


def _same(fast: dict[str, Any], chart: object) -> None:
    expected = chart.to_dict(validate=False)  # type: ignore[attr-defined]
    # json.dumps without sort_keys: the key order is part of the HTML's bytes.
    assert json.dumps(fast) == json.dumps(expected)


GROUP = pd.DataFrame(
    {
        "gss_code": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "value": [1_250_000.0, 2_400_000.5, 3_100_000.0],
    }
)


@pytest.mark.parametrize("unit", ["GBP", "GBP per head", "percent", "years"])
@pytest.mark.parametrize("median", [None, 2_400_000.5])
def test_comparator_bar_spec_equals_altair(unit: str, median: float | None) -> None:
    arguments = {"council_code": "B", "value": "value", "title": "T", "unit": unit}
    fast = comparator_bar_spec(GROUP, **arguments, median=median)
    _same(fast, comparator_bar(GROUP, **arguments, median=median))


def test_comparator_bar_spec_with_negative_values_has_the_zero_rule() -> None:
    frame = GROUP.assign(value=[-5.0, 2.5, np.nan])
    arguments = {"council_code": "A", "value": "value", "title": "Change", "unit": "percent"}
    fast = comparator_bar_spec(frame, **arguments, median=1.0)
    assert [layer["mark"]["type"] for layer in fast["layer"]] == ["bar", "rule", "rule"]
    _same(fast, comparator_bar(frame, **arguments, median=1.0))


TREND = pd.DataFrame(
    {
        "period": ["2021-22", "2022-23", "2023-24"],
        "council": [120.0, np.nan, 140.25],
        "median": [100.0, 110.0, 115.0],
        "lower_quartile": [90.0, np.nan, 95.0],
        "upper_quartile": [130.0, np.nan, 150.0],
        "councils": [15, 16, 16],
    }
)


@pytest.mark.parametrize("unit", ["GBP", "GBP per head", "percent"])
@pytest.mark.parametrize("scale", [1.0, 1e6, -1.0])
def test_trend_with_band_spec_equals_altair(unit: str, scale: float) -> None:
    frame = TREND.copy()
    frame[["council", "median", "lower_quartile", "upper_quartile"]] *= scale
    arguments = {"title": "NRE, 2021-22 to 2023-24", "unit": unit, "council_label": "Knowsley",
                 "group_label": "ONS nearest neighbours"}  # fmt: skip
    _same(trend_with_band_spec(frame, **arguments), trend_with_band(frame, **arguments))


@pytest.mark.parametrize(
    "frame",
    [
        # Not all numpy floats (a whole-number median): the general path.
        TREND.assign(median=[100, 110, 115]),
        # An infinite figure is written as null but still drawn as a row, as melt keeps it.
        TREND.assign(median=[100.0, np.inf, 115.0], upper_quartile=[130.0, 140.0, np.inf]),
        # Only missing council figures.
        TREND.assign(council=[np.nan, np.nan, np.nan]),
    ],
    ids=["whole-number median", "infinite", "no council figure"],
)
def test_trend_with_band_spec_equals_altair_on_unusual_frames(frame: pd.DataFrame) -> None:
    arguments = {"title": "T", "unit": "percent", "council_label": "K", "group_label": "G"}
    _same(trend_with_band_spec(frame, **arguments), trend_with_band(frame, **arguments))


def test_records_write_values_as_altair_does() -> None:
    frame = pd.DataFrame(
        {"i": np.array([1, 2], dtype="int64"), "f": [1.5, np.inf], "s": ["a", "b"],
         "o": pd.Series([None, "x"], dtype=object), "b": [True, False]}
    )  # fmt: skip
    assert records(frame) == [
        {"i": 1, "f": 1.5, "s": "a", "o": None, "b": True},
        {"i": 2, "f": None, "s": "b", "o": "x", "b": False},
    ]
    assert type(records(frame)[0]["i"]) is int


def _result(title: str = "T") -> SpecChartResult:
    arguments: dict[str, Any] = {
        "council_code": "B", "value": "value", "title": title, "unit": "percent"
    }  # fmt: skip
    built: list[int] = []

    def build() -> alt.TopLevelMixin:
        built.append(1)
        return comparator_bar(GROUP, **arguments)

    result = SpecChartResult(comparator_bar_spec(GROUP, **arguments), build, "Bars.", GROUP)
    result.built = built  # type: ignore[attr-defined]
    return result


def test_show_displays_the_spec_without_building_the_altair_chart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda *o, **_: shown.extend(o))
    result = _result()
    show(result)
    assert not result.built  # type: ignore[attr-defined]
    spec = shown[0]._repr_mimebundle_()["application/vnd.vegalite.v5+json"]  # type: ignore[attr-defined]
    described = cast("alt.LayerChart", result.chart).copy(deep=False)
    described.description = "Bars."
    assert json.dumps(spec) == json.dumps(described.to_dict(validate=False))
    assert result.built == [1]  # type: ignore[attr-defined]
    assert result.title == "T"


def test_show_checks_the_title_and_arguments_of_a_spec_result() -> None:
    with pytest.raises(ChartTooLongTitleError):
        show(_result("one two three four five six seven eight nine ten eleven"))
    with pytest.raises(ArgumentError):
        show(_result(), description="again")


@pytest.mark.parametrize("council", ["X00000001", "X00000004"])
def test_every_demo_finance_chart_spec_equals_its_altair_chart(council: str) -> None:
    result = analysis.analyse(demo_context(), council)
    compared = 0
    for identifier in result.results:
        for chart in (comparator_chart(result, identifier), trend_chart(result, identifier)):
            if chart is None:
                continue
            assert isinstance(chart, SpecChartResult)
            _same(chart.spec, chart.chart)
            assert chart.title == cast("alt.LayerChart", chart.chart).title
            compared += 1
    assert compared >= 25
