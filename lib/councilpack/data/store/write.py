"""Writing a store folder from loaded data (parquet tables, ``lookups.json``, ``build.json``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from councilpack import __version__
from councilpack.data.comparators import comparators_to_frame
from councilpack.data.store.layout import LABEL, STORE_VERSION, BuildInfo
from councilpack.data.store.loading import LoadedData


def write_store(store: Path, loaded: LoadedData, hashes: dict[str, str], seconds: float) -> None:
    """Create the store folder ``store`` (which must not exist) and write every file into it.

    Parameters
    ----------
    store
        Folder to create; :func:`~councilpack.atomic.publish_folder` passes a
        temporary one that it renames into place.
    loaded
        What :func:`~councilpack.data.store.loading.load_all` returned.
    hashes
        Raw file (relative to the data folder) -> SHA-256, recorded in ``build.json``.
    seconds
        Build time so far, recorded in ``build.json``.
    """
    store.mkdir(parents=True)
    register = loaded.register
    loaded.metrics.to_parquet(store / "metrics.parquet", index=False)
    loaded.excluded.to_parquet(store / "excluded.parquet", index=False)
    loaded.unavailable.to_parquet(store / "unavailable.parquet", index=False)
    register.table.to_parquet(store / "register.parquet", index=False)
    (store / "lookups.json").write_text(
        json.dumps({"former_codes": register.former_codes, "aliases": register.aliases}, indent=1),
        encoding="utf-8",
    )
    comparators_to_frame(loaded.comparators).to_parquet(store / "comparators.parquet", index=False)
    if loaded.national is not None:
        loaded.national.to_parquet(store / "national.parquet", index=False)
    build: BuildInfo = {
        "label": LABEL,
        "store_version": STORE_VERSION,
        "councilpack_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "inputs": hashes,
        "coverage": loaded.coverage,
        "boundary_notes": loaded.notes,
        "rows": len(loaded.metrics),
        "excluded_rows": len(loaded.excluded),
    }
    (store / "build.json").write_text(json.dumps(build, indent=1), encoding="utf-8")
