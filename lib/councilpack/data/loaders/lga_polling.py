"""LGA national resident satisfaction polling (hand-transcribed national GB points).

National figures only (no per-council data), so they are kept out of the tidy
per-council table and stored as ``national.parquet``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import read_csv_validated
from councilpack.data.loaders import RAW_FILES, raw_path

MEASURES = [
    "satisfied_local_area_pct",
    "satisfied_council_pct",
    "council_keeps_informed_pct",
    "trust_council_pct",
    "council_acts_on_concerns_pct",
    "value_for_money_pct",
]

SCHEMA = pa.DataFrameSchema(
    {
        "series": pa.Column(str),
        "round": pa.Column(str, nullable=True),
        "fieldwork": pa.Column(str, pa.Check.str_matches(r"^\d{4}")),
        **{
            m: pa.Column(float, pa.Check.in_range(0, 100), nullable=True, coerce=True)
            for m in MEASURES
        },
        "source_url": pa.Column(str),
    },
    unique=["series", "fieldwork"],
    strict=False,
)


def load_lga_polling(raw_dir: Path) -> pd.DataFrame:
    """Load the national polling points as a long table.

    Takes ``raw_dir`` as every loader does (:mod:`councilpack.data.loaders`).

    Returns
    -------
    pandas.DataFrame
        Columns ``series``, ``round``, ``fieldwork``, ``measure``, ``value``
        (percent), ``source_url``, ``verification``; rounds without figures
        are absent.
    """
    path = raw_path(raw_dir, RAW_FILES["lga_polling"])
    frame = read_csv_validated(path, SCHEMA, ("series", "fieldwork"), str)
    long = frame.melt(
        id_vars=["series", "round", "fieldwork", "source_url", "verification"],
        value_vars=MEASURES,
        var_name="measure",
        value_name="value",
    )
    return long.dropna(subset=["value"]).reset_index(drop=True)
