"""The metric catalogue: every metric id with label, unit, polarity, definition and source.

All ``*.yml`` files in this folder are merged (``source_metrics.yml`` for the
open data, ``finance_indicators.yml`` for derived finance indicators, ...). A
metric id defined twice is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent
POLARITIES = frozenset({"higher_is_better", "lower_is_better", "neutral"})
REQUIRED_FIELDS = ("id", "label", "unit", "polarity", "definition", "source")


class CatalogueError(ValueError):
    """The catalogue files are inconsistent (duplicate id, missing field, bad polarity)."""


def load_catalogue(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """Return metric id -> entry, merged from every ``*.yml`` in the folder.

    Parameters
    ----------
    folder
        Catalogue folder; defaults to this package folder.

    Returns
    -------
    dict
        Each entry has at least :data:`REQUIRED_FIELDS` plus ``file``.

    Raises
    ------
    CatalogueError
        On a duplicate id, a missing field or an unknown polarity.
    """
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder or CATALOGUE_DIR).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in doc.get("metrics", []):
            missing = [f for f in REQUIRED_FIELDS if f not in entry]
            if missing:
                raise CatalogueError(f"{path.name}: metric {entry.get('id')!r} lacks {missing}")
            if entry["polarity"] not in POLARITIES:
                raise CatalogueError(
                    f"{path.name}: metric {entry['id']!r} has polarity {entry['polarity']!r}"
                )
            if entry["id"] in out:
                raise CatalogueError(
                    f"{path.name}: metric {entry['id']!r} already defined in {out[entry['id']]['file']}"
                )
            out[entry["id"]] = {**entry, "file": path.name}
    return out


def comparator_models(folder: Path | None = None) -> list[dict[str, Any]]:
    """Return the ``comparator_models`` entries of every catalogue file."""
    models: list[dict[str, Any]] = []
    for path in sorted(Path(folder or CATALOGUE_DIR).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        models.extend(doc.get("comparator_models", []))
    return models
