"""Time-series chart: a council against its comparator median and interquartile band.

Generic helper on the councilpack theme; colour is never the only cue (the
council's line is solid with points, the median dashed, the band labelled).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from councilpack.charts.core import (
    HIGHLIGHT,
    LEGEND_LABEL_LIMIT,
    MUTED,
    PALETTE,
    SURVEY_FORMAT,
    axis_title,
    value_axis,
    zero_rule,
)


def axis_format(unit: str) -> str:
    """Return the d3 number format for an axis in ``unit`` (GB locale from the theme)."""
    if "GBP" in unit:
        return "$,.0f"
    return ",.1f"


def trend_with_band(
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
) -> alt.LayerChart:
    """Line chart of a council's figure over time, with the group median and quartile band.

    Parameters
    ----------
    data
        One row per period with the council's value (NaN when missing), the group
        median and the lower and upper quartiles.
    title
        Active title (ten words or fewer).
    unit
        Unit of the values (axis title and format).
    council_label
        Legend name of the council's line.
    group_label
        Name of the comparator group, for the median and band legend entries.
    period, council, median, lower, upper
        Column names.

    Returns
    -------
    altair.LayerChart
        Band (interquartile range), dashed median line and the council's line with
        points; a missing year leaves a gap in the council's line.
    """
    fmt = axis_format(unit)
    numbers = data[[council, median, lower, upper]].to_numpy(dtype=float).ravel()
    values = [float(v) for v in numbers if not math.isnan(v)]  # missing years left out
    axis = value_axis(unit, values)
    title_of_values = axis_title(unit, values)
    council_name = f"{council_label} (this council)"
    median_name = f"Median, {group_label}"
    band_name = f"Middle half, {group_label}"
    frame = data[[period, council, median, lower, upper]].copy()
    lines = frame.melt(id_vars=[period], value_vars=[council, median], var_name="series")
    lines["series"] = lines["series"].map({council: council_name, median: median_name})
    lines = lines.dropna(subset=["value"])
    frame["band"] = band_name
    x = alt.X(f"{period}:O", title="Financial year", axis=alt.Axis(labelAngle=0))
    band = (
        alt.Chart(frame.dropna(subset=[lower, upper]))
        .mark_area(opacity=0.35, color=MUTED)
        .encode(
            x=x,
            y=alt.Y(f"{lower}:Q", title=title_of_values, axis=axis),
            y2=f"{upper}:Q",
            fill=alt.Fill(
                "band:N",
                scale=alt.Scale(range=[MUTED]),
                legend=alt.Legend(title=None, labelLimit=LEGEND_LABEL_LIMIT),
            ),
            tooltip=[
                alt.Tooltip(f"{period}:O", title="Year"),
                alt.Tooltip(f"{lower}:Q", title="Lower quartile", format=fmt),
                alt.Tooltip(f"{upper}:Q", title="Upper quartile", format=fmt),
            ],
        )
    )
    legend = alt.Legend(title=None, labelLimit=LEGEND_LABEL_LIMIT)
    series_scale = alt.Scale(domain=[council_name, median_name], range=[HIGHLIGHT, PALETTE[4]])
    dash_scale = alt.Scale(domain=[council_name, median_name], range=[[1, 0], [6, 4]])
    line = (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=title_of_values, axis=axis),
            color=alt.Color("series:N", scale=series_scale, legend=legend),
            strokeDash=alt.StrokeDash("series:N", scale=dash_scale, legend=legend),
            tooltip=[
                alt.Tooltip(f"{period}:O", title="Year"),
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title=title_of_values, format=fmt),
            ],
        )
    )
    layers = [band, line]
    if values and min(values) < 0:
        layers.append(zero_rule("y"))  # a change below zero: the zero line is drawn
    chart = alt.layer(*layers, title=title).resolve_scale(fill="independent")
    return chart.properties(width=560, height=300)


def council_against_benchmark(
    data: pd.DataFrame,
    *,
    council: str,
    benchmark: str,
    title: str,
    y_title: str = "Per cent positive",
    domain: tuple[float, float] | None = (0, 100),
) -> alt.LayerChart:
    """Line chart of a council's survey figure over time against one benchmark line.

    The council is always the solid dark-blue line with circles and its 95 per
    cent band; the benchmark always the dashed grey line with squares, whatever
    the two are called (styles are fixed by role, not by alphabetical order), and
    the legend has one entry per line.

    Parameters
    ----------
    data
        Columns ``series`` (``council`` or ``benchmark``), ``month`` (dates),
        ``percent``, ``lower`` and ``upper`` (the interval, NaN for the benchmark).
    council, benchmark
        The two values of ``series``.
    title
        Active title (ten words or fewer).
    y_title
        Axis title of the values.
    domain
        Value axis range, or ``None`` to fit the data.
    """
    roles = [council, benchmark]
    x = alt.X("month:T", title="Fieldwork", axis=alt.Axis(format="%b %Y", tickCount="month"))
    scale = alt.Scale(domain=domain) if domain is not None else alt.Undefined
    y = alt.Y("percent:Q", title=y_title, scale=scale)
    legend = alt.Legend(title=None, labelLimit=LEGEND_LABEL_LIMIT, orient="bottom")
    band = (
        alt.Chart(data[data["series"] == council].dropna(subset=["lower", "upper"]))
        .mark_area(opacity=0.2, color=HIGHLIGHT)
        .encode(x=x, y=alt.Y("lower:Q", title=y_title, scale=scale), y2="upper:Q")
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=roles, range=[HIGHLIGHT, PALETTE[4]]),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=roles, range=[[1, 0], [6, 4]]), legend=legend
            ),
            shape=alt.Shape(
                "series:N", scale=alt.Scale(domain=roles, range=["circle", "square"]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("month:T", title="Fieldwork", format="%B %Y"),
                alt.Tooltip("percent:Q", title=y_title, format=SURVEY_FORMAT),
                alt.Tooltip("lower:Q", title="Lower 95% limit", format=SURVEY_FORMAT),
                alt.Tooltip("upper:Q", title="Upper 95% limit", format=SURVEY_FORMAT),
            ],
        )
    )  # fmt: skip
    return alt.layer(band, lines, title=title).properties(width=560, height=300)
