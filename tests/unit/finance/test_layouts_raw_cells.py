"""Indicators for real councils in every RS layout and RSX 2024-25, against raw cells.

Expected values are computed here from the published cells, read with
python-calamine directly (not through the loaders): the row is found by ONS
code, the column by RS line number (the row above the ``E-code`` header, in
the 2016-17 and 2019-20 layouts) or by variable code (2022-23 and 2023-24 RS,
2024-25 RSX), never by position. Money is in £ thousand in the files.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from councilpack.data import open_data
from councilpack.data.model import DataContext
from councilpack.finance.analysis import analyse
from councilpack.finance.indicators import compute, indicator_specs

KNOWSLEY, LIVERPOOL, KENT, CAMBRIDGE = "E08000011", "E08000012", "E10000016", "E07000008"
BLABY = "E07000129"  # a district with a 2023-24 return (Cambridge has none)
RS_2016 = "mhclg_ro_rs_historic_bbc/RS_2016-17_data_by_LA.xlsx"  # old layout
RS_2019 = "mhclg_rs_2018_2023_resaved/rs2019_20.xls"  # line numbers above the header
RS_2022 = "mhclg_rs_2018_2023_resaved/rs2022_23.xlsx"  # variable codes
RS_2023 = "mhclg_ro_2022_2025/RS_2023-24_data_by_LA.ods"  # variable codes, ODS
# The second release (4 December 2025) supersedes the first (18 September 2025).
RSX_2024 = "mhclg_ro_2024_25_second_release_resaved/RSX_LA_Data_2024-25_data_by_LA.ods"
RSX_2024_FIRST = "mhclg_ro_2022_2025/RSX_LA_Data_2024-25_data_by_LA.ods"
MYE4 = "ons_mye_workbooks/mye23tablesew.xlsx"
MYE_2024 = "ons_mye_2024/mye24tablesew.csv"


@cache
def _rows(raw: Path, relative: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(raw / relative))
    name = next(n for n in book.sheet_names if "LA_Data" in n or "LA Data" in n)
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _header(rows: list[list[object]]) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == "E-code")


def _council_row(rows: list[list[object]], ons: str) -> list[object]:
    return next(r for r in rows[_header(rows) + 1 :] if len(r) > 1 and r[1] == ons)


def by_line(raw: Path, relative: str, ons: str, line: int) -> float:
    """Cell in the council's row under RS line ``line`` (the last such column: for a
    reserve level repeated under 1 April and 31 March, the 31 March one)."""
    rows = _rows(raw, relative)
    lines = rows[_header(rows) - 1]
    column = max(j for j, v in enumerate(lines) if v == line)
    return float(_council_row(rows, ons)[column])  # type: ignore[arg-type]


def by_code(raw: Path, relative: str, ons: str, code: str) -> float:
    """Cell in the council's row under variable code ``code`` (code row found by content)."""
    rows = _rows(raw, relative)
    code_row = next(r for r in rows if code in r)
    return float(_council_row(rows, ons)[code_row.index(code)])  # type: ignore[arg-type]


def mye4(raw: Path, ons: str, year: int) -> float:
    """Total population of a council at mid-``year`` from the MYE4 table."""
    rows = CalamineWorkbook.from_path(str(raw / MYE4)).get_sheet_by_name("MYE4").to_python()
    header = next(r for r in rows if r and r[0] == "Code")
    row = next(r for r in rows if r and r[0] == ons)
    return float(row[header.index(f"Mid-{year}")])  # type: ignore[arg-type]


