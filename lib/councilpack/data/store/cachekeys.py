"""Where a built store is cached: a folder keyed by the store version and input hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from councilpack.data.loaders import all_input_files, raw_path
from councilpack.data.store.layout import STORE_VERSION
from councilpack.provenance import sha256_file
from councilpack.settings import cache_dir


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """Return relative path -> SHA-256 of every input file (all must exist)."""
    return {rel: sha256_file(raw_path(raw_dir, rel)) for rel in sorted(all_input_files().values())}


def inputs_key(hashes: dict[str, str]) -> str:
    """Return a short key identifying one set of inputs."""
    text = "\n".join(f"{k} {v}" for k, v in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def store_dir_for(raw_dir: Path) -> Path:
    """Return the cache folder a given set of raw files builds into (per store version)."""
    return cache_dir() / f"store-v{STORE_VERSION}-{inputs_key(input_hashes(Path(raw_dir)))}"
