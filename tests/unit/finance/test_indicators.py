"""Indicator formulas on a hand-built data context, and missing-data reasons on the demo."""

from __future__ import annotations

import pandas as pd
import pytest

from councilpack.data import ComparatorGroup, DataContext, Register, open_data
from councilpack.data.model import shift_period
from councilpack.finance.analysis import analyse
from councilpack.finance.indicators import (
    NOT_DRAWING_DOWN,
    compute,
    indicator_specs,
    missing_reason,
    unsupported_indicators,
)


def _context() -> DataContext:
    register = Register(
        pd.DataFrame(
            {
                "gss_code": ["A", "B", "D"],
                "name": ["Alpha", "Beta", "Delta"],
                "slug": ["alpha", "beta", "delta"],
                "council_type": [
                    "Unitary authority",
                    "Unitary authority",
                    "Non-metropolitan district",
                ],
                "region": ["North West"] * 3,
            }
        )
    )
    rows = []

    def add(code: str, metric: str, period: str, value: float) -> None:
        rows.append((code, metric, period, value, "GBP", "test", "hand-made"))

    # Alpha draws down: reserves 30 + 70 = 100 -> 20 + 50 = 70 over three years,
    # 10 a year, so 7 years left. Beta grows: 20 + 30 = 50 -> 25 + 35 = 60, a 20% rise.
    for code, figures in (("A", (30.0, 70.0, 20.0, 50.0)), ("B", (20.0, 30.0, 25.0, 35.0))):
        add(code, "unallocated_reserves", "2014-15", figures[0])
        add(code, "earmarked_reserves", "2014-15", figures[1])
        add(code, "unallocated_reserves", "2017-18", figures[2])
        add(code, "earmarked_reserves", "2017-18", figures[3])
    for code in ("A", "B", "D"):
        add(code, "net_revenue_expenditure", "2017-18", 200.0)
        add(code, "adult_social_care_spend", "2017-18", 0.0 if code == "D" else 60.0)
        add(code, "children_social_care_spend", "2017-18", 0.0 if code == "D" else 40.0)
    # Per-head figures use the finance year's mid-year estimate (2017-18 -> mid-2017);
    # the mid-2023 estimate of 8 must not be used for 2017-18.
    rows.append(("A", "population_all", "mid-2017", 4.0, "persons", "test", "hand-made"))
    rows.append(("A", "population_all", "mid-2023", 8.0, "persons", "test", "hand-made"))
    rows.append(("B", "population_all", "mid-2023", 5.0, "persons", "test", "hand-made"))
    metrics = pd.DataFrame(
        rows, columns=["gss_code", "metric", "period", "value", "unit", "source", "vintage"]
    )
    group = ComparatorGroup("nearest_neighbours", "Nearest neighbours", "d", "v", ("A", "B", "D"))
    return DataContext(register, metrics, dict.fromkeys("ABD", (group,)), "test")


def _value(frame: pd.DataFrame, code: str, period: str = "2017-18") -> pd.Series:
    return frame[(frame["gss_code"] == code) & (frame["period"] == period)].iloc[0]


def test_catalogue_loads_with_every_formula() -> None:
    specs = indicator_specs()
    assert {s.kind for s in specs.values()} == {
        "level",
        "ratio",
        "per_head",
        "change",
        "sustainability",
    }
    assert "growth_above_baseline" in {u.id for u in unsupported_indicators()}
    assert "fees_charges_pct_service_expenditure" in specs  # supported since RSX is staged


def test_shift_period() -> None:
    assert shift_period("2017-18", -3) == "2014-15"
    assert shift_period("1999-00", 1) == "2000-01"


def test_reserves_change_and_sustainability() -> None:
    data, specs = _context(), indicator_specs()
    change = compute(data, specs["reserves_change_3yr"])
    assert _value(change, "A")["value"] == pytest.approx(-30.0)
    assert _value(change, "B")["value"] == pytest.approx(20.0)  # 50 -> 60
    sustainability = compute(data, specs["reserves_sustainability"])
    alpha = _value(sustainability, "A")
    assert alpha["value"] == pytest.approx(7.0)
    assert alpha["status"] == ""
    beta = _value(sustainability, "B")
    assert beta["value"] == 100.0
    assert beta["status"] == NOT_DRAWING_DOWN


def test_ratios_per_head_and_not_applicable() -> None:
    data, specs = _context(), indicator_specs()
    total = compute(data, specs["total_reserves_pct_nre"])
    assert _value(total, "A")["value"] == pytest.approx(35.0)  # 70 / 200
    care = compute(data, specs["social_care_ratio"])
    assert _value(care, "A")["value"] == pytest.approx(50.0)  # (60 + 40) / 200
    assert "D" not in set(care["gss_code"])  # a district's zero is not a figure
    per_head = compute(data, specs["nre_per_head"])
    assert _value(per_head, "A")["value"] == pytest.approx(50.0)  # 200 / 4
    assert missing_reason(data, specs["social_care_ratio"], "D", "2017-18") == (
        "not applicable: district councils do not provide social care"
    )
    assert missing_reason(data, specs["nre_per_head"], "B", "2017-18") == (
        "no ONS population estimate for mid-2017 (the population year of 2017-18)"
    )
    assert "B" not in set(per_head["gss_code"])  # B's mid-2023 estimate is not used
    assert missing_reason(data, specs["reserves_change_3yr"], "D", "2017-18").startswith(
        "the data hold no unallocated_reserves or earmarked_reserves figures"
    )


def test_not_drawing_down_is_worded() -> None:
    result = analyse(_context(), "B", period="2017-18")
    sentence = result.results["reserves_sustainability"].sentence
    assert "not drawing down" in sentence
    assert result.results["reserves_sustainability"].figures[0].sentence == sentence


def test_demo_council_without_a_return_shows_reason() -> None:
    data = open_data("")
    result = analyse(data, "X00000020", period="2013-14")
    unallocated = result.results["unallocated_reserves_pct_nre"]
    assert unallocated.value is None
    assert unallocated.reason == "no return for 2013-14"
    assert "not available for 2013-14: no return for 2013-14" in unallocated.sentence
    later = analyse(data, "X00000020", period="2016-17").results["reserves_change_3yr"]
    assert later.reason == "no return for 2013-14, needed for the 3-year comparison"
    care = analyse(data, "X00000020").results["social_care_ratio"]
    assert care.reason.startswith("not applicable")


def test_every_sentence_is_backed_by_a_figure() -> None:
    result = analyse(open_data(""), "X00000001")
    sentences = {f.sentence for f in result.figures}
    for item in result.results.values():
        assert " ".join(s for s in (item.sentence, item.money_sentence) if s) in sentences
        if item.travel_sentence:
            assert item.travel_sentence in sentences
    assert len({f.id for f in result.figures}) == len(result.figures)
