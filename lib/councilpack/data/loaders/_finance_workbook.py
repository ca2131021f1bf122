"""Shared reader for MHCLG revenue outturn "by LA" workbooks (RS, RSX, RO3, RA).

Every edition is read with pandas' ``calamine`` engine (``.xls``, ``.xlsx`` and
``.ods`` alike) and columns are found by **variable code** or **form line
number**, never by position or heading text. Four layouts are handled:

* ``.xls`` editions 2010-11 to 2014-15 print no line numbers on the data sheets,
  which are split across sheets ``(1)``, ``(2)``, ``(3)``; the workbook's own
  "LA drop-down" sheet lists every line number with its label and the
  data-sheet column index it reads. That index is aligned to the data sheet by
  matching labels (2014-15 is offset by one column) and the alignment must
  match most labels or the file fails its check. Sheet ``(1)`` holds net
  current expenditure and reserve levels at 1 April; the sheet whose group
  heading says "at 31 March" holds closing reserve levels.
* 2015-16 to 2020-21 (``.xlsx``, and ``.xls`` for 2018-19 and 2019-20) print the
  line number in the row above the ``E-code`` header row and group headings
  ("Reserves at 1 April 2018") two rows above it; reserve levels repeat their
  line numbers under the 1 April and 31 March groups (2020-21 prints both
  unallocated levels under one "Reserves (continued)" group, so the heading's
  "at 1 April" / "at 31 March" decides).
* 2021-22 onwards (RS, RSX, RO3; ``.xlsx`` and ``.ods``) carry a row of variable
  codes such as ``RS-netrevexp-net-exp`` or ``RS-resunall-end-cy`` (above the
  header, or in a hidden reference row at the bottom in the 2024-25 RSX and RO3)
  and, where printed, a row of cell references (``C3R916``) giving the line.
  The code decides timing (``-start``/``-strt`` is 1 April, ``-end`` 31 March).

Heading text is only used to confirm that a line means what the metric says
(line 390 is "Social care" in 2010-11, "Children Social Care" in 2011-12 and
"Public Health" from 2013-14); a column found by its code needs no such check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from councilpack.data.checks import CheckFailure, DataCheckError
from councilpack.files import reading

#: Local-authority classes kept: London borough, metropolitan district, unitary,
#: shire county, shire district (drops police, fire, parks, waste, transport bodies).
COUNCIL_CLASSES: frozenset[str] = frozenset({"L", "LB", "MD", "UA", "SC", "SD"})
#: Symbols MHCLG prints for "not available" in its finance and council tax tables (the Isles
#: of Scilly's 2016-17 RS prints "…"). They become absent rows; any other text in a number
#: column is an error.
NOT_AVAILABLE: frozenset[str] = frozenset({"\u2026", "..", "...", "[x]", "[z]", "[c]"})
ECODE_PATTERN = re.compile(r"^E\d{4}$")
CODE_PATTERN = re.compile(r"^(RS|RSX|RO\d|RA)-[A-Za-z0-9-]+$")
CELL_REFERENCE = re.compile(r"^C\d+R(\d+)$")
DATA_SHEET = re.compile(r"^(RS|RSX|RO\d|RA)[ _]LA[ _]Data", re.IGNORECASE)
LAST_UPDATED = re.compile(
    r"last updated:?\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})", re.IGNORECASE
)


@dataclass(frozen=True)
class LineColumn:
    """One data column identified by its form line number and/or variable code.

    Attributes
    ----------
    line
        Form line number (e.g. 805 for net revenue expenditure), or 0 when the
        column has a variable code but no line (investment property memoranda).
    label
        Heading printed above the column on the data sheet.
    sheet
        Index into :attr:`FinanceWorkbook.sheets`.
    column
        0-based column index on that sheet.
    timing
        ``"start"`` (1 April), ``"end"`` (31 March) or ``""``.
    code
        Variable code (``RS-netrevexp-net-exp``) in editions that print one.
    """

    line: int
    label: str
    sheet: int
    column: int
    timing: str
    code: str = ""


@dataclass
class FinanceWorkbook:
    """The cells of a finance workbook's data sheet(s) and their column map."""

    file: str
    sheets: list[list[list[object]]]
    header_row: int  # 0-based index of the E-code header row (same on every sheet)
    id_columns: dict[str, int]  # "E-code", "ONS Code", "Local authority", "Class"
    lines: list[LineColumn]
    last_updated: dt.date | None = None
    has_codes: bool = False
    _by_code: dict[str, LineColumn] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {item.code: item for item in self.lines if item.code}

    def find(
        self,
        lines: Sequence[int],
        pattern: str,
        timing: str = "",
        codes: Sequence[str] = (),
    ) -> LineColumn | None:
        """Return the column of a metric, or ``None``.

        By variable code where the edition prints codes and the metric names
        some; otherwise by line number, timing and a heading that matches.
        """
        if self.has_codes and codes:
            for code in codes:
                if code in self._by_code:
                    return self._by_code[code]
            return None
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


