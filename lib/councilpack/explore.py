"""Tidy results to explore in JupyterLab: any councils, any catalogue metric, the house theme.

Each report notebook leaves its results in named variables built here (one row per
council, indicator, group or estimate, plain column names), and
``notebooks/explore.ipynb`` puts any set of councils side by side on any metric of
the tidy store with :func:`side_by_side` and :func:`side_by_side_chart`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from councilpack.catalogue import load_catalogue
from councilpack.charts.core import (
    HIGHLIGHT,
    LEGEND_LABEL_LIMIT,
    PALETTE,
    ChartResult,
    axis_title,
    value_axis,
)
from councilpack.errors import ArgumentError, UnknownKeyError

if TYPE_CHECKING:
    from councilpack.data.model import DataContext
    from councilpack.finance.analysis import FinanceAnalysis
    from councilpack.residents.analysis import ResidentsAnalysis
    from councilpack.workforce.analysis import WorkforceAnalysis

#: Columns of :func:`side_by_side`.
SIDE_BY_SIDE_COLUMNS = ("council", "gss_code", "metric", "label", "period", "value", "unit")


def available_metrics(data: DataContext) -> pd.DataFrame:
    """Return every metric in the store: id, label, unit, years and councils with a figure.

    Parameters
    ----------
    data
        From :func:`councilpack.data.open_data`.
    """
    catalogue = load_catalogue()
    rows = []
    for metric, part in data.metrics.groupby("metric", sort=True):
        periods = sorted(part["period"].astype(str).unique())
        rows.append(
            {
                "metric": metric,
                "label": str(catalogue.get(str(metric), {}).get("label", metric)),
                "unit": str(part["unit"].iloc[0]),
                "first_period": periods[0],
                "last_period": periods[-1],
                "councils": int(part["gss_code"].nunique()),
            }
        )
    return pd.DataFrame(rows)


def side_by_side(
    data: DataContext,
    councils: Sequence[str],
    metric: str,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return one metric for a set of councils, one row per council and period.

    Parameters
    ----------
    data
        From :func:`councilpack.data.open_data`.
    councils
        GSS codes or unambiguous names, in the order wanted.
    metric
        A metric id of the store (see :func:`available_metrics`).
    periods
        Periods to keep; all when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SIDE_BY_SIDE_COLUMNS`; a council without a figure for a
        period has no row (never a made-up value).

    Raises
    ------
    councilpack.errors.UnknownKeyError
        An unknown metric (the message suggests near names) or a period the
        metric does not have (a ``KeyError`` too).
    councilpack.data.model.CouncilLookupError
        A council that is unknown or ambiguous.
    """
    known = sorted(data.metrics["metric"].unique())
    if metric not in known:
        near = difflib.get_close_matches(metric, known, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownKeyError(f"no metric {metric!r} in the data{hint}")
    resolved = [data.register.resolve(query) for query in councils]
    rows = data.metric(metric)
    if periods is not None:
        missing = sorted(set(periods) - set(rows["period"].astype(str)))
        if missing:
            raise UnknownKeyError(f"metric {metric!r} has no period {', '.join(missing)}")
        rows = rows[rows["period"].isin(list(periods))]
    label = str(load_catalogue().get(metric, {}).get("label", metric))
    names = {council.gss_code: council.name for council in resolved}
    order = {council.gss_code: position for position, council in enumerate(resolved)}
    picked = rows[rows["gss_code"].isin(list(names))].assign(
        council=lambda frame: frame["gss_code"].map(names),
        label=label,
        _order=lambda frame: frame["gss_code"].map(order),
    )
    picked = picked.sort_values(["_order", "period"], kind="stable")
    # The store keeps repeated strings (``unit``) as categoricals; the table shows strings.
    shown = picked[list(SIDE_BY_SIDE_COLUMNS)].reset_index(drop=True)
    categorical = [c for c in shown.columns if isinstance(shown[c].dtype, pd.CategoricalDtype)]
    return shown.astype(dict.fromkeys(categorical, "str"))


def side_by_side_chart(frame: pd.DataFrame, title: str | None = None) -> ChartResult:
    """Chart a :func:`side_by_side` table with the house theme, ready for ``charts.show``.

    One period: a bar per council. Several: a line per council over the
    periods, told apart by colour and dash. The first council is drawn in the
    house highlight colour. The description names the metric and how many
    councils are shown; the table is ``frame`` itself.

    Parameters
    ----------
    frame
        From :func:`side_by_side`.
    title
        Active title; by default the metric's label.
    """
    chart = _side_by_side_altair(frame, title)
    description = f"{frame['label'].iloc[0]} for {len(set(frame['council']))} councils."
    return ChartResult(chart, description, frame)


def _side_by_side_altair(frame: pd.DataFrame, title: str | None) -> alt.Chart:
    if frame.empty:
        raise ArgumentError("nothing to chart: no council has a figure for this metric")
    unit = str(frame["unit"].iloc[0])
    councils = list(dict.fromkeys(frame["council"]))
    colours = [HIGHLIGHT, *PALETTE[1:]]
    colour = alt.Color(
        "council:N",
        scale=alt.Scale(
            domain=councils, range=[colours[i % len(colours)] for i in range(len(councils))]
        ),
        legend=alt.Legend(title=None, labelLimit=LEGEND_LABEL_LIMIT),
    )
    axis = value_axis(unit, frame["value"].tolist())
    tooltip = [
        alt.Tooltip("council:N", title="Council"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value:Q", title=axis_title(unit), format="$,.0f" if "GBP" in unit else ",.1f"),
    ]
    text = title or str(frame["label"].iloc[0])
    if frame["period"].nunique() == 1:
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("value:Q", axis=axis),
                y=alt.Y("council:N", sort=councils, title=None),
                color=colour,
                tooltip=tooltip,
            )
            .properties(title=text, width=560)
        )
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", axis=axis),
            color=colour,
            strokeDash=alt.StrokeDash("council:N", sort=councils, legend=None),
            tooltip=tooltip,
        )
        .properties(title=text, width=560, height=300)
    )


