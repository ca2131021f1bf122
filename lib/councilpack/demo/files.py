"""Respondent-level demo survey files, written once into the cache and reused."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from councilpack.demo.generator import GENERATOR_VERSION
from councilpack.settings import cache_dir


def demo_files_dir() -> Path:
    """Return the folder the demo survey files live in (may not exist yet)."""
    return cache_dir() / f"demo-v{GENERATOR_VERSION}"


def write_demo_files(target: Path) -> None:
    """Write every demo council's survey waves under ``target``.

    Surveys are added as the survey generators land; until then the folder
    holds only a marker naming the generator version.
    """
    target.mkdir(parents=True, exist_ok=True)
    (target / "VERSION").write_text(f"{GENERATOR_VERSION}\n", encoding="utf-8")


def ensure_demo_files() -> Path:
    """Generate the demo survey files once, atomically, and return their folder.

    The files are built in a temporary sibling folder and renamed into place, so
    concurrent workers never see a half-written set; a worker that loses the
    race uses the winner's copy.
    """
    target = demo_files_dir()
    if (target / "VERSION").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-", dir=target.parent))
    try:
        write_demo_files(staging)
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / "VERSION").is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
