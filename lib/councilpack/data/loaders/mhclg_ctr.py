"""MHCLG council tax levels (CTR Table 9) 2023-24: Band D council tax and the ASC precept.

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
the table prints the base; at least 300 councils.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    CheckFailure,
    DataCheckError,
    is_number,
    row_label,
    row_number,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._finance_workbook import COUNCIL_CLASSES, open_book, sheet_rows
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import TIDY_COLUMNS
from councilpack.files import reading

SOURCE = "mhclg_ctr"
PERIOD = "2023-24"
PREVIOUS = "2022-23"
NOT_AVAILABLE = frozenset({"[x]", "[z]", "[c]", "..", "…"})
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
        if not re.match(r"^E\d{4}$", ecode) or str(row[klass] or "").strip() not in wanted:
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


def load_council_tax_levels(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> pd.DataFrame:
    """Load Band D council tax, council tax requirement and ASC precept, 2022-23 and 2023-24.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`). The codes of councils created since the
    register's E-code list are taken from the ONS code printed beside them.

    Returns
    -------
    pandas.DataFrame
        Tidy rows: ``band_d_council_tax`` (GBP per Band D dwelling) and
        ``council_tax_requirement_ctr`` for both years, ``asc_precept_total`` for 2023-24.

    Raises
    ------
    DataCheckError
        When a line is missing, a cell is not a number, a code is unknown,
        Band D is not requirement / tax base, or fewer than 300 councils remain.
    """
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
            if not (is_number(ctr) and is_number(base) and is_number(band_d)) or not base:
                continue
            if abs(float(ctr) / float(base) - float(band_d)) > 0.01:
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
    if failures:
        raise DataCheckError(failures)
    vintage = (
        f"MHCLG council tax levels set by local authorities, CTR Table 9 2023-24 ({path.name})"
    )
    parts = []
    for metric in KEPT:
        for suffix, period in (("", PERIOD), ("_previous", PREVIOUS)):
            column = f"{metric}{suffix}"
            if column not in frame:
                continue
            values = frame[column]
            mask = values.map(is_number) & gss.notna()
            unit = "GBP"
            parts.append(
                pd.DataFrame(
                    {
                        "gss_code": gss[mask].astype(str).to_numpy(),
                        "metric": metric,
                        "period": period,
                        "value": values[mask].astype(float).to_numpy(),
                        "unit": unit,
                        "source": SOURCE,
                        "vintage": vintage,
                    }
                )
            )
    tidy = pd.concat(parts, ignore_index=True)
    # Band D is a rate, not additive: only relabelled where one predecessor covers the area.
    rates = tidy["metric"] == "band_d_council_tax"
    current = pd.concat(
        [
            to_current(tidy[~rates], geography, additive=True, notes=notes),
            to_current(tidy[rates], geography, additive=False, notes=notes),
        ],
        ignore_index=True,
    )
    return current[list(TIDY_COLUMNS)]
