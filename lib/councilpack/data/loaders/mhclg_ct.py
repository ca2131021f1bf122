"""DLUHC council tax receipts live table (Q4 2022-23), ``Table_4``.

Receipts per billing authority for 2022-23 (£ thousand -> pounds). These are
**receipts, not collection rates**. The loader checks that the three receipt
columns add up to the total (within rounding) and that every code is a current
billing authority.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    LABEL_COLUMN,
    NUMBER_CHECK,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    plausible_check,
    row_label,
    row_number,
    validate,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._finance_workbook import COUNCIL_CLASSES, open_book, sheet_rows
from councilpack.data.loaders.mysociety import Geography
from councilpack.files import reading

SOURCE = "mhclg_ct"
PERIOD = "2022-23"
VINTAGE = "DLUHC council tax receipts live table, Q4 2022-23 (Table 4)"
COLUMNS = {
    "in_year": "Receipts of council taxes in respect of 2022 to 2023",
    "previous": "Receipts of previous years council taxes",
    "next_year": "Receipts of council taxes in respect of 2023 to 2024",
    "total": "Total receipts of council taxes collected during the financial year",
}
#: Billing authorities: districts, unitaries, metropolitan districts, London boroughs.
BILLING_TIERS = ("NMD", "UA", "MD", "LBO", "CC")
METRICS = {"total": "council_tax_receipts", "in_year": "council_tax_receipts_in_year"}


def load_ct_receipts(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> pd.DataFrame:
    """Load 2022-23 council tax receipts per billing authority.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`). 2022-23 districts merged in 2023 are summed
    into their successor when every predecessor billing authority is present.

    Returns
    -------
    pandas.DataFrame
        Tidy rows of ``council_tax_receipts`` and ``council_tax_receipts_in_year`` (GBP).

    Raises
    ------
    DataCheckError
        When columns are missing, cells are not numbers, totals do not add up
        or a code is not a current council.
    """
    path = raw_path(raw_dir, RAW_FILES["mhclg_ct_receipts"])
    with reading(path):
        book = open_book(path)
        try:
            cells = sheet_rows(book, "Table_4")
        finally:
            book.close()
    header = next((i for i, r in enumerate(cells[:20]) if r and r[0] == "E-code"), None)
    if header is None:
        raise DataCheckError(
            [CheckFailure(path.name, "E-code", None, None, "header row not found")]
        )
    heads = [str(h).strip() if h is not None else "" for h in cells[header]]
    records = []
    for index, row in enumerate(cells[header + 1 :], start=header + 2):
        if not row or row[3] not in COUNCIL_CLASSES:
            continue
        record = {h: v for h, v in zip(heads, row, strict=False) if h}
        record[ROW_COLUMN] = index
        record[LABEL_COLUMN] = f"{row[0]} {str(row[2]).strip()}"
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    schema = pa.DataFrameSchema(
        {
            "ONS Code": pa.Column(str, pa.Check.str_matches(r"^E0[6-9]\d{6}$"), unique=True),
            # £ thousand: a value past the plausible bound fails here, before predecessor
            # billing authorities are summed into their successor.
            **{
                name: pa.Column(checks=[NUMBER_CHECK, plausible_check("GBP", scale=1000)])
                for name in COLUMNS.values()
            },
        },
        strict=False,
    )
    frame = validate(schema, frame, path.name)
    failures = []
    for i in frame.index:
        # Every cell of these columns passed NUMBER_CHECK above.
        parts = sum(float(frame[COLUMNS[k]][i]) for k in ("in_year", "previous", "next_year"))
        if abs(parts - float(frame[COLUMNS["total"]][i])) > 2:
            failures.append(
                CheckFailure(
                    path.name,
                    COLUMNS["total"],
                    row_number(frame, i),
                    row_label(frame, i),
                    f"total {frame[COLUMNS['total']][i]} is not the sum of its parts {parts:.0f}",
                )
            )
        if not geography.successors_of(str(frame.at[i, "ONS Code"])):
            failures.append(
                CheckFailure(
                    path.name,
                    "ONS Code",
                    row_number(frame, i),
                    row_label(frame, i),
                    "not a current English council",
                )
            )
    if failures:
        raise DataCheckError(failures)
    out = []
    for key, metric in METRICS.items():
        out.append(
            pd.DataFrame(
                {
                    "gss_code": frame["ONS Code"],
                    "metric": metric,
                    "period": PERIOD,
                    "value": frame[COLUMNS[key]].astype(float) * 1000.0,
                    "unit": "GBP",
                    "source": SOURCE,
                    "vintage": VINTAGE,
                }
            )
        )
    return to_current(
        pd.concat(out, ignore_index=True),
        geography,
        additive=True,
        notes=notes,
        tiers=BILLING_TIERS,
    )
