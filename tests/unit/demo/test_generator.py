from __future__ import annotations

import re

from councilpack.data import open_data
from councilpack.data.model import TIDY_COLUMNS
from councilpack.demo import demo_metrics, demo_register


def test_demo_codes_can_never_be_ons_codes() -> None:
    # ONS GSS codes start with a country letter E, W, S, N (or K/J/L/M for UK-wide areas).
    codes = [c.gss_code for c in demo_register()]
    assert len(codes) == 20
    assert all(re.fullmatch(r"X\d{8}", code) for code in codes)


def test_demo_metrics_follow_the_tidy_contract() -> None:
    table = demo_metrics()
    assert tuple(table.columns) == TIDY_COLUMNS
    assert not table.duplicated(["gss_code", "metric", "period"]).any()
    assert table["value"].notna().all()
    periods = set(table.loc[table["metric"] == "net_revenue_expenditure", "period"])
    assert len(periods) >= 5


def test_demo_is_deterministic() -> None:
    demo_metrics.cache_clear()
    first = demo_metrics().to_csv(index=False)
    demo_metrics.cache_clear()
    assert demo_metrics().to_csv(index=False) == first


def test_districts_have_no_social_care_and_a_gap_is_absent_not_nan() -> None:
    data = open_data("")
    district = data.register.resolve("Upper Wendling")
    rows = data.council_metrics(district.gss_code)
    assert "adult_social_care_spend" not in set(rows["metric"])
    nre_years = set(rows.loc[rows["metric"] == "net_revenue_expenditure", "period"])
    assert "2013-14" not in nre_years


def test_every_demo_council_has_comparator_groups_including_itself() -> None:
    data = open_data("")
    for council in data.register:
        groups = data.groups_for(council.gss_code)
        assert groups
        assert all(council.gss_code in group.members for group in groups)
