"""First finance indicators: net revenue expenditure per head and reserves against NRE.

A deliberately small set that proves the report path end to end; the full
CIPFA-style resilience indicators build on the same data contract.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from councilpack.data import ComparatorGroup, DataContext
from councilpack.figures import ComparatorSummary, Figure
from councilpack.wording import format_value

SOURCE_LABELS = {
    "demo": "councilpack demo generator (fictional figures)",
    "mhclg_rs": "MHCLG Revenue Outturn Summary (RS)",
    "ons_mye": "ONS mid-year population estimates",
}


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator for every council in a comparator group, in one period."""

    id: str
    label: str
    unit: str
    period: str
    values: pd.DataFrame  # gss_code, name, value


def latest_period(data: DataContext, metric: str, gss_code: str) -> str | None:
    """Return the latest period in which a council has a value for ``metric``."""
    rows = data.metric(metric)
    periods = sorted(rows.loc[rows["gss_code"] == gss_code, "period"])
    return periods[-1] if periods else None


def _values(data: DataContext, metric: str, period: str) -> pd.Series:
    rows = data.metric(metric, period)
    return rows.set_index("gss_code")["value"]


def nre_per_head(data: DataContext, period: str) -> pd.Series:
    """Net revenue expenditure per resident (pounds), all councils, one year."""
    population = data.metric("population_all").set_index("gss_code")["value"]
    return (_values(data, "net_revenue_expenditure", period) / population).dropna()


def unallocated_reserves_pct(data: DataContext, period: str) -> pd.Series:
    """Unallocated reserves as a percentage of net revenue expenditure, one year."""
    nre = _values(data, "net_revenue_expenditure", period)
    return (100 * _values(data, "unallocated_reserves", period) / nre).dropna()


def indicator_for_group(
    data: DataContext, series: pd.Series, group: ComparatorGroup, meta: tuple[str, str, str, str]
) -> IndicatorTable:
    """Restrict an all-council series to a comparator group, with council names."""
    identifier, label, unit, period = meta
    members = [code for code in group.members if code in series.index]
    names = [data.register.get(code).name for code in members]
    table = pd.DataFrame({"gss_code": members, "name": names, "value": series[members].to_numpy()})
    return IndicatorTable(identifier, label, unit, period, table)


def headline(table: IndicatorTable, gss_code: str, group: ComparatorGroup, source: str) -> Figure:
    """Return the council's figure with its position in the group."""
    values = table.values.set_index("gss_code")["value"]
    if gss_code not in values.index:
        return Figure(
            id=table.id,
            label=table.label,
            value=None,
            unit=table.unit,
            period=table.period,
            source=source,
            note=f"no return for {table.period}",
        )
    value = float(values[gss_code])
    median = float(values.median())
    rank = int(values.rank(ascending=False, method="min")[gss_code])
    position = "above" if value > median else "below" if value < median else "at"
    sentence = (
        f"{table.label} was {format_value(value, table.unit)} in {table.period}, "
        f"{position} the median of its {group.label.lower()} ({format_value(median, table.unit)})."
    )
    return Figure(
        id=table.id,
        label=table.label,
        value=value,
        unit=table.unit,
        period=table.period,
        source=source,
        comparator=ComparatorSummary(
            group=group.label,
            definition=group.definition,
            vintage=group.vintage,
            median=median,
            lower_quartile=float(values.quantile(0.25)),
            upper_quartile=float(values.quantile(0.75)),
            rank=rank,
            group_size=len(values),
            position=position,
        ),
        sentence=sentence,
    )
