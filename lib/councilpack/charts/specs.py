"""Vega-Lite specs of our two report chart shapes, built as dicts without Altair.

A finance report draws about sixty charts, all of two shapes (a comparator bar
chart and a trend with a quartile band). Building them through Altair's objects
(``alt.layer`` and ``resolve_scale`` deep copies, shorthand parsing, DataFrame
sanitising in ``to_dict``) cost about 1.2 CPU-seconds a report. These functions
write the same Vega-Lite dict directly: equal, key order included, to
``chart.to_dict(validate=False)`` of :func:`councilpack.charts.comparator_bar`
and :func:`councilpack.charts.trends.trend_with_band` on the councilpack theme
(``tests/unit/charts/test_specs.py`` compares them), so reports are byte-identical.
The Altair chart stays available (:class:`SpecChartResult.chart` builds it on
first use) for exploration in JupyterLab.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, cast

import altair as alt
import numpy as np
import pandas as pd

from councilpack.charts.core import (
    DEFAULT_TABLE_CAPTION,
    HIGHLIGHT,
    LEGEND_LABEL_LIMIT,
    MUTED,
    PALETTE,
    ChartResult,
    axis_title,
    money_axis_scale,
    with_description,
)

__all__ = [
    "SpecChartResult",
    "comparator_bar_spec",
    "records",
    "trend_with_band_spec",
    "with_description",
]

Spec = dict[str, Any]


def _column_values(column: pd.Series) -> list[Any]:
    """Return a column's values as Altair's DataFrame sanitising writes them to JSON."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) and str(dtype) == "bool":
        return [bool(v) for v in column.to_numpy()]
    if str(dtype) in {"category", "string", "boolean"} or str(dtype)[:1] in {"I", "U", "F"}:
        return [None if pd.isna(v) else v for v in column.astype(object)]
    if isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.integer):
        return [int(v) for v in column.to_numpy()]
    if isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.floating):
        return [float(v) if math.isfinite(v) else None for v in column.to_numpy().tolist()]
    if dtype == object:
        return [
            None if v is None or (not isinstance(v, np.ndarray) and pd.isna(v)) else v
            for v in (x.tolist() if isinstance(x, np.ndarray) else x for x in column)
        ]
    if isinstance(dtype, np.dtype) and dtype.kind in "mM":
        raise TypeError(f"column {column.name!r}: dates are not supported by the fast chart path")
    return column.tolist()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return ``frame`` as the list of records Altair embeds for it."""
    return _records_of(list(frame.columns), [_column_values(frame[c]) for c in frame.columns])


def _records_of(columns: list[Any], values: list[list[Any]]) -> list[dict[str, Any]]:
    """Return one record per row of the column ``values`` (each already as records write it)."""
    names = [str(c) for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _dataset_name(values: list[dict[str, Any]]) -> str:
    # Altair's name for an inline dataset (altair.vegalite.v5.api._dataset_name).
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _top_level(layers: list[tuple[list[dict[str, Any]], Spec]], extra: Spec) -> Spec:
    """Return the top-level spec: theme config, layers with named data, ``extra``, datasets."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    layer = []
    for values, body in layers:
        name = _dataset_name(values)
        datasets.setdefault(name, values)
        layer.append({"data": {"name": name}, **body})
    if len(layer) == 1:  # alt.layer lifts the data all its layers share to the top
        extra = {**extra, "data": layer[0].pop("data")}
    spec: Spec = {"config": _theme_config(), "layer": layer, **dict(sorted(extra.items()))}
    spec["$schema"] = alt.SCHEMA_URL
    spec["datasets"] = datasets
    return spec


def _theme_config() -> Spec:
    # The active theme's config, as Altair adds it to a top-level spec.
    theme = alt.theme.get()
    if theme is None:
        return {}
    return cast("Spec", json.loads(json.dumps(theme()))["config"])


def _axis(unit: str, values: list[float], title: str) -> Spec:
    """Return :func:`councilpack.charts.core.value_axis` as a dict."""
    if unit == "GBP":
        divisor, suffix = money_axis_scale(values)
        if divisor > 1:
            expression = f"'£' + format(datum.value / {divisor:g}, ',.1~f') + '{suffix}'"
            return {"labelExpr": expression, "title": title}
        return {"format": "$,.0f", "title": title}
    if "GBP" in unit:
        return {"format": "$,.0f", "title": title}
    return {"format": ",.1~f", "title": title}


