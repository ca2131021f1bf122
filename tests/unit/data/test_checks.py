"""Corrupted copies of real files fail with one-line, located errors and leave no store."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from councilpack.data.checks import DataCheckError
from councilpack.data.store import build_store

RS_2016 = "mhclg_ro_rs_historic_bbc/RS_2016-17_data_by_LA.xlsx"
MYE = "ons_mye/mye2023_lad_single_year_of_age_england.csv"
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set:UserWarning")


def corrupt_rs(open_data_dir: Path, tmp_path: Path, change: str, mirror_raw) -> Path:
    raw = mirror_raw(open_data_dir, tmp_path / "raw", RS_2016)
    book = openpyxl.load_workbook(open_data_dir / RS_2016)
    sheet = book["RS LA Data 2016-17"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "E-code")
    nre = next(c for c in range(1, 120) if sheet.cell(header - 1, c).value == 805)
    knowsley = next(r for r in range(header, 500) if sheet.cell(r, 1).value == "E4301")
    if change == "text":
        sheet.cell(knowsley, nre).value = "n/a"
    else:
        sheet.delete_cols(nre)
    book.save(raw / RS_2016)
    return raw


def build_fails(raw: Path, tmp_path: Path) -> str:
    target = tmp_path / "out" / "store"
    with pytest.raises(DataCheckError) as info:
        build_store(raw, target)
    assert not target.exists()
    # no temporary sibling left either
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
    message = str(info.value)
    assert "\n" not in message
    return message


def test_text_in_number_column(open_data_dir: Path, tmp_path: Path, mirror_raw) -> None:
    message = build_fails(corrupt_rs(open_data_dir, tmp_path, "text", mirror_raw), tmp_path)
    assert message.startswith("RS_2016-17_data_by_LA.xlsx: column 'NET REVENUE EXPENDITURE' row ")
    assert "(E4301 Knowsley): expected a number, got 'n/a'" in message


def test_missing_column(open_data_dir: Path, tmp_path: Path, mirror_raw) -> None:
    message = build_fails(corrupt_rs(open_data_dir, tmp_path, "delete", mirror_raw), tmp_path)
    assert message.startswith("RS_2016-17_data_by_LA.xlsx: column 'line 799/805' row 7")
    assert "column is missing (needed for net_revenue_expenditure)" in message


def test_duplicated_council(open_data_dir: Path, tmp_path: Path, mirror_raw) -> None:
    raw = mirror_raw(open_data_dir, tmp_path / "raw", MYE)
    lines = (open_data_dir / MYE).read_text().splitlines()
    knowsley = next(line for line in lines if line.startswith("E08000011,"))
    (raw / MYE).write_text("\n".join([*lines, knowsley]) + "\n")
    message = build_fails(raw, tmp_path)
    assert message.startswith("mye2023_lad_single_year_of_age_england.csv: column 'code' row ")
    assert "(E08000011 Knowsley): duplicated value 'E08000011'" in message


def test_failure_lines_are_collected(open_data_dir: Path, tmp_path: Path, mirror_raw) -> None:
    raw = corrupt_rs(open_data_dir, tmp_path, "text", mirror_raw)
    shutil.copyfile(open_data_dir / MYE, tmp_path / "mye.csv")
    with pytest.raises(DataCheckError) as info:
        build_store(raw, tmp_path / "store")
    assert all(f.file and f.message for f in info.value.failures)


RECYCLING = "defra_recycling_2021_22/recycling_by_lad_2021_22_subset.csv"
ASC = "oflog_automated_text/ASC_data.csv"


def _edit_csv(open_data_dir: Path, raw: Path, relative: str, edit) -> None:
    """Write a copy of a staged CSV with ``edit`` applied to its parsed rows."""
    import csv

    with (open_data_dir / relative).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with (raw / relative).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _load_fails(loader, raw: Path) -> str:
    from councilpack.data.loaders.mysociety import load_geography

    with pytest.raises(DataCheckError) as info:
        loader(raw, load_geography(raw))
    message = str(info.value)
    assert "\n" not in message
    return message


def test_population_ages_that_do_not_add_up(
    open_data_dir: Path, tmp_path: Path, mirror_raw
) -> None:
    from councilpack.data.loaders.ons_mye import load_population

    raw = mirror_raw(open_data_dir, tmp_path / "raw", MYE)

    def edit(rows: list[list[str]]) -> None:
        row = next(r for r in rows if r[0] == "E08000011")
        row[2] = str(int(row[2]) + 5)

    _edit_csv(open_data_dir, raw, MYE, edit)
    message = _load_fails(load_population, raw)
    assert message.startswith("mye2023_lad_single_year_of_age_england.csv: column 'all' row ")
    assert "(E08000011 Knowsley): ages sum to " in message


def test_recycling_rate_that_is_not_recycled_over_collected(
    open_data_dir: Path, tmp_path: Path, mirror_raw
) -> None:
    from councilpack.data.loaders.defra_recycling import load_recycling

    raw = mirror_raw(open_data_dir, tmp_path / "raw", RECYCLING)

    def edit(rows: list[list[str]]) -> None:
        next(r for r in rows if r[0] == "E06000002")[8] = "0.5"

    _edit_csv(open_data_dir, raw, RECYCLING, edit)
    message = _load_fails(load_recycling, raw)
    assert message == (
        "recycling_by_lad_2021_22_subset.csv: column 'household_recycle_rate' row 3 "
        "(E06000002 Middlesbrough): rate 0.5000 is not recycled/collected 0.2975"
    )


def test_adult_social_care_percentage_above_100(
    open_data_dir: Path, tmp_path: Path, mirror_raw
) -> None:
    from councilpack.data.loaders.oflog_asc import load_asc

    raw = mirror_raw(open_data_dir, tmp_path / "raw", ASC)

    def edit(rows: list[list[str]]) -> None:
        next(r for r in rows if r[7] == "ASC3" and r[1] == "E08000011")[8] = "130"

    _edit_csv(open_data_dir, raw, ASC, edit)
    message = _load_fails(load_asc, raw)
    assert message.startswith("ASC_data.csv: column 'Value' row ")
    assert "(E08000011 Knowsley): percentage 130.0 is above 100" in message


def test_population_beyond_any_council_fails_before_counties_are_summed(
    open_data_dir: Path, tmp_path: Path, mirror_raw
) -> None:
    """A district's population of 10^12 (one age) is an error, not a county figure."""
    from councilpack.data.loaders.ons_mye import load_population

    raw = mirror_raw(open_data_dir, tmp_path / "raw", MYE)
    totals: list[int] = []

    def edit(rows: list[list[str]]) -> None:
        header = rows[0]
        row = next(r for r in rows if r[0] == "E07000008")  # Cambridge, a Cambridgeshire district
        # Age 40 becomes 10^12 and 'all' keeps adding up: all = old all - old age 40 + 10^12.
        total = int(row[header.index("all")]) - int(row[header.index("40")]) + 10**12
        row[header.index("40")] = str(10**12)
        row[header.index("all")] = str(total)
        totals.append(total)

    _edit_csv(open_data_dir, raw, MYE, edit)
    message = _load_fails(load_population, raw)
    assert message.startswith(
        "mye2023_lad_single_year_of_age_england.csv: column 'all' row 65 (E07000008 Cambridge): "
        "more than one council could have (at most 20,000,000 persons), "
        f"got {totals[0]} (and 1 more problem)"
    )


