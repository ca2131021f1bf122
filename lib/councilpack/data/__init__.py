"""Data access: a registered data set (the demo councils) or the official open data, one contract.

Named data sets come from providers registered in :mod:`councilpack.data.providers`
(the demo registers itself); folders are opened as a built store, or built into
the cache first from staged raw files (:mod:`councilpack.data.store`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from councilpack.data.providers import open_provider, provider_name, register_provider
from councilpack.errors import CouncilLookupError, MissingFolderError

if TYPE_CHECKING:
    from councilpack.data.model import (
        TIDY_COLUMNS,
        ComparatorGroup,
        Council,
        DataContext,
        Register,
    )

#: Names served from :mod:`councilpack.data.model` on first use, so that
#: ``councilpack.data.cli`` (and ``councilpack --help``) does not import pandas.
_MODEL_NAMES = ("TIDY_COLUMNS", "ComparatorGroup", "Council", "DataContext", "Register")


def __getattr__(name: str) -> Any:
    if name in _MODEL_NAMES:
        from councilpack.data import model

        return getattr(model, name)
    raise AttributeError(f"module 'councilpack.data' has no attribute {name!r}")


__all__ = [
    "TIDY_COLUMNS",
    "ComparatorGroup",
    "Council",
    "CouncilLookupError",
    "DataContext",
    "Register",
    "keep_open",
    "open_data",
    "register_provider",
]

#: Data contexts kept open for the life of the process, by data folder (see keep_open).
_kept: dict[str, DataContext] | None = None


def keep_open(enabled: bool = True) -> None:
    """Keep every opened data context for the life of this process (or stop keeping them).

    A warm batch worker opens each data folder once and serves every report
    from it; reports read a context and never change it. Off by default, so a
    one-off process always sees the files as they are now.
    """
    global _kept
    _kept = {} if enabled else None


def open_data(data_dir: str | Path | None = None) -> DataContext:
    """Open the data every analysis reads.

    Parameters
    ----------
    data_dir
        Empty or ``None`` for the default data set (the fictional demo councils),
        the name of a registered data set (``"demo"``), a folder of staged
        official files (built into a cached store on first use) or a store
        folder written by ``councilpack data build``.

    Returns
    -------
    DataContext
        Register, tidy metrics and comparator groups.
    """
    if _kept is None:
        return _open(data_dir)
    name = provider_name(data_dir)
    key = f"provider:{name}" if name else str(Path(str(data_dir)).expanduser().resolve())
    if key not in _kept:
        _kept[key] = _open(data_dir)
    return _kept[key]


def _open(data_dir: str | Path | None) -> DataContext:
    name = provider_name(data_dir)
    if name:
        return open_provider(name)
    path = Path(str(data_dir)).expanduser()
    if not path.is_dir():
        raise MissingFolderError(f"data folder {path} does not exist (parameter data_dir)")
    # Deferred: the store imports pandas and every loader; ``councilpack --help``
    # imports this package and must not pay for them.
    from councilpack.data import store

    if (path / "build.json").is_file():
        return store.open_store(path)
    return store.open_open_data(path)
