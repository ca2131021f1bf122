"""MHCLG council tax levels set by local authorities in England, 2015-16 to 2022-23 tables.

Each year's table (``ctr_1516.xlsx`` ... ``ctr_2223.xlsx``, sheet ``Data``) prints
one row per authority with, for most line items, a previous-year and a
current-year column: the line's heading spans both and the row under the
header names each column's year. Columns are found by their heading text and
that year row, never by position:

* council tax requirement excluding parish ("local") precepts: billing line 3
  (2015-16: "including special expenses but excluding local precepts"; from
  2016-17 "... and Adult Social Care precept, but excluding local precepts");
* the council tax base for council tax setting purposes (line 8 in 2015-16,
  line 7 after);
* average Band D (2 adult equivalent) council tax excluding local precepts
  (line 11 in 2015-16; line 9 "including Adult Social Care precept and
  excluding local precepts" from 2016-17);
* the total adult social care precept (line 10, current year only), from
  2016-17, the precept's first year.

Precepting authorities (shire counties) follow the billing rows. Up to 2019-20
they fill the billing columns; from 2020-21 their section has a header row of
its own (line 1 requirement, line 2 tax base, line 3 Band D, line 4 ASC
precept), in the same columns and under the same year row.

A heading not found is a one-line :class:`~councilpack.errors.FileFormatError`
naming the file, the heading looked for and the header row. Cells: a number;
``-`` (and the ``[x]``-style marks) is "not given" and leaves the figure out;
a number printed as text (``'0'``, the districts' ASC precept in 2021-22)
is that number; any other text fails the check. A Band D of 0 beside a positive requirement is
how the tables print "no average Band D" for councils harmonising their tax in
their first years (BCP, Dorset, East and West Suffolk, Somerset West and
Taunton 2019-20; BCP, Buckinghamshire and West Suffolk 2020-21): it is left
out, and the next table's previous-year column gives the figure where it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import (
    LABEL_COLUMN,
    NUMBER_CHECK,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    is_number,
    plausible_check,
    range_check,
    validate,
)
from councilpack.data.loaders import CTR_FILES, raw_path
from councilpack.data.loaders._finance_workbook import (
    COUNCIL_CLASSES,
    ECODE_PATTERN,
    NOT_AVAILABLE,
    open_book,
    sheet_rows,
)
from councilpack.data.model import shift_period
from councilpack.errors import FileFormatError
from councilpack.files import reading

SHEET = "Data"
#: Marks a table prints for a figure not given ("-" in these tables, and MHCLG's usual ones).
NOT_GIVEN = NOT_AVAILABLE | {"-"}
#: Billing classes kept (as in CTR Table 9): the RS council classes and London boroughs.
BILLING_CLASSES = COUNCIL_CLASSES | {"ILB", "OLB"}
#: Precepting classes kept: shire counties (fire, police, combined authorities dropped).
PRECEPTING_CLASSES = frozenset({"SC"})
#: The first year a table prints the adult social care precept.
ASC_FIRST_YEAR = "2016-17"
#: Metrics of two-year lines, in the order the wide frame holds them.
TWO_YEAR = ("council_tax_requirement_ctr", "tax_base", "band_d_council_tax")
ASC = "asc_precept_total"
_LINE = r"^\d+[a-z]?\.\s*"


@dataclass(frozen=True)
class Heading:
    """How a line item's heading reads, and what a reader is told when it is missing."""

    pattern: str
    shown: str

    def matches(self, text: str) -> bool:
        """Return whether a (whitespace-normalised) header cell is this heading."""
        return re.search(self.pattern, text, re.IGNORECASE) is not None


#: Headings of the billing rows' header (and of the precepting rows up to 2019-20).
BILLING_HEADINGS: dict[str, Heading] = {
    "council_tax_requirement_ctr": Heading(
        r"^3\.\s*Council Tax Requirement\b.*\bexcluding local precepts",
        "3. Council Tax Requirement ... excluding local precepts",
    ),
    "tax_base": Heading(
        _LINE + r"Council tax base for council tax setting purposes",
        "Council tax base for council tax setting purposes",
    ),
    "band_d_council_tax": Heading(
        _LINE + r"Average \(Band D 2 Adult equivalent\) council tax "
        r"\((including Adult Social Care precept and )?excluding local precepts\)",
        "Average (Band D 2 Adult equivalent) council tax (... excluding local precepts)",
    ),
    ASC: Heading(_LINE + r"Total Adult Social Care precept", "Total Adult Social Care precept"),
}
#: Headings of the precepting section's own header row (2020-21 onwards).
PRECEPTING_HEADINGS: dict[str, Heading] = {
    "council_tax_requirement_ctr": Heading(
        r"^1\.\s*Council Tax Requirement including special expenses",
        "1. Council Tax Requirement including special expenses",
    ),
    "tax_base": Heading(
        r"^2\.\s*Council tax base for the major precepting authority",
        "2. Council tax base for the major precepting authority's area",
    ),
    "band_d_council_tax": Heading(
        r"^3\.\s*Average \(Band D 2 Adult equivalent\) council tax of major precepting",
        "3. Average (Band D 2 Adult equivalent) council tax of major precepting authority",
    ),
    ASC: Heading(r"^4\.\s*Total Adult Social Care precept", "4. Total Adult Social Care precept"),
}
#: Plausible range of each figure as printed (pounds; Band D equivalent dwellings). Far
#: beyond any council (the highest own Band D is about £2,300, the largest tax base about
#: 600,000), so only a corrupted or mistyped cell trips them.
RANGES: dict[str, tuple[float, float, str]] = {
    "band_d_council_tax": (0.0, 10_000.0, "£0 to £10,000 per Band D dwelling"),
    "tax_base": (0.0, 5_000_000.0, "0 to 5,000,000 Band D equivalent dwellings"),
}


