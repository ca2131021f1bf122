"""Finance charts, each a :class:`~councilpack.charts.ChartResult` ready for ``charts.show``."""

from __future__ import annotations

import pandas as pd

from councilpack.charts import ChartResult, comparator_bar
from councilpack.charts.trends import trend_with_band
from councilpack.finance.analysis import FinanceAnalysis, IndicatorResult
from councilpack.finance.findings import group_phrase
from councilpack.finance.indicators import NOT_DRAWING_DOWN


def _title(*words: str) -> str:
    text = " ".join(w for w in words if w)
    parts = text.split()
    return " ".join(parts[:10])


def _lower_first(label: str) -> str:
    """Return a label for mid-sentence: 'Net revenue ...' -> 'net revenue ...', 'NRE' unchanged."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


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
    frame = result.group_values.copy()
    frame["value"] = frame["value"].astype(float)
    chart = comparator_bar(
        frame,
        council_code=analysis.council.gss_code,
        value="value",
        title=_title(spec.short_label + ",", result.period),
        unit=spec.unit,
        median=position.median if position else float(frame["value"].median()),
    )
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
    table = pd.DataFrame(
        {
            "Council": [
                f"{n} (this council)" if c == analysis.council.gss_code else n
                for c, n in zip(frame["gss_code"], frame["name"], strict=True)
            ],
            spec.short_label: frame["value"].to_numpy(),
            "Note": [NOT_DRAWING_DOWN if s == NOT_DRAWING_DOWN else "" for s in frame["status"]],
        }
    ).sort_values("Council", ignore_index=True)
    if not table["Note"].any():
        table = table.drop(columns="Note")
    return ChartResult(
        chart,
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
    chart = trend_with_band(
        trend,
        title=_title(spec.short_label + ",", f"{trend['period'].iloc[0]} to {result.period}"),
        unit=spec.unit,
        council_label=analysis.council.name,
        group_label=group_label,
    )
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
    table = trend.rename(
        columns={
            "period": "Year",
            "council": analysis.council.name,
            "median": "Group median",
            "lower_quartile": "Lower quartile",
            "upper_quartile": "Upper quartile",
            "councils": "Councils with a figure",
        }
    )
    units = dict.fromkeys(
        (analysis.council.name, "Group median", "Lower quartile", "Upper quartile"), spec.unit
    )
    return ChartResult(
        chart,
        " ".join(parts),
        table,
        f"{spec.label}: {analysis.council.name} and {group_label}",
        units,
    )
