"""Shared reader for MHCLG RS outturn and RA budget workbooks ("by LA" editions).

Columns are found by **form line number**, never by heading text:

* ``.xlsx`` editions (2015-16 onwards, RA 2016-17) print the line number in the
  row above the ``E-code`` header row, and group headings ("Reserves at 1 April
  2015") two rows above it; reserve levels repeat their line numbers under the
  1 April and 31 March groups.
* ``.xls`` editions (2010-11 to 2014-15) print no line numbers on the data
  sheets; the workbook's own "LA drop-down" sheet lists every line number with
  its label and the data-sheet column index it reads. That index is aligned to
  the data sheet by matching labels (2014-15 is offset by one column) and the
  alignment must match most labels or the file fails its check. Sheet ``(1)``
  holds net current expenditure and reserve levels at 1 April; the sheet whose
  group heading says "at 31 March" holds closing reserve levels.

Heading text is only used to confirm that a line means what the metric says
(line 390 is "Social care" in 2010-11, "Children Social Care" in 2011-12 and
"Public Health" from 2013-14).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import xlrd

from councilpack.data.checks import CheckFailure, DataCheckError
from councilpack.errors import FileFormatError
from councilpack.files import reading

#: Local-authority classes kept: London borough, metropolitan district, unitary,
#: shire county, shire district (drops police, fire, parks, waste, transport bodies).
COUNCIL_CLASSES: frozenset[str] = frozenset({"L", "MD", "UA", "SC", "SD"})
ECODE_PATTERN = re.compile(r"^E\d{4}$")


@dataclass(frozen=True)
class LineColumn:
    """One data column identified by its form line number.

    Attributes
    ----------
    line
        Form line number (e.g. 805 for net revenue expenditure in RS 2015-16).
    label
        Heading printed above the column on the data sheet.
    sheet
        Index into :attr:`FinanceWorkbook.sheets`.
    column
        0-based column index on that sheet.
    timing
        ``"start"`` (1 April), ``"end"`` (31 March) or ``""``.
    """

    line: int
    label: str
    sheet: int
    column: int
    timing: str


@dataclass
class FinanceWorkbook:
    """The cells of a finance workbook's data sheet(s) and their line-number map."""

    file: str
    sheets: list[list[list[object]]]
    header_row: int  # 0-based index of the E-code header row (same on every sheet)
    id_columns: dict[str, int]  # "E-code", "ONS Code", "Local authority", "Class"
    lines: list[LineColumn]

    def find(self, lines: Sequence[int], pattern: str, timing: str = "") -> LineColumn | None:
        """Return the column with one of ``lines`` whose label matches ``pattern``."""
        regex = re.compile(pattern, re.IGNORECASE)
        for item in self.lines:
            if item.line in lines and item.timing == timing and regex.search(item.label):
                return item
        return None

    def rows(self) -> list[tuple[int, list[object]]]:
        """Return ``(0-based row index, cells)`` of every authority row on sheet 0."""
        col = self.id_columns["E-code"]
        out = []
        for index, cells in enumerate(self.sheets[0]):
            if index <= self.header_row or col >= len(cells):
                continue
            value = cells[col]
            if isinstance(value, str) and ECODE_PATTERN.match(value.strip()):
                out.append((index, cells))
        return out


def _norm(text: object) -> str:
    value = re.sub(r"\(.*?\)", "", str(text).lower())
    return re.sub(r"[^a-z]", "", value)


