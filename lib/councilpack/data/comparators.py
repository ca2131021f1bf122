"""Comparator groups for every current council, each stamped with definition and vintage.

Kinds (the first is the primary group, the one findings are worded against):

* ``ons_nn_2025`` - ONS statistical nearest neighbours (October 2025): the 15
  nearest councils in ONS rank order with the same service responsibilities
  (districts with districts, counties with counties; unitaries, metropolitan and
  London boroughs together), :func:`ons_nearest_groups`;
* ``tier`` - all English councils of the same tier (county / district / single-tier);
* ``type`` - all English councils of the same mySociety type ("All English
  metropolitan districts");
* ``region`` - same tier in the same region;
* ``oflog_nn`` - Oflog prototype nearest neighbours (undocumented model; secondary);
* ``open_nn`` - the open model in :mod:`councilpack.data.neighbours`.

``members`` always include the council itself, first.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from councilpack.data.model import ComparatorGroup, Register
from councilpack.data.neighbours import INDICATORS, MODEL_ID, N_NEIGHBOURS, tier

#: Kind of the primary comparator group.
PRIMARY_KIND = "ons_nn_2025"
#: ONS table each service-responsibility class is ranked in.
ONS_TABLE_OF_TIER = {"district": "lower", "county": "upper", "single-tier": "upper"}
ONS_TABLE_NAMES = {
    "lower": "Table 1, lower-tier authorities",
    "upper": "Table 3, upper-tier authorities",
}
#: What "the same service responsibilities" means for each class, in words.
SAME_RESPONSIBILITIES = {
    "district": "district councils only",
    "county": "county councils only",
    "single-tier": "unitary councils, metropolitan and London boroughs and the City of London",
}

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


def ons_nearest_groups(
    register: Register,
    rankings: Mapping[str, Mapping[str, tuple[str, ...]]],
    method: str,
    vintage: str,
    k: int = N_NEIGHBOURS,
) -> dict[str, ComparatorGroup]:
    """Return each council's ONS nearest-neighbour group, like with like.

    The ONS tables rank every authority of a tier whatever its functions (a
    unitary's lower-tier list is mostly shire districts). A comparator group
    compares like with like, as CIPFA's models do: walk the council's ONS ranking
    in order and keep the first ``k`` councils with the same service
    responsibilities (:data:`SAME_RESPONSIBILITIES`). Districts use the
    lower-tier table; counties, unitaries, metropolitan and London boroughs the
    upper-tier table. Reorganised councils (Buckinghamshire, Dorset, BCP, the
    Northamptonshires, Cumberland, Westmorland and Furness, North Yorkshire,
    Somerset) are ranked by ONS on their current boundaries, so they get an
    ordinary group of councils like them.

    Parameters
    ----------
    register
        Current councils.
    rankings
        :func:`councilpack.data.loaders.ons_nn_2025.load_ons_neighbours` output.
    method, vintage
        Text stamped on every group.
    k
        Number of neighbours (15).

    Returns
    -------
    dict
        GSS code -> group (the council first); councils missing from their
        table get no group.
    """
    tiers = dict(
        zip(register.table["gss_code"], register.table["council_type"].map(tier), strict=True)
    )
    names = dict(zip(register.table["gss_code"], register.table["name"], strict=True))
    out: dict[str, ComparatorGroup] = {}
    for code, own_tier in tiers.items():
        table = ONS_TABLE_OF_TIER[own_tier]
        ranking = rankings.get(table, {}).get(code)
        if ranking is None:
            continue
        alike = [m for m in ranking if tiers.get(m) == own_tier][:k]
        out[code] = ComparatorGroup(
            PRIMARY_KIND,
            "ONS nearest neighbours",
            f"The {len(alike)} councils nearest to {names[code]} in ONS rank order "
            f"({ONS_TABLE_NAMES[table]}) with the same service responsibilities "
            f"({SAME_RESPONSIBILITIES[own_tier]}); councils of other kinds in the ONS "
            f"ranking are passed over. Method: {method}",
            vintage,
            (code, *alike),
        )
    return out


def build_comparators(
    register: Register,
    oflog_neighbours: Mapping[str, tuple[str, ...]],
    open_neighbours: Mapping[str, tuple[str, ...]],
    open_imputed: Mapping[str, list[str]],
    rs_year: str,
    oflog_definition: str,
    oflog_vintage: str,
    ons_groups: Mapping[str, ComparatorGroup] | None = None,
) -> dict[str, tuple[ComparatorGroup, ...]]:
    """Return every council's comparator groups, the primary (ONS) group first.

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
    ons_groups
        :func:`ons_nearest_groups` output (the primary groups), when staged.

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
    for code, council_type, region, council_tier in zip(
        table["gss_code"].astype(str),
        table["council_type"].astype(str),
        table["region"].astype(str),
        table["tier"].astype(str),
        strict=True,
    ):

        def ordered(members: tuple[str, ...], code: str = code) -> tuple[str, ...]:
            return (code, *[m for m in members if m != code])

        primary = (ons_groups or {}).get(code)
        groups = [primary] if primary is not None else []
        groups += [
            ComparatorGroup(
                "tier",
                f"All English {TIER_LABELS[council_tier]}",
                f"All current English {TIER_LABELS[council_tier]} in the register",
                REGISTER_VINTAGE,
                ordered(by_tier[council_tier]),
            ),
            ComparatorGroup(
                "type",
                f"All English {TYPE_PLURALS[council_type]}",
                f"All current English councils of type '{council_type}' (mySociety)",
                REGISTER_VINTAGE,
                ordered(by_type[council_type]),
            ),
            ComparatorGroup(
                "region",
                f"{TIER_LABELS[council_tier].capitalize()} in {region}",
                f"Current {TIER_LABELS[council_tier]} in the {region} region (mySociety region)",
                REGISTER_VINTAGE,
                ordered(by_tier_region[(council_tier, region)]),
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
                f"{N_NEIGHBOURS} nearest {TIER_LABELS[council_tier]} by Euclidean distance on standardised "
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
    groups = (
        ComparatorGroup(kind, label, definition, vintage, tuple(members.split("|")))
        for kind, label, definition, vintage, members in zip(
            frame["kind"].astype(str),
            frame["label"].astype(str),
            frame["definition"].astype(str),
            frame["vintage"].astype(str),
            frame["members"].astype(str),
            strict=True,
        )
    )
    for code, group in zip(frame["gss_code"].astype(str), groups, strict=True):
        out.setdefault(code, []).append(group)
    return {k: tuple(v) for k, v in out.items()}
