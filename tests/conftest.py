"""Shared fixtures.

Open data: tests that need the staged official files take the ``open_data_dir``
fixture. It reads ``$COUNCILPACK_DATA_DIR`` (or ``../shared/data/raw`` beside the
checkout) and skips with a visible reason when the folder is absent, unless
``COUNCILPACK_REQUIRE_OPEN_DATA=1``, when the absence is a failure.

Caches: every test session points ``COUNCILPACK_CACHE_DIR`` at a fresh temporary
folder (removed at the end), so no test reads a store or demo survey files left
by an earlier run, or writes into the user's cache. pytest-xdist workers share
the controller's folder (the environment is set before they start; store builds
and demo files are published atomically, so concurrent workers build a store
once between them, or twice at worst, never half). To keep the cache between runs in
an edit-test loop, set ``COUNCILPACK_TEST_CACHE_DIR`` to a folder of your own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "COUNCILPACK_CACHE_DIR"
#: A folder the developer keeps between sessions (optional); never removed.
KEEP_CACHE_ENV = "COUNCILPACK_TEST_CACHE_DIR"
_session_cache: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Point the cache at this session's folder before collection and before workers start."""
    if hasattr(config, "workerinput"):
        return  # an xdist worker: inherits the controller's COUNCILPACK_CACHE_DIR
    kept = os.environ.get(KEEP_CACHE_ENV)
    if kept:
        os.environ[CACHE_ENV] = str(Path(kept).resolve())
        return
    folder = Path(tempfile.mkdtemp(prefix="councilpack-test-cache-"))
    _session_cache.append(folder)
    os.environ[CACHE_ENV] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder (the controller's, after every worker has finished)."""
    while _session_cache:
        shutil.rmtree(_session_cache.pop(), ignore_errors=True)


def _open_data_candidates() -> list[Path]:
    env = os.environ.get("COUNCILPACK_DATA_DIR")
    if env:
        return [Path(env)]
    return [ROOT.parent / "shared" / "data" / "raw"]


@pytest.fixture(scope="session")
def open_data_dir() -> Path:
    """Return the folder of staged open data, or skip (fail when required)."""
    for candidate in _open_data_candidates():
        if (candidate / "SOURCES.md").is_file() or (
            candidate / "mhclg_ro_rs_historic_bbc"
        ).is_dir():
            return candidate.resolve()
    reason = (
        "open data folder not found (set COUNCILPACK_DATA_DIR to the staged raw files; "
        f"looked in {', '.join(str(c) for c in _open_data_candidates())})"
    )
    if os.environ.get("COUNCILPACK_REQUIRE_OPEN_DATA") == "1":
        pytest.fail(f"COUNCILPACK_REQUIRE_OPEN_DATA=1 but {reason}")
    pytest.skip(reason)
