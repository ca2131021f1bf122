"""Theme registration and chart display helpers."""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import pandas as pd

from councilpack.errors import ArgumentError
from councilpack.wording import format_value

#: Government Analysis Function categorical palette, in its recommended order.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
HIGHLIGHT = PALETTE[0]
MUTED = "#BFBFBF"
VEGALITE_MIME = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"
MAX_TITLE_WORDS = 10

_GB_NUMBER_LOCALE = {
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],
    "currency": ["£", ""],
}


class ChartTooLongTitleError(ArgumentError):
    """A chart title is longer than the house style's ten words."""


@alt.theme.register("councilpack", enable=True)
def _councilpack_theme() -> alt.theme.ThemeConfig:
    font = "Arial, Helvetica, sans-serif"
    return {
        "config": {
            "locale": {"number": _GB_NUMBER_LOCALE},
            "font": font,
            "background": "#ffffff",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "range": {"category": list(PALETTE)},
            "title": {"anchor": "start", "fontSize": 16, "fontWeight": "bold", "color": "#0b0c0c"},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": "#0b0c0c",
                "titleColor": "#0b0c0c",
                "gridColor": "#e5e5e5",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "bar": {"color": HIGHLIGHT},
            "line": {"color": HIGHLIGHT, "strokeWidth": 2.5},
            "point": {"color": HIGHLIGHT, "filled": True, "size": 60},
        }
    }


def _check_title(chart: alt.TopLevelMixin) -> None:
    title = getattr(chart, "title", alt.Undefined)
    text = title if isinstance(title, str) else getattr(title, "text", "")
    if isinstance(text, str) and len(text.split()) > MAX_TITLE_WORDS:
        raise ChartTooLongTitleError(
            f"chart title has {len(text.split())} words (at most {MAX_TITLE_WORDS}): {text!r}"
        )


def data_table_html(table: pd.DataFrame, caption: str, units: dict[str, str] | None = None) -> str:
    """Return an accessible HTML table (caption, scoped headers) of a chart's data.

    Parameters
    ----------
    table
        The data, one row per mark.
    caption
        Table caption.
    units
        Column -> unit, to format numbers (``GBP``, ``percent`` ...).
    """
    units = units or {}
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in table.columns)
    body_rows = []
    for row in table.itertuples(index=False):
        cells = []
        for position, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if isinstance(value, float) and column in units:
                text = format_value(value, units[column])
            elif isinstance(value, float):
                text = f"{value:,.2f}"
            else:
                text = str(value)
            tag = "th scope='row'" if position == 0 else "td"
            cells.append(f"<{tag}>{html.escape(text)}</{tag.split()[0]}>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table class='cp-data'><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>"
    )


class _ChartDisplay:
    """A chart as a MIME bundle: Vega-Lite JSON for renderers, HTML for older front ends."""

    def __init__(self, chart: alt.TopLevelMixin, description: str) -> None:
        self.spec = chart.to_dict()
        self.description = description

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {VEGALITE_MIME: self.spec, "text/plain": f"Chart: {self.description}"}


def show(
    chart: alt.TopLevelMixin,
    *,
    description: str,
    table: pd.DataFrame | None = None,
    table_caption: str = "Data for this chart",
    units: dict[str, str] | None = None,
) -> None:
    """Display a chart with its text description and its data as a table.

    The description is stored in the chart spec (``description``) so the HTML
    export can give the figure an accessible name and caption; the data table
    follows in a disclosure widget so colour is never the only cue.

    Parameters
    ----------
    chart
        An Altair chart built with the councilpack theme.
    description
        One or two sentences saying what the chart shows and its main message.
    table
        The chart's data for a reader who cannot see the chart.
    table_caption
        Caption of that table.
    units
        Column -> unit, used to format the table's numbers.
    """
    from IPython.display import HTML, display

    if not description.strip():
        raise ArgumentError("every chart needs a text description")
    _check_title(chart)
    chart = chart.properties(description=description)
    display(_ChartDisplay(chart, description))
    if table is not None:
        display(
            HTML(
                "<details class='cp-chart-data'><summary>Show the data as a table</summary>"
                + data_table_html(table, table_caption, units)
                + "</details>"
            )
        )


def comparator_bar(
    data: pd.DataFrame,
    *,
    council_code: str,
    value: str,
    title: str,
    unit: str,
    label: str = "name",
    code: str = "gss_code",
    median: float | None = None,
) -> alt.LayerChart | alt.Chart:
    """Bar chart of one indicator across a comparator group, the council highlighted.

    The council's bar is dark blue and labelled "(this council)" in its axis label,
    so colour is never the only cue; the group median is a dashed rule.

    Parameters
    ----------
    data
        One row per council with columns ``code``, ``label`` and ``value``.
    council_code
        GSS code of the council to highlight.
    value
        Column holding the indicator.
    title
        Active title (ten words or fewer).
    unit
        Unit of the indicator (``GBP per head``, ``percent`` ...) for the axis format.
    label
        Column with council names.
    code
        Column with GSS codes.
    median
        Group median, drawn as a rule when given.
    """
    frame = data[[code, label, value]].copy()
    frame["council"] = [
        f"{name} (this council)" if gss == council_code else name
        for gss, name in zip(frame[code], frame[label], strict=True)
    ]
    frame["group"] = [
        "This council" if gss == council_code else "Comparator" for gss in frame[code]
    ]
    axis_format = {"percent": ",.1f", "GBP": "$,.0f"}.get(
        unit, "$,.0f" if "GBP" in unit else ",.1f"
    )
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=unit, axis=alt.Axis(format=axis_format)),
            y=alt.Y("council:N", sort="-x", title=None),
            color=alt.Color(
                "group:N",
                scale=alt.Scale(domain=["This council", "Comparator"], range=[HIGHLIGHT, MUTED]),
                legend=alt.Legend(title=None),
            ),
            tooltip=[
                alt.Tooltip("council:N", title="Council"),
                alt.Tooltip(f"{value}:Q", title=unit, format=axis_format),
            ],
        )
    )
    if median is None:
        return bars.properties(title=title)
    rule = (
        alt.Chart(pd.DataFrame({"median": [median], "label": ["Group median"]}))
        .mark_rule(strokeDash=[6, 4], color=PALETTE[4], strokeWidth=2)
        .encode(
            x="median:Q",
            tooltip=[alt.Tooltip("median:Q", title="Group median", format=axis_format)],
        )
    )
    return alt.layer(bars, rule, title=title)
