"""Fixtures for the open-data tests: one store built per session (the session cache's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilpack.data.model import DataContext
from councilpack.data.store import open_open_data, open_store, store_dir_for


@pytest.fixture(scope="session")
def built_store(open_data_dir: Path) -> Path:
    """Build the store once from the staged files into the session's cache folder.

    The same folder ``open_data(<raw folder>)`` opens in every other test, so a
    session builds the store once (``test_checks`` covers ``build_store`` itself).
    """
    open_open_data(open_data_dir)
    return store_dir_for(open_data_dir)


@pytest.fixture(scope="session")
def context(built_store: Path) -> DataContext:
    """Open the session store."""
    return open_store(built_store)


@pytest.fixture
def mirror_raw() -> object:
    """Return a function laying out a raw-folder mirror (symlinks) without one file."""
    return _mirror_raw


def _mirror_raw(open_data_dir: Path, target: Path, skip: str) -> Path:
    """Lay out ``target`` like the raw folder with symlinks, except ``skip`` (relative)."""
    for path in open_data_dir.rglob("*"):
        if path.is_file():
            relative = path.relative_to(open_data_dir)
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            if str(relative) != skip:
                (target / relative).symlink_to(path)
    return target
