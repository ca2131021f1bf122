"""Charts of residents' satisfaction: plain Altair, no colour choices of its own.

Colours come from the shared theme (``councilpack.charts``) when it is enabled;
series are told apart by line dash and mark shape as well, so colour is never
the only cue. Every function returns a :class:`~councilpack.charts.ChartResult`
with a one-sentence description and the data behind the chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from councilpack.charts import ChartResult
from councilpack.charts.core import SURVEY_FORMAT
from councilpack.charts.trends import council_against_benchmark
from councilpack.errors import UnknownKeyError
from councilpack.residents.analysis import ResidentsAnalysis
from councilpack.residents.items import LGA_ITEM_BY_ID
from councilpack.residents.wording import percent_text

NATIONAL_SERIES = "National (LGA polling)"


def trend_chart(analysis: ResidentsAnalysis, item: str) -> ChartResult:
    """Chart one item over the waves with 95 % intervals and the national figures.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.residents.analysis.analyse`.
    item
        Standard item id, e.g. ``"satisfied_council"``.

    Returns
    -------
    ChartResult
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
    council_name = analysis.survey_title or "Council survey"
    council_rows = pd.DataFrame(
        {
            "series": council_name,
            "wave": council["wave"],
            "month": pd.to_datetime(council["fieldwork"] + "-01"),
            "percent": council["percent"],
            "lower": council["lower"],
            "upper": council["upper"],
            "base_unweighted": council["base_unweighted"],
        }
    )
    national = analysis.national[analysis.national["item"] == item].drop_duplicates(
        "national_fieldwork"
    )
    national_rows = pd.DataFrame(
        {
            "series": NATIONAL_SERIES,
            "wave": national["wave"],
            "month": pd.to_datetime(national["national_fieldwork"] + "-01"),
            "percent": national["national_percent"],
            "lower": float("nan"),
            "upper": float("nan"),
            "base_unweighted": pd.NA,
        }
    )
    data = pd.concat([council_rows, national_rows], ignore_index=True)
    chart = council_against_benchmark(
        data,
        council=council_name,
        benchmark=NATIONAL_SERIES,
        title=f"{label}: trend against national polling",
    )
    latest = council_rows.iloc[-1]
    description = (
        f"Line chart of the per cent of residents positive on '{label.lower()}' in each wave "
        f"with 95 per cent confidence bands, against national LGA polling figures; the latest "
        f"wave ({latest['wave']}) is {percent_text(float(latest['percent']))}."
    )
    return ChartResult(chart, description, data.reset_index(drop=True))


def national_comparison_chart(analysis: ResidentsAnalysis, wave: str | None = None) -> ChartResult:
    """Chart every item in one wave with its 95 % interval against the national figure.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.residents.analysis.analyse`.
    wave
        Wave label; the latest wave when ``None``.

    Returns
    -------
    ChartResult
        Council points with error bars; national figures as tick marks.
    """
    wave = wave or analysis.waves[-1]
    rows = analysis.national[analysis.national["wave"] == wave]
    if rows.empty:
        raise UnknownKeyError(f"no national comparisons for wave {wave!r}")
    data = pd.DataFrame(
        {
            "item": rows["label"],
            "percent": rows["percent"],
            "lower": rows["lower"],
            "upper": rows["upper"],
            "national_percent": rows["national_percent"],
            "national_fieldwork": pd.to_datetime(rows["national_fieldwork"] + "-01"),
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
        x=alt.X("percent:Q", title="Per cent positive"),
        y=y,
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("percent:Q", title="Per cent positive", format=SURVEY_FORMAT),
            alt.Tooltip("lower:Q", title="Lower 95% limit", format=SURVEY_FORMAT),
            alt.Tooltip("upper:Q", title="Upper 95% limit", format=SURVEY_FORMAT),
            alt.Tooltip("national_percent:Q", title="National figure", format=SURVEY_FORMAT),
            alt.Tooltip("comparison:N", title="Against the national figure"),
        ],
    )
    national = base.mark_tick(thickness=2, size=18).encode(
        x=alt.X("national_percent:Q", title="Per cent positive"),
        y=y,
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("national_percent:Q", title="National figure", format=SURVEY_FORMAT),
            alt.Tooltip("national_fieldwork:T", title="National fieldwork", format="%B %Y"),
        ],
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
    return ChartResult(chart, description, data)
