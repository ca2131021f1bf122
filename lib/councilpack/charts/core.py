"""Theme registration and chart display helpers."""

from __future__ import annotations

import datetime
import html
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import altair as alt
import numpy as np
import pandas as pd

from councilpack import markup
from councilpack.errors import ArgumentError
from councilpack.markup import Markdown
from councilpack.wording import (
    COLUMN_DECIMALS,
    SURVEY_DECIMALS,
    format_date,
    format_number,
    format_value,
    plain_label,
)

#: The analysis object a report section is drawn from (see :func:`show_each`).
AnalysisT = TypeVar("AnalysisT")

#: Government Analysis Function categorical palette, in its recommended order.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
HIGHLIGHT = PALETTE[0]
MUTED = "#BFBFBF"
VEGALITE_MIME = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"
MAX_TITLE_WORDS = 10
#: Widest legend label in pixels before Vega cuts it with "...": wide enough for
#: "Median, Oflog nearest neighbours (2024)" at 12px.
LEGEND_LABEL_LIMIT = 480
#: Vega (d3) number format of a survey percentage in a tooltip: whole per cent, as the
#: sentences and data tables give it (JavaScript rounds an exact half up, as the library does).
SURVEY_FORMAT = f",.{SURVEY_DECIMALS}f"
#: Caption of a chart's data table when the chart names none.
DEFAULT_TABLE_CAPTION = "Data for this chart"

_GB_NUMBER_LOCALE: alt.theme.NumberLocaleKwds = {
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
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": LEGEND_LABEL_LIMIT,
            },
            "bar": {"color": HIGHLIGHT},
            "line": {"color": HIGHLIGHT, "strokeWidth": 2.5},
            "point": {"color": HIGHLIGHT, "filled": True, "size": 60},
        }
    }


def money_axis_scale(values: pd.Series | list[float]) -> tuple[float, str]:
    """Return (divisor, suffix) so a money axis reads in £bn, £m or £k, never full pounds.

    Examples
    --------
    >>> money_axis_scale([550_000_000, 120_000_000])
    (1000000.0, 'm')
    >>> money_axis_scale([950.0, 1_800.0])
    (1.0, '')
    """
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    largest = max(finite, default=0.0)
    if largest >= 1e9:
        return 1e9, "bn"
    if largest >= 1e6:
        return 1e6, "m"
    if largest >= 1e4:
        return 1e3, "k"
    return 1.0, ""


def value_axis(unit: str, values: pd.Series | list[float], title: str | None = None) -> alt.Axis:
    """Return the house axis for a quantity in ``unit``: money in £m or £k, GB separators.

    A change that can be negative gets a zero tick through :func:`zero_rule`.
    """
    title = title if title is not None else axis_title(unit, values)
    if unit == "GBP":
        divisor, suffix = money_axis_scale(values)
        if divisor > 1:
            expression = f"'£' + format(datum.value / {divisor:g}, ',.1~f') + '{suffix}'"
            return alt.Axis(title=title, labelExpr=expression)
        return alt.Axis(title=title, format="$,.0f")
    if "GBP" in unit:
        return alt.Axis(title=title, format="$,.0f")
    return alt.Axis(title=title, format=",.1~f")


def axis_title(unit: str, values: pd.Series | list[float] | None = None) -> str:
    """Return a plain axis title for a unit: "£ per head", "Per cent", "£ million"."""
    if unit == "GBP":
        _divisor, suffix = money_axis_scale(values if values is not None else [])
        return {"bn": "£ billion", "m": "£ million", "k": "£ thousand"}.get(suffix, "£")
    if unit.startswith("GBP "):
        return "£ " + unit.removeprefix("GBP ").strip()
    if unit == "percent":
        return "Per cent"
    return unit[:1].upper() + unit[1:]


def zero_rule(axis: str = "x") -> alt.Chart:
    """Return a solid rule at zero, layered on charts of changes that can be negative."""
    encoding = {axis: alt.datum(0)}
    # A reference line, not data: hidden from assistive technology (the axis reads zero).
    return (
        alt.Chart(pd.DataFrame({"zero": [0]}))
        .mark_rule(color="#0b0c0c", aria=False)
        .encode(**encoding)
    )


def _title_text(chart: alt.TopLevelMixin) -> str:
    title = getattr(chart, "title", alt.Undefined)
    text = title if isinstance(title, str) else getattr(title, "text", "")
    return text if isinstance(text, str) else ""


def _check_title(chart: alt.TopLevelMixin) -> None:
    _check_title_text(_title_text(chart))


def _check_title_text(text: str) -> None:
    if len(text.split()) > MAX_TITLE_WORDS:
        raise ChartTooLongTitleError(
            f"chart title has {len(text.split())} words (at most {MAX_TITLE_WORDS}): {text!r}"
        )


