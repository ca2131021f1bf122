"""Time-series chart: a council against its comparator median and interquartile band.

Generic helper on the councilpack theme; colour is never the only cue (the
council's line is solid with points, the median dashed, the band labelled).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from councilpack.charts.core import HIGHLIGHT, MUTED, PALETTE


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
            y=alt.Y(f"{lower}:Q", title=unit, axis=alt.Axis(format=fmt)),
            y2=f"{upper}:Q",
            fill=alt.Fill("band:N", scale=alt.Scale(range=[MUTED]), legend=alt.Legend(title=None)),
            tooltip=[
                alt.Tooltip(f"{period}:O", title="Year"),
                alt.Tooltip(f"{lower}:Q", title="Lower quartile", format=fmt),
                alt.Tooltip(f"{upper}:Q", title="Upper quartile", format=fmt),
            ],
        )
    )
    series_scale = alt.Scale(domain=[council_name, median_name], range=[HIGHLIGHT, PALETTE[4]])
    dash_scale = alt.Scale(domain=[council_name, median_name], range=[[1, 0], [6, 4]])
    line = (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit, axis=alt.Axis(format=fmt)),
            color=alt.Color("series:N", scale=series_scale, legend=alt.Legend(title=None)),
            strokeDash=alt.StrokeDash("series:N", scale=dash_scale, legend=alt.Legend(title=None)),
            tooltip=[
                alt.Tooltip(f"{period}:O", title="Year"),
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title=unit, format=fmt),
            ],
        )
    )
    chart = alt.layer(band, line, title=title).resolve_scale(fill="independent")
    return chart.properties(width=560, height=300)
