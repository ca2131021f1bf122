"""One council's finance analysis: every indicator, against every comparator group.

:func:`analyse` is what the finance notebook calls; everything it returns is
ready to display (sentences, tables, chart data) or publish (:class:`Figure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from councilpack.data import ComparatorGroup, Council, DataContext
from councilpack.errors import InputDataError
from councilpack.figures import Figure
from councilpack.finance import findings
from councilpack.finance.indicators import (
    NOT_DRAWING_DOWN,
    IndicatorSpec,
    compute,
    finance_periods,
    indicator_specs,
    missing_reason,
    population_note,
    population_period,
    population_year,
    shift_period,
)
from councilpack.finance.position import (
    GroupPosition,
    Travel,
    direction_of_travel,
    group_position,
    headline_figure,
    trend_figure,
)

#: Comparator kinds tried, in order, for the group the findings are worded against.
#: ONS 2025 statistical nearest neighbours first (documented method, like with like).
PRIMARY_KINDS: tuple[str, ...] = ("ons_nn_2025", "nearest_neighbours", "oflog_nn", "open_nn")
TRAVEL_YEARS = 3


@dataclass
class IndicatorResult:
    """One indicator for one council and year, with its positions and trend."""

    spec: IndicatorSpec
    period: str
    value: float | None
    status: str
    reason: str
    note: str
    source: str
    positions: dict[str, GroupPosition | None]
    group_values: pd.DataFrame
    trend: pd.DataFrame
    sentence: str
    earlier: str = ""
    money_sentence: str = ""
    travel: Travel | None = None
    travel_sentence: str = ""
    long_run_sentence: str = ""
    figures: list[Figure] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """Return whether the council has a figure for this indicator and year."""
        return self.value is not None


@dataclass
class FinanceAnalysis:
    """Everything the finance report shows for one council."""

    council: Council
    period: str
    primary: ComparatorGroup | None
    groups: tuple[ComparatorGroup, ...]
    results: dict[str, IndicatorResult]

    @property
    def figures(self) -> list[Figure]:
        """Return every figure behind a sentence, for ``session.publish``."""
        return [f for result in self.results.values() for f in result.figures]

    def findings(self, ids: Sequence[str] | None = None) -> list[str]:
        """Return the finding sentences (position, money, travel) of some indicators."""
        lines = []
        for identifier in ids or list(self.results):
            result = self.results[identifier]
            text = " ".join(s for s in (result.sentence, result.money_sentence) if s)
            lines.append(text)
        return lines

    def positions_table(self, identifier: str) -> pd.DataFrame:
        """Return the council's position in every comparator group for one indicator.

        One row per group: median, quartiles, difference, position and rank.
        This is the council's own row in each group, never a ranked list.
        """
        result = self.results[identifier]
        rows = []
        for group in self.groups:
            position = result.positions.get(group.kind)
            rows.append(
                {
                    "Comparator group": group.label,
                    "Councils with a figure": f"{position.group_size} of {position.members}"
                    if position
                    else "",
                    "Lower quartile": position.lower_quartile if position else float("nan"),
                    "Median": position.median if position else float("nan"),
                    "Upper quartile": position.upper_quartile if position else float("nan"),
                    "Difference from median": position.difference if position else float("nan"),
                    "Position": _position_words(position, result.spec),
                    "Rank": position.rank_text if position else "not available",
                }
            )
        return pd.DataFrame(rows)

    def latest_years(self) -> pd.DataFrame:
        """Return each indicator's reported year, first comparable year, source and population.

        One row per indicator; the trend in the report runs from the first year
        to the reported one.
        """
        rows = []
        for result in self.results.values():
            trend = result.trend.dropna(subset=["median"])
            first = str(trend["period"].iloc[0]) if not trend.empty else result.period
            population = result.note.split("ONS ")[1].split(" ")[0] if "ONS " in result.note else ""
            rows.append(
                {
                    "Indicator": result.spec.label,
                    "Latest year": result.period,
                    "First year": first,
                    "Population estimate": population or "not used",
                    "Source": result.source,
                }
            )
        return pd.DataFrame(rows)

    def not_available(self) -> pd.DataFrame:
        """Return the indicators the council has no figure for, with the reason."""
        rows = [
            {"Indicator": r.spec.label, "Year": r.period, "Reason": r.reason}
            for r in self.results.values()
            if not r.available
        ]
        return pd.DataFrame(rows, columns=["Indicator", "Year", "Reason"])


def _position_words(position: GroupPosition | None, spec: IndicatorSpec) -> str:
    if position is None:
        return "not available"
    if position.position == "similar":
        return f"similar to the median ({spec.tolerance_text()})"
    return f"{position.position} the median"


def distinct_groups(groups: Sequence[ComparatorGroup]) -> tuple[ComparatorGroup, ...]:
    """Return the groups with a set of councils not already listed (the first name kept).

    For a district, "all English district councils" and "all English
    non-metropolitan districts" are the same 164 councils; a report lists them once.
    """
    seen: set[frozenset[str]] = set()
    distinct = []
    for group in groups:
        members = frozenset(group.members)
        if members in seen:
            continue
        seen.add(members)
        distinct.append(group)
    return tuple(distinct)


def primary_group(groups: Sequence[ComparatorGroup]) -> ComparatorGroup | None:
    """Return the group the findings are worded against (nearest neighbours first)."""
    for kind in PRIMARY_KINDS:
        for group in groups:
            if group.kind == kind:
                return group
    return groups[0] if groups else None


def report_period(data: DataContext, gss_code: str) -> str:
    """Return the latest financial year the council has NRE for (else the latest in the data).

    Raises
    ------
    ValueError
        When the data holds no net revenue expenditure at all.
    """
    mine = data.council_metrics(gss_code)
    own = sorted(mine.loc[mine["metric"] == "net_revenue_expenditure", "period"])
    if own:
        return str(own[-1])
    years = finance_periods(data)
    if not years:
        raise InputDataError("the data holds no net revenue expenditure figures")
    return years[-1]


def _source_text(data: DataContext, spec: IndicatorSpec, gss_code: str, period: str) -> str:
    mine = data.council_metrics(gss_code)
    rows = mine[(mine["metric"] == spec.numerator[0]) & (mine["period"] == period)]
    text = str(rows["vintage"].iloc[0]) if not rows.empty else spec.source
    population = population_period(data, spec, period)
    if population:
        text += f"; ONS population {population}"
    return text


def _base(data: DataContext, spec: IndicatorSpec, gss_code: str, period: str) -> float | None:
    if spec.denominator is None or spec.kind not in ("ratio", "per_head"):
        return None
    rows = data.council_metrics(gss_code)
    rows = rows[rows["metric"] == spec.denominator]
    rows = rows[rows["period"] == (period if spec.kind == "ratio" else population_year(period))]
    if rows.empty:
        return None
    return float(rows.sort_values("period")["value"].iloc[-1])


def group_trend(
    values: pd.DataFrame,
    members: Sequence[str],
    gss_code: str,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the council's value and its group's median and quartiles for each period.

    Parameters
    ----------
    values
        Tidy values with ``gss_code``, ``period`` and ``value``.
    members
        The comparator group's councils (the council itself among them).
    gss_code
        The council.
    periods
        Periods in order; every period in ``values``, sorted, by default.
    """
    chosen = list(periods) if periods is not None else sorted(set(values["period"]))
    # The group's rows once, then each period's positions: not a scan of every council
    # per period (the same medians and quartiles as pandas', which skip missing values).
    in_group = values[values["gss_code"].isin(set(members))]
    codes = in_group["gss_code"].tolist()
    numbers = in_group["value"].to_numpy(dtype=float)
    positions: dict[object, list[int]] = {}
    for position, period in enumerate(in_group["period"].tolist()):
        positions.setdefault(period, []).append(position)
    nan = float("nan")
    rows = []
    for period in chosen:
        held = positions.get(period, [])
        own = [numbers[i] for i in held if codes[i] == gss_code]
        figures = numbers[held]
        figures = figures[~np.isnan(figures)]
        rows.append(
            {
                "period": period,
                "council": float(own[0]) if own else nan,
                "median": float(np.median(figures)) if len(figures) else nan,
                "lower_quartile": float(np.quantile(figures, 0.25)) if len(figures) else nan,
                "upper_quartile": float(np.quantile(figures, 0.75)) if len(figures) else nan,
                "councils": len(held),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["period", "council", "median", "lower_quartile", "upper_quartile", "councils"],
    )


def _trend(values: pd.DataFrame, group: ComparatorGroup | None, gss_code: str) -> pd.DataFrame:
    return group_trend(values, group.members if group else (gss_code,), gss_code)


def travel_between(
    trend: pd.DataFrame, period: str, spec: IndicatorSpec, column: str
) -> Travel | None:
    """Return the direction of travel of ``column`` over the three years to ``period``."""
    start_period = shift_period(period, -TRAVEL_YEARS)
    by_period = trend.set_index("period")[column]
    if period not in by_period.index or start_period not in by_period.index:
        return None
    start, end = float(by_period[start_period]), float(by_period[period])
    if pd.isna(start) or pd.isna(end):
        return None
    return direction_of_travel(start_period, start, period, end, spec)


def travel_with_sentence(
    trend: pd.DataFrame, period: str, spec: IndicatorSpec, group: ComparatorGroup | None
) -> tuple[Travel, str] | None:
    """Return the council's direction of travel over the three years to ``period``, worded.

    Parameters
    ----------
    trend
        The council's series (column ``council``) and, with a group, the group
        median's (``median``), one row per period (:func:`group_trend`).
    period
        The latest year.
    spec
        The indicator.
    group
        The comparator group whose median's travel the sentence sets beside
        the council's, or ``None``.

    Returns
    -------
    tuple or None
        The council's :class:`Travel` and its sentence; ``None`` when either end
        year has no figure.
    """
    travel = travel_between(trend, period, spec, "council")
    if travel is None:
        return None
    median_travel = travel_between(trend, period, spec, "median") if group else None
    return travel, findings.travel_sentence(spec, travel, group, median_travel)


def analyse_indicator(
    data: DataContext,
    spec: IndicatorSpec,
    council: Council,
    period: str,
    groups: Sequence[ComparatorGroup],
    primary: ComparatorGroup | None,
    values: pd.DataFrame | None = None,
) -> IndicatorResult:
    """Analyse one indicator for one council: value, positions, trend, sentences, figures.

    Parameters
    ----------
    data
        The data context.
    spec
        The indicator.
    council
        The council.
    period
        The financial year reported.
    groups
        The council's comparator groups.
    primary
        The group the findings are worded against.
    values
        Precomputed :func:`~councilpack.finance.indicators.compute` output.
    """
    gss = council.gss_code
    values = compute(data, spec) if values is None else values
    year = values[values["period"] == period].set_index("gss_code")
    own = gss in year.index
    value = float(year["value"][gss]) if own else None
    status = str(year["status"][gss]) if own else ""
    reason = "" if own else missing_reason(data, spec, gss, period)
    earlier = _latest_own(values, spec, gss, period) if reason.startswith("no return for") else ""
    note = population_note(data, spec, period)
    source = _source_text(data, spec, gss, period)
    positions: dict[str, GroupPosition | None] = {}
    for group in groups:
        in_group = year.loc[year.index.isin(group.members), "value"]
        positions[group.kind] = group_position(in_group, gss, spec, members=len(group.members))
    group_values = pd.DataFrame(columns=["gss_code", "name", "value", "status"])
    if primary is not None:
        member_rows = year.loc[year.index.isin(primary.members)].reset_index()
        member_rows["name"] = [data.register.get(c).name for c in member_rows["gss_code"]]
        group_values = member_rows[["gss_code", "name", "value", "status"]]
    trend = _trend(values, primary, gss)
    result = IndicatorResult(
        spec=spec,
        period=period,
        value=value,
        status=status,
        reason=reason,
        note=note,
        source=source,
        positions=positions,
        group_values=group_values,
        trend=trend,
        sentence="",
        earlier=earlier,
    )
    _word(result, data, council, primary)
    return result


def _latest_own(values: pd.DataFrame, spec: IndicatorSpec, gss_code: str, period: str) -> str:
    """Return "; its latest figure is ... for YYYY-YY" when an earlier year has one."""
    own = values[(values["gss_code"] == gss_code) & (values["period"] < period)]
    if own.empty:
        return ""
    last = own.sort_values("period").iloc[-1]
    shown = findings.format_indicator(float(last["value"]), spec)
    return f" (its latest figure, for {last['period']}, is {shown})"


def indicator_period(values: pd.DataFrame, fallback: str) -> str:
    """Return the latest financial year any council has a figure for, else ``fallback``."""
    years = sorted(str(p) for p in set(values["period"]))
    return years[-1] if years else fallback


def _word(
    result: IndicatorResult, data: DataContext, council: Council, group: ComparatorGroup | None
) -> None:
    spec, period = result.spec, result.period
    position = result.positions.get(group.kind) if group else None
    if result.value is None:
        result.sentence = findings.not_available_sentence(
            spec, period, result.reason + result.earlier
        )
    elif group is None or position is None:
        result.sentence = f"{spec.label} was {findings.format_indicator(result.value, spec)}."
    else:
        not_drawing = int((result.group_values["status"] == NOT_DRAWING_DOWN).sum())
        result.sentence = findings.position_sentence(
            spec,
            period,
            group,
            position,
            status=result.status,
            not_drawing_down_members=not_drawing,
        )
        if result.status != NOT_DRAWING_DOWN:
            base = _base(data, spec, council.gss_code, period)
            result.money_sentence = findings.money_gap_sentence(spec, position, base)
    result.figures.append(
        headline_figure(
            spec,
            result.value,
            period=period,
            source=result.source,
            group=group,
            position=position,
            notes=(result.reason, result.note, result.status),
            sentence=" ".join(s for s in (result.sentence, result.money_sentence) if s),
        )
    )
    if result.value is None or spec.kind in ("change", "sustainability"):
        return
    own = result.trend.dropna(subset=["council"])
    own = own[own["period"] <= period]
    if len(own) > TRAVEL_YEARS + 1:
        # The whole series, from the first comparable year (2010-11 for RS lines).
        first, last = own.iloc[0], own.iloc[-1]
        result.long_run_sentence = findings.long_run_sentence(
            spec,
            (str(first["period"]), float(first["council"])),
            (str(last["period"]), float(last["council"])),
        )
        result.figures.append(
            Figure(
                id=f"{spec.id}_long_run",
                label=f"{spec.label}: {first['period']} to {last['period']}",
                value=float(last["council"]) - float(first["council"]),
                unit=spec.change_unit,
                period=f"{first['period']} to {last['period']}",
                source=result.source,
                note="change over the whole series",
                sentence=result.long_run_sentence,
            )
        )
    travelled = travel_with_sentence(result.trend, period, spec, group)
    if travelled is None:
        return
    result.travel, result.travel_sentence = travelled
    result.figures.append(
        trend_figure(spec, result.travel, source=result.source, sentence=result.travel_sentence)
    )


def analyse(
    data: DataContext,
    gss_code: str,
    *,
    period: str | None = None,
    indicators: Sequence[str] | None = None,
) -> FinanceAnalysis:
    """Analyse every finance indicator for one council.

    Parameters
    ----------
    data
        The data context (demo or open data).
    gss_code
        The council.
    period
        Financial year to report; the council's latest year with NRE by default.
    indicators
        Indicator ids (catalogue order by default).

    Returns
    -------
    FinanceAnalysis
        Values, positions in every comparator group, trends, sentences and figures.
    """
    council = data.register.get(gss_code)
    report_year = period or report_period(data, gss_code)
    groups = distinct_groups(data.groups_for(gss_code))
    primary = primary_group(groups)
    specs = indicator_specs()
    chosen = list(indicators) if indicators else list(specs)
    results = {}
    for identifier in chosen:
        spec = specs[identifier]
        values = compute(data, spec)
        # Each indicator is reported for the latest year the data hold it (reserves
        # 2023-24 from RS, service spending 2024-25 from RSX) unless a year is asked for.
        year = period or indicator_period(values, report_year)
        results[identifier] = analyse_indicator(
            data, spec, council, year, groups, primary, values=values
        )
    return FinanceAnalysis(council, report_year, primary, tuple(groups), results)
