"""MHCLG council tax levels (CTR), 2015-16 to 2023-24: Band D, requirement, ASC precept.

:func:`load_council_tax_levels` reads CTR Table 9 2023-24 (below) and the 2015-16 to
2022-23 tables (:mod:`~councilpack.data.loaders.mhclg_ctr_history`), and decides
which table's figure stands where two print the same council-year (the later
publication, unless its Band D is not its own requirement / tax base).

The 2023-24 table (``CTR_Table_9_2023-24.ods``) has one sheet for billing
authorities (districts, unitaries, metropolitan and London boroughs) and one
for major precepting authorities (county councils, fire, police, combined
authorities). Each form line is printed with its number and, for lines with
two years, "(previous year)" or "(current year)"; columns are found by that
line number and year, never by position:

* billing line 9 / precepting line 3: average Band D council tax (2 adult
  equivalent) including the adult social care precept and excluding parish
  precepts, for 2022-23 (previous year) and 2023-24;
* billing line 3 / precepting line 1: the council tax requirement (excluding
  parish precepts), both years;
* billing line 10 / precepting line 4: the total adult social care precept, 2023-24.

Checks: one row per E-code; numbers in every used cell (``[x]``/``[z]`` mark
a figure not available or not applicable and leave the council without it);
Band D equals the requirement divided by the tax base within a penny where
the table prints the base (in Table 9 a failure stops the build; in the earlier
tables an inconsistent Band D loses to a consistent one printed for the same
year, and one with no consistent alternative is left out with the reason); at
least 300 councils in each table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    LABEL_COLUMN,
    ROW_COLUMN,
    CheckCollector,
    CheckFailure,
    DataCheckError,
    is_number,
    row_label,
    row_number,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._finance_workbook import (
    COUNCIL_CLASSES,
    ECODE_PATTERN,
    NOT_AVAILABLE,
    open_book,
    sheet_rows,
)
from councilpack.data.loaders.mhclg_ctr_history import (
    ASC,
    TWO_YEAR,
    read_ctr_tables,
)
from councilpack.data.loaders.mhclg_rs import check_codes
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import EXCLUDED_COLUMNS, TIDY_COLUMNS, shift_period
from councilpack.files import reading

SOURCE = "mhclg_ctr"
PERIOD = "2023-24"
PREVIOUS = "2022-23"
#: Billing classes kept: the RS classes plus inner and outer London boroughs.
BILLING_CLASSES = COUNCIL_CLASSES | {"ILB", "OLB"}
#: Precepting classes kept: shire counties only (fire, police, combined authorities dropped).
PRECEPTING_CLASSES = frozenset({"SC"})

#: sheet -> metric -> (line number, "previous"/"current"/"" for a single-year line).
LINES: dict[str, dict[str, tuple[str, str]]] = {
    "Data_Billing": {
        "council_tax_requirement_ctr_previous": ("3", "previous"),
        "council_tax_requirement_ctr": ("3", "current"),
        "tax_base_previous": ("7", "previous"),
        "tax_base": ("7", "current"),
        "band_d_council_tax_previous": ("9", "previous"),
        "band_d_council_tax": ("9", "current"),
        "asc_precept_total": ("10", ""),
    },
    "Data_Precepting": {
        "council_tax_requirement_ctr_previous": ("1", "previous"),
        "council_tax_requirement_ctr": ("1", "current"),
        "tax_base_previous": ("2", "previous"),
        "tax_base": ("2", "current"),
        "band_d_council_tax_previous": ("3", "previous"),
        "band_d_council_tax": ("3", "current"),
        "asc_precept_total": ("4", ""),
    },
}
#: Metrics kept in the store (the tax base is only used by the check).
KEPT = ("council_tax_requirement_ctr", "band_d_council_tax", "asc_precept_total")
#: The first year stored: the current year of the earliest staged table (its previous
#: year, 2014-15, is only printed once and is not read).
FIRST_PERIOD = "2015-16"
#: Band D must be the requirement divided by the tax base within this (pounds).
BAND_D_TOLERANCE = 0.01
#: Two tables' figures for one council-year are the same figure when they differ by less
#: than the rounding seen between editions (pence on requirements of millions, a
#: hundredth of a Band D equivalent on the tax base); Band D is printed to the penny.
SAME_WITHIN: dict[str, float] = {
    "council_tax_requirement_ctr": 1.0,
    "tax_base": 0.05,
    "band_d_council_tax": 0.005,
}
MIN_COUNCILS = 300


def _column(header: list[object], line: str, year: str) -> int | None:
    pattern = re.compile(rf"^{re.escape(line)}\.\s")
    for index, cell in enumerate(header):
        text = " ".join(str(cell or "").split())
        if not pattern.match(text):
            continue
        if year and f"({year} year)" not in text:
            continue
        return index
    return None


def _read_sheet(path: Path, rows: list[list[object]], sheet: str) -> list[dict[str, object]]:
    header_index = next(
        (i for i, r in enumerate(rows[:20]) if r and str(r[0] or "").strip() == "E-code"), None
    )
    if header_index is None:
        raise DataCheckError(
            [CheckFailure(path.name, "E-code", None, None, "header row not found")]
        )
    header = rows[header_index]
    names = [str(c or "").strip() for c in header]
    ids = {key: names.index(key) for key in ("E-code", "ONS Code", "Authority") if key in names}
    klass = names.index("Class") if "Class" in names else None
    failures = [
        CheckFailure(path.name, key, header_index + 1, None, "column is missing")
        for key in ("E-code", "ONS Code", "Authority")
        if key not in ids
    ]
    found: dict[str, int] = {}
    for metric, (line, year) in LINES[sheet].items():
        column = _column(header, line, year)
        if column is None:
            failures.append(
                CheckFailure(
                    path.name,
                    f"{sheet} line {line}" + (f" ({year} year)" if year else ""),
                    header_index + 1,
                    None,
                    f"column is missing (needed for {metric})",
                )
            )
        else:
            found[metric] = column
    if klass is None or failures:
        raise DataCheckError(
            failures or [CheckFailure(path.name, "Class", header_index + 1, None, "missing")]
        )
    wanted = BILLING_CLASSES if sheet == "Data_Billing" else PRECEPTING_CLASSES
    records = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        ecode = str(row[ids["E-code"]] or "").strip()
        if not ECODE_PATTERN.match(ecode) or str(row[klass] or "").strip() not in wanted:
            continue
        record: dict[str, object] = {
            "ecode": ecode,
            "ons": str(row[ids["ONS Code"]] or "").strip(),
            "label": f"{ecode} {str(row[ids['Authority']] or '').strip()}",
            "row": number,
        }
        for metric, column in found.items():
            value = row[column] if column < len(row) else None
            if isinstance(value, str) and value.strip() in NOT_AVAILABLE:
                value = None
            if value is not None and not is_number(value):
                failures.append(
                    CheckFailure(
                        path.name,
                        " ".join(str(header[column]).split())[:60],
                        number,
                        str(record["label"]),
                        f"expected a number, got {value!r}",
                    )
                )
                value = None
            record[metric] = value
        records.append(record)
    if failures:
        raise DataCheckError(failures)
    return records


def _read_table_9(
    raw_dir: Path, geography: Geography
) -> tuple[Path, pd.DataFrame, pd.Series, list[CheckFailure]]:
    """Read CTR Table 9 2023-24: the path, one row per council, its GSS codes, failures."""
    path = raw_path(raw_dir, RAW_FILES["mhclg_ctr_2023_24"])
    with reading(path):
        book = open_book(path)
        try:
            records = []
            for sheet in LINES:
                records += _read_sheet(path, sheet_rows(book, sheet), sheet)
        finally:
            book.close()
    frame = pd.DataFrame.from_records(records)
    failures = []
    if frame["ecode"].duplicated().any():
        for index in frame.index[frame["ecode"].duplicated()]:
            failures.append(
                CheckFailure(
                    path.name, "E-code", row_number(frame, index, "row"), None, "duplicated E-code"
                )
            )
    gss = frame["ecode"].map(geography.ecode_to_gss)
    known = frame["ons"].map(lambda c: c in geography.authorities.index)
    gss = gss.where(gss.notna() | ~known, frame["ons"])
    for index in frame.index[gss.isna()]:
        failures.append(
            CheckFailure(
                path.name,
                "E-code",
                row_number(frame, index, "row"),
                row_label(frame, index, "label"),
                "E-code and ONS code are not in the mySociety register",
            )
        )
    for suffix in ("", "_previous"):
        for index in frame.index:
            ctr, base, band_d = (
                frame.at[index, f"{m}{suffix}"]
                for m in ("council_tax_requirement_ctr", "tax_base", "band_d_council_tax")
            )
            if (
                is_number(ctr)
                and is_number(base)
                and is_number(band_d)
                and not consistent(ctr, base, band_d)
            ):
                failures.append(
                    CheckFailure(
                        path.name,
                        "Band D" + (" (previous year)" if suffix else " (current year)"),
                        row_number(frame, index, "row"),
                        row_label(frame, index, "label"),
                        f"Band D £{float(band_d):,.2f} is not requirement / tax base "
                        f"£{float(ctr) / float(base):,.2f}",
                    )
                )
    if len(frame) < 300:
        failures.append(CheckFailure(path.name, "Class", None, None, f"only {len(frame)} councils"))
    frame = frame.rename(columns={"row": ROW_COLUMN, "label": LABEL_COLUMN})
    return path, frame, gss, failures


def consistent(requirement: object, tax_base: object, band_d: object) -> bool:
    """Return whether Band D is the requirement divided by the tax base within a penny.

    True when any of the three is not given (or the base is zero): nothing to check.

    Examples
    --------
    >>> consistent(5472850.0, 20155.6, 271.53)  # Adur 2015-16: 271.5282...
    True
    >>> consistent(296205338.81, 239580.49, 1177.35)  # 1,236.35 by division
    False
    """
    if not (is_number(requirement) and is_number(tax_base) and is_number(band_d)) or not tax_base:
        return True
    return abs(float(requirement) / float(tax_base) - float(band_d)) <= BAND_D_TOLERANCE


@dataclass(frozen=True)
class _Table:
    """One publication: its file, the year of its current-year columns, its rows and codes."""

    path: Path
    period: str
    frame: pd.DataFrame
    gss: pd.Series
    vintage: str


@dataclass(frozen=True)
class _Candidate:
    """A figure as one table prints it, for one council, metric and year."""

    order: int  # publication order: later tables are higher
    table: _Table
    previous: bool  # printed in the previous-year column
    value: float
    consistent: bool  # its row's Band D is requirement / tax base for that year
    index: int  # row of the table's frame

    @property
    def file(self) -> str:
        return self.table.path.name

    def vintage(self) -> str:
        return self.table.vintage + (", previous-year column" if self.previous else "")


@dataclass(frozen=True)
class CouncilTaxLevels:
    """What :func:`load_council_tax_levels` returns.

    Attributes
    ----------
    metrics
        Tidy rows for current councils (:data:`~councilpack.data.model.TIDY_COLUMNS`).
    excluded
        Band D figures left out because no table prints one that is the
        requirement divided by the tax base (:data:`~councilpack.data.model.EXCLUDED_COLUMNS`).
    reconciliation
        Year -> one line per figure a table's previous-year column prints differently
        from the table before it (file, column, council, both figures, which stands).
    restated
        Year -> figures restated by a later table (the later figure used).
    """

    metrics: pd.DataFrame
    excluded: pd.DataFrame
    reconciliation: dict[str, list[str]]
    restated: dict[str, int]


def _ecode_ons_map(tables: list[_Table], geography: Geography) -> dict[str, str]:
    """E-codes not in the register -> the ONS code the tables print beside them (2020-21 on)."""
    seen: dict[str, set[str]] = {}
    for table in tables:
        frame = table.frame
        if "ons_code" not in frame:
            continue
        for ecode, ons in zip(frame["ecode"], frame["ons_code"], strict=True):
            if ecode not in geography.ecode_to_gss and isinstance(ons, str) and ons:
                seen.setdefault(str(ecode), set()).add(ons)
    return {ecode: codes.pop() for ecode, codes in seen.items() if len(codes) == 1}


def _history_tables(raw_dir: Path, geography: Geography) -> tuple[list[_Table], list[CheckFailure]]:
    read = read_ctr_tables(raw_dir)
    failures: list[CheckFailure] = []
    provisional = [
        _Table(path, period, frame, pd.Series(dtype=object), "")
        for period, (path, frame) in read.items()
    ]
    printed = _ecode_ons_map(provisional, geography)
    tables = []
    for table in provisional:
        frame = table.frame.copy()
        # 2015-16 to 2019-20 print no ONS code: a council created since the register's
        # E-code list (BCP, Dorset, East and West Suffolk, Somerset West and Taunton in
        # 2019-20) takes the code the later tables print beside the same E-code.
        missing = frame["ons_code"].isna()
        frame.loc[missing, "ons_code"] = frame.loc[missing, "ecode"].map(printed)
        gss, code_failures = check_codes(frame, geography, table.path.name)
        failures.extend(code_failures)
        if len(frame) < MIN_COUNCILS:
            failures.append(
                CheckFailure(table.path.name, "Class", None, None, f"only {len(frame)} councils")
            )
        vintage = (
            "MHCLG council tax levels set by local authorities in England "
            f"{table.period} ({table.path.name})"
        )
        tables.append(_Table(table.path, table.period, frame, gss, vintage))
    return tables, failures


def _candidates(tables: list[_Table]) -> dict[tuple[str, str, str], list[_Candidate]]:
    """Return (published GSS code, metric, year) -> the figures every table prints."""
    out: dict[tuple[str, str, str], list[_Candidate]] = {}
    for order, table in enumerate(tables):
        frame = table.frame
        for previous in (False, True):
            period = shift_period(table.period, -1) if previous else table.period
            if period < FIRST_PERIOD:
                continue
            suffix = "_previous" if previous else ""
            metrics = [m for m in TWO_YEAR if f"{m}{suffix}" in frame]
            if not previous and ASC in frame:
                metrics.append(ASC)
            columns = {m: frame[f"{m}{suffix}"].tolist() for m in metrics}
            checks = [
                consistent(*values)
                for values in zip(*(frame[f"{m}{suffix}"].tolist() for m in TWO_YEAR), strict=True)
            ]
            for index, code in enumerate(table.gss.tolist()):
                if not isinstance(code, str):
                    continue
                for metric in metrics:
                    value = columns[metric][index]
                    if not is_number(value):
                        continue
                    out.setdefault((code, metric, period), []).append(
                        _Candidate(order, table, previous, float(value), checks[index], index)
                    )
    return out


def _same(metric: str, a: float, b: float) -> bool:
    return abs(a - b) < SAME_WITHIN.get(metric, 0.005)


def _shown(metric: str, value: float) -> str:
    return f"{value:,.2f}" if metric == "tax_base" else f"£{value:,.2f}"


def _choose(
    key: tuple[str, str, str], candidates: list[_Candidate], lines: dict[str, list[str]]
) -> tuple[_Candidate, str, bool]:
    """Return the figure that stands, its vintage, and whether a later table restated it.

    The later publication wins, unless its row's Band D is not its requirement
    divided by its tax base while an earlier table's is (an error in the later
    table, e.g. Northamptonshire 2018-19 in the 2019-20 table's previous-year
    column): then the latest consistent figure stands.
    """
    _, metric, period = key
    latest_first = sorted(candidates, key=lambda c: -c.order)
    winner = next((c for c in latest_first if c.consistent), latest_first[0])
    others = [c for c in latest_first if c is not winner]
    notes = []
    restated = False
    for other in others:
        if _same(metric, other.value, winner.value):
            notes.append(f"the same figure as in {other.file}")
            continue
        later, earlier = (winner, other) if winner.order > other.order else (other, winner)
        column = f"{metric} {period} ({'previous' if later.previous else 'current'} year)"
        label = str(later.table.frame.at[later.index, LABEL_COLUMN])
        row = row_number(later.table.frame, later.index)
        if winner is later:
            restated = True
            notes.append(f"restates {_shown(metric, other.value)} printed in {other.file}")
            verdict = "restated by the later table, whose figure is used"
        else:
            notes.append(
                f"{other.file} prints {_shown(metric, other.value)}, which is not its own "
                "requirement / tax base"
            )
            verdict = (
                "the later table's Band D is not its own requirement / tax base, "
                f"so {earlier.file}'s figure stands"
            )
        lines.setdefault(period, []).append(
            f"{later.file}: column '{column}' row {row} ({label}): "
            f"{_shown(metric, later.value)} against {_shown(metric, earlier.value)} in "
            f"{earlier.file}: {verdict}"
        )
    vintage = winner.vintage() + "".join(f"; {note}" for note in notes)
    return winner, vintage, restated


def load_council_tax_levels(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> CouncilTaxLevels:
    """Load Band D council tax, council tax requirement and ASC precept, 2015-16 to 2023-24.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`). Reads CTR Table 9 2023-24 and the
    2015-16 to 2022-23 tables (:mod:`~councilpack.data.loaders.mhclg_ctr_history`).
    Each table prints a previous-year column beside its current year, so most
    council-years are printed twice (Table 9's previous year is 2022-23).
    **The later publication wins** (a restated figure replaces the first one),
    unless its Band D is not its own requirement / tax base within a penny while
    the earlier table's is; every figure's vintage names the table and column it
    comes from and what it agrees with or restates, and ``reconciliation`` lists
    every difference. Councils created since the register's E-code list take the
    ONS code printed beside them (for 2019-20, which prints none, the code the
    later tables print beside the same E-code). Predecessors' figures are
    mapped as for RS: the requirement and ASC precept summed into a successor
    when every predecessor is present, Band D (a rate) only where one
    predecessor covers the successor.

    Returns
    -------
    CouncilTaxLevels
        Tidy rows ``band_d_council_tax`` (GBP per Band D dwelling) and
        ``council_tax_requirement_ctr`` for 2015-16 to 2023-24, ``asc_precept_total``
        from 2016-17; Band D figures left out; the reconciliation lines.

    Raises
    ------
    DataCheckError
        When a line is missing, a cell is not a number, a code is unknown,
        Table 9's Band D is not requirement / tax base, or a table has fewer
        than 300 councils.
    """
    checks = CheckCollector()
    table_9 = checks.run(_read_table_9, raw_dir, geography)
    history = checks.run(_history_tables, raw_dir, geography)
    if table_9 is None or history is None:
        raise DataCheckError(checks.failures)
    path, frame, gss, failures = table_9
    tables, history_failures = history
    checks.extend(failures)
    checks.extend(history_failures)
    checks.raise_if_failed()
    vintage = (
        f"MHCLG council tax levels set by local authorities, CTR Table 9 2023-24 ({path.name})"
    )
    tables.append(_Table(path, PERIOD, frame, gss, vintage))
    lines: dict[str, list[str]] = {}
    rows: list[dict[str, object]] = []
    excluded: list[dict[str, object]] = []
    restated: dict[str, int] = {}
    for key, candidates in sorted(_candidates(tables).items()):
        code, metric, period = key
        winner, row_vintage, was_restated = _choose(key, candidates, lines)
        if was_restated:
            restated[period] = restated.get(period, 0) + 1
        if metric not in KEPT:
            continue
        row = {
            "gss_code": code,
            "metric": metric,
            "period": period,
            "value": winner.value,
            "unit": "GBP",
            "source": SOURCE,
            "vintage": row_vintage,
        }
        if metric == "band_d_council_tax" and not winner.consistent:
            suffix = "_previous" if winner.previous else ""
            cells = winner.table.frame.loc[winner.index]
            requirement = cells[f"council_tax_requirement_ctr{suffix}"]
            base = cells[f"tax_base{suffix}"]
            if not (is_number(requirement) and is_number(base)):
                raise TypeError("an inconsistent Band D has a requirement and a tax base")
            excluded.append(
                row
                | {
                    "source_file": str(winner.table.path.relative_to(raw_dir)),
                    "reason": (
                        f"average Band D council tax of £{winner.value:,.2f} for {period} in the "
                        f"council tax levels table ({winner.file}) is not its council tax "
                        f"requirement divided by its tax base (£{requirement / base:,.2f}): "
                        "an error in the table"
                    ),
                }
            )
            continue
        rows.append(row)
    tidy = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    # Band D is a rate, not additive: only relabelled where one predecessor covers the area.
    rates = tidy["metric"] == "band_d_council_tax"
    current = pd.concat(
        [
            to_current(tidy[~rates], geography, additive=True, notes=notes),
            to_current(tidy[rates], geography, additive=False, notes=notes),
        ],
        ignore_index=True,
    )
    left_out = pd.DataFrame(excluded, columns=list(EXCLUDED_COLUMNS))
    left_out["gss_code"] = left_out["gss_code"].map(lambda c: geography.renumbered.get(c, c))
    left_out = left_out[left_out["gss_code"].map(lambda c: c in geography.register)]
    return CouncilTaxLevels(
        metrics=current[list(TIDY_COLUMNS)],
        excluded=left_out.reset_index(drop=True),
        reconciliation=dict(sorted(lines.items())),
        restated=dict(sorted(restated.items())),
    )
