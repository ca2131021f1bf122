"""Shared fixtures.

Open data: tests that need the staged official files take the ``open_data_dir``
fixture. It reads ``$COUNCILPACK_DATA_DIR`` (or ``../shared/data/raw`` beside the
checkout) and skips with a visible reason when the folder is absent, unless
``COUNCILPACK_REQUIRE_OPEN_DATA=1``, when the absence is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