def _text(cell: object) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


@dataclass(frozen=True)
class _Section:
    """A block of rows read under one header row."""

    header_row: int  # 0-based
    first_row: int
    end_row: int
    classes: frozenset[str]
    headings: dict[str, Heading]
    name: str


def _find_columns(
    rows: list[list[object]],
    section: _Section,
    years: list[object],
    period: str,
    file: str,
) -> dict[str, int]:
    """Return metric -> current-year column (two-year lines: the previous year is one left)."""
    header = rows[section.header_row]
    texts = [_text(cell) for cell in header]
    found: dict[str, int] = {}
    for metric, heading in section.headings.items():
        if metric == ASC and period < ASC_FIRST_YEAR:
            continue
        hits = [j for j, text in enumerate(texts) if heading.matches(text)]
        if len(hits) != 1:
            problem = (
                f"no column headed {heading.shown!r} in the {section.name} header"
                if not hits
                else f"{len(hits)} columns headed {heading.shown!r} in the {section.name} header"
            )
            raise FileFormatError(
                f"{problem} (needed for {metric})",
                file=file,
                column=heading.shown,
                row=section.header_row + 1,
            )
        column = hits[0]
        if metric == ASC:
            found[metric] = column
            continue
        labels = [_text(years[j]) if j < len(years) else "" for j in (column, column + 1)]
        if labels != [shift_period(period, -1), period]:
            raise FileFormatError(
                f"the columns under {texts[column][:60]!r} are for {labels[0] or 'no year'} and "
                f"{labels[1] or 'no year'}, expected {shift_period(period, -1)} and {period}",
                file=file,
                column=heading.shown,
                row=section.header_row + 2,
            )
        found[metric] = column + 1
    return found


def _sections(rows: list[list[object]], file: str) -> tuple[_Section, ...]:
    header = next((i for i, row in enumerate(rows[:20]) if row and _text(row[0]) == "Ecode"), None)
    if header is None:
        raise FileFormatError(
            "no header row with 'Ecode' in its first column", file=file, column="Ecode"
        )
    marker = next(
        (
            i
            for i in range(header + 1, len(rows))
            if rows[i] and _text(rows[i][0]).lower().startswith("precepting authorities")
        ),
        None,
    )
    if marker is None:
        raise FileFormatError(
            "no 'Precepting authorities' row after the billing authorities",
            file=file,
            column="Ecode",
        )
    own = next(
        (i for i in range(marker + 1, min(marker + 6, len(rows))) if _text(rows[i][0]) == "Ecode"),
        None,
    )
    billing = _Section(header, header + 2, marker, BILLING_CLASSES, BILLING_HEADINGS, "billing")
    if own is None:
        precepting = _Section(
            header, marker + 1, len(rows), PRECEPTING_CLASSES, BILLING_HEADINGS, "billing"
        )
    else:
        precepting = _Section(
            own, own + 1, len(rows), PRECEPTING_CLASSES, PRECEPTING_HEADINGS, "precepting"
        )
    return billing, precepting


#: A number printed as text (``ctr_2122.xlsx`` prints districts' ASC precept as ``'0'``).
_NUMBER_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


def _value(cell: object) -> object:
    if isinstance(cell, str):
        text = cell.strip()
        if text in NOT_GIVEN:
            return None
        if _NUMBER_TEXT.match(text):
            return float(text)
    return cell


