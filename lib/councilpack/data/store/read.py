"""Opening a built store folder as a :class:`~councilpack.data.model.DataContext`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
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

#: Metric-table columns of a few repeated strings (118 vintages, 11 sources, 8 units in
#: 205,000 rows), held as pandas categoricals: the same strings, about 24 MB less per
#: process that opens the store (``vintage`` alone was 18.6 MB as Arrow strings).
CATEGORICAL_COLUMNS: tuple[str, ...] = ("unit", "source", "vintage")


def read_metrics(path: Path) -> pd.DataFrame:
    """Return the store's tidy metric table, :data:`CATEGORICAL_COLUMNS` as categoricals.

    Each categorical's categories are sorted, as ``astype("category")`` gives
    them, so sorting by such a column orders its strings as before.
    """
    metrics = pd.read_parquet(path, read_dictionary=list(CATEGORICAL_COLUMNS))
    for column in CATEGORICAL_COLUMNS:
        values = metrics[column]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            metrics[column] = values.astype("category")
            continue
        categories = values.cat.categories
        metrics[column] = values.cat.reorder_categories(sorted(categories))
    return metrics


@dataclass
class StoreContext(DataContext):
    """A :class:`DataContext` whose per-council lookups use a prebuilt index.

    The index holds each council's row numbers, not a copy of its rows (the
    copies were as large as the metric table itself); :meth:`council_metrics`
    takes the rows of the council asked for last and keeps them for the next
    call, since one report asks about one council many times.
    """

    def __post_init__(self) -> None:
        groups = self.metrics.groupby("gss_code", sort=False, observed=True)
        self._rows: dict[str, npt.NDArray[np.intp]] = {
            str(code): np.asarray(rows, dtype=np.intp) for code, rows in groups.indices.items()
        }
        self._empty = self.metrics.iloc[0:0]
        self._last: tuple[str, pd.DataFrame] = ("", self._empty)

    def council_metrics(self, gss_code: str) -> pd.DataFrame:
        """Return every tidy row for one council, in the table's order."""
        if self._last[0] == gss_code:
            return self._last[1]
        rows = self._rows.get(gss_code)
        frame = self._empty if rows is None else self.metrics.take(rows)
        self._last = (gss_code, frame)
        return frame


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
        metrics = read_metrics(store_dir / "metrics.parquet")
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