def mye_2024(raw: Path, ons: str) -> float:
    with (raw / MYE_2024).open(encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Code"] == ons)
    return float(row["All ages"].replace(",", ""))


@pytest.fixture(scope="module")
def data(open_data_dir: Path) -> DataContext:
    return open_data(open_data_dir)


def indicator(data: DataContext, identifier: str, ons: str, period: str) -> float:
    values = compute(data, indicator_specs()[identifier])
    rows = values[(values["gss_code"] == ons) & (values["period"] == period)]
    assert len(rows) == 1, (identifier, ons, period)
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize(
    ("relative", "period", "population_year"),
    [(RS_2016, "2016-17", 2016), (RS_2019, "2019-20", 2019)],
)
@pytest.mark.parametrize("ons", [KNOWSLEY, KENT, CAMBRIDGE])
def test_line_number_layouts(
    open_data_dir: Path,
    data: DataContext,
    relative: str,
    period: str,
    population_year: int,
    ons: str,
) -> None:
    nre = by_line(open_data_dir, relative, ons, 805)
    # (916 + 915 at 31 March) / 805 x 100
    reserves = by_line(open_data_dir, relative, ons, 916) + by_line(
        open_data_dir, relative, ons, 915
    )
    assert indicator(data, "total_reserves_pct_nre", ons, period) == pytest.approx(
        100 * reserves / nre
    )
    ctr = by_line(open_data_dir, relative, ons, 890)
    assert indicator(data, "council_tax_requirement_pct_nre", ons, period) == pytest.approx(
        100 * ctr / nre
    )
    interest = by_line(open_data_dir, relative, ons, 781)
    assert indicator(data, "interest_payable_pct_nre", ons, period) == pytest.approx(
        100 * interest / nre
    )
    # NRE (£ thousand x 1000) / ONS population at mid-year of the finance year.
    population = mye4(open_data_dir, ons, population_year)
    assert indicator(data, "nre_per_head", ons, period) == pytest.approx(nre * 1000 / population)


@pytest.mark.parametrize(("relative", "period"), [(RS_2022, "2022-23"), (RS_2023, "2023-24")])
@pytest.mark.parametrize("ons", [KNOWSLEY, LIVERPOOL, KENT, BLABY])
def test_variable_code_layouts(
    open_data_dir: Path, data: DataContext, relative: str, period: str, ons: str
) -> None:
    def cell(code: str) -> float:
        return by_code(open_data_dir, relative, ons, code)

    nre = cell("RS-netrevexp-net-exp")
    reserves = cell("RS-resunall-end-cy") + cell("RS-resoth-end-cy")
    assert indicator(data, "total_reserves_pct_nre", ons, period) == pytest.approx(
        100 * reserves / nre
    )
    assert indicator(data, "interest_payable_pct_nre", ons, period) == pytest.approx(
        100 * cell("RS-intextpay-net-exp") / nre
    )
    assert indicator(data, "earmarked_budget_stabilisation_pct_nre", ons, period) == pytest.approx(
        100 * cell("RS-resothbdg-end-cy") / nre
    )
    # Net income = -(net cost as returned).
    assert indicator(data, "investment_property_income_pct_nre", ons, period) == pytest.approx(
        -100 * cell("RS-invprp-netinc-net-exp") / nre
    )
    if ons != BLABY:  # a district holds no DSG
        # The adjustment account is a negative balance when in deficit.
        assert indicator(data, "dsg_deficit_pct_reserves", ons, period) == pytest.approx(
            -100 * cell("RS-resdsgadj-end-cy") / reserves
        )


def test_liverpool_reserves_were_20_7_per_cent_of_nre_in_2022_23(
    open_data_dir: Path, data: DataContext
) -> None:
    # LGA feedback 2024: reserves "equate to 20.7 per cent of its net revenue expenditure";
    # (28,224 + 81,861) / 530,728 = 110,085 / 530,728 = 20.742 per cent.
    unallocated = by_code(open_data_dir, RS_2022, LIVERPOOL, "RS-resunall-end-cy")
    earmarked = by_code(open_data_dir, RS_2022, LIVERPOOL, "RS-resoth-end-cy")
    nre = by_code(open_data_dir, RS_2022, LIVERPOOL, "RS-netrevexp-net-exp")
    assert (unallocated, earmarked, nre) == (28_224, 81_861, 530_728)
    value = indicator(data, "total_reserves_pct_nre", LIVERPOOL, "2022-23")
    assert value == pytest.approx(100 * 110_085 / 530_728)
    result = analyse(data, LIVERPOOL, period="2022-23", indicators=["total_reserves_pct_nre"])
    assert result.results["total_reserves_pct_nre"].sentence.startswith(
        "Unallocated and earmarked reserves together were 20.7 per cent of net revenue "
        "expenditure in 2022-23"
    )


@pytest.mark.parametrize("ons", [KNOWSLEY, LIVERPOOL, KENT, BLABY])
def test_rsx_2024_25_second_release(open_data_dir: Path, data: DataContext, ons: str) -> None:
    def cell(code: str, relative: str = RSX_2024) -> float:
        return by_code(open_data_dir, relative, ons, code)

    # Fees and charges (C4) / total expenditure (C3), all services.
    assert indicator(data, "fees_charges_pct_service_expenditure", ons, "2024-25") == pytest.approx(
        100 * cell("RSX-totsx-sfc") / cell("RSX-totsx-tot-exp")
    )
    # Net current expenditure (C7) x 1000 / ONS mid-2024 population.
    population = mye_2024(open_data_dir, ons)
    for key, stem in (("environmental_regulatory", "env"), ("central_services", "cen")):
        assert indicator(data, f"service_spend_per_head_{key}", ons, "2024-25") == pytest.approx(
            cell(f"RSX-{stem}-net-cur-exp") * 1000 / population
        )
    if ons != BLABY:
        assert indicator(
            data, "service_spend_per_head_adult_social_care", ons, "2024-25"
        ) == pytest.approx(cell("RSX-asc-net-cur-exp") * 1000 / population)


def test_later_release_wins_and_is_named(open_data_dir: Path, data: DataContext) -> None:
    rows = data.council_metrics(KNOWSLEY)
    rows = rows[(rows["metric"] == "service_nce_total") & (rows["period"] == "2024-25")]
    vintage = str(rows["vintage"].iloc[0])
    assert "last updated 4 December 2025" in vintage
    assert "supersedes the release of 18 September 2025" in vintage
    second = by_code(open_data_dir, RSX_2024, KNOWSLEY, "RSX-totsx-net-cur-exp")
    assert float(rows["value"].iloc[0]) == pytest.approx(second * 1000)
    first = by_code(open_data_dir, RSX_2024_FIRST, KNOWSLEY, "RSX-totsx-net-cur-exp")
    assert first * 1000 != pytest.approx(second * 1000) or first == second


def test_report_states_latest_years_and_population_years(data: DataContext) -> None:
    result = analyse(data, KNOWSLEY)
    assert result.results["total_reserves_pct_nre"].period == "2023-24"
    assert result.results["fees_charges_pct_service_expenditure"].period == "2024-25"
    per_head = result.results["service_spend_per_head_adult_social_care"]
    assert per_head.note == (
        "per head uses the ONS mid-2024 population estimate (finance year 2024-25)"
    )
    trend = result.results["total_reserves_pct_nre"].trend
    assert trend["period"].iloc[0] == "2010-11"
    assert trend["period"].iloc[-1] == "2023-24"


def test_a_missing_return_says_so(open_data_dir: Path, data: DataContext) -> None:
    # Cambridge's 2023-24 RS row is '[x]' (return not received in time for publication).
    rows = _rows(open_data_dir, RS_2023)
    code_row = next(r for r in rows if "RS-netrevexp-net-exp" in r)
    assert _council_row(rows, CAMBRIDGE)[code_row.index("RS-netrevexp-net-exp")] == "[x]"
    result = analyse(data, CAMBRIDGE, indicators=["total_reserves_pct_nre"])
    item = result.results["total_reserves_pct_nre"]
    assert item.period == "2023-24"
    assert item.value is None
    assert item.reason == "no return for 2023-24"
    assert item.sentence.startswith(
        "Unallocated and earmarked reserves as a share of NRE is not available for 2023-24: "
        "no return for 2023-24 (its latest figure, for 2022-23, is "
    )


CTR = "dluhc_council_tax_levels/CTR_Table_9_2023-24.ods"


def ctr_cell(raw: Path, sheet: str, ons: str, line: str, year: str = "") -> float:
    """CTR Table 9 cell found by the printed line number ('9. ...') and '(current year)'."""
    rows = CalamineWorkbook.from_path(str(raw / CTR)).get_sheet_by_name(sheet).to_python()
    header = next(r for r in rows if r and r[0] == "E-code")
    column = next(
        j
        for j, text in enumerate(" ".join(str(c).split()) for c in header)
        if text.startswith(f"{line}. ") and (not year or f"({year} year)" in text)
    )
    row = next(r for r in rows if len(r) > 1 and r[header.index("ONS Code")] == ons)
    return float(row[column])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ons", "sheet", "band_d_line", "ctr_line", "asc_line"),
    [
        (KNOWSLEY, "Data_Billing", "9", "3", "10"),
        (LIVERPOOL, "Data_Billing", "9", "3", "10"),
        (KENT, "Data_Precepting", "3", "1", "4"),
    ],
)
def test_council_tax_levels_2023_24(
    open_data_dir: Path,
    data: DataContext,
    ons: str,
    sheet: str,
    band_d_line: str,
    ctr_line: str,
    asc_line: str,
) -> None:
    current = ctr_cell(open_data_dir, sheet, ons, band_d_line, "current")
    previous = ctr_cell(open_data_dir, sheet, ons, band_d_line, "previous")
    assert indicator(data, "band_d_council_tax_level", ons, "2023-24") == pytest.approx(current)
    # (2023-24 - 2022-23) / 2022-23 x 100
    assert indicator(data, "band_d_change_1yr", ons, "2023-24") == pytest.approx(
        100 * (current - previous) / previous
    )
    requirement = ctr_cell(open_data_dir, sheet, ons, ctr_line, "current")
    assert indicator(data, "asc_precept_pct_ctr", ons, "2023-24") == pytest.approx(
        100 * ctr_cell(open_data_dir, sheet, ons, asc_line) / requirement
    )
