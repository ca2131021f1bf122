"""An indicator whose input was left out as implausible says so, in plain words.

A hand-made context (rows split with the store's own rule) checks the wording;
the staged files check Havant's 2017-18 council tax requirement, which the RS
return gives as negative.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councilpack.data import ComparatorGroup, DataContext, Register, open_data
from councilpack.data.model import TIDY_COLUMNS
from councilpack.data.store import exclude_implausible
from councilpack.finance.analysis import analyse
from councilpack.finance.indicators import compute, indicator_specs, missing_reason

HAVANT = "E07000090"


def _context() -> DataContext:
    register = Register(
        pd.DataFrame(
            {
                "gss_code": ["A", "B"],
                "name": ["Alpha", "Beta"],
                "slug": ["alpha", "beta"],
                "council_type": ["Unitary authority"] * 2,
                "region": ["North West"] * 2,
            }
        )
    )
    # Alpha's 2014-15 return gives negative unallocated reserves and its 2017-18
    # return a negative council tax requirement: neither can be right.
    wrong = {
        ("A", "unallocated_reserves", "2014-15"): -14_700_000.0,
        ("A", "council_tax_requirement", "2017-18"): -6_400_000.0,
    }
    plausible = {
        "net_revenue_expenditure": 200_000_000.0,
        "unallocated_reserves": 10_000_000.0,
        "earmarked_reserves": 30_000_000.0,
        "council_tax_requirement": 90_000_000.0,
    }
    rows = [
        (code, metric, year, wrong.get((code, metric, year), value))
        for code in ("A", "B")
        for year in ("2014-15", "2017-18")
        for metric, value in plausible.items()
    ]
    tidy = pd.DataFrame(
        [(*row, "GBP", "mhclg_rs", "hand-made") for row in rows], columns=list(TIDY_COLUMNS)
    )
    metrics, excluded = exclude_implausible(tidy)
    group = ComparatorGroup("nearest_neighbours", "Nearest neighbours", "d", "v", ("A", "B"))
    return DataContext(register, metrics, dict.fromkeys("AB", (group,)), "test", excluded=excluded)


def test_ratio_with_an_excluded_input_says_why() -> None:
    data, specs = _context(), indicator_specs()
    spec = specs["council_tax_requirement_pct_nre"]
    values = compute(data, spec)
    alpha = values[values["gss_code"] == "A"]
    assert alpha["period"].tolist() == ["2014-15"]  # no 2017-18 figure
    assert missing_reason(data, spec, "A", "2017-18") == (
        "the 2017-18 revenue outturn return gives a council tax requirement of -£6.4m, "
        "which cannot be right, so it is left out"
    )


def test_change_needing_an_excluded_earlier_year_says_why() -> None:
    data, specs = _context(), indicator_specs()
    assert missing_reason(data, specs["reserves_change_3yr"], "A", "2017-18") == (
        "the 2014-15 revenue outturn return gives unallocated reserves of -£14.7m, "
        "which cannot be right, so it is left out, needed for the 3-year comparison"
    )
    # Beta's figures are all plausible, so it keeps its value.
    assert "B" in set(compute(data, specs["reserves_change_3yr"])["gss_code"])


def test_report_shows_not_available_with_the_reason() -> None:
    result = analyse(_context(), "A", period="2017-18")
    ctr = result.results["council_tax_requirement_pct_nre"]
    assert ctr.value is None
    assert ctr.sentence == (
        "Council tax requirement as a share of NRE is not available for 2017-18: the 2017-18 "
        "revenue outturn return gives a council tax requirement of -£6.4m, which cannot be "
        "right, so it is left out."
    )
    assert ctr.figures[0].value is None
    assert "-£6.4m" in ctr.figures[0].note
    # The trend has a gap for 2017-18, not a figure.
    trend = ctr.trend.set_index("period")["council"]
    assert trend.isna().tolist() == [False, True]


def test_havant_council_tax_requirement_2017_18_is_not_available(open_data_dir: Path) -> None:
    data = open_data(open_data_dir)
    spec = indicator_specs()["council_tax_requirement_pct_nre"]
    values = compute(data, spec)
    havant = values[values["gss_code"] == HAVANT]
    assert "2017-18" not in set(havant["period"])
    assert "2016-17" in set(havant["period"])
    result = analyse(data, HAVANT, period="2017-18", indicators=[spec.id])
    ctr = result.results[spec.id]
    assert ctr.value is None
    assert ctr.reason == (
        "the 2017-18 revenue outturn return gives a council tax requirement of -£6.4m, "
        "which cannot be right, so it is left out"
    )
    assert "the lowest of" not in ctr.sentence
