"""Council tax levels 2015-16 to 2023-24: the ``ctr_*.xlsx`` tables and CTR Table 9.

Expected values are read here from the published cells with python-calamine
directly (not through the loader): the row by the authority's name, the column
by its heading text and the year printed under it, never by position. The
overlap rule and the missing-heading error are also checked on small tables
written here with openpyxl, which need no staged data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from councilpack.data.checks import LABEL_COLUMN, ROW_COLUMN, DataCheckError
from councilpack.data.loaders.mhclg_ctr import (
    _Candidate,
    _choose,
    _Table,
    consistent,
    load_council_tax_levels,
)
from councilpack.data.loaders.mhclg_ctr_history import read_ctr_table
from councilpack.data.loaders.mysociety import load_geography
from councilpack.data.model import DataContext
from councilpack.data.store import open_open_data
from councilpack.errors import FileFormatError

FOLDER = "dluhc_council_tax_levels"
BAND_D_BILLING = ("average (band d 2 adult equivalent) council tax", "excluding local precepts")
BAND_D_PRECEPTING = ("average (band d 2 adult equivalent) council tax of major precepting",)
KNOWSLEY, KENT, ADUR, ISLE_OF_WIGHT = "E08000011", "E10000016", "E07000223", "E06000046"


def _table_file(period: str) -> str:
    return f"{FOLDER}/ctr_{period[2:4]}{period[5:7]}.xlsx"


@cache
def _rows(raw: Path, relative: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(raw / relative)).get_sheet_by_name("Data").to_python()


def raw_cell(
    raw: Path, period_of_table: str, name: str, words: tuple[str, ...], year: str
) -> float:
    """The cell of authority ``name`` under the heading containing ``words``, for ``year``.

    A shire county's row is read under the precepting section's own header when the
    table has one (2020-21 onwards), else under the top header.
    """
    rows = _rows(raw, _table_file(period_of_table))
    headers = [i for i, r in enumerate(rows) if r and str(r[0]).strip() == "Ecode"]
    row_index = next(
        i for i, r in enumerate(rows) if len(r) > 2 and str(r[1]).strip() == name and r[2]
    )
    header = max(h for h in headers if h < row_index)
    texts = [" ".join(str(c).split()).lower() for c in rows[header]]
    first = next(j for j, t in enumerate(texts) if t[:1].isdigit() and all(w in t for w in words))
    years = [str(c).strip() for c in rows[headers[0] + 1]]
    column = next(j for j in (first, first + 1) if years[j] == year)
    return float(rows[row_index][column])


@pytest.fixture(scope="module")
def context(open_data_dir: Path) -> DataContext:
    return open_open_data(open_data_dir)


def stored(context: DataContext, gss: str, metric: str, period: str) -> pd.Series:
    rows = context.metrics
    hit = rows[(rows["gss_code"] == gss) & (rows["metric"] == metric) & (rows["period"] == period)]
    assert len(hit) == 1, (gss, metric, period)
    return hit.iloc[0]


def band_d_words(name: str, table_period: str) -> tuple[str, ...]:
    """Heading words of the Band D column a council's row is under in a year's table."""
    # Counties fill the billing columns up to 2019-20, then have a header of their own.
    return BAND_D_PRECEPTING if name == "Kent" and table_period >= "2020-21" else BAND_D_BILLING


@pytest.mark.open_data
@pytest.mark.parametrize(("gss", "name"), [(KNOWSLEY, "Knowsley"), (ADUR, "Adur"), (KENT, "Kent")])
@pytest.mark.parametrize("period", ["2015-16", "2017-18", "2019-20", "2020-21", "2021-22"])
def test_band_d_from_raw_cells(
    open_data_dir: Path, context: DataContext, gss: str, name: str, period: str
) -> None:
    """Each year's Band D is the next table's previous-year cell (the later publication)."""
    following = f"{int(period[:4]) + 1}-{(int(period[:4]) + 2) % 100:02d}"
    later = raw_cell(open_data_dir, following, name, band_d_words(name, following), period)
    row = stored(context, gss, "band_d_council_tax", period)
    assert row["value"] == pytest.approx(later)
    assert f"({Path(_table_file(following)).name}), previous-year column" in row["vintage"]
    # The year's own table prints the same figure, except Adur 2019-20, restated by
    # the 2020-21 table (£299.43 -> £299.46, which is requirement / tax base).
    own = raw_cell(open_data_dir, period, name, band_d_words(name, period), period)
    if (name, period) == ("Adur", "2019-20"):
        assert (own, later) == (299.43, 299.46)
        assert "restates £299.43 printed in ctr_1920.xlsx" in row["vintage"]
    else:
        assert own == later


@pytest.mark.open_data
def test_band_d_is_requirement_over_tax_base_in_raw_cells(open_data_dir: Path) -> None:
    """Knowsley 2016-17 from the 2016-17 table's cells: line 3 / line 7 = line 9."""
    requirement = raw_cell(
        open_data_dir,
        "2016-17",
        "Knowsley",
        ("council tax requirement", "excluding local"),
        "2016-17",
    )
    base = raw_cell(
        open_data_dir,
        "2016-17",
        "Knowsley",
        ("council tax base for council tax setting",),
        "2016-17",
    )
    band_d = raw_cell(open_data_dir, "2016-17", "Knowsley", BAND_D_BILLING, "2016-17")
    assert abs(requirement / base - band_d) <= 0.01
    assert consistent(requirement, base, band_d)