def data_table_html(
    table: pd.DataFrame,
    caption: str,
    units: dict[str, str] | None = None,
    decimals: dict[str, int] | None = None,
) -> str:
    """Return an accessible HTML table (caption, scoped headers) of a chart's data.

    Column names are shown through :func:`councilpack.wording.plain_label`
    (``base_effective`` reads "Effective base"); numbers go through the one
    rounding path (:func:`councilpack.wording.format_number`); dates read as
    dates ("October 2023"); missing values are left blank.

    Parameters
    ----------
    table
        The data, one row per mark.
    caption
        Table caption.
    units
        Column -> unit, to format numbers (``GBP``, ``percent`` ...).
    decimals
        Column -> decimal places for numbers without a unit; otherwise whole
        numbers when every figure in the column is whole, else one place
        (two for a design effect).
    """
    units = units or {}
    places = {**COLUMN_DECIMALS, **(decimals or {})}
    head = "".join(f"<th scope='col'>{html.escape(plain_label(c))}</th>" for c in table.columns)
    # Column by column, then row by row: the values a row iteration gives
    # (``itertuples``), without building a tuple per row.
    columns = [column for _, column in table.items()]
    formats = [
        (units.get(name), places[str(name)] if str(name) in places else _default_places(column))
        for name, column in zip(table.columns, columns, strict=True)
    ]
    cells = [
        [_cell_text(value, unit, decimals) for value in column]
        for column, (unit, decimals) in zip(columns, formats, strict=True)
    ]
    body_rows = [] if cells else ["<tr></tr>"] * len(table)
    for row in zip(*cells, strict=True):
        texts = [html.escape(text) for text in row]
        first = f"<th scope='row'>{texts[0]}</th>" if texts else ""
        rest = "".join(f"<td>{text}</td>" for text in texts[1:])
        body_rows.append(f"<tr>{first}{rest}</tr>")
    return (
        f"<table class='cp-data'><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>"
    )


def _default_places(column: pd.Series) -> int:
    numbers = pd.to_numeric(column, errors="coerce") if column.dtype == object else column
    if not pd.api.types.is_float_dtype(numbers):
        return 0
    if isinstance(numbers.dtype, np.dtype):
        # numpy floats: the same test as the Series methods below, without their overhead.
        values = numbers.to_numpy()
        finite = values[~np.isnan(values)]
        return 0 if finite.size == 0 or bool((finite == np.round(finite)).all()) else 1
    finite = numbers.dropna()
    return 0 if finite.empty or bool((finite == finite.round()).all()) else 1


def _cell_text(value: object, unit: str | None, places: int) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | datetime.date):
        return format_date(value)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if unit is not None:
            return format_value(number, unit)
        return format_number(number, places)
    return str(value)