def read_ctr_table(path: Path, period: str) -> pd.DataFrame:
    """Read one year's council tax levels table into one row per council.

    Parameters
    ----------
    path
        The ``ctr_YYZZ.xlsx`` workbook.
    period
        Its financial year (the current-year columns), e.g. ``"2016-17"``.

    Returns
    -------
    pandas.DataFrame
        ``ecode``, ``ons_code`` (``None`` before 2020-21, which print none),
        ``la_name``, ``la_class``, the row and label helper columns, and for each
        of :data:`TWO_YEAR` a current-year column (the metric id) and a
        ``<metric>_previous`` column; ``asc_precept_total`` from 2016-17. Cells not
        given are ``None``; a 0 Band D beside a positive requirement too.

    Raises
    ------
    FileFormatError
        When the sheet, the header or a heading is missing, or a heading's
        columns are not for the previous and current year.
    DataCheckError
        When a cell is not a number or out of its plausible range, or an E-code
        is repeated or malformed.
    """
    file = path.name
    with reading(path):
        book = open_book(path)
        try:
            if SHEET not in [str(n) for n in book.sheet_names]:
                raise FileFormatError(f"no sheet {SHEET!r}", file=file)
            rows = sheet_rows(book, SHEET)
        finally:
            book.close()
    sections = _sections(rows, file)
    top = sections[0].header_row
    years = rows[top + 1] if top + 1 < len(rows) else []
    top_texts = [_text(cell) for cell in rows[top]]
    ons_column = top_texts.index("ONS Code") if "ONS Code" in top_texts else None
    records: list[dict[str, object]] = []
    for section in sections:
        columns = _find_columns(rows, section, years, period, file)
        for index in range(section.first_row, section.end_row):
            cells = rows[index]
            if len(cells) < 3 or _text(cells[2]) not in section.classes:
                continue
            ecode = _text(cells[0])
            name = _text(cells[1])
            record: dict[str, object] = {
                "ecode": ecode,
                "ons_code": (
                    _text(cells[ons_column]) or None
                    if ons_column is not None and ons_column < len(cells)
                    else None
                ),
                "la_name": name,
                "la_class": _text(cells[2]),
                ROW_COLUMN: index + 1,
                LABEL_COLUMN: f"{ecode} {name}",
            }
            for metric, column in columns.items():
                record[metric] = _value(cells[column]) if column < len(cells) else None
                if metric != ASC:
                    record[f"{metric}_previous"] = (
                        _value(cells[column - 1]) if column - 1 < len(cells) else None
                    )
            records.append(record)
    frame = pd.DataFrame.from_records(records)
    metrics = [c for c in frame.columns if c.startswith(TWO_YEAR) or c == ASC]
    for metric in metrics:
        frame[metric] = frame[metric].astype(object)
    labels = {"ecode": "Ecode", "la_class": "Class"}
    labels |= {m: _shown(m) for m in metrics}
    validate(_schema(metrics), frame, file, labels)
    for suffix in ("", "_previous"):
        band_d, requirement = (
            frame[f"band_d_council_tax{suffix}"],
            frame[f"council_tax_requirement_ctr{suffix}"],
        )
        placeholder = band_d.map(lambda v: is_number(v) and v == 0) & requirement.map(
            lambda v: is_number(v) and v > 0
        )
        frame.loc[placeholder, f"band_d_council_tax{suffix}"] = None
    return frame


def _shown(metric: str) -> str:
    base = metric.removesuffix("_previous")
    heading = BILLING_HEADINGS[base].shown
    return f"{heading} ({'previous' if metric.endswith('_previous') else 'current'} year)"


def _schema(metrics: list[str]) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "ecode": pa.Column(str, pa.Check.str_matches(ECODE_PATTERN.pattern), unique=True),
        "la_class": pa.Column(str, pa.Check.isin(sorted(BILLING_CLASSES | PRECEPTING_CLASSES))),
    }
    for metric in metrics:
        checks = [NUMBER_CHECK]
        limits = RANGES.get(metric.removesuffix("_previous"))
        checks.append(
            range_check(limits[0], limits[1], f"outside the plausible range ({limits[2]})")
            if limits
            else plausible_check("GBP")
        )
        columns[metric] = pa.Column(object, checks, nullable=True)
    return pa.DataFrameSchema(columns, strict=False)


def read_ctr_tables(raw_dir: Path) -> dict[str, tuple[Path, pd.DataFrame]]:
    """Read every staged year's table: period -> (path, :func:`read_ctr_table` frame).

    Raises
    ------
    DataCheckError
        Listing every table's failures (a missing heading is one located line).
    """
    failures: list[CheckFailure] = []
    out: dict[str, tuple[Path, pd.DataFrame]] = {}
    for period, relative in CTR_FILES.items():
        path = raw_path(raw_dir, relative)
        try:
            out[period] = (path, read_ctr_table(path, period))
        except DataCheckError as error:
            failures.extend(error.failures)
    if failures:
        raise DataCheckError(failures)
    return out
