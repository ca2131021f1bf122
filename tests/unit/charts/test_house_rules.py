"""Chart house rules (issue 13 item 8) read from the Vega-Lite specs."""

from __future__ import annotations

import json

import pandas as pd

from councilpack.charts import HIGHLIGHT, comparator_bar
from councilpack.charts.core import LEGEND_LABEL_LIMIT, money_axis_scale
from councilpack.charts.trends import council_against_benchmark, trend_with_band


def _walk(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_legend_labels_fit_the_longest_group_name() -> None:
    # "Median, Oflog nearest neighbours (2024)" is about 230px at 12px Arial.
    assert LEGEND_LABEL_LIMIT >= 400
    trend = pd.DataFrame(
        {
            "period": ["2022-23", "2023-24"],
            "council": [1.0, 2.0],
            "median": [1.5, 1.5],
            "lower_quartile": [1.0, 1.0],
            "upper_quartile": [2.0, 2.0],
        }
    )
    spec = trend_with_band(
        trend, title="t", unit="percent", council_label="A", group_label="Oflog nearest neighbours"
    ).to_dict()
    legends = [n["legend"] for n in _walk(spec) if isinstance(n.get("legend"), dict)]
    assert legends
    assert all(legend.get("labelLimit", 0) >= 400 for legend in legends)


def test_money_axes_in_millions() -> None:
    assert money_axis_scale([550_000_000]) == (1e6, "m")
    assert money_axis_scale([45_000]) == (1e3, "k")
    frame = pd.DataFrame(
        {"gss_code": ["A", "B"], "name": ["Alpha", "Beta"], "value": [550e6, 420e6]}
    )
    spec = comparator_bar(
        frame, council_code="A", value="value", title="NRE", unit="GBP", median=480e6
    ).to_dict()
    text = json.dumps(spec)
    assert "/ 1e+06" in text
    assert "'m'" in text


def test_council_style_is_fixed_by_role_not_name() -> None:
    def line_encoding(council: str, benchmark: str) -> dict:
        data = pd.DataFrame(
            {
                "series": [council, benchmark],
                "month": pd.to_datetime(["2024-10-01", "2024-07-01"]),
                "percent": [50.0, 53.0],
                "lower": [47.0, float("nan")],
                "upper": [53.0, float("nan")],
            }
        )
        chart = council_against_benchmark(data, council=council, benchmark=benchmark, title="t")
        return chart.to_dict()["layer"][1]["encoding"]

    # "Zeta" sorts after "National": the council must still be the blue solid line.
    for council in ("Aldermoor survey", "Zeta survey"):
        encoding = line_encoding(council, "National (LGA polling)")
        for channel in ("color", "strokeDash", "shape"):
            assert encoding[channel]["scale"]["domain"] == [council, "National (LGA polling)"]
        assert encoding["color"]["scale"]["range"][0] == HIGHLIGHT
        assert encoding["strokeDash"]["scale"]["range"][0] == [1, 0]
        # One legend: the three channels share field, title and domain, so Vega merges them.
        assert {
            encoding[c]["legend"]["title"] is None for c in ("color", "strokeDash", "shape")
        } == {True}


def test_negative_changes_get_a_zero_line() -> None:
    frame = pd.DataFrame({"gss_code": ["A", "B"], "name": ["Alpha", "Beta"], "value": [-4.0, 6.0]})
    spec = comparator_bar(
        frame, council_code="A", value="value", title="Change", unit="percent", median=1.0
    ).to_dict()
    rules = [
        layer
        for layer in spec["layer"]
        if layer.get("mark", {}) in ("rule", {"type": "rule"})
        or (isinstance(layer.get("mark"), dict) and layer["mark"].get("type") == "rule")
    ]
    assert any(rule["encoding"]["x"] == {"datum": 0} for rule in rules)


def _svg_texts(spec: dict) -> list[str]:
    import re

    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, vl_version="5.20")
    return re.findall(r">([^<>]+)</text>", svg)


def test_rendered_legends_have_one_entry_per_line_and_no_cut_labels() -> None:
    data = pd.DataFrame(
        {
            "series": ["Zeta survey", "Zeta survey", "National (LGA polling)"],
            "month": pd.to_datetime(["2023-10-01", "2024-10-01", "2024-07-01"]),
            "percent": [55.0, 50.0, 53.0],
            "lower": [52.0, 47.0, float("nan")],
            "upper": [58.0, 53.0, float("nan")],
        }
    )
    spec = council_against_benchmark(
        data, council="Zeta survey", benchmark="National (LGA polling)", title="t"
    ).to_dict()
    texts = _svg_texts(spec)
    # Two series, two legend entries (colour, dash and shape legends merged).
    assert texts.count("Zeta survey") == 1
    assert texts.count("National (LGA polling)") == 1

    trend = pd.DataFrame(
        {
            "period": ["2022-23", "2023-24"],
            "council": [1.0, 2.0],
            "median": [1.5, 1.5],
            "lower_quartile": [1.0, 1.0],
            "upper_quartile": [2.0, 2.0],
        }
    )
    spec = trend_with_band(
        trend,
        title="t",
        unit="percent",
        council_label="Aldermoor",
        group_label="Oflog nearest neighbours (2024 model)",
    ).to_dict()
    texts = _svg_texts(spec)
    assert "Median, Oflog nearest neighbours (2024 model)" in texts
    assert not [t for t in texts if t.endswith(("…", "..."))]