def test_council_tax_receipts_of_1e300_fail_before_predecessors_are_summed(
    open_data_dir: Path, tmp_path: Path, mirror_raw
) -> None:
    """Allerdale (merged into Cumberland in 2023) with receipts of 1e300: an error, not a sum."""
    from councilpack.data.loaders.mhclg_ct import COLUMNS, load_ct_receipts

    relative = "mhclg_ct_receipts/CT_Receipts_Live_Table_Q4_2022-23.xlsx"
    raw = mirror_raw(open_data_dir, tmp_path / "raw", relative)
    book = openpyxl.load_workbook(open_data_dir / relative)
    sheet = book["Table_4"]
    header = next(r for r in range(1, 21) if sheet.cell(r, 1).value == "E-code")
    heads = {str(sheet.cell(header, c).value).strip(): c for c in range(1, sheet.max_column + 1)}
    allerdale = next(
        r
        for r in range(header + 1, sheet.max_row + 1)
        if sheet.cell(r, heads["ONS Code"]).value == "E07000026"
    )
    sheet.cell(allerdale, heads[COLUMNS["total"]]).value = 1e300
    book.save(raw / relative)
    message = _load_fails(load_ct_receipts, raw)
    assert message.startswith(
        f"CT_Receipts_Live_Table_Q4_2022-23.xlsx: column '{COLUMNS['total']}' row {allerdale} "
    )
    assert "more than one council could have (£100bn either way), got 1e+300" in message
