"""What a store folder holds: its files, its layout version and its ``build.json`` record."""

from __future__ import annotations

from typing import Any, TypedDict

from councilpack.errors import InputDataError

#: The label of a store's data context, printed in report footers.
LABEL = "open data"
#: Bump when what a store holds changes, so cached stores are rebuilt and older
#: store folders are refused. 2: implausible values moved to ``excluded.parquet``.
#: 3: RS to 2023-24, RSX/RO3 2022-23 to 2024-25, populations mid-2011 to mid-2024.
#: 4: council tax levels (Band D, requirement, ASC precept) from 2015-16, not only
#: 2022-23 and 2023-24 (the ``ctr_*.xlsx`` tables).
STORE_VERSION = 4

#: Files every store folder holds.
STORE_FILES: tuple[str, ...] = (
    "build.json",
    "lookups.json",
    "register.parquet",
    "metrics.parquet",
    "excluded.parquet",
    "comparators.parquet",
)


class StoreVersionError(InputDataError, RuntimeError):
    """A store folder was written by a councilpack whose store layout differs."""


class BuildInfo(TypedDict):
    """The parsed ``build.json`` of a store."""

    label: str
    store_version: int
    councilpack_version: str
    #: ISO 8601, UTC, to the second.
    built_at: str
    build_seconds: float
    #: Raw file (relative to the data folder) -> SHA-256.
    inputs: dict[str, str]
    #: Source (or source facet) -> period -> councils covered (or release name).
    coverage: dict[str, dict[str, Any]]
    boundary_notes: list[str]
    rows: int
    excluded_rows: int
