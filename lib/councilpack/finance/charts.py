"""Finance charts, each a :class:`~councilpack.charts.ChartResult` ready for ``charts.show``."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from councilpack.charts import ChartResult, comparator_bar
from councilpack.charts.core import MAX_TITLE_WORDS
from councilpack.charts.specs import SpecChartResult, comparator_bar_spec, trend_with_band_spec
from councilpack.charts.trends import trend_with_band
from councilpack.finance.analysis import FinanceAnalysis, IndicatorResult
from councilpack.finance.findings import group_phrase
from councilpack.finance.indicators import NOT_DRAWING_DOWN


def active_title(*words: str) -> str:
    """Return the words as a chart title, cut to the house style's ten words.

    Examples
    --------
    >>> active_title("Net revenue expenditure per head,", "2023-24")
    'Net revenue expenditure per head, 2023-24'
    """
    return " ".join(" ".join(w for w in words if w).split()[:MAX_TITLE_WORDS])


def comparator_table(
    frame: pd.DataFrame, council_code: str, column: str, notes: list[str] | None = None
) -> pd.DataFrame:
    """Return the table under a comparator bar chart: one row per council, alphabetical.

    Parameters
    ----------
    frame
        The group's figures: ``gss_code``, ``name`` and ``value``.
    council_code
        The council, named "(this council)" so the table does not rely on the chart's colour.
    column
        Heading of the value column (the indicator's short label).
    notes
        A note per row of ``frame`` (a "Note" column), or ``None`` for none.
    """
    columns: dict[str, object] = {
        "Council": [
            f"{n} (this council)" if c == council_code else n
            for c, n in zip(frame["gss_code"], frame["name"], strict=True)
        ],
        column: frame["value"].to_numpy(),
    }
    if notes is not None:
        columns["Note"] = notes
    return pd.DataFrame(columns).sort_values("Council", ignore_index=True)


def trend_table(
    trend: pd.DataFrame, council_name: str, unit: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the table under a trend chart with reader-facing headings, and its units.

    Parameters
    ----------
    trend
        ``period``, ``council``, ``median``, ``lower_quartile``, ``upper_quartile``
        and ``councils`` (members with a figure), one row per year.
    council_name
        Heading of the council's column.
    unit
        Unit of the figures (the count of councils has none).
    """
    headings = {
        "period": "Year",
        "council": council_name,
        "median": "Group median",
        "lower_quartile": "Lower quartile",
        "upper_quartile": "Upper quartile",
        "councils": "Councils with a figure",
    }
    # rename(columns=headings), without its per-call overhead.
    table = trend.set_axis([headings.get(c, c) for c in trend.columns], axis=1)
    units = dict.fromkeys((council_name, "Group median", "Lower quartile", "Upper quartile"), unit)
    return table, units


def _lower_first(label: str) -> str:
    """Return a label for mid-sentence: 'Net revenue ...' -> 'net revenue ...', 'NRE' unchanged."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def bar_chart_arguments(
    group_values: pd.DataFrame, council_code: str, title: str, unit: str, median: float | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the frame and keyword arguments of a comparator bar chart (finance, outcomes).

    ``median`` is the group position's median; ``None`` takes the frame's own.
    """
    frame = group_values.copy()
    if frame["value"].dtype != np.float64:
        frame["value"] = frame["value"].astype(float)
    return frame, {
        "council_code": council_code,
        "value": "value",
        "title": title,
        "unit": unit,
        "median": median if median is not None else float(frame["value"].median()),
    }


def comparator_chart(analysis: FinanceAnalysis, identifier: str) -> ChartResult | None:
    """Bar chart of one indicator across the primary group, the council highlighted.

    Returns ``None`` when there is no comparator group or no member has a figure.
    """
    result = analysis.results[identifier]
    group = analysis.primary
    if group is None or result.group_values.empty:
        return None
    spec = result.spec
    position = result.positions.get(group.kind)
    frame, bar_arguments = bar_chart_arguments(
        result.group_values,
        analysis.council.gss_code,
        active_title(spec.short_label + ",", result.period),
        spec.unit,
        position.median if position else None,
    )
    vega_lite = comparator_bar_spec(frame, **bar_arguments)
    # The caption says what the chart shows; the finding it illustrates is in the paragraph
    # above, and repeating it word for word under the chart doubles the report's length.
    councils = len(frame)
    if result.available:
        description = (
            f"Bar chart of {_lower_first(spec.label)} in {result.period} for the {councils} councils "
            f"of {group_phrase(group)} with a figure; {analysis.council.name} is highlighted and "
            "the group median is marked."
        )
    else:
        description = (
            f"{spec.label} for {group_phrase(group)} in {result.period}; "
            f"{analysis.council.name} is not shown ({result.reason})."
        )
    if spec.kind == "sustainability":
        description += f" Councils not drawing down are shown at the {spec.cap:g}-year cap."
    notes = [NOT_DRAWING_DOWN if s == NOT_DRAWING_DOWN else "" for s in frame["status"]]
    # A "Note" column only when some council has a note.
    table = comparator_table(
        frame, analysis.council.gss_code, spec.short_label, notes if any(notes) else None
    )
    return SpecChartResult(
        vega_lite,
        partial(comparator_bar, frame, **bar_arguments),
        description,
        table,
        f"{spec.label}, {group.label}, {result.period} (alphabetical)",
        {spec.short_label: spec.unit},
    )


def trend_chart(analysis: FinanceAnalysis, identifier: str) -> ChartResult | None:
    """Time series of one indicator with the group median and interquartile band.

    Returns ``None`` when there are fewer than two years of figures.
    """
    result: IndicatorResult = analysis.results[identifier]
    trend = result.trend
    if len(trend) < 2 or trend["median"].isna().all():
        return None
    spec = result.spec
    group_label = analysis.primary.label if analysis.primary else "all councils"
    trend_arguments: dict[str, Any] = {
        "title": active_title(
            spec.short_label + ",", f"{trend['period'].iloc[0]} to {result.period}"
        ),
        "unit": spec.unit,
        "council_label": analysis.council.name,
        "group_label": group_label,
    }
    vega_lite = trend_with_band_spec(trend, **trend_arguments)
    missing = trend.loc[trend["council"].isna(), "period"].tolist()
    # What the chart shows, not the travel sentence already in the paragraph above it.
    parts = [
        (
            f"Line chart of {_lower_first(spec.label)} for {analysis.council.name} from "
            f"{trend['period'].iloc[0]} to {trend['period'].iloc[-1]} against the median of "
            f"{group_label}."
        )
    ]
    if missing:
        parts.append(
            f"{analysis.council.name} has no figure for {', '.join(missing)}, "
            "so its line has a gap there."
        )
    parts.append("The shaded band is the middle half of the group (quartiles).")
    table, units = trend_table(trend, analysis.council.name, spec.unit)
    return SpecChartResult(
        vega_lite,
        partial(trend_with_band, trend, **trend_arguments),
        " ".join(parts),
        table,
        f"{spec.label}: {analysis.council.name} and {group_label}",
        units,
    )
