"""Fixtures for the open-data tests: one store built per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilpack.data.model import DataContext
from councilpack.data.store import build_store, open_store


@pytest.fixture(scope="session")
def built_store(open_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the store once from the staged files into a temporary folder."""
    return build_store(open_data_dir, tmp_path_factory.mktemp("store") / "store")


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