def _timing(text: str) -> str:
    low = " ".join(text.lower().split())
    if "1 april" in low:
        return "start"
    if "31 march" in low:
        return "end"
    return ""


def _code_timing(code: str) -> str:
    if re.search(r"-(start|strt)(-|$)", code):
        return "start"
    if re.search(r"-end(-|$)", code):
        return "end"
    return ""


def sheet_rows(book: pd.ExcelFile, name: str) -> list[list[object]]:
    """Return the cells of one sheet as lists; empty cells are ``None``.

    Parameters
    ----------
    book
        A workbook opened with ``pd.ExcelFile(path, engine="calamine")``.
    name
        Sheet name.
    """
    # No NA parsing: text such as "n/a" or "..." must reach the checks as text.
    frame = pd.read_excel(
        book, sheet_name=name, header=None, dtype=object, na_filter=False, keep_default_na=False
    )
    rows = frame.to_numpy(dtype=object).tolist()
    for row in rows:
        for index, value in enumerate(row):
            if (
                value is None
                or (isinstance(value, float) and math.isnan(value))
                or (isinstance(value, str) and not value.strip())
            ):
                row[index] = None
            elif isinstance(value, int) and not isinstance(value, bool):
                # pandas turns whole-number cells into int; a spreadsheet number is a
                # float (1e300 must stay 1e300, not a 301-digit integer).
                row[index] = float(value)
    return rows


def open_book(path: Path) -> pd.ExcelFile:
    """Open an ``.xls``, ``.xlsx`` or ``.ods`` workbook with the calamine engine."""
    return pd.ExcelFile(path, engine="calamine")


def sheet_names(book: pd.ExcelFile) -> list[str]:
    """Return a workbook's sheet names as text."""
    return [str(name) for name in book.sheet_names]


def _header_row(cells: list[list[object]], file: str) -> int:
    for index, row in enumerate(cells[:40]):
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


def parse_last_updated(text: str) -> dt.date | None:
    """Return the date of a "Last updated: 12 December 2024" note, else ``None``.

    Examples
    --------
    >>> parse_last_updated("Last updated: 14th December 2023")
    datetime.date(2023, 12, 14)
    """
    match = LAST_UPDATED.search(text)
    if not match:
        return None
    day, month, year = match.groups()
    try:
        return dt.datetime.strptime(f"{day} {month[:3]} {year}", "%d %b %Y").date()
    except ValueError:
        return None


def _last_updated(book: pd.ExcelFile, data_rows: list[list[object]]) -> dt.date | None:
    for rows in (data_rows[:15],):
        for row in rows:
            for value in row[:3]:
                if isinstance(value, str) and (found := parse_last_updated(value)):
                    return found
    for name in sheet_names(book):
        if "drop" in name.lower() or "front" in name.lower():
            for row in sheet_rows(book, name)[:15]:
                for value in row[:3]:
                    if isinstance(value, str) and (found := parse_last_updated(value)):
                        return found
    return None


def _code_row(cells: list[list[object]]) -> int | None:
    best, best_count = None, 4
    for index, row in enumerate(cells):
        count = sum(1 for v in row if isinstance(v, str) and CODE_PATTERN.match(v.strip()))
        if count > best_count:
            best, best_count = index, count
    return best


