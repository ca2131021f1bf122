"""The metric catalogue: every metric id with label, unit, polarity, definition and source.

All ``*.yml`` files in this folder are merged (``source_metrics.yml`` for the
open data, ``finance_indicators.yml`` for derived finance indicators, ...). A
metric id defined twice is an error.

A metric may declare the plausible range of its values with ``minimum`` and/or
``maximum`` (inclusive, in the metric's unit): a published value outside it is
an error in the source, and the store build leaves it out (see
:func:`councilpack.data.store.exclude_implausible`).
"""

from __future__ import annotations

import copy
import functools
import math
from pathlib import Path
from typing import Any

import yaml

from councilpack.errors import InputDataError
from councilpack.vocabulary import POLARITIES

CATALOGUE_DIR = Path(__file__).resolve().parent
REQUIRED_FIELDS = ("id", "label", "unit", "polarity", "definition", "source")
RANGE_FIELDS = ("minimum", "maximum")


class CatalogueError(InputDataError):
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
        On a duplicate id, a missing field, an unknown polarity or a range
        bound that is not a number (or a minimum above the maximum).
    """
    paths = sorted(Path(folder or CATALOGUE_DIR).glob("*.yml"))
    versions = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    # Parsed once per version of the files (YAML parsing was about 0.07 CPU-s a call,
    # several calls a report); each caller gets its own copy to change as it likes.
    return copy.deepcopy(_merged(versions))


@functools.lru_cache(maxsize=8)
def _merged(versions: tuple[tuple[str, int, int], ...]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, _mtime, _size in versions:
        path = Path(name)
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in doc.get("metrics", []):
            missing = [f for f in REQUIRED_FIELDS if f not in entry]
            if missing:
                raise CatalogueError(f"{path.name}: metric {entry.get('id')!r} lacks {missing}")
            if entry["polarity"] not in POLARITIES:
                raise CatalogueError(
                    f"{path.name}: metric {entry['id']!r} has polarity {entry['polarity']!r}"
                )
            _check_range(path.name, entry)
            if entry["id"] in out:
                raise CatalogueError(
                    f"{path.name}: metric {entry['id']!r} already defined in {out[entry['id']]['file']}"
                )
            out[entry["id"]] = {**entry, "file": path.name}
    return out


def _check_range(file: str, entry: dict[str, Any]) -> None:
    for bound in RANGE_FIELDS:
        value = entry.get(bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise CatalogueError(
                f"{file}: metric {entry['id']!r} has {bound} {value!r}, not a number"
            )
    low, high = entry.get("minimum"), entry.get("maximum")
    if low is not None and high is not None and low > high:
        raise CatalogueError(
            f"{file}: metric {entry['id']!r} has minimum {low} above maximum {high}"
        )


def plausible_ranges(
    catalogue: dict[str, dict[str, Any]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Return metric id -> (minimum, maximum) for every metric that declares a range.

    Parameters
    ----------
    catalogue
        A loaded catalogue; defaults to :func:`load_catalogue`.

    Returns
    -------
    dict
        Inclusive bounds; an undeclared bound is ``-inf`` or ``inf``.
    """
    entries = load_catalogue() if catalogue is None else catalogue
    ranges: dict[str, tuple[float, float]] = {}
    for metric, entry in entries.items():
        low, high = entry.get("minimum"), entry.get("maximum")
        if low is not None or high is not None:
            ranges[metric] = (
                -math.inf if low is None else float(low),
                math.inf if high is None else float(high),
            )
    return ranges


def comparator_models(folder: Path | None = None) -> list[dict[str, Any]]:
    """Return the ``comparator_models`` entries of every catalogue file."""
    models: list[dict[str, Any]] = []
    for path in sorted(Path(folder or CATALOGUE_DIR).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        models.extend(doc.get("comparator_models", []))
    return models
