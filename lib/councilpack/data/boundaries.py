"""Map figures published for former authorities onto today's councils.

Rules (also in ``data/README.md``):

* A published code that is current (or a renumbered code such as Gateshead
  E08000020 -> E08000037) is relabelled to the current code.
* **Additive figures** (money, tonnes, persons) of predecessors that merged into
  one successor (Buckinghamshire 2020, North Yorkshire 2023, Somerset 2023,
  East/West Suffolk 2019) are summed into the successor for a period **only if
  every predecessor that existed for that whole financial year is present**; the
  vintage then says ``summed from N predecessors``.
* Where a predecessor's area was split between successors (Northamptonshire
  2021, Cumbria 2023, Dorset County 2019 whose Christchurch part went to BCP),
  no successor gets a pre-vesting figure: money cannot be apportioned without an
  allocation basis, so those rows are absent, with the reason in the notes.
* **Non-additive figures** (rates, scores) are relabelled only when exactly one
  predecessor covers the successor's whole area (e.g. North Yorkshire County
  Council's adult social care measures -> North Yorkshire Council).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from councilpack.data.loaders.mysociety import Geography


def to_current(
    frame: pd.DataFrame,
    geography: Geography,
    *,
    additive: bool,
    notes: list[str] | None = None,
    tiers: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Relabel/aggregate tidy rows from published codes to current councils.

    Parameters
    ----------
    frame
        Tidy rows whose ``gss_code`` is the code as published (current or former).
    geography
        Register and succession map.
    additive
        Whether values may be summed across merged predecessors.
    notes
        List to which a line per dropped or aggregated group is appended.
    tiers
        mySociety type codes of the authorities that publish this figure
        (``("NMD", "UA", "MD", "LBO")`` for billing or collection authorities);
        only predecessors of these types are required for a sum. Empty means all.

    Returns
    -------
    pandas.DataFrame
        Tidy rows keyed by current GSS code; figures that cannot be mapped are absent.
    """
    log = notes if notes is not None else []
    keep: list[pd.DataFrame] = []
    published = frame["gss_code"]
    renumbered = geography.renumbered
    is_current = published.map(lambda c: c in geography.register)
    simple = is_current | published.isin(list(renumbered))
    # Codes that are still current (or only renumbered) keep their rows.
    out = frame[simple].copy()
    out["gss_code"] = out["gss_code"].map(lambda c: renumbered.get(c, c))
    keep.append(out)
    former = frame[~simple]
    if former.empty:
        return pd.concat(keep, ignore_index=True)
    by_successor: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, code, metric, period in zip(
        former.index, former["gss_code"], former["metric"], former["period"], strict=True
    ):
        succ = geography.successors_of(code)
        if not succ:
            log.append(f"{code}: no current successor; {metric} {period} dropped")
            continue
        for s in succ:
            by_successor[(s, metric, period)].append(index)
    present_current = set(zip(out["gss_code"], out["metric"], out["period"], strict=True))
    rows = []
    for (successor, metric, period), indexes in sorted(by_successor.items()):
        if (successor, metric, period) in present_current:
            continue
        group = former.loc[indexes]
        codes = sorted(group["gss_code"])
        split = [c for c in codes if len(geography.successors_of(c)) > 1]
        name = geography.register.get(successor).name
        if split:
            log.append(
                f"{name} ({successor}) {metric} {period}: not derived, predecessor "
                f"{', '.join(split)} was split between successors"
            )
            continue
        if additive:
            expected = [
                c
                for c in geography.predecessors_active_in(successor, period)
                if not tiers or geography.authorities.loc[c, "type"] in tiers
            ]
            missing = sorted(set(expected) - set(codes))
            if missing:
                log.append(
                    f"{name} ({successor}) {metric} {period}: not summed, predecessors "
                    f"missing: {', '.join(missing)}"
                )
                continue
            first = group.iloc[0]
            rows.append(
                {
                    **first.to_dict(),
                    "gss_code": successor,
                    "value": float(group["value"].sum()),
                    "vintage": f"{first['vintage']}; summed from {len(codes)} predecessor "
                    f"authorities ({', '.join(codes)})",
                }
            )
        else:
            if len(codes) != 1:
                log.append(
                    f"{name} ({successor}) {metric} {period}: not derived, "
                    f"{len(codes)} predecessors and the figure is not additive"
                )
                continue
            first = group.iloc[0]
            rows.append(
                {
                    **first.to_dict(),
                    "gss_code": successor,
                    "vintage": f"{first['vintage']}; published for predecessor {codes[0]}",
                }
            )
    if rows:
        keep.append(pd.DataFrame(rows, columns=frame.columns))
    return pd.concat(keep, ignore_index=True)
