"""Indicators for real councils against values worked out here from the raw files.

The expected values are computed in the test from the published RS 2017-18
workbook (row found by ONS code, column by RS line number, £ thousand x 1000)
and the ONS mid-2023 population file, never copied from the code's output.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

from councilpack.data import open_data
from councilpack.finance.analysis import analyse

RS_FILE = Path("mhclg_ro_rs_historic_bbc") / "RS_2017-18_data_by_LA.xlsx"
RS_SHEET = "RS LA Data 2017-18"
POPULATION_FILE = Path("ons_mye") / "mye2023_lad_single_year_of_age_england.csv"
KNOWSLEY, KENT, CAMBRIDGE = "E08000011", "E10000016", "E07000008"


@pytest.fixture(scope="module")
def rs_rows(open_data_dir: Path) -> dict[str, dict[int, float]]:
    """ONS code -> RS line -> pounds; reserve lines keep the end-of-year (last) column."""
    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about the workbook's print-area definition; irrelevant here.
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(open_data_dir / RS_FILE, read_only=True, data_only=True)
    rows = list(book[RS_SHEET].iter_rows(values_only=True))
    book.close()
    line_row = next(r for r in rows if r[5] == 190)  # the row of RS line numbers
    header_index = next(i for i, r in enumerate(rows) if r[1] == "ONS Code")
    columns: dict[int, int] = {}
    for index, line in enumerate(line_row):
        if isinstance(line, int) and index >= 5:
            columns[line] = index  # a repeated line (reserves) ends on the 31 March column
    out = {}
    for row in rows[header_index + 1 :]:
        if row[1] in (KNOWSLEY, KENT, CAMBRIDGE):
            out[row[1]] = {
                line: float(row[i]) * 1000
                for line, i in columns.items()
                if isinstance(row[i], (int, float))  # '...' marks a figure not collected
            }
    return out


@pytest.fixture(scope="module")
def population(open_data_dir: Path) -> dict[str, float]:
    """ONS code -> (all ages, aged 0-17, aged 18+) for the districts we test."""
    with (open_data_dir / POPULATION_FILE).open(encoding="utf-8") as handle:
        return {
            row["code"]: (
                float(row["all"]),
                sum(float(row[str(age)]) for age in range(18)),
            )
            for row in csv.DictReader(handle)
            if row["code"] in (KNOWSLEY, CAMBRIDGE)
        }


@pytest.fixture(scope="module")
def analyses(open_data_dir: Path) -> dict:
    data = open_data(open_data_dir)
    return {code: analyse(data, code, period="2017-18") for code in (KNOWSLEY, KENT, CAMBRIDGE)}


# RS lines: 330 children's social care, 360 adult social care, 805 net revenue
# expenditure, 890 council tax requirement, 915 other earmarked reserves,
# 916 unallocated reserves (level at 31 March 2018).


@pytest.mark.parametrize("code", [KNOWSLEY, KENT, CAMBRIDGE])
def test_reserves_shares(code: str, rs_rows: dict, analyses: dict) -> None:
    rs = rs_rows[code]
    results = analyses[code].results
    assert results["unallocated_reserves_pct_nre"].value == pytest.approx(
        100 * rs[916] / rs[805], rel=1e-9
    )
    assert results["earmarked_reserves_pct_nre"].value == pytest.approx(
        100 * rs[915] / rs[805], rel=1e-9
    )
    assert results["total_reserves_pct_nre"].value == pytest.approx(
        100 * (rs[916] + rs[915]) / rs[805], rel=1e-9
    )
    assert results["council_tax_requirement_pct_nre"].value == pytest.approx(
        100 * rs[890] / rs[805], rel=1e-9
    )
    assert results["nre"].value == pytest.approx(rs[805], rel=1e-9)


@pytest.mark.parametrize("code", [KNOWSLEY, KENT])
def test_social_care_ratio(code: str, rs_rows: dict, analyses: dict) -> None:
    rs = rs_rows[code]
    assert analyses[code].results["social_care_ratio"].value == pytest.approx(
        100 * (rs[330] + rs[360]) / rs[805], rel=1e-9
    )


def test_knowsley_per_head(open_data_dir: Path, rs_rows: dict, analyses: dict) -> None:
    from python_calamine import CalamineWorkbook

    # 2017-18 per-head figures divide by the ONS mid-2017 estimate (MYE4 series).
    book = CalamineWorkbook.from_path(str(open_data_dir / "ons_mye_workbooks/mye23tablesew.xlsx"))
    rows = book.get_sheet_by_name("MYE4").to_python()
    header = next(r for r in rows if r and r[0] == "Code")
    mid_2017 = float(next(r for r in rows if r[0] == KNOWSLEY)[header.index("Mid-2017")])
    rs = rs_rows[KNOWSLEY]
    results = analyses[KNOWSLEY].results
    assert results["nre_per_head"].value == pytest.approx(rs[805] / mid_2017, rel=1e-9)
    assert results["nre_per_head"].note == (
        "per head uses the ONS mid-2017 population estimate (finance year 2017-18)"
    )
    # Estimates by age are staged for mid-2022 to mid-2024 only.
    children = results["children_social_care_per_child"]
    assert children.value is None
    assert (
        children.reason
        == "no ONS population estimate for mid-2017 (the population year of 2017-18)"
    )


def test_knowsley_per_child_2023_24(open_data_dir: Path, population: dict, analyses: dict) -> None:
    from python_calamine import CalamineWorkbook

    everyone, children = population[KNOWSLEY]  # mid-2023 single-year-of-age file
    assert everyone == 159_243  # SOURCES.md check value
    book = CalamineWorkbook.from_path(
        str(open_data_dir / "mhclg_ro_2022_2025/RS_2023-24_data_by_LA.ods")
    )
    rows = book.get_sheet_by_name("RS_LA_Data_2023-24").to_python()
    codes = next(r for r in rows if "RS-csc-net-exp" in r)
    row = next(r for r in rows if len(r) > 1 and r[1] == KNOWSLEY)
    result = analyse(
        open_data(open_data_dir), KNOWSLEY, indicators=["children_social_care_per_child"]
    )
    item = result.results["children_social_care_per_child"]
    assert item.period == "2023-24"
    assert item.value == pytest.approx(
        float(row[codes.index("RS-csc-net-exp")]) * 1000 / children, rel=1e-9
    )


def test_district_has_no_social_care_figure(analyses: dict) -> None:
    care = analyses[CAMBRIDGE].results["social_care_ratio"]
    assert care.value is None
    assert care.reason == "not applicable: district councils do not provide social care"


def test_reorganised_council_is_not_available(open_data_dir: Path) -> None:
    # Cumberland, formed April 2023 from part of Cumbria County Council and three districts.
    result = analyse(open_data(open_data_dir), "E06000063", period="2022-23")
    unallocated = result.results["unallocated_reserves_pct_nre"]
    assert unallocated.value is None
    assert unallocated.reason.startswith(
        "the council's first return is for 2023-24; for 2022-23 the figures of the former "
        "councils it replaced ("
    )
    assert unallocated.figures[0].value is None
    latest = analyse(open_data(open_data_dir), "E06000063").results["reserves_change_3yr"]
    assert latest.period == "2023-24"
    assert latest.reason.endswith("needed for the 3-year comparison")
