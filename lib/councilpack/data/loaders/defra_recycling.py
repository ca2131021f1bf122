"""DEFRA household waste recycling 2021-22 by collection authority (2021 districts).

The staged file is a transcribed subset (``household_collected``,
``household_recycled`` tonnes and their ratio). The loader checks the ratio
matches the tonnages, then derives ``household_recycling_rate`` (percent) for
current councils; for councils formed in 2023 (Cumberland, Westmorland and
Furness, North Yorkshire, Somerset) the rate is recomputed from the summed
tonnages of all predecessor districts. Shared waste partnerships repeat the
partnership figures for each member, so the rate (not the tonnage) is published.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    DataCheckError,
    read_csv_validated,
    row_failures,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders.mysociety import Geography

SOURCE = "defra_waste"
PERIOD = "2021-22"
VINTAGE = "DEFRA local authority collected waste 2021/22 (via clarelgibson/uk-recycling)"

SCHEMA = pa.DataFrameSchema(
    {
        "lad21cd": pa.Column(str, pa.Check.str_matches(r"^E0[6-9]\d{6}$"), unique=True),
        "household_collected": pa.Column(float, pa.Check.gt(0), coerce=True),
        "household_recycled": pa.Column(float, pa.Check.ge(0), coerce=True),
        "household_recycle_rate": pa.Column(float, pa.Check.in_range(0, 1), coerce=True),
    },
    strict=False,
)


def load_recycling(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> pd.DataFrame:
    """Load household recycling rates (percent, 0-100) for current councils.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    pandas.DataFrame
        Tidy rows of ``household_recycling_rate``.

    Raises
    ------
    DataCheckError
        When the schema fails or a rate differs from recycled / collected.
    """
    path = raw_path(raw_dir, RAW_FILES["defra_recycling"])
    frame = read_csv_validated(path, SCHEMA, ("lad21cd", "local_authority"), {"lad21cd": str})
    ratio = frame["household_recycled"] / frame["household_collected"]
    failures = row_failures(
        frame,
        path.name,
        "household_recycle_rate",
        frame.index[(ratio - frame["household_recycle_rate"]).abs() > 5e-4],
        lambda i: (
            f"rate {frame['household_recycle_rate'][i]:.4f} is not recycled/collected "
            f"{ratio[i]:.4f}"
        ),
    )
    if failures:
        raise DataCheckError(failures)
    tonnes = []
    for column, metric in (
        ("household_collected", "collected"),
        ("household_recycled", "recycled"),
    ):
        tonnes.append(
            pd.DataFrame(
                {
                    "gss_code": frame["lad21cd"],
                    "metric": metric,
                    "period": PERIOD,
                    "value": frame[column],
                    "unit": "tonnes",
                    "source": SOURCE,
                    "vintage": VINTAGE,
                }
            )
        )
    current = to_current(
        pd.concat(tonnes, ignore_index=True),
        geography,
        additive=True,
        notes=notes,
        tiers=("NMD", "UA", "MD", "LBO", "CC"),
    )
    wide = current.pivot_table(
        index=["gss_code", "vintage"], columns="metric", values="value"
    ).reset_index()
    wide = wide.dropna(subset=["collected", "recycled"])
    return pd.DataFrame(
        {
            "gss_code": wide["gss_code"],
            "metric": "household_recycling_rate",
            "period": PERIOD,
            "value": 100.0 * wide["recycled"] / wide["collected"],
            "unit": "percent",
            "source": SOURCE,
            "vintage": wide["vintage"],
        }
    ).reset_index(drop=True)
