"""Bad input to the ONS neighbours, road condition and waste loaders: one located line each."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from councilpack.data.checks import DataCheckError
from councilpack.data.loaders import RAW_FILES, defra_env18, dft_roads
from councilpack.data.loaders.ons_nn_2025 import load_ons_neighbours
from councilpack.data.model import Register

CODES = ["E06000001", "E06000002", "E06000003"]


def _register(codes: list[str]) -> Register:
    return Register(
        pd.DataFrame(
            {
                "gss_code": codes,
                "name": [f"Council {i}" for i in range(len(codes))],
                "slug": [f"council-{i}" for i in range(len(codes))],
                "council_type": "Unitary authority",
                "region": "North East",
            }
        )
    )


def _write_neighbours(folder: Path, table3_rows: list[list[str]]) -> None:
    path = folder / RAW_FILES["ons_nn_2025"]
    path.parent.mkdir(parents=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, word, rows in (
        ("Table 1", "Lower", [[c, "x", *[o for o in CODES if o != c]] for c in CODES]),
        ("Table 3", "Upper", table3_rows),
    ):
        ws = book.create_sheet(sheet)
        ws.append([f"{sheet}: title"])
        ws.append(["Notes"])
        ws.append(["There is 1 table on this tab."])
        ws.append(
            [f"{word} tier local authority code", f"{word} tier local authority name"]
            + [f"Neighbour {i}" for i in (1, 2)]
        )
        for row in rows:
            ws.append(row)
    book.save(path)


def test_neighbours_read_in_rank_order(tmp_path: Path) -> None:
    rows = [
        ["E06000001", "A", "E06000003", "E06000002"],
        ["E06000002", "B", "E06000001", "E06000003"],
        ["E06000003", "C", "E06000002", "E06000001"],
    ]
    _write_neighbours(tmp_path, rows)
    rankings = load_ons_neighbours(tmp_path, _register(CODES))
    assert rankings["upper"]["E06000001"] == ("E06000003", "E06000002")


def test_neighbour_errors_are_located(tmp_path: Path) -> None:
    rows = [
        ["E06000001", "A", "E06000002", "E06000002"],
        ["E6000002", "B", "E06000001", "E06000003"],
        ["E06000003", "C", "E06000002", "E06000001"],
    ]
    _write_neighbours(tmp_path, rows)
    with pytest.raises(DataCheckError) as error:
        load_ons_neighbours(tmp_path, _register(CODES))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(
        "localauthoritynearestneighboursengland.xlsx (Table 3): column 'Upper tier local authority code' row 6"
    )
    assert "'E6000002'" in message


def _fake_read(sheets: dict[str, pd.DataFrame]):  # type: ignore[no-untyped-def]
    def read(path: object, sheet_name: str, **kwargs: object) -> pd.DataFrame:
        return sheets[sheet_name]

    return read


def _stage_roads(folder: Path, monkeypatch: pytest.MonkeyPatch, rows: list[list[object]]) -> None:
    """Stage a road condition file whose every sheet has these council rows (read is faked)."""
    (folder / RAW_FILES["dft_road_condition"]).parent.mkdir(parents=True)
    (folder / RAW_FILES["dft_road_condition"]).write_bytes(b"")
    header = ["ONS Area Code", "Region", "Local Authority", "FYE 2022", "FYE 2023", "Notes"]
    sheet = pd.DataFrame([["title"] + [None] * 5] * 4 + [header, *rows])
    cover = pd.DataFrame([["RDC0120"], ["Last updated: 21 January 2026"]])
    monkeypatch.setattr(
        dft_roads.pd,
        "read_excel",
        _fake_read({"Cover_page": cover, **dict.fromkeys(dft_roads.SHEETS, sheet)}),
    )


def test_road_cell_that_is_not_a_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        ["E06000001", "NE", "Council 0", 3, "n/a", "[z]"],
        ["E06000002", "NE", "Council 1", "[x]", 5, "[z]"],
    ]
    _stage_roads(tmp_path, monkeypatch, rows)
    with pytest.raises(DataCheckError) as error:
        dft_roads.load_road_condition(tmp_path, _register(CODES))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(
        "road-condition-data.ods (RDC0120_A_Roads_and_Motorways): column 'FYE 2023' row 6 (E06000001 Council 0)"
    )


def test_road_markers_become_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        ["E06000001", "NE", "Council 0", 3, 4, "[z]"],
        ["E06000002", "NE", "Council 1", "[x]", 5, "[z]"],
    ]
    _stage_roads(tmp_path, monkeypatch, rows)
    tidy, marked = dft_roads.load_road_condition(tmp_path, _register(CODES))
    principal = tidy[tidy["metric"] == "roads_principal_maintenance_pct"].set_index(
        ["gss_code", "period"]
    )["value"]
    assert principal[("E06000001", "2022-23")] == 4  # FYE 2023 is 2022-23
    reason = marked.set_index(["gss_code", "metric", "period"])["reason"]
    assert "[x]" in reason[("E06000002", "roads_principal_maintenance_pct", "2021-22")]
    assert "last updated 21 January 2026" in tidy["vintage"].iloc[0]


def test_waste_fraction_out_of_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, _ in defra_env18.RELEASES:
        (tmp_path / RAW_FILES[key]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / RAW_FILES[key]).write_bytes(b"")
    header = [
        "Year",
        "Region",
        "ONS code",
        "Jpp Order",
        "Authority",
        "Authority type",
        defra_env18.RESIDUAL,
        defra_env18.RECYCLING,
        "landfill",
        "per person",
    ]
    sheet = pd.DataFrame(
        [["Table 3"] + [None] * 9] * 3
        + [
            header,
            ["2022-23", "NE", "E06000001", 1, "Council 0", "Unitary", 500.0, 1.79, "-", 400.0],
        ]
    )
    monkeypatch.setattr(defra_env18.pd, "read_excel", _fake_read({"Table_3": sheet}))
    from councilpack.data.loaders.mysociety import Geography

    geography = Geography.__new__(Geography)
    with pytest.raises(DataCheckError) as error:
        defra_env18.load_waste(tmp_path, geography)
    message = str(error.value)
    assert "\n" not in message
    assert "LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods (Table_3)" in message
    assert "row 5 (2022-23 E06000001 Council 0): fraction 1.79 is outside 0 to 1" in message


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / RAW_FILES["ons_nn_2025"]
    path.parent.mkdir(parents=True)
    path.write_text("not a workbook\n", encoding="utf-8")
    with pytest.raises(DataCheckError) as error:
        load_ons_neighbours(tmp_path, _register(CODES))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(
        "localauthoritynearestneighboursengland.xlsx: cannot read sheet 'Table 1': "
    )


def test_a_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / RAW_FILES["ons_nn_2025"]
    path.parent.mkdir(parents=True)
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    book.save(path)
    with pytest.raises(DataCheckError) as error:
        load_ons_neighbours(tmp_path, _register(CODES))
    lines = [failure.line() for failure in error.value.failures]
    assert [line.split(": ")[1] for line in lines] == [
        "cannot read sheet 'Table 1'",
        "cannot read sheet 'Table 3'",
    ]
    assert str(error.value).endswith("(and 1 more problem)")
