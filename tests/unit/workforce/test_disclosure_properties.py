"""Property-based tests: published staff survey tables never expose a small group.

The checker below is written independently of the library. It recomputes the
true counts from the raw answers, reads only what the analysis publishes, and
plays an attacker who solves every published relation with one unknown
(subtraction from a total, cross-table identities, changes between waves,
gaps to all staff, response rates against headcounts) until nothing more can
be learnt. Any hidden figure the attacker recovers is a failure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilpack.workforce import analyse_waves, suppression_pattern
from councilpack.workforce.inputs import StaffCodebook

THRESHOLD = 10
ITEMS = ("i1", "i2")
GROUP_NAMES = ("A", "B", "C", "D", "E")
NOT_STATED = "Not stated"

AGREE = {"positive": [1, 2], "neutral": [3], "negative": [4, 5], "dont_know": [6]}
ENPS = {"positive": [9, 10], "neutral": [7, 8], "negative": [0, 1, 2, 3, 4, 5, 6]}


def make_codebook(n_variables: int, with_enps: bool) -> StaffCodebook:
    items: dict[str, object] = {
        item: {"column": item.upper(), "label": item, "theme": "t", "codes": AGREE, "missing": [-9]}
        for item in ITEMS
    }
    if with_enps:
        items["e"] = {"column": "E", "label": "recommend 0-10", "codes": ENPS}
    groups = {
        f"v{v}": {
            "column": f"V{v}",
            "categories": {name: [code] for code, name in enumerate(GROUP_NAMES, start=1)},
            "missing": [99],
        }
        for v in range(n_variables)
    }
    return StaffCodebook.from_mapping(
        {
            "survey": "staff",
            "title": "property test",
            "respondent_id": None,
            "items": items,
            "groups": groups,
            "workforce": {"enps_item": "e" if with_enps else None, "headcount_group": "v0"},
        }
    )


group_size = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 25))


@st.composite
def surveys(draw: st.DrawFn) -> dict[str, object]:
    n_waves = draw(st.integers(1, 3))
    n_variables = draw(st.integers(1, 3))
    with_enps = draw(st.booleans())
    full_response = draw(st.booleans())
    rnd = draw(st.randoms(use_true_random=False))
    waves: dict[str, pd.DataFrame] = {}
    invited: dict[str, dict[str, object]] = {}
    for w in range(n_waves):
        sizes = [
            draw(st.lists(group_size, min_size=1, max_size=len(GROUP_NAMES)))
            for _ in range(n_variables)
        ]
        n = max(1, *(sum(s) for s in sizes))
        frame: dict[str, list[object]] = {}
        for v, variable_sizes in enumerate(sizes):
            codes: list[object] = []
            for code, size in enumerate(variable_sizes, start=1):
                codes += [code] * size
            codes += [99] * (n - len(codes))  # not stated
            rnd.shuffle(codes)
            frame[f"V{v}"] = codes
        answers = [1, 2, 3, 4, 5] if full_response else [1, 2, 3, 4, 5, 6, -9, None]
        for item in ITEMS:
            frame[item.upper()] = [rnd.choice(answers) for _ in range(n)]
        if with_enps:
            scores = list(range(11)) if full_response else [*range(11), None]
            frame["E"] = [rnd.choice(scores) for _ in range(n)]
        waves[f"W{w}"] = pd.DataFrame(frame)
        headcounts = {
            GROUP_NAMES[code]: size + rnd.randint(0, 5) + 1
            for code, size in enumerate(sizes[0])
            if size > 0
        }
        invited[f"W{w}"] = {
            "total": sum(headcounts.values()) + (n - sum(sizes[0])) + rnd.randint(0, 10),
            "by_group": headcounts,
        }
    return {
        "waves": waves,
        "codebook": make_codebook(n_variables, with_enps),
        "invited": invited,
        "full_response": full_response,
        "n_variables": n_variables,
    }


# --- truth, recomputed independently -------------------------------------------------------


def labelled(frame: pd.DataFrame, variable: int) -> pd.Series:
    names = dict(enumerate(GROUP_NAMES, start=1))
    return frame[f"V{variable}"].map(lambda c: names.get(c, NOT_STATED))


def truth(survey: dict[str, object]) -> dict[tuple[Hashable, ...], float]:
    """True counts: n, item base and positives, theme answers, eNPS counts."""
    values: dict[tuple[Hashable, ...], float] = defaultdict(float)
    for wave, frame in survey["waves"].items():  # type: ignore[attr-defined]
        partitions = [("all_staff", pd.Series("All staff", index=frame.index))]
        partitions += [(f"v{v}", labelled(frame, v)) for v in range(survey["n_variables"])]  # type: ignore[arg-type]
        for variable, labels in partitions:
            for group, part in frame.groupby(labels):
                key = (wave, variable, group)
                values[("n", *key)] = len(part)
                for item in ITEMS:
                    answers = part[item.upper()]
                    base = answers.isin([1, 2, 3, 4, 5, 6]).sum()
                    positive = answers.isin([1, 2]).sum()
                    values[("base", *key, item)] = base
                    values[("pos", *key, item)] = positive
                    values[("tanswers", *key)] += base
                    values[("tpos", *key)] += positive
                if "E" in part:
                    scores = part["E"].dropna()
                    values[("ebase", *key)] = len(scores)
                    values[("prom", *key)] = (scores >= 9).sum()
                    values[("det", *key)] = (scores <= 6).sum()
    return dict(values)


# --- what the attacker reads ---------------------------------------------------------------


def published_knowledge(analysis, survey) -> tuple[dict, set, list]:
    """Return (known values, hidden keys, linear relations) from the published tables."""
    known: dict[tuple[Hashable, ...], float] = {}
    hidden: set[tuple[Hashable, ...]] = set()
    relations: list[tuple[dict[tuple[Hashable, ...], float], float]] = []

    responses = analysis.responses
    for _, row in responses.iterrows():
        key = ("n", row["wave"], row["variable"], row["group"])
        if pd.notna(row["respondents"]):
            known[key] = float(row["respondents"])
        else:
            hidden.add(key)
        if pd.notna(row["response_rate_pct"]) and pd.notna(row["invited"]):
            # rate x headcount gives the count back
            known[key] = round(row["response_rate_pct"] * row["invited"] / 100)
    all_staff_n = {
        row["wave"]: row["respondents"]
        for _, row in responses[responses["variable"] == "all_staff"].iterrows()
        if pd.notna(row["respondents"])
    }
    for _, row in responses.iterrows():
        if pd.notna(row["share_pct"]) and row["wave"] in all_staff_n:
            known[("n", row["wave"], row["variable"], row["group"])] = round(
                row["share_pct"] * all_staff_n[row["wave"]] / 100
            )

    for _, row in analysis.items.iterrows():
        key = (row["wave"], row["variable"], row["group"])
        item = row["item"]
        if row["published"]:
            known[("base", *key, item)] = float(row["base"])
            if pd.notna(row["positive_pct"]):
                known[("pct", *key, item)] = float(row["positive_pct"])
            if pd.notna(row["gap_pp"]):
                relations.append(
                    (
                        {
                            ("pct", *key, item): 1.0,
                            ("pct", key[0], "all_staff", "All staff", item): -1.0,
                        },
                        float(row["gap_pp"]),
                    )
                )
        else:
            hidden.update({("base", *key, item), ("pos", *key, item), ("pct", *key, item)})
            assert pd.isna(row["base"])
            assert pd.isna(row["positive_pct"])
            assert pd.isna(row["gap_pp"])

    trends = analysis.trends
    for _, row in trends.iterrows():
        key = (row["variable"], row["group"])
        for suffix in ("previous", "first"):
            change = row[f"change_vs_{suffix}_pp"]
            if pd.notna(change):
                relations.append(
                    (
                        {
                            ("pct", row["wave"], *key, row["item"]): 1.0,
                            ("pct", row[f"{suffix}_wave"], *key, row["item"]): -1.0,
                        },
                        float(change),
                    )
                )

    for _, row in analysis.themes.iterrows():
        key = (row["wave"], row["variable"], row["group"])
        if row["published"]:
            known[("tanswers", *key)] = float(row["answers"])
            if pd.notna(row["positive_pct"]):
                known[("tpos", *key)] = round(row["positive_pct"] * row["answers"] / 100)
        else:
            hidden.update({("tanswers", *key), ("tpos", *key)})

    for _, row in analysis.enps.iterrows():
        key = (row["wave"], row["variable"], row["group"])
        if row["published"]:
            base = float(row["base"])
            known[("ebase", *key)] = base
            if base > 0:
                known[("prom", *key)] = round(row["promoters_pct"] * base / 100)
                known[("det", *key)] = round(row["detractors_pct"] * base / 100)
        else:
            hidden.update({("ebase", *key), ("prom", *key), ("det", *key)})
    return known, hidden, relations


def structural_relations(survey, true_values) -> list:
    """Totals = sum of groups, theme = sum of items, base = n when everyone answered."""
    relations = []
    by_partition: dict[tuple[Hashable, ...], list[tuple[Hashable, ...]]] = defaultdict(list)
    for key in true_values:
        measure, wave, variable, _group, *rest = key
        if variable != "all_staff":
            by_partition[(measure, wave, variable, *rest)].append(key)
    for (measure, wave, _variable, *rest), members in by_partition.items():
        # A group absent from the data is a known zero: the attacker sees it is not listed.
        coefficients = dict.fromkeys(members, 1.0)
        coefficients[(measure, wave, "all_staff", "All staff", *rest)] = -1.0
        relations.append((coefficients, 0.0))
    for key in true_values:
        measure, *where = key
        if measure == "tanswers":
            relations.append(({key: 1.0, **{("base", *where, i): -1.0 for i in ITEMS}}, 0.0))
        if measure == "tpos":
            relations.append(({key: 1.0, **{("pos", *where, i): -1.0 for i in ITEMS}}, 0.0))
        if measure == "base" and survey["full_response"]:
            relations.append(({key: 1.0, ("n", *where[:3]): -1.0}, 0.0))
        if measure == "ebase" and survey["full_response"]:
            relations.append(({key: 1.0, ("n", *where): -1.0}, 0.0))
    return relations


def attack(known: dict, relations: list) -> dict:
    """Solve every relation with one unknown, and pos = pct x base, until nothing changes."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for coefficients, constant in relations:
            unknown = [k for k in coefficients if k not in known]
            if len(unknown) != 1:
                continue
            target = unknown[0]
            rest = sum(c * known[k] for k, c in coefficients.items() if k != target)
            known[target] = (constant - rest) / coefficients[target]
            changed = True
        for key in list(known):
            if key[0] not in ("base", "pos", "pct"):
                continue
            where = key[1:]
            base, pos, pct = (("base", *where), ("pos", *where), ("pct", *where))
            if base in known and pct in known and pos not in known:
                known[pos] = round(known[pct] * known[base] / 100)
                changed = True
            if base in known and pos in known and pct not in known and known[base] > 0:
                known[pct] = 100 * known[pos] / known[base]
                changed = True
            if pos in known and pct in known and base not in known and known[pct] > 0:
                known[base] = round(100 * known[pos] / known[pct])
                changed = True
    return known


