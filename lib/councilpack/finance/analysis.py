"""One council's finance analysis: every indicator, against every comparator group.

:func:`analyse` is what the finance notebook calls; everything it returns is
ready to display (sentences, tables, chart data) or publish (:class:`Figure`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from councilpack.data import ComparatorGroup, Council, DataContext
from councilpack.data.model import shift_period
from councilpack.errors import InputDataError
from councilpack.figures import Figure
from councilpack.finance import findings
from councilpack.finance.indicators import (
    NOT_DRAWING_DOWN,
    IndicatorSpec,
    ValueColumns,
    compute,
    finance_periods,
    indicator_specs,
    missing_reason,
    population_note,
    population_period,
    population_year,
    value_columns,
)
from councilpack.finance.position import (
    GroupPosition,
    Travel,
    direction_of_travel,
    headline_figure,
    position_of,
    quartiles,
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
        if not rows:
            return pd.DataFrame(rows)
        # Column by column: the frame the rows give, without its per-row conversion.
        return pd.DataFrame({key: [row[key] for row in rows] for key in rows[0]})

    def latest_years(self) -> pd.DataFrame:
        """Return each indicator's reported year, first comparable year, source and population.

        One row per indicator; the trend in the report runs from the first year
        to the reported one.
        """
        rows = []
        for result in self.results.values():
            # The first year with a group median.
            medians = result.trend["median"].to_numpy(dtype=float)
            held = np.flatnonzero(~np.isnan(medians))
            first = str(result.trend["period"].iloc[held[0]]) if len(held) else result.period
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


class _OwnRows:
    """One council's tidy rows (``council_metrics``), found by metric and period.

    Built once per analysis: each indicator reads its source's vintage and its
    base from them, which were two scans of the council's rows per indicator.
    """

    def __init__(self, mine: pd.DataFrame) -> None:
        self.frame = mine
        self.rows: dict[tuple[str, str], list[int]] = {}
        keys = zip(mine["metric"].tolist(), mine["period"].tolist(), strict=True)
        for row, key in enumerate(keys):
            self.rows.setdefault(key, []).append(row)
        self.values = mine["value"].tolist()
        self.vintages = mine["vintage"].tolist()


def _source_text(own: _OwnRows, data: DataContext, spec: IndicatorSpec, period: str) -> str:
    rows = own.rows.get((spec.numerator[0], period))
    text = str(own.vintages[rows[0]]) if rows else spec.source
    population = population_period(data, spec, period)
    if population:
        text += f"; ONS population {population}"
    return text


def _base(own: _OwnRows, spec: IndicatorSpec, period: str) -> float | None:
    if spec.denominator is None or spec.kind not in ("ratio", "per_head"):
        return None
    wanted = period if spec.kind == "ratio" else population_year(period)
    rows = own.rows.get((spec.denominator, wanted), [])
    if not rows:
        return None
    if len(rows) > 1:  # not in a store (one row per council, metric and period)
        frame = own.frame.iloc[rows]
        return float(frame.sort_values("period")["value"].iloc[-1])
    return float(own.values[rows[0]])


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


_NO_ROWS: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)
_TREND_COLUMNS = ["period", "council", "median", "lower_quartile", "upper_quartile", "councils"]


def _trend(columns: ValueColumns, group: ComparatorGroup | None, gss_code: str) -> pd.DataFrame:
    """Return :func:`group_trend` of the values ``columns`` hold, for the council's group."""
    flags = columns.members(group.members if group else (gss_code,))
    own_id = columns.code_index.get(gss_code, -1)
    nan = float("nan")
    table: dict[str, list[object]] = {name: [] for name in _TREND_COLUMNS}
    for period in columns.years:
        rows = columns.rows_by_period.get(period, _NO_ROWS)
        held = rows[flags[columns.code_ids[rows]]]
        own = held[columns.code_ids[held] == own_id]
        figures = columns.numbers[held]
        figures = figures[~np.isnan(figures)]
        table["period"].append(period)
        table["council"].append(float(columns.numbers[own[0]]) if len(own) else nan)
        table["median"].append(float(np.median(figures)) if len(figures) else nan)
        lower, upper = quartiles(figures) if len(figures) else (nan, nan)
        table["lower_quartile"].append(lower)
        table["upper_quartile"].append(upper)
        table["councils"].append(len(held))
    if not columns.years:
        return pd.DataFrame([], columns=_TREND_COLUMNS)
    # The dtypes a frame of these rows infers (str, float64 and int64), given directly.
    typed: dict[str, object] = {"period": table["period"]}
    for name in _TREND_COLUMNS[1:5]:
        typed[name] = np.array(table[name], dtype=np.float64)
    typed["councils"] = np.array(table["councils"], dtype=np.int64)
    return pd.DataFrame(typed)  # the columns in _TREND_COLUMNS order


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
    values: pd.DataFrame,
    columns: ValueColumns,
    mine: _OwnRows,
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
        The indicator's :func:`~councilpack.finance.indicators.compute` output.
    columns
        The same values as columns (:func:`~councilpack.finance.indicators.value_columns`).
    mine
        The council's own rows of the store, read once per analysis.
    """
    gss = council.gss_code
    year = columns.rows_by_period.get(period, _NO_ROWS)
    own_id = columns.code_index.get(gss, -1)
    own_rows = year[columns.code_ids[year] == own_id]
    own = len(own_rows) > 0
    value = float(columns.numbers[own_rows[0]]) if own else None
    status = str(columns.statuses[own_rows[0]]) if own else ""
    reason = "" if own else missing_reason(data, spec, gss, period)
    earlier = _latest_own(values, spec, gss, period) if reason.startswith("no return for") else ""
    note = population_note(data, spec, period)
    source = _source_text(mine, data, spec, period)
    positions: dict[str, GroupPosition | None] = {}
    primary_rows = None
    for group in groups:
        in_group = year[columns.members(group.members)[columns.code_ids[year]]]
        if group is primary:
            primary_rows = in_group
        positions[group.kind] = position_of(
            columns.numbers[in_group],
            [columns.codes[row] for row in in_group],
            gss,
            spec,
            members=len(group.members),
        )
    if primary is None:
        group_values = pd.DataFrame(columns=["gss_code", "name", "value", "status"])
    else:
        if primary_rows is None:
            primary_rows = year[columns.members(primary.members)[columns.code_ids[year]]]
        group_values = _group_values(data, values, columns, primary_rows)
    trend = _trend(columns, primary, gss)
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
    _word(result, council, primary, mine)
    return result


def _group_values(
    data: DataContext, values: pd.DataFrame, columns: ValueColumns, rows: npt.NDArray[np.intp]
) -> pd.DataFrame:
    """Return the group's figures: ``gss_code``, ``name``, ``value``, ``status`` of ``rows``.

    The frame ``values.take(rows)`` with the councils' names inserted would be, with
    the same dtypes, built from the columns directly.
    """
    if not len(rows):
        member_rows = values.take(rows).reset_index(drop=True)
        member_rows["name"] = [data.register.get(c).name for c in member_rows["gss_code"]]
        return member_rows[["gss_code", "name", "value", "status"]]
    codes = [columns.codes[row] for row in rows]
    return pd.DataFrame(
        {
            "gss_code": pd.Series(codes, dtype=values["gss_code"].dtype),
            "name": [data.register.get(code).name for code in codes],
            "value": pd.Series(columns.numbers[rows], dtype=values["value"].dtype),
            "status": pd.Series(
                [columns.statuses[row] for row in rows], dtype=values["status"].dtype
            ),
        }
    )


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
    result: IndicatorResult, council: Council, group: ComparatorGroup | None, mine: _OwnRows
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
        statuses = result.group_values["status"].tolist()
        not_drawing = sum(1 for status in statuses if status == NOT_DRAWING_DOWN)
        result.sentence = findings.position_sentence(
            spec,
            period,
            group,
            position,
            status=result.status,
            not_drawing_down_members=not_drawing,
        )
        if result.status != NOT_DRAWING_DOWN:
            base = _base(mine, spec, period)
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
    periods = [str(p) for p in result.trend["period"].tolist()]
    councils = result.trend["council"].to_numpy(dtype=float).tolist()
    own = [(p, c) for p, c in zip(periods, councils, strict=True) if not math.isnan(c)]
    own = [(p, c) for p, c in own if p <= period]
    if len(own) > TRAVEL_YEARS + 1:
        # The whole series, from the first comparable year (2010-11 for RS lines).
        (first_period, first), (last_period, last) = own[0], own[-1]
        result.long_run_sentence = findings.long_run_sentence(
            spec, (first_period, first), (last_period, last)
        )
        result.figures.append(
            Figure(
                id=f"{spec.id}_long_run",
                label=f"{spec.label}: {first_period} to {last_period}",
                value=last - first,
                unit=spec.change_unit,
                period=f"{first_period} to {last_period}",
                source=result.source,
                note="change over the whole series",
                sentence=result.long_run_sentence,
            )
        )
    # travel_with_sentence, on the trend's lists.
    travel = _travel(periods, councils, period, spec)
    if travel is None:
        return
    medians = result.trend["median"].to_numpy(dtype=float).tolist()
    median_travel = _travel(periods, medians, period, spec) if group else None
    result.travel = travel
    result.travel_sentence = findings.travel_sentence(spec, travel, group, median_travel)
    result.figures.append(
        trend_figure(spec, result.travel, source=result.source, sentence=result.travel_sentence)
    )


def _travel(
    periods: list[str], figures: list[float], period: str, spec: IndicatorSpec
) -> Travel | None:
    """:func:`travel_between` on a trend's periods (each once) and one of its columns."""
    by_period = dict(zip(periods, figures, strict=True))
    start_period = shift_period(period, -TRAVEL_YEARS)
    if period not in by_period or start_period not in by_period:
        return None
    start, end = by_period[start_period], by_period[period]
    if math.isnan(start) or math.isnan(end):
        return None
    return direction_of_travel(start_period, start, period, end, spec)


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
    mine = _OwnRows(data.council_metrics(gss_code))
    for identifier in chosen:
        spec = specs[identifier]
        values, columns = compute(data, spec), value_columns(data, spec)
        # Each indicator is reported for the latest year the data hold it (reserves
        # 2023-24 from RS, service spending 2024-25 from RSX) unless a year is asked for
        # (indicator_period).
        year = period or (columns.years[-1] if columns.years else report_year)
        results[identifier] = analyse_indicator(
            data, spec, council, year, groups, primary, values, columns, mine
        )
    return FinanceAnalysis(council, report_year, primary, tuple(groups), results)