@dataclass(frozen=True)
class ChartResult:
    """A chart ready to show: the Altair chart, its text description and its data table.

    Every chart function of the analyses returns one, and :func:`show` displays
    any of them the same way: the chart with its description (the alternative
    text and caption of the exported figure), then its data as an accessible
    table, so colour is never the only cue.

    Attributes
    ----------
    chart
        The Altair chart, built on the councilpack theme; its active title is
        :attr:`title`.
    description
        One or two sentences saying what the chart shows and its main message;
        the figure's alternative text and caption.
    table
        The figures plotted, one row per mark, for a reader who cannot see the
        chart (shown under it by :func:`show`).
    table_caption
        Caption of that table.
    units
        Column -> unit (``GBP``, ``percent`` ...) to format the table's numbers;
        columns not named are formatted by :func:`data_table_html`'s defaults.
    decimals
        Column -> decimal places for numbers without a unit whose column name
        :data:`councilpack.wording.COLUMN_DECIMALS` does not know (a survey's
        ``% positive``: :data:`councilpack.wording.SURVEY_DECIMALS`).
    """

    chart: alt.TopLevelMixin
    description: str
    table: pd.DataFrame
    table_caption: str = DEFAULT_TABLE_CAPTION
    units: Mapping[str, str] = field(default_factory=dict)
    decimals: Mapping[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """Return the chart's active title ('' when it has none)."""
        return _title_text(self.chart)

    def table_html(self) -> str:
        """Return the chart's data as the accessible table :func:`show` puts under it."""
        return data_table_html(
            self.table, self.table_caption, dict(self.units), dict(self.decimals)
        )


def with_description(spec: Mapping[str, Any], description: str) -> dict[str, Any]:
    """Return ``spec`` with its ``description``, where Altair's ``to_dict`` puts it.

    Altair writes a layer chart's keys as the theme's ``config``, ``layer``, its
    other properties in alphabetical order, then ``$schema`` and ``datasets``.
    """
    head = {key: spec[key] for key in ("config", "layer") if key in spec}
    tail = {key: spec[key] for key in ("$schema", "datasets") if key in spec}
    rest = {key: item for key, item in spec.items() if key not in head and key not in tail}
    return {**head, **dict(sorted({**rest, "description": description}.items())), **tail}


class _ChartDisplay:
    """A chart as a MIME bundle: Vega-Lite JSON for renderers, HTML for older front ends.

    The spec is not checked against the Vega-Lite schema here: the check took
    about a third of a finance report's chart time and every chart is ours,
    built by the same functions for every council. The tests check every spec
    the demo finance and outcomes reports show
    (``tests/unit/charts/test_report_specs.py``).
    """

    def __init__(self, chart: alt.SchemaBase | dict[str, Any], description: str) -> None:
        self.spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
        self.description = description

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {VEGALITE_MIME: self.spec, "text/plain": f"Chart: {self.description}"}


def show(
    chart: ChartResult | alt.TopLevelMixin,
    *,
    description: str | None = None,
    table: pd.DataFrame | None = None,
    table_caption: str = DEFAULT_TABLE_CAPTION,
    units: Mapping[str, str] | None = None,
) -> None:
    """Display a chart with its text description and its data as a table.

    The description is stored in the chart spec (``description``) so the HTML
    export can give the figure an accessible name and caption; the data table
    follows in a disclosure widget so colour is never the only cue.

    Parameters
    ----------
    chart
        A :class:`ChartResult` (what every analysis's chart functions return),
        shown with its own description, table, caption and units; or a bare
        Altair chart built with the councilpack theme, described by the
        keyword arguments (exploration in a notebook).
    description
        For a bare chart: one or two sentences saying what the chart shows and
        its main message.
    table
        For a bare chart: its data for a reader who cannot see the chart.
    table_caption
        For a bare chart: caption of that table.
    units
        For a bare chart: column -> unit, used to format the table's numbers.

    Raises
    ------
    ArgumentError
        A :class:`ChartResult` given with keyword arguments as well, a bare
        chart without a description, or a title over ten words.
    """
    from IPython.display import display

    table_html: str | None
    if isinstance(chart, ChartResult):
        if description is not None or table is not None or units is not None:
            raise ArgumentError(
                "show(result) takes its description, table and units from the ChartResult"
            )
        result = chart
        spec = getattr(result, "spec", None)  # charts.specs.SpecChartResult: built directly
        if spec is not None:
            _check_title_text(result.title)
            display(_ChartDisplay(with_description(spec, result.description), result.description))
            _show_table(result.table_html())
            return
        chart, description, table_html = result.chart, result.description, result.table_html()
    else:
        table_html = (
            None if table is None else data_table_html(table, table_caption, dict(units or {}))
        )
    if description is None or not description.strip():
        raise ArgumentError("every chart needs a text description")
    _check_title(chart)
    # chart.properties(description=...) without its schema check of the string.
    described = cast("alt.SchemaBase", chart).copy(deep=False)
    described.description = description
    display(_ChartDisplay(described, description))
    if table_html is not None:
        _show_table(table_html)


def show_each(
    analysis: AnalysisT,
    identifiers: Iterable[str],
    text: Callable[[AnalysisT, str], Markdown],
    *charts: Callable[[AnalysisT, str], ChartResult | None],
) -> None:
    """Display each indicator or measure of a report section: its sentence, then its charts.

    For each identifier: ``text(analysis, identifier)`` as Markdown, then each
    chart function's result through :func:`show` (for example the comparator
    chart, then the trend chart); a chart function returns ``None`` when the
    data do not allow the chart, and nothing is shown for it.
    """
    for identifier in identifiers:
        markup.show(text(analysis, identifier))
        for chart in charts:
            result = chart(analysis, identifier)
            if result is not None:
                show(result)


def _show_table(table_html: str) -> None:
    from IPython.display import HTML, display

    display(
        HTML(
            "<details class='cp-chart-data'><summary>Show the data as a table</summary>"
            + table_html
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
    axis = value_axis(unit, frame[value].tolist())
    tooltip_format = "$,.0f" if "GBP" in unit else ",.1f"
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=axis_title(unit, frame[value].tolist()), axis=axis),
            y=alt.Y("council:N", sort="-x", title=None),
            color=alt.Color(
                "group:N",
                scale=alt.Scale(domain=["This council", "Comparator"], range=[HIGHLIGHT, MUTED]),
                legend=alt.Legend(title=None),
            ),
            tooltip=[
                alt.Tooltip("council:N", title="Council"),
                alt.Tooltip(f"{value}:Q", title=axis_title(unit), format=tooltip_format),
            ],
        )
    )
    layers: list[alt.Chart] = [bars]
    if frame[value].min() < 0:
        layers.append(zero_rule("x"))
    if median is None:
        return alt.layer(*layers, title=title)
    rule = (
        alt.Chart(pd.DataFrame({"median": [median], "label": ["Group median"]}))
        .mark_rule(strokeDash=[6, 4], color=PALETTE[4], strokeWidth=2)
        .encode(
            x="median:Q",
            tooltip=[alt.Tooltip("median:Q", title="Group median", format=tooltip_format)],
        )
    )
    return alt.layer(*layers, rule, title=title)
