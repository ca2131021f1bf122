"""Building a store: load, write into a temporary folder, publish by renaming (one path)."""

from __future__ import annotations

import time
from pathlib import Path

from councilpack.atomic import publish_folder
from councilpack.data.model import DataContext
from councilpack.data.store.cachekeys import input_hashes, store_dir_for
from councilpack.data.store.loading import load_all
from councilpack.data.store.read import open_store
from councilpack.data.store.write import write_store


def _build(raw_dir: Path, store_dir: Path, *, replace: bool) -> bool:
    """Load the raw files and publish a store at ``store_dir``; see :func:`publish_folder`."""
    started = time.perf_counter()
    hashes = input_hashes(raw_dir)
    loaded = load_all(raw_dir)
    return publish_folder(
        store_dir,
        lambda folder: write_store(folder, loaded, hashes, time.perf_counter() - started),
        replace=replace,
        marker="build.json",
    )


def build_store(raw_dir: Path, store_dir: Path) -> Path:
    """Build the tidy store from the raw files, atomically.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    store_dir
        Store folder to create (replaced if it already exists).

    Returns
    -------
    Path
        ``store_dir``.

    Raises
    ------
    DataCheckError
        When any check fails; ``store_dir`` is then left untouched (no
        half-written folder).
    """
    store_dir = Path(store_dir)
    _build(Path(raw_dir), store_dir, replace=True)
    return store_dir


def open_open_data(raw_dir: Path) -> DataContext:
    """Build (once, cached by input hashes) and open the store for these raw files.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.

    Returns
    -------
    DataContext
        The opened store. Two processes racing to build the same store both
        succeed: the loser discards its copy and opens the winner's folder.
    """
    target = store_dir_for(raw_dir)
    if not (target / "build.json").is_file():
        _build(Path(raw_dir), target, replace=False)
    return open_store(target)