def _read_single_sheet(path: Path, book: pd.ExcelFile) -> FinanceWorkbook:
    file = path.name
    names = [n for n in sheet_names(book) if DATA_SHEET.match(n)]
    if len(names) != 1:
        raise DataCheckError(
            [CheckFailure(file, None, None, None, f"expected one 'LA Data' sheet, got {names}")]
        )
    cells = sheet_rows(book, names[0])
    header = _header_row(cells, file)
    ids = _id_columns(cells[header], file, header)
    width = len(cells[header])
    code_row = _code_row(cells)
    lines: list[LineColumn] = []
    if code_row is not None:
        codes = cells[code_row]
        references = cells[code_row + 1] if code_row < header else [None] * width
        line_row = cells[header - 1]
        for col in range(width):
            code = codes[col] if col < len(codes) else None
            if not isinstance(code, str) or not CODE_PATTERN.match(code.strip()):
                continue
            code = code.strip()
            reference = references[col] if col < len(references) else None
            match = CELL_REFERENCE.match(reference.strip()) if isinstance(reference, str) else None
            line = int(match.group(1)) if match else (_as_line(line_row[col]) or 0)
            label = str(cells[header][col] or "").strip()
            lines.append(LineColumn(line, label, 0, col, _code_timing(code), code))
    else:
        groups = _forward_fill(cells[header - 2], width)
        for col in range(width):
            number = _as_line(cells[header - 1][col] if col < len(cells[header - 1]) else None)
            if number is None:
                continue
            label = str(cells[header][col] or "").strip()
            timing = _timing(groups[col]) or _timing(label)
            lines.append(LineColumn(number, label, 0, col, timing))
    return FinanceWorkbook(
        file,
        [cells],
        header,
        ids,
        lines,
        last_updated=_last_updated(book, cells),
        has_codes=code_row is not None,
    )


def _read_split_xls(path: Path, book: pd.ExcelFile) -> FinanceWorkbook:
    file = path.name
    data_names = sorted(n for n in sheet_names(book) if re.match(r"^RS LA Data .*\(\d\)$", n))
    drop_names = [n for n in sheet_names(book) if "drop-down" in n.lower()]
    if not data_names or len(drop_names) != 1:
        raise DataCheckError(
            [
                CheckFailure(
                    file, None, None, None, "data sheets (1)..(3) or drop-down sheet not found"
                )
            ]
        )
    sheets = [sheet_rows(book, n) for n in data_names]
    dropdown = sheet_rows(book, drop_names[0])
    header = _header_row(sheets[0], file)
    ids = _id_columns(sheets[0][header], file, header)
    # Line list from the drop-down sheet: (line, label, column index it reads).
    listed: list[tuple[int, str, int]] = []
    for row in dropdown:
        for pos, value in enumerate(row[:3]):
            line = _as_line(value)
            if line is None or pos + 1 >= len(row) or not isinstance(row[pos + 1], str):
                continue
            numbers = [
                v
                for v in row[pos + 2 :]
                if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer()
            ]
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
        label = str(header_cells[col] or "").strip() if col < len(header_cells) else ""
        if 900 <= line < 920:
            for s, groups in enumerate(timings):
                timing = _timing(groups[col]) if col < len(groups) else ""
                if timing:
                    lines.append(LineColumn(line, label, s, col, timing))
        else:
            lines.append(LineColumn(line, label, 0, col, ""))
    return FinanceWorkbook(file, sheets, header, ids, lines)


def read_finance_workbook(path: Path) -> FinanceWorkbook:
    """Read a revenue outturn or budget "by LA" workbook and map its columns.

    Parameters
    ----------
    path
        The ``.xls``, ``.xlsx`` or ``.ods`` file as published.

    Returns
    -------
    FinanceWorkbook
        Cells of the data sheet(s), the header row, the column map (line
        numbers, timings and variable codes) and the "Last updated" date.

    Raises
    ------
    DataCheckError
        When the data sheet, header row or identifier columns cannot be found.
    """
    with reading(path):
        book = open_book(path)
        try:
            if any(re.match(r"^RS LA Data .*\(\d\)$", n) for n in sheet_names(book)):
                return _read_split_xls(path, book)
            return _read_single_sheet(path, book)
        finally:
            book.close()
