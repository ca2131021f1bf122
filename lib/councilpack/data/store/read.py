"""Opening a built store folder as a :class:`~councilpack.data.model.DataContext`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from councilpack.data.comparators import comparators_from_frame
from councilpack.data.model import DataContext, Register, empty_unavailable
from councilpack.data.store.layout import (
    LABEL,
    STORE_FILES,
    STORE_VERSION,
    BuildInfo,
    StoreVersionError,
)
from councilpack.errors import MissingFileError
from councilpack.files import reading


@dataclass
class StoreContext(DataContext):
    """A :class:`DataContext` whose per-council lookups use a prebuilt index."""

    def __post_init__(self) -> None:
        self._by_council = {
            str(code): frame
            for code, frame in self.metrics.groupby("gss_code", sort=False, observed=True)
        }
        self._empty = self.metrics.iloc[0:0]

    def council_metrics(self, gss_code: str) -> pd.DataFrame:
        """Return every tidy row for one council (dictionary lookup)."""
        return self._by_council.get(gss_code, self._empty)


def open_store(store_dir: Path) -> DataContext:
    """Open a built store.

    Parameters
    ----------
    store_dir
        Folder written by :func:`~councilpack.data.store.build.build_store`.

    Returns
    -------
    DataContext
        Label ``"open data"``; ``input_hashes`` keyed by file name; ``excluded``
        the values left out as implausible.

    Raises
    ------
    StoreVersionError
        When the folder was built by a councilpack with another store layout.
    """
    store_dir = Path(store_dir)
    with reading(store_dir / "build.json"):
        build = json.loads((store_dir / "build.json").read_text(encoding="utf-8"))
    found = build.get("store_version", 1) if isinstance(build, dict) else None
    if found != STORE_VERSION:
        raise StoreVersionError(
            f"store {store_dir} has store version {found}, this councilpack reads version "
            f"{STORE_VERSION}; rebuild it with `councilpack data build --data-dir <raw files> "
            f"--store {store_dir}`"
        )
    missing = [name for name in STORE_FILES if not (store_dir / name).is_file()]
    if missing:
        raise MissingFileError(
            f"store folder lacks {', '.join(missing)}; rebuild it with `councilpack data build`",
            file=str(store_dir),
        )
    with reading(store_dir):
        lookups = json.loads((store_dir / "lookups.json").read_text(encoding="utf-8"))
        table = pd.read_parquet(store_dir / "register.parquet")
        former, aliases = lookups["former_codes"], lookups["aliases"]
        metrics = pd.read_parquet(store_dir / "metrics.parquet")
        excluded = pd.read_parquet(store_dir / "excluded.parquet")
        marked = store_dir / "unavailable.parquet"
        unavailable = pd.read_parquet(marked) if marked.is_file() else empty_unavailable()
        comparators = comparators_from_frame(pd.read_parquet(store_dir / "comparators.parquet"))
        hashes = {Path(rel).name: sha for rel, sha in build["inputs"].items()}
    register = Register(table, former_codes=former, aliases=aliases)
    return StoreContext(
        register, metrics, comparators, LABEL, hashes, None, excluded, unavailable=unavailable
    )


def read_build_info(store_dir: Path) -> BuildInfo:
    """Return the parsed ``build.json`` of a store."""
    info: BuildInfo = json.loads((Path(store_dir) / "build.json").read_text(encoding="utf-8"))
    return info


def open_national(store_dir: Path) -> pd.DataFrame:
    """Return the national polling table of a store."""
    return pd.read_parquet(Path(store_dir) / "national.parquet")