@pytest.mark.open_data
def test_kent_five_year_change_from_raw_cells(open_data_dir: Path, context: DataContext) -> None:
    from councilpack.finance.indicators import compute, indicator_specs

    # 2023-24 from CTR Table 9 (precepting line 3, current year); 2018-19 from the 2019-20
    # table's previous-year column (Kent fills the billing columns there).
    rows = (
        CalamineWorkbook.from_path(str(open_data_dir / FOLDER / "CTR_Table_9_2023-24.ods"))
        .get_sheet_by_name("Data_Precepting")
        .to_python()
    )
    header = next(r for r in rows if r and r[0] == "E-code")
    column = next(
        j
        for j, text in enumerate(" ".join(str(c).split()) for c in header)
        if text.startswith("3. ") and "(current year)" in text
    )
    kent = next(r for r in rows if len(r) > 1 and r[header.index("ONS Code")] == KENT)
    end = float(kent[column])  # type: ignore[arg-type]
    start = raw_cell(open_data_dir, "2019-20", "Kent", BAND_D_BILLING, "2018-19")
    values = compute(context, indicator_specs()["band_d_change_5yr"])
    value = values[(values["gss_code"] == KENT) & (values["period"] == "2023-24")]["value"]
    # (1,534.23 - 1,237.68) / 1,237.68 x 100 = 23.96
    assert float(value.iloc[0]) == pytest.approx(100 * (end - start) / start)
    assert float(value.iloc[0]) == pytest.approx(23.96, abs=0.01)


@pytest.mark.open_data
def test_restated_figure_is_the_later_tables(open_data_dir: Path, context: DataContext) -> None:
    """Isle of Wight 2020-21: £1,663.05 in the 2020-21 table, £1,600.87 in the 2021-22 one."""
    earlier = raw_cell(open_data_dir, "2020-21", "Isle of Wight Council", BAND_D_BILLING, "2020-21")
    later = raw_cell(open_data_dir, "2021-22", "Isle of Wight Council", BAND_D_BILLING, "2020-21")
    assert earlier != later
    row = stored(context, ISLE_OF_WIGHT, "band_d_council_tax", "2020-21")
    assert row["value"] == later
    assert f"restates £{earlier:,.2f} printed in ctr_2021.xlsx" in row["vintage"]


@pytest.mark.open_data
def test_reconciliation_lines(open_data_dir: Path) -> None:
    levels = load_council_tax_levels(open_data_dir, load_geography(open_data_dir), [])
    lines = levels.reconciliation
    # Northamptonshire 2018-19: the 2019-20 table's previous-year Band D (£1,177.35) is
    # not its own requirement / tax base (£1,236.35); the 2018-19 table's figure stands.
    north = [line for line in lines["2018-19"] if "E2820 Northamptonshire" in line]
    expected = (
        "ctr_1920.xlsx: column 'band_d_council_tax 2018-19 (previous year)' row 392 "
        "(E2820 Northamptonshire): £1,177.35 against £1,236.35 in ctr_1819.xlsx: the later "
        "table's Band D is not its own requirement / tax base, so ctr_1819.xlsx's figure stands"
    )
    assert north == [expected]
    assert any("E2101 Isle of Wight Council" in line for line in lines["2020-21"])
    assert levels.restated["2020-21"] >= 4
    # Every line is one line naming a file, a column and a council.
    for period_lines in lines.values():
        for line in period_lines:
            assert "\n" not in line
            assert line.startswith("ctr_")
            assert "column '" in line
            assert " (E" in line


