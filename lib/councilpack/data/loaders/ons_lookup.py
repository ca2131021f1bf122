"""ONS Lower Tier to Upper Tier Local Authority lookup (April 2021), England rows.

Used as an independent cross-check of the mySociety county membership: every
2021 district whose upper tier is a county that still exists must have that
county as its ``county-la`` in the register.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import (
    LABEL_COLUMN,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    require_rows,
    validate,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders.mysociety import Geography
from councilpack.files import check_csv_complete, reading

SCHEMA = pa.DataFrameSchema(
    {
        "LTLA21CD": pa.Column(str, pa.Check.str_matches(r"^[EW]0\d{7}$"), unique=True),
        "UTLA21CD": pa.Column(str, pa.Check.str_matches(r"^[EW]\d{8}$")),
    },
    strict=False,
)


def load_ltla_utla(raw_dir: Path, geography: Geography) -> pd.DataFrame:
    """Load the 2021 LTLA -> UTLA lookup (England) and cross-check county membership.

    Takes ``raw_dir`` and ``geography`` (the register to cross-check) as every
    loader does (:mod:`councilpack.data.loaders`).

    Returns
    -------
    pandas.DataFrame
        ``ltla21cd``, ``ltla21nm``, ``utla21cd``, ``utla21nm`` for England.

    Raises
    ------
    DataCheckError
        When a current district's county disagrees with the register.
    """
    path = raw_path(raw_dir, RAW_FILES["ons_ltla_utla"])
    with reading(path):
        check_csv_complete(path)
        raw = pd.read_csv(path, dtype=str)
        require_rows(raw, path.name)
        raw[ROW_COLUMN] = range(2, len(raw) + 2)
        raw[LABEL_COLUMN] = raw["LTLA21CD"].astype(str) + " " + raw["LTLA21NM"].astype(str)
    frame = validate(SCHEMA, raw, path.name)
    england = frame[frame["LTLA21CD"].str.startswith("E")]
    failures = []
    for district, county, row, label in zip(
        england["LTLA21CD"],
        england["UTLA21CD"],
        england[ROW_COLUMN],
        england[LABEL_COLUMN],
        strict=True,
    ):
        is_county = county.startswith("E10") and county in geography.register
        if is_county and geography.county_of.get(district) != county:
            failures.append(
                CheckFailure(
                    path.name,
                    "UTLA21CD",
                    int(row),
                    label,
                    f"register puts it in {geography.county_of.get(district)}",
                )
            )
    if failures:
        raise DataCheckError(failures)
    return england.rename(columns=str.lower)[["ltla21cd", "ltla21nm", "utla21cd", "utla21nm"]]
