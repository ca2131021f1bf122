"""ONS statistical nearest neighbours, released 1 October 2025 (experimental statistics).

Workbook ``localauthoritynearestneighboursengland.xlsx``: ``Table 1`` ranks, for
every lower-tier authority (districts, unitaries, metropolitan and London
boroughs), every other lower-tier authority from nearest to furthest; ``Table 3``
does the same for upper-tier authorities (counties, unitaries, metropolitan and
London boroughs). The header is the fourth row (``... local authority code``,
``... name``, ``Neighbour 1`` ...). Models use boundaries as at 31 December 2024
(note 2 of the workbook), so every code is a current council.

The loader returns the full rankings; :mod:`councilpack.data.comparators` keeps
the nearest councils with the same service responsibilities.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import ROW_COLUMN, CheckFailure, DataCheckError, validate
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._spreadsheet import read_sheet
from councilpack.data.model import Register

#: Sheet of each table and the tier word in its header.
TABLES: dict[str, tuple[str, str]] = {"lower": ("Table 1", "Lower"), "upper": ("Table 3", "Upper")}
HEADER_ROW = 3  # 0-based: title, notes line, "There is 1 table on this tab.", header
GSS = r"^E(06|07|08|09|10)\d{6}$"
NEIGHBOUR = re.compile(r"^Neighbour (\d+)$")

METHOD = (
    "ONS statistical nearest neighbours (released 1 October 2025; experimental, method under "
    "development, methodology article of 14 February 2025): authorities ranked by relative "
    "Euclidean distance on ONS's standardised underlying dataset (subject dates 2018 to 2024, "
    "boundaries as at 31 December 2024)"
)
VINTAGE = "ONS local authority nearest neighbours, England, released 1 October 2025"


def _schema(code_column: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {code_column: pa.Column(str, pa.Check.str_matches(GSS), unique=True, nullable=False)},
        strict=False,
    )


def _read_table(path: Path, sheet: str, tier_word: str) -> dict[str, tuple[str, ...]]:
    raw = read_sheet(path, sheet)
    if len(raw) <= HEADER_ROW:
        raise DataCheckError(
            [CheckFailure(path.name, None, None, None, f"sheet {sheet!r} is empty")]
        )
    header = [str(c).strip() if pd.notna(c) else "" for c in raw.iloc[HEADER_ROW]]
    code_column = f"{tier_word} tier local authority code"
    if code_column not in header:
        raise DataCheckError(
            [
                CheckFailure(
                    path.name,
                    code_column,
                    HEADER_ROW + 1,
                    None,
                    f"column is missing in sheet {sheet!r}",
                )
            ]
        )
    neighbour_columns = [h for h in header if NEIGHBOUR.match(h)]
    body = raw.iloc[HEADER_ROW + 1 :].copy()
    body.columns = header
    body = body[body[code_column].notna()]
    body[ROW_COLUMN] = [i + 1 for i in body.index]  # spreadsheet row numbers (1-based)
    body[code_column] = body[code_column].astype(str).str.strip()
    body = validate(_schema(code_column), body, f"{path.name} ({sheet})")
    expected = len(body) - 1
    failures: list[CheckFailure] = []
    if len(neighbour_columns) != expected:
        failures.append(
            CheckFailure(
                f"{path.name} ({sheet})",
                None,
                HEADER_ROW + 1,
                None,
                f"{len(neighbour_columns)} neighbour columns for {len(body)} authorities "
                f"(expected {expected})",
            )
        )
    codes = set(body[code_column])
    out: dict[str, tuple[str, ...]] = {}
    # Column headings are not identifiers: read the tuples by position.
    positions = [header.index(c) for c in neighbour_columns]
    code_index = header.index(code_column)
    for index, line in zip(body[ROW_COLUMN], body.itertuples(index=False), strict=True):
        own = str(line[code_index])
        ranked = tuple(str(line[p]).strip() for p in positions if pd.notna(line[p]))
        problems = []
        if own in ranked:
            problems.append("lists the authority as its own neighbour")
        unknown = sorted(set(ranked) - codes)
        if unknown:
            problems.append(f"neighbours not in the table: {', '.join(unknown[:3])}")
        if len(set(ranked)) != len(ranked):
            problems.append("repeats a neighbour")
        if len(ranked) != expected:
            problems.append(f"ranks {len(ranked)} authorities, expected {expected}")
        for problem in problems:
            failures.append(
                CheckFailure(f"{path.name} ({sheet})", "Neighbour 1", int(index), own, problem)
            )
        out[own] = ranked
    if failures:
        raise DataCheckError(failures)
    return out


def load_ons_neighbours(raw_dir: Path, register: Register) -> dict[str, dict[str, tuple[str, ...]]]:
    """Return the ONS rankings of both tiers, keyed by current council code.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    register
        Current councils: every code in the tables must be one (the model uses
        boundaries as at 31 December 2024).

    Returns
    -------
    dict
        ``{"lower": {code: ranked codes}, "upper": {code: ranked codes}}``; each
        ranking lists every other authority of the table, nearest first.

    Raises
    ------
    DataCheckError
        When a sheet or column is missing, a code is malformed, duplicated or not
        a current council, or a row does not rank every other authority once.
    """
    path = raw_path(raw_dir, RAW_FILES["ons_nn_2025"])
    rankings: dict[str, dict[str, tuple[str, ...]]] = {}
    failures: list[CheckFailure] = []
    for tier, (sheet, word) in TABLES.items():
        try:
            table = _read_table(path, sheet, word)
        except DataCheckError as error:
            failures.extend(error.failures)
            continue
        for code in table:
            if code not in register:
                failures.append(
                    CheckFailure(
                        f"{path.name} ({sheet})",
                        f"{word} tier local authority code",
                        None,
                        code,
                        "not a current council in the register",
                    )
                )
        rankings[tier] = table
    if failures:
        raise DataCheckError(failures)
    return rankings
