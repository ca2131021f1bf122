"""Charts of staff survey results: item trends across waves and group gaps.

Plain Altair with no colours of its own: the councilpack theme
(:mod:`councilpack.charts`) supplies the palette and number formats. Every
function returns a :class:`~councilpack.charts.ChartResult` holding the chart,
a one-sentence description and the chart's data as a table; hidden
(suppressed) cells are never in the chart or its table, and the description
says how many were left out. Show one with ``councilpack.charts.show(result)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt
import pandas as pd

from councilpack.charts import ChartResult
from councilpack.charts.core import MAX_TITLE_WORDS, SURVEY_FORMAT
from councilpack.errors import ArgumentError
from councilpack.vocabulary import Significance
from councilpack.wording import SURVEY_DECIMALS, rounded_change
from councilpack.workforce.analysis import WorkforceAnalysis
from councilpack.workforce.measures import ALL_STAFF, ALL_STAFF_VARIABLE
from councilpack.workforce.wording import round_half_up, whole_percent

#: Survey columns of the charts' data tables, whole per cent (and whole points) as the
#: sentences give them.
_SURVEY_COLUMNS: dict[str, int] = dict.fromkeys(
    ("% positive", "Lower 95% limit", "Upper 95% limit", "Gap to all staff (points)"),
    SURVEY_DECIMALS,
)

#: Trend charts are this wide (pixels) whatever the number of waves, so labels fit.
TREND_WIDTH = 520
#: One legend for colour and dash, below the chart, wide enough for item labels.
_LEGEND = alt.Legend(orient="bottom", columns=2, labelLimit=340, symbolStrokeWidth=2)


def _field(name: str) -> str:
    r"""Escape a column name (a codebook label) for an Altair/Vega-Lite field.

    A colon would be read as Altair's type suffix, and dots and brackets as
    Vega-Lite's nested-field access.

    >>> _field("Team: A.B [x]")
    'Team\\: A\\.B \\[x\\]'
    """
    return re.sub(r"([\\.:\[\]])", r"\\\1", name)


def _title(title: str) -> str:
    if len(title.split()) > MAX_TITLE_WORDS:
        raise ArgumentError(f"chart title has more than {MAX_TITLE_WORDS} words: {title!r}")
    return title


def _waves_text(waves: Sequence[str]) -> str:
    waves = list(waves)
    if len(waves) == 1:
        return waves[0]
    return ", ".join(waves[:-1]) + " and " + waves[-1]


def item_trend_chart(
    analysis: WorkforceAnalysis,
    items: Sequence[str] | None = None,
    variable: str = ALL_STAFF_VARIABLE,
    group: str = ALL_STAFF,
    title: str = "Share of staff positive, by survey wave",
) -> ChartResult:
    """Line chart of % positive for items across waves.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.workforce.analyse_waves`.
    items
        Item ids to show (all items when ``None``); e.g. the engagement index
        items, ``analysis.codebook.workforce.engagement_index``.
    variable, group
        Whose figures: all staff by default, or one group (``"directorate"``,
        ``"Adult Social Care"``).
    title
        Active title, ten words or fewer.

    Returns
    -------
    ChartResult
        Lines distinguished by colour and dash pattern, so colour is never
        the only cue.

    Raises
    ------
    ValueError
        When there is nothing published to plot, or the title is too long.
    """
    table = analysis.items
    table = table[(table["variable"] == variable) & (table["group"] == group)]
    if items is not None:
        table = table[table["item"].isin(list(items))]
    withheld = int((~table["published"]).sum())
    published = table[table["published"] & table["positive_pct"].notna()]
    data = published[["label", "wave", "positive_pct", "base"]].rename(
        columns={"label": "Item", "wave": "Wave", "positive_pct": "% positive", "base": "Base"}
    )
    if data.empty:
        raise ArgumentError(f"no published figures for {group} to chart")
    data = data.reset_index(drop=True)
    # The table under the chart adds each figure's 95 per cent interval (the method says so).
    shown = data.assign(
        **{
            "Lower 95% limit": published["lower_pct"].to_numpy(),
            "Upper 95% limit": published["upper_pct"].to_numpy(),
        }
    )[["Item", "Wave", "% positive", "Lower 95% limit", "Upper 95% limit", "Base"]]
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("Wave:O", sort=list(analysis.waves), title="Survey wave"),
            y=alt.Y("% positive:Q", scale=alt.Scale(domain=[0, 100]), title="% positive"),
            color=alt.Color("Item:N", title=None, legend=_LEGEND),
            strokeDash=alt.StrokeDash("Item:N", title=None, legend=_LEGEND),
            tooltip=["Item", "Wave", alt.Tooltip("% positive:Q", format=SURVEY_FORMAT), "Base"],
        )
        .properties(title=_title(title), width=TREND_WIDTH, height=300)
    )
    waves = [w for w in analysis.waves if w in set(data["Wave"])]
    first, last = waves[0], waves[-1]
    description = (
        f"Line chart of the percentage of {group.lower() if group == ALL_STAFF else group} "
        f"giving a positive answer to {data['Item'].nunique()} questions in {_waves_text(waves)}"
    )
    if first != last:
        wide = data.pivot_table(index="Item", columns="Wave", values="% positive")
        if first in wide.columns and last in wide.columns:
            change = (wide[last] - wide[first]).dropna().sort_values(key=abs, ascending=False)
            if not change.empty:
                item = str(change.index[0])
                verb = "rose" if change.iloc[0] > 0 else "fell"
                values = {
                    (str(r["Item"]), str(r["Wave"])): float(r["% positive"])
                    for r in data.to_dict("records")
                }
                start = whole_percent(values[(item, first)])
                end = whole_percent(values[(item, last)])
                description += f"; '{item}' changed most, it {verb} from {start} to {end}"
    if withheld:
        description += (
            f" ({withheld} figure{'s' if withheld != 1 else ''} withheld to protect small groups)"
        )
    return ChartResult(chart, description + ".", shown, decimals=_SURVEY_COLUMNS)


def group_gap_chart(
    analysis: WorkforceAnalysis,
    item: str,
    variable: str,
    wave: str | None = None,
    title: str | None = None,
) -> ChartResult:
    """Bar chart of one item's % positive by group, with the all-staff figure as a rule.

    Parameters
    ----------
    analysis
        From :func:`~councilpack.workforce.analyse_waves`.
    item
        Item id.
    variable
        Group id, e.g. ``"directorate"``.
    wave
        Wave (the latest when ``None``).
    title
        Active title, ten words or fewer (a default is made from the item).

    Returns
    -------
    ChartResult
        Bars for published groups, labelled with whether the gap to all staff
        is statistically significant (text, not colour).

    Raises
    ------
    ValueError
        When no group is published, or the title is too long.
    """
    wave = wave or analysis.latest_wave
    items = analysis.items
    rows = items[(items["item"] == item) & (items["wave"] == wave)]
    all_staff = rows[(rows["variable"] == ALL_STAFF_VARIABLE) & rows["published"]]
    groups = rows[rows["variable"] == variable]
    withheld = int((~groups["published"]).sum())
    published = groups[groups["published"] & groups["positive_pct"].notna()]
    if published.empty or all_staff.empty:
        raise ArgumentError(f"no published {variable} figures for {item!r} in {wave}")
    all_pct = float(all_staff["positive_pct"].iloc[0])
    label = str(all_staff["label"].iloc[0])
    variable_label = analysis.variable_label(variable)
    significance: list[Significance] = [
        "significant" if bool(s) else "not significant"
        for s in published["gap_significant"].fillna(False)
    ]
    data = pd.DataFrame(
        {
            variable_label: published["group"].to_numpy(),
            "% positive": published["positive_pct"].to_numpy(),
            # The difference of the whole per cents shown, as the gap sentences give it.
            "Gap to all staff (points)": [
                rounded_change(float(pct), all_pct, SURVEY_DECIMALS)
                for pct in published["positive_pct"]
            ],
            "Gap significant": significance,
            "Base": published["base"].to_numpy(),
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            # Sorted by the field, not by "-x": the label layer's x is a constant.
            y=alt.Y(
                f"{_field(variable_label)}:N",
                sort=alt.EncodingSortField(_field("% positive"), order="descending"),
                title=None,
            ),
            x=alt.X("% positive:Q", scale=alt.Scale(domain=[0, 100]), title="% positive"),
            tooltip=[
                alt.Tooltip(f"{_field(variable_label)}:N", title=variable_label),
                alt.Tooltip("% positive:Q", format=SURVEY_FORMAT),
                "Gap significant",
                "Base",
            ],
        )
    )
    # Labels sit beyond the 100 per cent end of the axis, so they never cross the
    # all-staff line, whatever the bars' lengths.
    labels = bars.mark_text(align="left", dx=8).encode(x=alt.datum(100), text="Gap significant:N")
    rule = (
        alt.Chart(pd.DataFrame({"All staff": [all_pct]}))
        .mark_rule(strokeDash=[4, 4])
        .encode(x="All staff:Q")
    )
    default_title = f"Staff positive by {variable_label.lower()}, {wave}"
    chart = (bars + labels + rule).properties(title=_title(title or default_title))
    significant = data[data["Gap significant"] == "significant"]
    description = (
        f"Bar chart of the percentage of staff positive on '{label}' in {wave} for "
        f"{len(data)} {variable_label.lower()} groups against {whole_percent(all_pct)} "
        "for all staff (dashed line)"
    )
    if significant.empty:
        description += "; no group differs significantly from all staff"
    else:
        lowest = significant.sort_values("% positive").iloc[0]
        lowest_pct = float(lowest["% positive"])
        verb = "differs" if len(significant) == 1 else "differ"
        description += f"; {len(significant)} {verb} significantly from all staff"
        if round_half_up(lowest_pct) < round_half_up(all_pct):
            description += (
                f", the lowest being {lowest[variable_label]} at {whole_percent(lowest_pct)}"
            )
    if withheld:
        description += (
            f" ({withheld} group{'s' if withheld != 1 else ''} withheld to protect small groups)"
        )
    shown = data.assign(
        **{
            "Lower 95% limit": published["lower_pct"].to_numpy(),
            "Upper 95% limit": published["upper_pct"].to_numpy(),
        }
    )[
        [
            variable_label,
            "% positive",
            "Lower 95% limit",
            "Upper 95% limit",
            "Gap to all staff (points)",
            "Gap significant",
            "Base",
        ]
    ]
    return ChartResult(chart, description + ".", shown, decimals=_SURVEY_COLUMNS)