def _zero_rule(axis: str) -> tuple[list[dict[str, Any]], Spec]:
    body = {
        "mark": {"type": "rule", "aria": False, "color": "#0b0c0c"},
        "encoding": {axis: {"datum": 0}},
    }
    return [{"zero": 0}], body


def _field(name: str, kind: str, **rest: Any) -> Spec:
    return dict(sorted({"field": name, "type": kind, **rest}.items()))


def comparator_bar_spec(
    data: pd.DataFrame,
    *,
    council_code: str,
    value: str,
    title: str,
    unit: str,
    label: str = "name",
    code: str = "gss_code",
    median: float | None = None,
) -> Spec:
    """Return the spec of :func:`councilpack.charts.comparator_bar` with the same arguments."""
    codes, names = list(data[code]), list(data[label])
    shown = [
        f"{name} (this council)" if gss == council_code else name
        for gss, name in zip(codes, names, strict=True)
    ]
    groups = ["This council" if gss == council_code else "Comparator" for gss in codes]
    numbers = data[value].tolist()
    value_title = axis_title(unit, numbers)
    tooltip_format = "$,.0f" if "GBP" in unit else ",.1f"
    bars: Spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "color": _field(
                "group",
                "nominal",
                legend={"title": None},
                scale={"domain": ["This council", "Comparator"], "range": [HIGHLIGHT, MUTED]},
            ),
            "tooltip": [
                _field("council", "nominal", title="Council"),
                _field(value, "quantitative", title=axis_title(unit), format=tooltip_format),
            ],
            "x": _field(
                value, "quantitative", title=value_title, axis=_axis(unit, numbers, value_title)
            ),
            "y": _field("council", "nominal", sort="-x", title=None),
        },
    }
    columns = {code: data[code], label: data[label], value: data[value]}
    if len({*columns, "council", "group"}) == 5 and all(isinstance(n, str) for n in shown):
        # What records() writes for these columns and the two added ones (strings).
        bar_values = _records_of(
            [*columns, "council", "group"],
            [*(_column_values(c) for c in columns.values()), shown, groups],
        )
    else:
        frame = data[[code, label, value]].copy()
        frame["council"], frame["group"] = shown, groups
        bar_values = records(frame)
    layers = [(bar_values, bars)]
    if data[value].min() < 0:
        layers.append(_zero_rule("x"))
    if median is not None:
        rule: Spec = {
            "mark": {"type": "rule", "color": PALETTE[4], "strokeDash": [6, 4], "strokeWidth": 2},
            "encoding": {
                "tooltip": [
                    _field("median", "quantitative", title="Group median", format=tooltip_format)
                ],
                "x": _field("median", "quantitative"),
            },
        }
        median_values = (
            [{"median": float(median) if math.isfinite(median) else None, "label": "Group median"}]
            if isinstance(median, float)
            else records(pd.DataFrame({"median": [median], "label": ["Group median"]}))
        )
        layers.append((median_values, rule))
    return _top_level(layers, {"title": title})


