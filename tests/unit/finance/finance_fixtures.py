"""Hand-made finance indicators for the finance tests (imported by name)."""

from __future__ import annotations

from dataclasses import replace

from councilpack.finance.indicators import IndicatorSpec

RESERVES = IndicatorSpec(
    id="unallocated_reserves_pct_nre",
    label="Unallocated reserves as a share of NRE",
    short_label="Unallocated reserves, % of NRE",
    unit="percent",
    polarity="higher_is_better",
    definition="test",
    source="test",
    kind="ratio",
    numerator=("unallocated_reserves",),
    denominator="net_revenue_expenditure",
    scale=100.0,
    subject="Unallocated reserves",
    verb="were",
    value_suffix="of net revenue expenditure",
    similar_absolute=0.5,
    money_gap={"below": "Reaching the median would take {amount} more in reserves."},
)
SOCIAL_CARE = replace(RESERVES, id="social_care_ratio", polarity="lower_is_better")
SPEND = replace(
    RESERVES, unit="GBP per head", polarity="neutral", similar_absolute=None, similar_relative=0.05
)