@pytest.mark.open_data
def test_table_9_previous_year_wins_for_2022_23(context: DataContext) -> None:
    row = stored(context, KNOWSLEY, "band_d_council_tax", "2022-23")
    assert row["vintage"] == (
        "MHCLG council tax levels set by local authorities, CTR Table 9 2023-24 "
        "(CTR_Table_9_2023-24.ods), previous-year column; the same figure as in ctr_2223.xlsx"
    )
    # 2023-24 keeps the vintage it had before the earlier tables were read.
    current = stored(context, KNOWSLEY, "band_d_council_tax", "2023-24")
    assert current["vintage"] == (
        "MHCLG council tax levels set by local authorities, CTR Table 9 2023-24 "
        "(CTR_Table_9_2023-24.ods)"
    )


@pytest.mark.open_data
def test_years_held(context: DataContext) -> None:
    rows = context.metrics
    band_d = rows[rows["metric"] == "band_d_council_tax"]
    assert sorted(set(band_d["period"])) == [f"20{y}-{y + 1}" for y in range(15, 24)]
    asc = rows[rows["metric"] == "asc_precept_total"]
    assert min(asc["period"]) == "2016-17"  # the precept's first year


# --------------------------------------------------------------------------- the overlap rule


def _table(name: str, period: str, requirement: float, base: float, band_d: float) -> _Table:
    frame = pd.DataFrame(
        {
            "ecode": ["E9999"],
            "council_tax_requirement_ctr": [requirement],
            "tax_base": [base],
            "band_d_council_tax": [band_d],
            "council_tax_requirement_ctr_previous": [requirement],
            "tax_base_previous": [base],
            "band_d_council_tax_previous": [band_d],
            ROW_COLUMN: [8],
            LABEL_COLUMN: ["E9999 Testshire"],
        }
    )
    return _Table(Path(name), period, frame, pd.Series(["X1"]), f"table {period} ({name})")


def _candidate(order: int, table: _Table, previous: bool) -> _Candidate:
    frame = table.frame
    suffix = "_previous" if previous else ""
    requirement = frame.at[0, f"council_tax_requirement_ctr{suffix}"]
    base = frame.at[0, f"tax_base{suffix}"]
    band_d = frame.at[0, f"band_d_council_tax{suffix}"]
    checked = consistent(requirement, base, band_d)
    return _Candidate(order, table, previous, float(band_d), checked, 0)  # type: ignore[arg-type]


def _choose_2018_19(first: _Table, second: _Table) -> tuple[Any, str, bool, dict[str, list[str]]]:
    """Choose Band D 2018-19 between ``first``'s current-year and ``second``'s previous-year column."""
    lines: dict[str, list[str]] = {}
    winner, vintage, restated = _choose(
        ("X1", "band_d_council_tax", "2018-19"),
        [_candidate(0, first, False), _candidate(1, second, True)],
        lines,
    )
    return winner, vintage, restated, lines


def test_same_figure_twice_the_later_table_wins() -> None:
    # 1,000,000 / 800 = 1,250.00 in both tables.
    first = _table("a.xlsx", "2018-19", 1_000_000.0, 800.0, 1_250.0)
    second = _table("b.xlsx", "2019-20", 1_000_000.0, 800.0, 1_250.0)
    winner, vintage, restated, lines = _choose_2018_19(first, second)
    assert winner.file == "b.xlsx"
    assert vintage == "table 2019-20 (b.xlsx), previous-year column; the same figure as in a.xlsx"
    assert (restated, lines) == (False, {})


def test_restated_figure_the_later_table_wins() -> None:
    # 1,000,000 / 800 = 1,250.00; restated 1,010,000 / 800 = 1,262.50.
    first = _table("a.xlsx", "2018-19", 1_000_000.0, 800.0, 1_250.0)
    second = _table("b.xlsx", "2019-20", 1_010_000.0, 800.0, 1_262.5)
    winner, vintage, restated, lines = _choose_2018_19(first, second)
    assert (winner.file, winner.value, restated) == ("b.xlsx", 1_262.5, True)
    assert vintage.endswith("; restates £1,250.00 printed in a.xlsx")
    expected = (
        "b.xlsx: column 'band_d_council_tax 2018-19 (previous year)' row 8 "
        "(E9999 Testshire): £1,262.50 against £1,250.00 in a.xlsx: restated by the "
        "later table, whose figure is used"
    )
    assert lines == {"2018-19": [expected]}


def test_inconsistent_later_figure_the_earlier_stands() -> None:
    # The later table prints 1,190.00 beside 1,000,000 / 800 = 1,250.00: an error in it.
    first = _table("a.xlsx", "2018-19", 1_000_000.0, 800.0, 1_250.0)
    second = _table("b.xlsx", "2019-20", 1_000_000.0, 800.0, 1_190.0)
    winner, vintage, restated, lines = _choose_2018_19(first, second)
    assert (winner.file, winner.value, restated) == ("a.xlsx", 1_250.0, False)
    assert vintage == (
        "table 2018-19 (a.xlsx); b.xlsx prints £1,190.00, which is not its own "
        "requirement / tax base"
    )
    assert lines["2018-19"][0].endswith("so a.xlsx's figure stands")


