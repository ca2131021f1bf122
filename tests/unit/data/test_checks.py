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
