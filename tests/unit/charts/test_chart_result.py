"""One chart result: every analysis's charts are a ChartResult, shown the same way."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import pytest

from councilpack.charts import ChartResult, show
from councilpack.errors import ArgumentError


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Collect what ``show`` displays instead of sending it to a front end."""
    import IPython.display

    displayed: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", displayed.append)
    return displayed


def _bundles(displayed: list[Any]) -> list[dict[str, Any]]:
    bundles = []
    for item in displayed:
        if hasattr(item, "_repr_mimebundle_"):
            bundles.append(item._repr_mimebundle_())
        else:
            bundles.append({"text/html": item.data})
    return bundles


def _result() -> ChartResult:
    table = pd.DataFrame({"Council": ["Aldermoor", "Bexford"], "Spend": [1234.5, 987.0]})
    chart = alt.Chart(table).mark_bar().encode(x="Spend:Q", y="Council:N")
    return ChartResult(
        chart.properties(title="Aldermoor spends most per head"),
        "Bar chart of spending per head for two councils.",
        table,
        "Spending per head, 2024-25",
        {"Spend": "GBP per head"},
    )


def test_show_result_is_show_of_its_parts(shown: list[Any]) -> None:
    result = _result()
    show(result)
    from_result = _bundles(shown)
    shown.clear()
    show(
        result.chart,
        description=result.description,
        table=result.table,
        table_caption=result.table_caption,
        units=dict(result.units),
    )
    assert from_result == _bundles(shown)
    chart, table = from_result
    assert chart["text/plain"] == "Chart: Bar chart of spending per head for two councils."
    assert next(v for k, v in chart.items() if "vegalite" in k)["description"] == (
        result.description
    )
    # The caption and the unit reach the accessible table: £1,235 is 1234.5 rounded half up.
    assert "<caption>Spending per head, 2024-25</caption>" in table["text/html"]
    assert "£1,235" in table["text/html"]


def test_result_defaults_and_title() -> None:
    result = _result()
    assert result.title == "Aldermoor spends most per head"
    plain = ChartResult(alt.Chart(result.table).mark_point(), "Points.", result.table)
    assert plain.table_caption == "Data for this chart"
    assert dict(plain.units) == {}
    assert plain.title == ""


def test_show_result_refuses_overriding_keywords(shown: list[Any]) -> None:
    with pytest.raises(ArgumentError, match="takes its description"):
        show(_result(), description="Another description.")
    assert shown == []


def test_show_needs_a_description(shown: list[Any]) -> None:
    result = _result()
    with pytest.raises(ArgumentError, match="text description"):
        show(ChartResult(result.chart, "  ", result.table))
    with pytest.raises(ArgumentError, match="text description"):
        show(result.chart)


def test_show_each_shows_each_sentence_then_each_chart_the_data_allow(shown: list[Any]) -> None:
    import IPython.display

    from councilpack.charts import show_each
    from councilpack.markup import md

    result = _result()
    charts = {"a": result, "b": None}

    def text(analysis: str, identifier: str) -> Any:
        return md("{} {}", analysis, identifier)

    def chart(analysis: str, identifier: str) -> ChartResult | None:
        return charts[identifier]

    show_each("Aldermoor", ["a", "b"], text, lambda _a, _i: None, chart)
    first, *drawn, second = shown
    assert isinstance(first, IPython.display.Markdown)
    assert (first.data, second.data) == ("Aldermoor a", "Aldermoor b")
    alone: list[Any] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(IPython.display, "display", alone.append)
        show(result)
    assert _bundles(drawn) == _bundles(alone)  # the chart and its table, as show gives them