def _as_line(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 100 <= value <= 5000:
        return int(value)
    return None


def _forward_fill(row: list[object], width: int) -> list[str]:
    out, current = [], ""
    for index in range(width):
        value = row[index] if index < len(row) else None
        if isinstance(value, str) and value.strip():
            current = value.strip()
        out.append(current)
    return out


def _timing(group: str) -> str:
    low = group.lower()
    if "1 april" in low:
        return "start"
    if "31 march" in low:
        return "end"
    return ""


def _header_row(cells: list[list[object]], file: str) -> int:
    for index, row in enumerate(cells[:30]):
        if row and isinstance(row[0], str) and row[0].strip().lower() == "e-code":
            return index
    raise DataCheckError([CheckFailure(file, "E-code", None, None, "header row not found")])


def _id_columns(header: list[object], file: str, row: int) -> dict[str, int]:
    wanted = {
        "E-code": "ecode",
        "ONS Code": "onscode",
        "Local authority": "localauthority",
        "Class": "class",
    }
    out: dict[str, int] = {}
    for name, key in wanted.items():
        for index, value in enumerate(header):
            if _norm(value) == key:
                out[name] = index
                break
    failures = [
        CheckFailure(file, name, row + 1, None, "column is missing")
        for name in ("E-code", "Local authority", "Class")
        if name not in out
    ]
    if failures:
        raise DataCheckError(failures)
    return out


def open_xlsx(path: Path) -> openpyxl.Workbook:
    """Open an ``.xlsx`` read-only with cached values.

    MHCLG workbooks define a print area on a whole-column range that openpyxl
    cannot represent; it warns and ignores it. Print areas never affect the
    cells we read, so that one warning is silenced here and nowhere else.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Print area cannot be set to Defined name", category=UserWarning
        )
        return openpyxl.load_workbook(path, read_only=True, data_only=True)


def _read_xlsx(path: Path) -> FinanceWorkbook:
    file = path.name
    workbook = open_xlsx(path)
    try:
        names = [n for n in workbook.sheetnames if re.match(r"^R[SA] LA Data \d{4}-\d{2}$", n)]
        if len(names) != 1:
            raise DataCheckError(
                [
                    CheckFailure(
                        file, None, None, None, f"expected one 'RS/RA LA Data' sheet, got {names}"
                    )
                ]
            )
        cells = [list(r) for r in workbook[names[0]].iter_rows(values_only=True)]
    finally:
        workbook.close()
    header = _header_row(cells, file)
    ids = _id_columns(cells[header], file, header)
    width = len(cells[header])
    groups = _forward_fill(cells[header - 2], width)
    lines = []
    for col in range(width):
        line = _as_line(cells[header - 1][col] if col < len(cells[header - 1]) else None)
        if line is None:
            continue
        label = str(cells[header][col] or "").strip()
        lines.append(LineColumn(line, label, 0, col, _timing(groups[col])))
    return FinanceWorkbook(file, [cells], header, ids, lines)


def _xls_sheet(book: xlrd.book.Book, name: str) -> list[list[object]]:
    sheet = book.sheet_by_name(name)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


def _read_xls(path: Path) -> FinanceWorkbook:
    file = path.name
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except (IndexError, AssertionError) as error:
        # xlrd indexes past the end of a cut-off compound document.
        raise FileFormatError(
            f"not a readable .xls workbook (truncated or damaged: {type(error).__name__})",
            file=file,
        ) from None
    try:
        data_names = sorted(n for n in book.sheet_names() if re.match(r"^RS LA Data .*\(\d\)$", n))
        drop_names = [n for n in book.sheet_names() if "drop-down" in n.lower()]
        if not data_names or len(drop_names) != 1:
            raise DataCheckError(
                [
                    CheckFailure(
                        file, None, None, None, "data sheets (1)..(3) or drop-down sheet not found"
                    )
                ]
            )
        sheets = [_xls_sheet(book, n) for n in data_names]
        dropdown = _xls_sheet(book, drop_names[0])
    finally:
        book.release_resources()
    header = _header_row(sheets[0], file)
    ids = _id_columns(sheets[0][header], file, header)
    # Line list from the drop-down sheet: (line, label, column index it reads).
    listed: list[tuple[int, str, int]] = []
    for row in dropdown:
        for pos, value in enumerate(row[:3]):
            line = _as_line(value)
            if line is None or pos + 1 >= len(row) or not isinstance(row[pos + 1], str):
                continue
            numbers = [v for v in row[pos + 2 :] if isinstance(v, float) and v.is_integer()]
            if numbers and 0 < numbers[-1] < 300:
                listed.append((line, str(row[pos + 1]).strip(), int(numbers[-1])))
            break
    header_cells = sheets[0][header]
    best_offset, best_hits = 0, -1
    for offset in range(-3, 4):
        hits = sum(
            1
            for _line, label, idx in listed
            if 0 <= idx + offset < len(header_cells)
            and _norm(label)[:25] == _norm(header_cells[idx + offset])[:25]
        )
        if hits > best_hits:
            best_offset, best_hits = offset, hits
    if not listed or best_hits < 0.8 * len(listed):
        raise DataCheckError(
            [
                CheckFailure(
                    file,
                    None,
                    header + 1,
                    None,
                    f"drop-down line list does not align with the data sheet "
                    f"({best_hits} of {len(listed)} labels match)",
                )
            ]
        )
    timings = [_forward_fill(sheet[header - 1], len(sheet[header])) for sheet in sheets]
    lines: list[LineColumn] = []
    for line, _label, idx in listed:
        col = idx + best_offset
        label = str(header_cells[col]).strip() if col < len(header_cells) else ""
        if 900 <= line < 920:
            for s, groups in enumerate(timings):
                timing = _timing(groups[col]) if col < len(groups) else ""
                if timing:
                    lines.append(LineColumn(line, label, s, col, timing))
        else:
            lines.append(LineColumn(line, label, 0, col, ""))
    return FinanceWorkbook(file, sheets, header, ids, lines)


def read_finance_workbook(path: Path) -> FinanceWorkbook:
    """Read an RS or RA "by LA" workbook and map its columns to form line numbers.

    Parameters
    ----------
    path
        The ``.xls`` or ``.xlsx`` file as published.

    Returns
    -------
    FinanceWorkbook
        Cells of the data sheet(s), the header row and the line-number map.

    Raises
    ------
    DataCheckError
        When the header row, identifier columns or line numbers cannot be found.
    """
    with reading(path):
        if path.suffix.lower() == ".xls":
            return _read_xls(path)
        return _read_xlsx(path)
