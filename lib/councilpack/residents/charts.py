"""Charts of residents' satisfaction: plain Altair, no colour choices of its own.

Colours come from the shared theme (``councilpack.charts``) when it is enabled;
series are told apart by line dash and mark shape as well, so colour is never
the only cue. Every function returns a :class:`ChartOutput` with a one-sentence
description and the data behind the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from councilpack.errors import UnknownKeyError
from councilpack.residents.analysis import ResidentsAnalysis
from councilpack.residents.items import LGA_ITEM_BY_ID
from councilpack.residents.wording import percent_text


@dataclass(frozen=True)
class ChartOutput:
    """A chart with its text description and data table.

    Attributes
    ----------
    chart
        The Altair chart.
    description
        One sentence describing what the chart shows, for screen readers and text.
    data
        The figures plotted, as a table.
    """

    chart: alt.TopLevelMixin
    description: str
    data: pd.DataFrame


def trend_chart(analysis: ResidentsAnalysis, item: str) -> ChartOutput:
    """Chart one item over the waves with 95 % intervals and the national figures.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.residents.analysis.analyse_residents`.
    item
        Standard item id, e.g. ``"satisfied_council"``.

    Returns
    -------
    ChartOutput
        Council line with a confidence band; national figures as a dashed line.

    Raises
    ------
    KeyError
        When the analysis has no estimates for the item.
    """
    council = analysis.estimates[analysis.estimates["item"] == item]
    if council.empty:
        raise UnknownKeyError(f"no estimates for item {item!r}")
    label = LGA_ITEM_BY_ID[item].label
    council_rows = pd.DataFrame(
        {
            "series": analysis.survey_title or "Council survey",
            "wave": council["wave"],
            "month": pd.to_datetime(council["fieldwork"] + "-01"),
            "percent": council["percent"].round(1),
            "lower": council["lower"].round(1),
            "upper": council["upper"].round(1),
            "base_unweighted": council["base_unweighted"],
        }
    )
    national = analysis.national[analysis.national["item"] == item].drop_duplicates(
        "national_fieldwork"
    )
    national_rows = pd.DataFrame(
        {
            "series": "National (LGA polling)",
            "wave": national["wave"],
            "month": pd.to_datetime(national["national_fieldwork"] + "-01"),
            "percent": national["national_percent"],
            "lower": float("nan"),
            "upper": float("nan"),
            "base_unweighted": pd.NA,
        }
    )
    data = pd.concat([council_rows, national_rows], ignore_index=True)
    x = alt.X("month:T", title="Fieldwork", axis=alt.Axis(format="%b %Y"))
    y = alt.Y("percent:Q", title="Per cent positive", scale=alt.Scale(domain=[0, 100]))
    band = (
        alt.Chart(council_rows)
        .mark_area(opacity=0.25)
        .encode(x=x, y=alt.Y("lower:Q", title="Per cent positive"), y2="upper:Q")
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            strokeDash=alt.StrokeDash("series:N", title=None),
            shape=alt.Shape("series:N", title=None),
            tooltip=["series", "wave", "percent", "lower", "upper", "base_unweighted"],
        )
    )
    chart = (band + lines).properties(title=f"{label}: trend against national polling")
    latest = council_rows.iloc[-1]
    description = (
        f"Line chart of the per cent of residents positive on '{label.lower()}' in each wave "
        f"with 95 per cent confidence bands, against national LGA polling figures; the latest "
        f"wave ({latest['wave']}) is {percent_text(float(latest['percent']))}."
    )
    return ChartOutput(chart, description, data.reset_index(drop=True))


def national_comparison_chart(analysis: ResidentsAnalysis, wave: str | None = None) -> ChartOutput:
    """Chart every item in one wave with its 95 % interval against the national figure.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.residents.analysis.analyse_residents`.
    wave
        Wave label; the latest wave when ``None``.

    Returns
    -------
    ChartOutput
        Council points with error bars; national figures as tick marks.
    """
    wave = wave or analysis.waves[-1]
    rows = analysis.national[analysis.national["wave"] == wave]
    if rows.empty:
        raise UnknownKeyError(f"no national comparisons for wave {wave!r}")
    data = pd.DataFrame(
        {
            "item": rows["label"],
            "percent": rows["percent"].round(1),
            "lower": rows["lower"].round(1),
            "upper": rows["upper"].round(1),
            "national_percent": rows["national_percent"],
            "national_fieldwork": rows["national_fieldwork"],
            "comparison": rows["direction"],
        }
    ).reset_index(drop=True)
    y = alt.Y("item:N", title=None, sort=list(data["item"]))
    base = alt.Chart(data)
    bars = base.mark_errorbar(ticks=True).encode(
        x=alt.X("lower:Q", title="Per cent positive", scale=alt.Scale(domain=[0, 100])),
        x2="upper:Q",
        y=y,
    )
    council = base.mark_point(filled=True, shape="circle", size=70).encode(
        x="percent:Q",
        y=y,
        tooltip=["item", "percent", "lower", "upper", "national_percent", "comparison"],
    )
    national = base.mark_tick(thickness=2, size=18).encode(
        x="national_percent:Q",
        y=y,
        tooltip=["item", "national_percent", "national_fieldwork"],
    )
    chart = (bars + council + national).properties(
        title=f"Residents' views in {wave} against national polling"
    )
    counts = data["comparison"].value_counts()
    description = (
        f"Dot chart of {len(data)} items in {wave}: each council figure with its 95 per cent "
        f"interval (dot and bar) and the national figure (vertical tick); "
        f"{counts.get('above', 0)} above, {counts.get('similar', 0)} similar and "
        f"{counts.get('below', 0)} below the national figure."
    )
    return ChartOutput(chart, description, data)
