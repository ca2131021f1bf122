"""Oflog adult social care measures (``ASC_data.csv``, Oflog automated-text prototype).

Upper-tier authorities, 2015-16 to 2022-23. Rates and scores are not additive:
a former county's figure is relabelled to its successor only when the successor
covers exactly that county (North Yorkshire, Somerset, Buckinghamshire);
split counties (Cumbria, Northamptonshire) give no successor figure.
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

SOURCE = "oflog_asc"
VINTAGE = (
    "Oflog Local Authority Data Explorer ASC measures (oflog-automated-text prototype, 2024-11)"
)

#: Oflog code -> (metric id, unit).
MEASURES: dict[str, tuple[str, str]] = {
    "ASC1": ("asc_carer_quality_of_life", "score"),
    "ASC2": ("asc_user_quality_of_life_adjusted", "ratio"),
    "ASC3": ("asc_users_finding_information_easy", "percent"),
    "ASC4": ("asc_carers_finding_information_easy", "percent"),
    "ASC5": ("asc_short_term_service_no_further_support", "percent"),
    "ASC6": ("asc_requests_resulting_in_service", "rate_per_100k"),
    "ASC7": ("asc_workforce_turnover_rate", "percent"),
}

SCHEMA = pa.DataFrameSchema(
    {
        "Financial year": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "Local authority code": pa.Column(str, pa.Check.str_matches(r"^E(06|08|09|10)\d{6}$")),
        "Code": pa.Column(str, pa.Check.isin(sorted(MEASURES))),
        "Value": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
    },
    unique=["Financial year", "Local authority code", "Code"],
    strict=False,
)


def load_asc(raw_dir: Path, geography: Geography, notes: list[str] | None = None) -> pd.DataFrame:
    """Load adult social care measures as tidy rows for current councils.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    pandas.DataFrame
        Tidy rows, one metric per Oflog code (see :data:`MEASURES`).

    Raises
    ------
    DataCheckError
        When the schema fails or a percentage exceeds 100.
    """
    path = raw_path(raw_dir, RAW_FILES["oflog_asc"])
    frame = read_csv_validated(
        path,
        SCHEMA,
        ("Local authority code", "Local authority name"),
        {"Local authority code": str, "Financial year": str, "Code": str},
    )
    frame = frame.dropna(subset=["Value"])
    units = frame["Code"].map(lambda c: MEASURES[c][1])
    failures = row_failures(
        frame,
        path.name,
        "Value",
        frame.index[(units == "percent") & (frame["Value"] > 100)],
        lambda i: f"percentage {frame['Value'][i]} is above 100",
    )
    if failures:
        raise DataCheckError(failures)
    tidy = pd.DataFrame(
        {
            "gss_code": frame["Local authority code"],
            "metric": frame["Code"].map(lambda c: MEASURES[c][0]),
            "period": frame["Financial year"],
            "value": frame["Value"].astype(float),
            "unit": units,
            "source": SOURCE,
            "vintage": VINTAGE,
        }
    )
    return to_current(tidy, geography, additive=False, notes=notes)