def check_published(analysis, survey) -> None:
    true_values = truth(survey)
    known, hidden, relations = published_knowledge(analysis, survey)

    # 1. No published cell rests on 1-9 respondents.
    for key in known:
        if key[0] in ("n", "base", "tanswers", "ebase") and key in true_values:
            assert not 0 < true_values[key] < THRESHOLD, key
    for _, row in analysis.themes[analysis.themes["published"]].iterrows():
        assert not 0 < row["base"] < THRESHOLD

    # 2. Subtraction attacks across groups, tables and waves recover nothing hidden.
    learnt = attack(known, relations + structural_relations(survey, true_values))
    for key in hidden:
        if key not in learnt:
            continue
        measure, *where = key
        support = ("base", *where) if measure in ("pos", "pct") else key
        if measure in ("tpos",):
            support = ("tanswers", *where)
        if measure in ("prom", "det"):
            support = ("ebase", *where)
        if true_values.get(support, 0) == 0:
            continue  # a cell with nobody in it holds no one's answers
        pytest.fail(f"hidden figure {key} can be derived from published tables")

    # 3. Whatever is hidden in a breakdown adds up to zero or to at least the threshold.
    hidden_sum: dict[tuple[Hashable, ...], float] = defaultdict(float)
    for key in hidden:
        measure, wave, variable, _group, *rest = key
        if measure in ("n", "base") and variable != "all_staff":
            hidden_sum[(measure, wave, variable, *rest)] += true_values.get(key, 0)
    for (measure, wave, variable, *rest), total in hidden_sum.items():
        if (measure, wave, "all_staff", "All staff", *rest) not in known:
            continue  # the total itself is withheld, so there is nothing to subtract from
        partition = (measure, wave, variable, *rest)
        assert total == 0 or total >= THRESHOLD, (partition, total)

    # 4. Nothing pools respondents across waves (that would open cross-wave subtraction).
    for name in ("responses", "items", "themes", "enps"):
        assert set(analysis.table(name)["wave"]) <= set(survey["waves"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(surveys())
def test_published_tables_resist_subtraction(survey: dict[str, object]) -> None:
    analysis = analyse_waves(
        survey["waves"],  # type: ignore[arg-type]
        survey["codebook"],  # type: ignore[arg-type]
        survey["invited"],  # type: ignore[arg-type]
        threshold=THRESHOLD,
    )
    check_published(analysis, survey)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(group_size, group_size, group_size), min_size=1, max_size=7),
    st.integers(10, 15),
)
def test_pattern_leaves_no_single_or_small_hidden_set(
    rows: list[tuple[int, int, int]], threshold: int
) -> None:
    # Columns: respondents and two question bases (each at most the respondents).
    bases = pd.DataFrame(
        [(n, min(a, n), min(b, n)) for n, a, b in rows],
        index=[f"g{i}" for i in range(len(rows))],
        columns=["respondents", "q1", "q2"],
    )
    pattern = suppression_pattern(bases, threshold)
    # Unprotected columns are withheld for all staff by the caller (checked end to end above).
    live = [
        c
        for c in bases.columns
        if c not in pattern.hidden_columns and c not in pattern.unprotected_columns
    ]
    for column in live:
        values = bases[column]
        published = [g for g in bases.index if pattern.is_published(g, column)]
        hidden = [g for g in bases.index if not pattern.is_published(g, column)]
        assert all(not 0 < values[g] < threshold for g in published)
        # The attacker's residual: total minus published groups.
        residual = values.sum() - values[published].sum()
        nonzero_hidden = [g for g in hidden if values[g] > 0]
        assert residual == values[hidden].sum()
        assert len(nonzero_hidden) != 1, (column, nonzero_hidden)
        assert residual == 0 or residual >= threshold
    for column in pattern.hidden_columns:
        assert bases[column].sum() < threshold
