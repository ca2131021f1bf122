"""Comparator groups for every current council, each stamped with definition and vintage.

Kinds:

* ``tier`` - all English councils of the same tier (county / district / single-tier);
* ``type`` - all English councils of the same mySociety type ("All English
  metropolitan districts");
* ``region`` - same tier in the same region;
* ``oflog_nn`` - Oflog prototype nearest neighbours (undocumented model);
* ``open_nn`` - the open model in :mod:`councilpack.data.neighbours`.

``members`` always include the council itself, first.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from councilpack.data.model import ComparatorGroup, Register
from councilpack.data.neighbours import INDICATORS, MODEL_ID, N_NEIGHBOURS, tier

REGISTER_VINTAGE = "mySociety uk_local_authority_names_and_codes, commit 67ef8b1 (2025-07-10)"
TIER_LABELS = {
    "county": "county councils",
    "district": "district councils",
    "single-tier": "single-tier councils",
}
TYPE_PLURALS = {
    "County": "county councils",
    "Non-metropolitan district": "non-metropolitan districts",
    "Unitary authority": "unitary authorities",
    "Metropolitan district": "metropolitan districts",
    "London borough": "London boroughs",
    "City corporation": "city corporations",
}


def build_comparators(
    register: Register,
    oflog_neighbours: Mapping[str, tuple[str, ...]],
    open_neighbours: Mapping[str, tuple[str, ...]],
    open_imputed: Mapping[str, list[str]],
    rs_year: str,
    oflog_definition: str,
    oflog_vintage: str,
) -> dict[str, tuple[ComparatorGroup, ...]]:
    """Return every council's comparator groups.

    Parameters
    ----------
    register
        Current councils.
    oflog_neighbours
        Oflog lists (current codes, self excluded).
    open_neighbours
        Open-model lists (current codes, self excluded).
    open_imputed
        Indicators imputed per council in the open model.
    rs_year
        RS year the open model used.
    oflog_definition, oflog_vintage
        Text stamped on Oflog groups.

    Returns
    -------
    dict
        GSS code -> tuple of :class:`ComparatorGroup`.
    """
    table = register.table.assign(tier=register.table["council_type"].map(tier))
    by_tier = table.groupby("tier")["gss_code"].apply(tuple).to_dict()
    by_type = table.groupby("council_type")["gss_code"].apply(tuple).to_dict()
    by_tier_region = table.groupby(["tier", "region"])["gss_code"].apply(tuple).to_dict()
    out: dict[str, tuple[ComparatorGroup, ...]] = {}
    for row in table.itertuples(index=False):
        code = row.gss_code

        def ordered(members: tuple[str, ...], code: str = code) -> tuple[str, ...]:
            return (code, *[m for m in members if m != code])

        groups = [
            ComparatorGroup(
                "tier",
                f"All English {TIER_LABELS[row.tier]}",
                f"All current English {TIER_LABELS[row.tier]} in the register",
                REGISTER_VINTAGE,
                ordered(by_tier[row.tier]),
            ),
            ComparatorGroup(
                "type",
                f"All English {TYPE_PLURALS[row.council_type]}",
                f"All current English councils of type '{row.council_type}' (mySociety)",
                REGISTER_VINTAGE,
                ordered(by_type[row.council_type]),
            ),
            ComparatorGroup(
                "region",
                f"{TIER_LABELS[row.tier].capitalize()} in {row.region}",
                f"Current {TIER_LABELS[row.tier]} in the {row.region} region (mySociety region)",
                REGISTER_VINTAGE,
                ordered(by_tier_region[(row.tier, row.region)]),
            ),
        ]
        if code in oflog_neighbours:
            groups.append(
                ComparatorGroup(
                    "oflog_nn",
                    "Oflog nearest neighbours",
                    oflog_definition,
                    oflog_vintage,
                    ordered(oflog_neighbours[code]),
                )
            )
        imputed = open_imputed.get(code, [])
        note = f"; imputed with tier median: {', '.join(imputed)}" if imputed else ""
        groups.append(
            ComparatorGroup(
                "open_nn",
                "Open nearest neighbours",
                f"{N_NEIGHBOURS} nearest {TIER_LABELS[row.tier]} by Euclidean distance on standardised "
                f"{', '.join(INDICATORS)} (model {MODEL_ID}; RS {rs_year}, population mid-2023){note}",
                f"councilpack {MODEL_ID}; RS {rs_year}; ONS MYE mid-2023",
                ordered(open_neighbours.get(code, ())),
            )
        )
        out[code] = tuple(groups)
    return out


def comparators_to_frame(comparators: Mapping[str, tuple[ComparatorGroup, ...]]) -> pd.DataFrame:
    """Flatten comparator groups to a table (members joined with ``|``)."""
    rows = [
        {
            "gss_code": code,
            "kind": g.kind,
            "label": g.label,
            "definition": g.definition,
            "vintage": g.vintage,
            "members": "|".join(g.members),
        }
        for code, groups in comparators.items()
        for g in groups
    ]
    return pd.DataFrame(
        rows, columns=["gss_code", "kind", "label", "definition", "vintage", "members"]
    )


def comparators_from_frame(frame: pd.DataFrame) -> dict[str, tuple[ComparatorGroup, ...]]:
    """Rebuild comparator groups from :func:`comparators_to_frame` output."""
    out: dict[str, list[ComparatorGroup]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault(row.gss_code, []).append(
            ComparatorGroup(
                row.kind, row.label, row.definition, row.vintage, tuple(row.members.split("|"))
            )
        )
    return {k: tuple(v) for k, v in out.items()}
