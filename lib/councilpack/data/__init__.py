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
    "open_data",
]


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