def finance_indicators(analysis: FinanceAnalysis) -> pd.DataFrame:
    """Return the finance indicators of one council, one row per indicator.

    Columns: ``indicator``, ``label``, ``period``, ``value`` (NaN when not
    available), ``unit``, ``status`` and ``reason`` (why it is not available).
    """
    return pd.DataFrame(
        [
            {
                "indicator": identifier,
                "label": result.spec.label,
                "period": result.period,
                "value": float("nan") if result.value is None else float(result.value),
                "unit": result.spec.unit,
                "status": result.status,
                "reason": result.reason,
            }
            for identifier, result in analysis.results.items()
        ]
    )


def finance_positions(analysis: FinanceAnalysis) -> pd.DataFrame:
    """Return the council's position in every comparator group, one row per indicator and group.

    Columns: ``indicator``, ``group``, ``value``, ``median``, ``lower_quartile``,
    ``upper_quartile``, ``rank``, ``group_size`` and ``position`` (above, below,
    similar). Its own row in each group: not a league table.
    """
    rows = []
    for identifier, result in analysis.results.items():
        for group in analysis.groups:
            position = result.positions.get(group.kind)
            if position is None:
                continue
            rows.append(
                {
                    "indicator": identifier,
                    "group": group.label,
                    "value": position.value,
                    "median": position.median,
                    "lower_quartile": position.lower_quartile,
                    "upper_quartile": position.upper_quartile,
                    "rank": position.rank,
                    "group_size": position.group_size,
                    "position": position.position,
                }
            )
    return pd.DataFrame(rows)


def residents_estimates(analysis: ResidentsAnalysis) -> pd.DataFrame:
    """Return the survey estimates: one row per item and wave, per cent with its interval."""
    columns = ["item", "wave", "percent", "lower", "upper", "base_unweighted", "base_effective"]
    present = [c for c in columns if c in analysis.estimates.columns]
    return analysis.estimates[present].reset_index(drop=True)


def workforce_items(analysis: WorkforceAnalysis) -> pd.DataFrame:
    """Return published % positive per item, wave and group (withheld cells left out)."""
    items = analysis.items
    published = items[items["published"]]
    columns = ["item", "label", "wave", "variable", "group", "positive_pct", "base"]
    return published[[c for c in columns if c in published.columns]].reset_index(drop=True)
