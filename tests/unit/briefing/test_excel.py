"""figures.xlsx: one sheet per analysis, numbers as numbers with formats, equal to the sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from councilpack.briefing.excel import COLUMNS, write_figures_workbook


def _sidecar(report: str, figures: list[dict[str, object]]) -> dict[str, object]:
    return {
        "council": {"gss_code": "X00000001", "name": "Aldermoor <Test>"},
        "report": report,
        "title": report.title(),
        "data_vintage": "finance 2023-24",
        "sources": [f"{report} source"],
        "figures": figures,
    }


FINANCE = {
    "id": "unallocated_reserves_pct_nre", "label": "Unallocated reserves as a share of NRE",
    "value": 3.1234, "unit": "percent", "period": "2023-24", "source": "MHCLG RS",
    "note": "", "sentence": "", "comparator": {
        "group": "Nearest neighbours", "median": 6.2, "lower_quartile": 4.0,
        "upper_quartile": 8.0, "rank": 16, "group_size": 16, "value": None, "position": "below",
    },
}  # fmt: skip
MONEY = {"id": "nre", "label": "Net revenue expenditure", "value": 532_000_000.0, "unit": "GBP",
         "period": "2023-24", "source": "MHCLG RS", "comparator": None}  # fmt: skip
SURVEY = {
    "id": "residents.trust_council.2024", "label": "Trust the council", "value": 46.2,
    "unit": "percent", "period": "2024", "source": "Residents' survey", "note": "base text",
    "base": 1081, "effective_base": 930.4, "interval_lower": 43.0, "interval_upper": 49.4,
    "comparator": {"group": "National LGA polling", "value": 66.0, "position": ""},
}  # fmt: skip


def test_workbook_values_equal_the_sidecars(tmp_path: Path) -> None:
    (tmp_path / "finance.json").write_text(json.dumps(_sidecar("finance", [FINANCE, MONEY])))
    (tmp_path / "residents.json").write_text(json.dumps(_sidecar("residents", [SURVEY])))
    (tmp_path / "briefing.json").write_text(json.dumps(_sidecar("briefing", [FINANCE])))
    path = write_figures_workbook(tmp_path)
    assert path == tmp_path / "figures.xlsx"
    book = openpyxl.load_workbook(path)
    # One sheet per analysis (the briefing repeats their figures, so it has none) and notes.
    assert book.sheetnames == ["Finance", "Residents survey", "Notes"]
    headers = [c.value for c in book["Finance"][1]]
    assert headers == [column[0] for column in COLUMNS]
    finance = {row[headers.index("Figure id")]: row for row in
               book["Finance"].iter_rows(min_row=2, values_only=True)}  # fmt: skip
    row = finance["unallocated_reserves_pct_nre"]
    assert row[headers.index("Value")] == 3.1234  # unrounded, a number
    assert row[headers.index("Comparator median")] == 6.2
    assert row[headers.index("Lower quartile")] == 4.0
    assert row[headers.index("Upper quartile")] == 8.0
    assert row[headers.index("Rank")] == 16
    assert row[headers.index("Period")] == "2023-24"
    value_cell = book["Finance"].cell(row=2, column=headers.index("Value") + 1)
    assert value_cell.number_format == '0.0"%"'
    money_cell = book["Finance"].cell(row=3, column=headers.index("Value") + 1)
    assert money_cell.value == 532_000_000.0
    assert money_cell.number_format == "£#,##0"
    survey = next(book["Residents survey"].iter_rows(min_row=2, values_only=True))
    assert survey[headers.index("Survey base (respondents)")] == 1081
    assert survey[headers.index("Effective base")] == 930.4
    assert survey[headers.index("95% interval: lower")] == 43.0
    assert survey[headers.index("95% interval: upper")] == 49.4
    assert survey[headers.index("Comparator value")] == 66.0
    notes = [c for row in book["Notes"].iter_rows(values_only=True) for c in row if c]
    assert "Figures for Aldermoor <Test> (X00000001)" in notes  # a cell value, not markup
    assert "finance source" in notes
    assert "Residents' survey" not in notes[:1]


def test_no_sidecars_no_workbook(tmp_path: Path) -> None:
    assert write_figures_workbook(tmp_path) is None
    assert not (tmp_path / "figures.xlsx").exists()


def test_survey_figures_display_whole_per_cent_as_their_sentences(tmp_path: Path) -> None:
    # A survey figure's sidecar says it is printed to whole per cent ("decimals": 0):
    # the workbook keeps the unrounded numbers and displays them as the report does.
    survey = SURVEY | {"value": 65.5, "interval_lower": 47.5, "interval_upper": 53.9,
                       "decimals": 0}  # fmt: skip
    enps = {"id": "workforce.enps", "label": "Employee Net Promoter Score", "value": 0.8978,
            "unit": "points", "period": "2024", "source": "Staff survey", "comparator": None,
            "decimals": 0}  # fmt: skip
    turnover = {"id": "workforce.hr.turnover_pct", "label": "Staff turnover", "value": 16.54,
                "unit": "percent", "period": "2023/24", "source": "HR", "comparator": None}  # fmt: skip
    (tmp_path / "residents.json").write_text(json.dumps(_sidecar("residents", [survey])))
    (tmp_path / "workforce.json").write_text(json.dumps(_sidecar("workforce", [enps, turnover])))
    book = openpyxl.load_workbook(write_figures_workbook(tmp_path))
    headers = [c.value for c in book["Residents survey"][1]]

    def cell(sheet: str, row: int, header: str) -> openpyxl.cell.Cell:
        return book[sheet].cell(row=row, column=headers.index(header) + 1)

    assert cell("Residents survey", 2, "Value").value == 65.5  # unrounded
    assert cell("Residents survey", 2, "Value").number_format == '0"%"'  # shows 66%
    assert cell("Residents survey", 2, "95% interval: lower").number_format == '0"%"'  # 48%
    assert cell("Residents survey", 2, "95% interval: upper").number_format == '0"%"'  # 54%
    assert cell("Residents survey", 2, "Comparator value").number_format == '0"%"'
    assert cell("Staff survey", 2, "Value").number_format == "+0;-0;0"  # shows +1
    assert cell("Staff survey", 3, "Value").number_format == '0.0"%"'  # HR: as published
