"""DfT RDC0120: classified road length where maintenance should have been considered.

Workbook ``road-condition-data.ods`` (DfT road condition statistics, April 2007
to March 2025). Sheets ``RDC0120_A_Roads_and_Motorways`` (local A roads and
motorways: the principal network) and ``RDC0120_B_and_C_Roads`` (non-principal
classified roads). Header on the fifth row: ``ONS Area Code``, ``Region``,
``Local Authority``, ``FYE 2008`` ... ``FYE 2025``, ``Notes``. One row per local
highway authority (counties, unitaries, metropolitan and London boroughs) plus
an England row. Whole percentages; ``[x]`` unavailable, ``[y]`` unrepresentative
(insufficient coverage or known quality issues), ``[z]`` not applicable (the
authority did not exist, or Isles of Scilly). "FYE 2023" is the financial year
ending March 2023, i.e. 2022-23.

Rates are not additive: a former authority's figures are not carried to a
successor (the predecessors of the reorganised councils have their own rows).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import (
    LABEL_COLUMN,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    validate,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._spreadsheet import read_sheet
from councilpack.data.model import UNAVAILABLE_COLUMNS, Register

SOURCE = "dft_roads"
#: Sheet -> metric id.
SHEETS: dict[str, str] = {
    "RDC0120_A_Roads_and_Motorways": "roads_principal_maintenance_pct",
    "RDC0120_B_and_C_Roads": "roads_non_principal_maintenance_pct",
}
HEADER_ROW = 4  # 0-based
YEAR = re.compile(r"^FYE (\d{4})$")
#: Shorthand of the workbook -> what it means, in a reader's words.
MARKERS: dict[str, str] = {
    "[x]": "the figure is unavailable in DfT's road condition table ([x])",
    "[y]": "DfT marks the submitted figure as unrepresentative, from insufficient survey "
    "coverage or known data-quality issues ([y])",
    "[z]": "DfT marks the figure as not applicable ([z]): the authority was not a highway "
    "authority that year, or (the Isles of Scilly) road condition is not reported",
}
ENGLAND = "E92000001"


def financial_year(fye: int) -> str:
    """Return the financial year ending in March of ``fye``.

    Examples
    --------
    >>> financial_year(2023)
    '2022-23'
    """
    return f"{fye - 1}-{fye % 100:02d}"


def _vintage(path: Path) -> str:
    cover = read_sheet(path, "Cover_page")
    updated = [
        str(v) for v in cover.iloc[:, 0].dropna() if str(v).lower().startswith("last updated")
    ]
    when = updated[0].split(":", 1)[1].strip() if updated else "date not stated"
    return f"DfT RDC0120 road condition, April 2007 to March 2025 (last updated {when})"


def _cell_value(cell: object) -> tuple[float | None, str | None]:
    """Return (number, None) for a figure or (None, marker) for shorthand."""
    if isinstance(cell, bool):
        return None, None
    if isinstance(cell, (int, float)):
        return (None, None) if math.isnan(cell) else (float(cell), None)
    return None, "" if cell is None else str(cell).strip()


def _read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    raw = read_sheet(path, sheet)
    header = [str(c).strip() if pd.notna(c) else "" for c in raw.iloc[HEADER_ROW]]
    body = raw.iloc[HEADER_ROW + 1 :].copy()
    body.columns = header
    body[ROW_COLUMN] = [i + 1 for i in body.index]
    body = body[body.get("ONS Area Code", pd.Series(dtype=object)).notna()]
    return body


def _schema(year_columns: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "ONS Area Code": pa.Column(
                str, pa.Check.str_matches(r"^E(06|08|09|10|92)\d{6}$"), unique=True
            ),
            "Local Authority": pa.Column(str, nullable=True),
            **{
                column: pa.Column(
                    object,
                    pa.Check(
                        lambda s: s.map(
                            lambda v: (
                                (
                                    isinstance(v, (int, float))
                                    and not isinstance(v, bool)
                                    and 0 <= v <= 100
                                )
                                or str(v).strip() in MARKERS
                            )
                        ).astype(bool),
                        error="expected a percentage from 0 to 100 or [x], [y], [z]",
                        name="expected a percentage from 0 to 100 or [x], [y], [z]",
                    ),
                )
                for column in year_columns
            },
        },
        strict=False,
    )


def load_road_condition(
    raw_dir: Path, register: Register, notes: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load road condition for current highway authorities.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    register
        Current councils (rows for former authorities are left out, with a note).
    notes
        Receives one line per former authority left out.

    Returns
    -------
    tuple of pandas.DataFrame
        Tidy rows (percent of the network, lower is better) and the cells marked
        ``[x]``, ``[y]`` or ``[z]`` with their reason
        (:data:`~councilpack.data.model.UNAVAILABLE_COLUMNS`).

    Raises
    ------
    DataCheckError
        When a sheet or column is missing, a code is malformed or repeated, or a
        cell is neither a percentage nor a known shorthand.
    """
    path = raw_path(raw_dir, RAW_FILES["dft_road_condition"])
    log = notes if notes is not None else []
    vintage = _vintage(path)
    tidy: list[dict[str, object]] = []
    unavailable: list[dict[str, object]] = []
    failures: list[CheckFailure] = []
    for sheet, metric in SHEETS.items():
        where = f"{path.name} ({sheet})"
        try:
            body = _read_sheet(path, sheet)
        except DataCheckError as error:
            failures.extend(error.failures)
            continue
        years = {
            column: int(match.group(1))
            for column in body.columns
            if isinstance(column, str) and (match := YEAR.match(column))
        }
        if not years:
            failures.append(
                CheckFailure(where, "FYE 2008", HEADER_ROW + 1, None, "no 'FYE yyyy' columns")
            )
            continue
        names = body["Local Authority"] if "Local Authority" in body.columns else ""
        body[LABEL_COLUMN] = (
            body["ONS Area Code"].astype(str) + " " + pd.Series(names, index=body.index).astype(str)
        )
        try:
            body = validate(_schema(list(years)), body, where)
        except DataCheckError as error:
            failures.extend(error.failures)
            continue
        for row in body.to_dict("records"):
            code = str(row["ONS Area Code"]).strip()
            if code == ENGLAND:
                continue
            if code not in register:
                log.append(f"{code} {metric}: former highway authority, not carried to a successor")
                continue
            for column, year in years.items():
                period = financial_year(year)
                value, marker = _cell_value(row[column])
                if value is not None:
                    tidy.append(
                        {
                            "gss_code": code,
                            "metric": metric,
                            "period": period,
                            "value": value,
                            "unit": "percent",
                            "source": SOURCE,
                            "vintage": vintage,
                        }
                    )
                elif marker in MARKERS:
                    unavailable.append(
                        {
                            "gss_code": code,
                            "metric": metric,
                            "period": period,
                            "source": SOURCE,
                            "reason": MARKERS[marker],
                        }
                    )
    if failures:
        raise DataCheckError(failures)
    return (
        pd.DataFrame.from_records(
            tidy, columns=["gss_code", "metric", "period", "value", "unit", "source", "vintage"]
        ),
        pd.DataFrame.from_records(unavailable, columns=list(UNAVAILABLE_COLUMNS)),
    )