# --------------------------------------------------------------------------- a table's layout

HEADINGS = {
    4: "3. Council Tax Requirement for billing authority (including special expenses and "
    "Adult Social Care precept, but excluding local precepts)",
    6: "7. Council tax base for council tax setting purposes",
    8: "9. Average (Band D 2 Adult equivalent) council tax (including Adult Social Care "
    "precept and excluding local precepts)",
    10: "10. Total Adult Social Care precept",
}


def write_table(path: Path, headings: dict[int, str], band_d: object = 1_250.0) -> Path:
    """Write a one-council 2017-18 table laid out as the published ones (0-based rows)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    rows: list[list[object]] = [["Billing authorities"], [], []]
    header: list[object] = ["Ecode", "Authority", "Class", *([None] * 8)]
    years: list[object] = [None] * 11
    for column, text in headings.items():
        header[column] = text
        if column < 10:
            years[column], years[column + 1] = "2016-17", "2017-18"
    rows += [header, years, ["Eng", "England"], []]
    # 1,000,000 / 800 = 1,250.00 (current year); 960,000 / 800 = 1,200.00 (previous).
    rows.append(
        ["E9999", "Testshire", "UA", None, 960_000, 1_000_000, 800, 800, 1_200.0, band_d, 5_000]
    )
    rows += [["Precepting authorities"], [], ["E9998", "Countyshire", "SC", None]]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_synthetic_table_read_by_heading(tmp_path: Path) -> None:
    frame = read_ctr_table(write_table(tmp_path / "ctr_1718.xlsx", HEADINGS), "2017-18")
    council = frame.set_index("ecode").loc["E9999"]
    assert council["band_d_council_tax"] == 1_250.0
    assert council["band_d_council_tax_previous"] == 1_200.0
    assert council["council_tax_requirement_ctr"] == 1_000_000
    assert council["tax_base_previous"] == 800
    assert council["asc_precept_total"] == 5_000


def test_missing_heading_is_one_located_line(tmp_path: Path) -> None:
    headings = dict(HEADINGS)
    headings[8] = "9. Band D"  # renamed
    path = write_table(tmp_path / "ctr_1718.xlsx", headings)
    with pytest.raises(FileFormatError) as caught:
        read_ctr_table(path, "2017-18")
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "ctr_1718.xlsx: column 'Average (Band D 2 Adult equivalent) council tax (... excluding "
        "local precepts)', row 4: no column headed 'Average (Band D 2 Adult equivalent) council "
        "tax (... excluding local precepts)' in the billing header (needed for band_d_council_tax)"
    )


def test_columns_of_another_year_are_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path / "ctr_1819.xlsx", HEADINGS)
    with pytest.raises(FileFormatError, match=r"ctr_1819.xlsx: .*expected 2017-18 and 2018-19"):
        read_ctr_table(path, "2018-19")


def test_text_in_a_number_cell_is_located(tmp_path: Path) -> None:
    path = write_table(tmp_path / "ctr_1718.xlsx", HEADINGS, band_d="n/a")
    with pytest.raises(DataCheckError) as caught:
        read_ctr_table(path, "2017-18")
    assert str(caught.value) == (
        "ctr_1718.xlsx: column 'Average (Band D 2 Adult equivalent) council tax (... excluding "
        "local precepts) (current year)' row 8 (E9999 Testshire): expected a number, got 'n/a'"
    )


def test_zero_band_d_beside_a_requirement_is_not_a_figure(tmp_path: Path) -> None:
    frame = read_ctr_table(write_table(tmp_path / "ctr_1718.xlsx", HEADINGS, band_d=0), "2017-18")
    council = frame.set_index("ecode").loc["E9999"]
    assert council["band_d_council_tax"] is None
    assert council["council_tax_requirement_ctr"] == 1_000_000


@pytest.mark.open_data
def test_merged_council_has_no_five_year_change_and_says_why(context: DataContext) -> None:
    from councilpack.finance.analysis import analyse

    # North Yorkshire Council (2023): its Band D starts with Table 9's 2022-23; a rate is
    # not combined across the county and seven districts it replaced.
    result = analyse(context, "E06000065", indicators=["band_d_change_5yr"])
    item = result.results["band_d_change_5yr"]
    assert item.value is None
    assert item.reason.startswith(
        "the council's first return is for 2022-23; for 2018-19 the figures of the former "
        "councils it replaced (E07000163, "
    )
    assert item.reason.endswith("needed for the 5-year comparison")