def trend_with_band_spec(
    data: pd.DataFrame,
    *,
    title: str,
    unit: str,
    council_label: str,
    group_label: str,
    period: str = "period",
    council: str = "council",
    median: str = "median",
    lower: str = "lower_quartile",
    upper: str = "upper_quartile",
) -> Spec:
    """Return the spec of :func:`councilpack.charts.trends.trend_with_band`, same arguments."""
    fmt = "$,.0f" if "GBP" in unit else ",.1f"  # trends.axis_format
    # Row by row (each year's four figures), as data[[...]].to_numpy().ravel() gives them.
    numbers = np.column_stack(
        [data[column].to_numpy(dtype=float) for column in (council, median, lower, upper)]
    ).ravel()
    values = [float(v) for v in numbers if not math.isnan(v)]  # missing years left out
    title_of_values = axis_title(unit, values)
    axis = _axis(unit, values, title_of_values)
    council_name = f"{council_label} (this council)"
    median_name = f"Median, {group_label}"
    band_name = f"Middle half, {group_label}"
    band_values, line_values = _trend_records(
        data, (period, council, median, lower, upper), council_name, median_name, band_name
    )
    x = _field(period, "ordinal", title="Financial year", axis={"labelAngle": 0})
    legend = {"labelLimit": LEGEND_LABEL_LIMIT, "title": None}
    band: Spec = {
        "mark": {"type": "area", "color": MUTED, "opacity": 0.35},
        "encoding": {
            "fill": _field("band", "nominal", legend=dict(legend), scale={"range": [MUTED]}),
            "tooltip": [
                _field(period, "ordinal", title="Year"),
                _field(lower, "quantitative", title="Lower quartile", format=fmt),
                _field(upper, "quantitative", title="Upper quartile", format=fmt),
            ],
            "x": x,
            "y": _field(lower, "quantitative", title=title_of_values, axis=axis),
            "y2": {"field": upper},
        },
    }
    domain = [council_name, median_name]
    line: Spec = {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "color": _field(
                "series",
                "nominal",
                legend=dict(legend),
                scale={"domain": domain, "range": [HIGHLIGHT, PALETTE[4]]},
            ),
            "strokeDash": _field(
                "series",
                "nominal",
                legend=dict(legend),
                scale={"domain": list(domain), "range": [[1, 0], [6, 4]]},
            ),
            "tooltip": [
                _field(period, "ordinal", title="Year"),
                _field("series", "nominal", title="Line"),
                _field("value", "quantitative", title=title_of_values, format=fmt),
            ],
            "x": x,
            "y": _field("value", "quantitative", title=title_of_values, axis=axis),
        },
    }
    layers = [(band_values, band), (line_values, line)]
    if values and min(values) < 0:
        layers.append(_zero_rule("y"))
    extra = {
        "height": 300,
        "resolve": {"scale": {"fill": "independent"}},
        "title": title,
        "width": 560,
    }
    return _top_level(layers, extra)


def _trend_records(
    data: pd.DataFrame,
    columns: tuple[str, str, str, str, str],
    council_name: str,
    median_name: str,
    band_name: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the band's and the lines' records of :func:`trend_with_band_spec`.

    The band: every column and ``band``, for the years with both quartiles. The
    lines: ``period``, ``series`` and ``value``, the council's years then the
    median's, each without its missing years (the long form ``melt`` gives).
    """
    period, council, median, lower, upper = columns
    floats = all(data[c].dtype == np.float64 for c in columns[1:])
    if not floats or len(set(columns) | {"band", "series", "value"}) != 8:
        # Not the frame our analyses give: the general path.
        frame = data[list(columns)].copy()
        long = frame.melt(id_vars=[period], value_vars=[council, median], var_name="series")
        long["series"] = long["series"].map({council: council_name, median: median_name})
        frame["band"] = band_name
        return records(frame.dropna(subset=[lower, upper])), records(long.dropna(subset=["value"]))
    # numpy float columns: records() writes each value as a float (None if not finite);
    # dropna drops exactly the NaNs.
    written = {c: _column_values(data[c]) for c in columns}
    missing = {c: np.isnan(data[c].to_numpy()).tolist() for c in columns[1:]}
    band = [
        {**{str(c): written[c][row] for c in columns}, "band": band_name}
        for row in range(len(data))
        if not (missing[lower][row] or missing[upper][row])
    ]
    lines = [
        {str(period): written[period][row], "series": name, "value": written[column][row]}
        for column, name in ((council, council_name), (median, median_name))
        for row in range(len(data))
        if not missing[column][row]
    ]
    return band, lines


class SpecChartResult(ChartResult):
    """A :class:`ChartResult` whose Vega-Lite spec is built directly (:mod:`.specs`).

    :func:`councilpack.charts.show` displays :attr:`spec`; :attr:`chart`, the
    Altair chart of the same spec, is built on first use (exploration in
    JupyterLab), never in a report build.
    """

    spec: Spec

    def __init__(
        self,
        spec: Spec,
        build_chart: Callable[[], alt.TopLevelMixin],
        description: str,
        table: pd.DataFrame,
        table_caption: str = DEFAULT_TABLE_CAPTION,
        units: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "spec", spec)
        object.__setattr__(self, "_build_chart", build_chart)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "table_caption", table_caption)
        object.__setattr__(self, "units", dict(units or {}))
        object.__setattr__(self, "decimals", {})

    @cached_property
    def chart(self) -> alt.TopLevelMixin:
        """The Altair chart (built by the Altair chart function on first use)."""
        build: Callable[[], alt.TopLevelMixin] = self.__dict__["_build_chart"]
        return build()

    @property
    def title(self) -> str:
        """Return the chart's active title."""
        title = self.spec.get("title", "")
        return title if isinstance(title, str) else ""
