"""``figures.xlsx``: every figure of a council's detailed reports, for advisers' own slides.

One sheet per analysis, one row per sidecar figure, headers in plain English,
numbers stored as numbers with number formats (a value pasted elsewhere stays
a number), and a notes sheet with sources and definitions. Values are the
sidecars' values, unrounded; the formats only change how they display: to the
figure's own ``decimals`` when it has them (survey figures: whole per cent, as
the reports' sentences and tables give them), else to its unit's usual places.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FILE_NAME = "figures.xlsx"
#: Reports whose sidecars become sheets, in order (the briefing repeats their figures).
SHEETS: dict[str, str] = {
    "finance": "Finance",
    "residents": "Residents survey",
    "workforce": "Staff survey",
    "outcomes": "Service outcomes",
}

Getter = Callable[[dict[str, Any]], Any]


def _comparator(key: str) -> Getter:
    return lambda figure: (figure.get("comparator") or {}).get(key)


#: (header, how to read it from a sidecar figure, numeric?, definition for the notes sheet)
COLUMNS: tuple[tuple[str, Getter, bool, str], ...] = (
    ("Figure", lambda f: f["label"], False, "What the figure measures."),
    ("Value", lambda f: f["value"], True, "The council's figure, in the unit given."),
    ("Unit", lambda f: f["unit"], False, "Unit of the value, median and quartiles."),
    ("Period", lambda f: f["period"], False, "Financial year or survey wave."),
    ("Comparator", _comparator("group"), False, "Comparator group or reference figure."),
    ("Comparator median", _comparator("median"), True, ("Median of the comparator group, "
     "including the council and only councils with a figure.")),
    ("Lower quartile", _comparator("lower_quartile"), True, ("25th percentile of the group "
     "(linear interpolation).")),
    ("Upper quartile", _comparator("upper_quartile"), True, "75th percentile of the group."),
    ("Rank", _comparator("rank"), True, ("Rank in the group read through polarity (1 = most "
     "resilient); not a league table.")),
    ("Councils ranked", _comparator("group_size"), True, "Councils in the group with a figure."),
    ("Comparator value", _comparator("value"), True, ("A single reference value (national "
     "figure, earlier wave, all staff, comparator median).")),
    ("Position", _comparator("position"), False, ("Above, below or similar to the comparator, "
     "read with the figure's tolerance or significance test.")),
    ("Survey base (respondents)", lambda f: f.get("base"), True, ("Unweighted respondents "
     "behind a survey figure.")),
    ("Effective base", lambda f: f.get("effective_base"), True, ("Survey base after weighting "
     "(Kish); the intervals and tests use it.")),
    ("95% interval: lower", lambda f: f.get("interval_lower"), True, ("Lower end of the 95 per "
     "cent confidence interval (Wilson) of a survey figure.")),
    ("95% interval: upper", lambda f: f.get("interval_upper"), True, ("Upper end of the 95 per "
     "cent confidence interval.")),
    ("Source", lambda f: f["source"], False, "Publisher, release and vintage of the data."),
    ("Notes", lambda f: f.get("note", ""), False, "Caveats and why a value is not available."),
    ("Figure id", lambda f: f["id"], False, ("Stable id, as in the report's JSON sidecar and "
     "the #fig- anchor of the HTML report.")),
)  # fmt: skip

#: Columns whose numbers are in the figure's own unit.
_IN_UNIT = {"Value", "Comparator median", "Lower quartile", "Upper quartile", "Comparator value"}
_SURVEY_PERCENT = {"95% interval: lower", "95% interval: upper"}


def number_format(unit: str, decimals: int | None = None) -> str:
    """Return the Excel number format for a value in ``unit``.

    ``decimals`` is the figure's own precision (a sidecar figure's ``decimals``);
    ``None`` for the unit's usual places. Excel rounds a displayed half away from
    zero, as :func:`councilpack.wording.round_half_up` does.

    Examples
    --------
    >>> number_format("GBP per head")
    '£#,##0'
    >>> number_format("percent"), number_format("percent", 0)
    ('0.0"%"', '0"%"')
    >>> number_format("points", 0)
    '+0;-0;0'
    """
    if unit.startswith("GBP"):
        return "£#,##0"
    places = "." + "0" * decimals if decimals else ""
    if unit == "percent":
        return f'0{places}"%"' if decimals is not None else '0.0"%"'
    if unit in ("percentage points", "pp", "points"):
        number = f"0{places}" if decimals is not None else "0.0"
        return f"+{number};-{number};{number}"
    if unit in ("persons", "count", "people", "respondents"):
        return "#,##0"
    return "#,##0.0#"


def _sheet_rows(workbook: Workbook, title: str, sidecar: dict[str, Any]) -> None:
    sheet = workbook.create_sheet(title)
    headers = [column[0] for column in COLUMNS]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for figure in sidecar["figures"]:
        row = []
        for _header, read, numeric, _definition in COLUMNS:
            value = read(figure)
            if numeric and value is not None:
                value = float(value) if not isinstance(value, int) else value
            row.append("" if value is None and not numeric else value)
        sheet.append(row)
        unit = str(figure["unit"])
        decimals = figure.get("decimals")
        for index, header in enumerate(headers, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            if header in _IN_UNIT:
                cell.number_format = number_format(unit, decimals)
            elif header in _SURVEY_PERCENT:
                cell.number_format = number_format("percent", decimals)
            elif (
                header in ("Survey base (respondents)", "Rank", "Councils ranked")
                or header == "Effective base"
            ):
                cell.number_format = "#,##0"
    widths = {"Figure": 48, "Source": 48, "Notes": 48, "Comparator": 32, "Figure id": 36}
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(header, 14)
    sheet.freeze_panes = "B2"


def _notes(workbook: Workbook, sidecars: dict[str, dict[str, Any]], council: str) -> None:
    sheet = workbook.create_sheet("Notes")
    sheet.append([f"Figures for {council}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([("Every figure of the detailed reports' JSON sidecars, unrounded; the number "
                  "formats only change how values display.")])  # fmt: skip
    sheet.append([])
    sheet.append(["Sheet", "Report", "Data", "Sources"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, sidecar in sidecars.items():
        sheet.append([SHEETS[name], sidecar.get("title", name), sidecar.get("data_vintage", ""),
                      "; ".join(sidecar.get("sources", []))])  # fmt: skip
    sheet.append([])
    sheet.append(["Column", "Definition"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for header, _read, _numeric, definition in COLUMNS:
        sheet.append([header, definition])
    sheet.append([])
    sheet.append([("No composite score is calculated; councils are compared one indicator at a "
                  "time.")])  # fmt: skip
    sheet.column_dimensions["A"].width = 28
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 60


def write_figures_workbook(folder: Path) -> Path | None:
    """Write ``folder/figures.xlsx`` from the sidecars in ``folder``; ``None`` if there are none.

    Parameters
    ----------
    folder
        A council's output folder (``OUT/<gss>-<slug>``).
    """
    sidecars = {}
    for name in SHEETS:
        path = folder / f"{name}.json"
        if path.is_file():
            sidecars[name] = json.loads(path.read_text(encoding="utf-8"))
    if not sidecars:
        return None
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # a new workbook has one empty sheet
    council = next(iter(sidecars.values()))["council"]
    for name, sidecar in sidecars.items():
        _sheet_rows(workbook, SHEETS[name], sidecar)
    _notes(workbook, sidecars, f"{council['name']} ({council['gss_code']})")
    target = folder / FILE_NAME
    handle, temporary = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
