"""Oflog prototype nearest-neighbour lists (``NN.json``): code -> comparator codes.

Model and vintage are undocumented. Codes are mapped to the current geography
through the register (pre-2023 districts become their successor), lists are
de-duplicated (Folkestone and Hythe's list is repeated), and the council itself
is dropped from its own list of others. The list of a former district that
merged into a unitary is not used for the unitary (it ranks districts); a former
county whose whole area became a unitary (North Yorkshire, Somerset) lends its
list to its successor.
"""

from __future__ import annotations

import json
from pathlib import Path

from councilpack.data.checks import CheckFailure, DataCheckError
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders.mysociety import Geography
from councilpack.files import reading

DEFINITION = (
    "Oflog prototype nearest neighbours (NN.json); model and vintage undocumented; "
    "codes mapped to 2023 geography"
)
VINTAGE = "oflog-automated-text NN.json, 2024-11 snapshot"


def load_nearest_neighbours(raw_dir: Path, geography: Geography) -> dict[str, tuple[str, ...]]:
    """Return current council -> its Oflog neighbours (current codes, self excluded).

    Takes ``raw_dir`` and ``geography`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    dict
        Neighbour lists keyed by current GSS code, in published order.

    Raises
    ------
    DataCheckError
        When the file is not a JSON object of code lists or holds unknown codes.
    """
    path = raw_path(raw_dir, RAW_FILES["oflog_nn"])
    with reading(path):
        data = json.loads(path.read_text(encoding="utf-8"))
    failures: list[CheckFailure] = []
    if not isinstance(data, dict):
        raise DataCheckError([CheckFailure(path.name, None, None, None, "expected a JSON object")])
    out: dict[str, list[str]] = {}
    for key, members in data.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            failures.append(CheckFailure(path.name, key, None, None, "expected a list of codes"))
            continue
        if key.startswith(("E47", "E61")):  # combined authorities and the GLA are not councils
            continue
        owners = geography.successors_of(key)
        if len(owners) != 1:
            continue  # split former councils (Cumbria, Northamptonshire): no single owner
        owner = owners[0]
        if key != owner and geography.authorities.loc[key, "type"] == "NMD":
            # A former district merged into a unitary (North Yorkshire, Somerset, Cumberland,
            # Westmorland and Furness): its list ranks districts, which are not like the
            # unitary; merging several such lists gave North Yorkshire 65 "neighbours".
            continue
        mapped: list[str] = []
        for code in members:
            succ = geography.successors_of(code)
            if not succ:
                failures.append(CheckFailure(path.name, key, None, None, f"unknown code {code!r}"))
            mapped.extend(s for s in succ if s != owner)
        existing = out.setdefault(owner, [])
        existing.extend(m for m in mapped if m not in existing)
    if failures:
        raise DataCheckError(failures)
    return {k: tuple(v) for k, v in out.items() if v}
