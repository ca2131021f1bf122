"""Data access: the demo council set or the official open data, behind one contract."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "is_demo",
    "keep_open",
    "open_data",
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


def is_demo(data_dir: str | Path | None) -> bool:
    """Return whether ``data_dir`` selects the embedded demo councils."""
    return data_dir is None or str(data_dir) in ("", "demo")


def open_data(data_dir: str | Path | None = None) -> DataContext:
    """Open the data every analysis reads.

    Parameters
    ----------
    data_dir
        Empty or ``None`` for the fictional demo councils; otherwise a folder of
        staged official files (built into a cached store on first use) or a
        store folder written by ``councilpack data build``.

    Returns
    -------
    DataContext
        Register, tidy metrics and comparator groups.
    """
    if _kept is None:
        return _open(data_dir)
    key = "" if is_demo(data_dir) else str(Path(str(data_dir)).expanduser().resolve())
    if key not in _kept:
        _kept[key] = _open(data_dir)
    return _kept[key]


def _open(data_dir: str | Path | None) -> DataContext:
    if is_demo(data_dir):
        from councilpack.demo import demo_context
        from councilpack.demo.files import ensure_demo_files

        return demo_context(surveys_dir=ensure_demo_files())
    path = Path(str(data_dir)).expanduser()
    if not path.is_dir():
        raise MissingFolderError(f"data folder {path} does not exist (parameter data_dir)")
    from councilpack.data import store

    if (path / "build.json").is_file():
        return store.open_store(path)
    return store.open_open_data(path)
