"""Disclosure control across linked tables (issue 14, item 6).

The attacker here works on sets of respondents, independently of the library's linear
algebra: every published cell (all staff, a group of any breakdown, in one wave and one
question's base) is a set whose counts are published; a set that is a published set minus
disjoint published sets inside it has its counts published too. Any such set with between 1
and ``threshold - 1`` respondents is a disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from councilpack.workforce import analyse_waves
from councilpack.workforce.disclosure import isolated_sets, linked_suppression
from councilpack.workforce.inputs import StaffCodebook

THRESHOLD = 10
NAMES = ("A", "B", "C", "D", "E")
AGREE = {"positive": [1, 2], "neutral": [3], "negative": [4, 5], "dont_know": [6]}


def codebook(variables: int) -> StaffCodebook:
    return StaffCodebook.from_mapping(
        {
            "survey": "staff",
            "title": "linked tables",
            "respondent_id": None,
            "items": {
                "q1": {"column": "Q1", "label": "q1", "codes": AGREE, "missing": [-9]},
                "q2": {"column": "Q2", "label": "q2", "codes": AGREE, "missing": [-9]},
            },
            "groups": {
                f"v{v}": {
                    "column": f"V{v}",
                    "categories": {name: [code] for code, name in enumerate(NAMES, start=1)},
                    "missing": [99],
                }
                for v in range(variables)
            },
            "workforce": {},
        }
    )


def published_sets(analysis, frame: pd.DataFrame, wave: str, variables: int) -> dict:
    """Column -> list of published respondent sets (row positions) in ``wave``."""
    labels = {"all_staff": pd.Series("All staff", index=frame.index)}
    names = dict(enumerate(NAMES, start=1))
    for v in range(variables):
        labels[f"v{v}"] = frame[f"V{v}"].map(lambda c: names.get(c, "Not stated"))
    result: dict[str, list[frozenset[int]]] = {}
    responses = analysis.responses[analysis.responses["wave"] == wave]
    for row in responses.itertuples(index=False):
        if pd.notna(row.respondents):
            members = frozenset(frame.index[labels[row.variable] == row.group])
            result.setdefault("respondents", []).append(members)
    items = analysis.items[(analysis.items["wave"] == wave) & analysis.items["published"]]
    for row in items.itertuples(index=False):
        answered = frame[row.item.upper()].isin([1, 2, 3, 4, 5, 6])
        members = frozenset(frame.index[(labels[row.variable] == row.group) & answered])
        result.setdefault(row.item, []).append(members)
    return result


def attacker(sets: list[frozenset[int]], threshold: int, limit: int = 4000) -> list:
    """Close the published sets under 'A minus a disjoint union of known sets inside A'."""
    known = set(sets)
    frontier = set(known)
    while frontier and len(known) < limit:
        new = set()
        for whole in sets:
            for part in frontier | known:
                if part < whole:
                    for other in known:
                        if other <= whole and not other & part:
                            union = part | other
                            if union < whole and union not in known:
                                new.add(union)
                    difference = whole - part
                    if difference not in known:
                        new.add(difference)
        frontier = new - known
        known |= frontier
    return [s for s in known if 0 < len(s) < threshold]


def test_issue_example_all_staff_minus_two_directorates_minus_senior_leadership() -> None:
    # Directorates of 8, 12, 60 and 70 (codes 1-4); the grade "Senior leadership" (code 1)
    # is exactly the 12-person directorate; grades 2 and 3 split everyone else.
    directorate = [1] * 8 + [2] * 12 + [3] * 60 + [4] * 70
    grade = [2] * 8 + [1] * 12 + [2] * 30 + [3] * 30 + [3] * 70
    answers = ([1] * 8 + [4] * 4) * 12 + [1] * 6  # 150 answers
    frame = pd.DataFrame({"V0": directorate, "V1": grade, "Q1": answers, "Q2": answers})
    analysis = analyse_waves({"W": frame}, codebook(2), {"W": 200}, threshold=THRESHOLD)
    published = published_sets(analysis, frame, "W", 2)
    leaks = {column: attacker(sets, THRESHOLD) for column, sets in published.items()}
    assert all(not found for found in leaks.values()), leaks
    # Without the linked check the same tables leak: directorate 8 by subtraction.
    cells = {
        ("all",): frame.index.isin(frame.index),
        **{("v0", c): (frame["V0"] == c).to_numpy() for c in (1, 2, 3, 4)},
        **{("v1", c): (frame["V1"] == c).to_numpy() for c in (1, 2, 3)},
    }
    per_breakdown = {("all",), ("v0", 3), ("v0", 4), ("v1", 1), ("v1", 2), ("v1", 3)}
    isolated = isolated_sets(cells, per_breakdown, THRESHOLD)
    assert any(set(frame.index[members]) == set(range(8)) for members in isolated)
    assert linked_suppression(cells, per_breakdown, THRESHOLD, keep={("all",)})


@st.composite
def linked_surveys(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    """One wave whose second breakdown has groups equal to or nested in the first's."""
    sizes = draw(
        st.lists(st.one_of(st.integers(1, 9), st.integers(10, 40)), min_size=2, max_size=5)
    )
    directorate: list[int] = []
    for code, size in enumerate(sizes, start=1):
        directorate += [code] * size
    n = len(directorate)
    grade = [5] * n  # "E": everyone not in a coinciding or nested grade
    next_code = 1
    start = 0
    for size in sizes:
        mode = draw(st.sampled_from(["same", "nested", "none"]))
        if mode != "none" and next_code < 5:
            taken = size if mode == "same" else draw(st.integers(1, size))
            grade[start : start + taken] = [next_code] * taken
            next_code += 1
        start += size
    variables = draw(st.integers(2, 3))
    rnd = draw(st.randoms(use_true_random=False))
    frame = {"V0": directorate, "V1": grade}
    if variables == 3:
        frame["V2"] = [rnd.choice([1, 2, 99]) for _ in range(n)]
    full = draw(st.booleans())
    choices = [1, 2, 3, 4, 5] if full else [1, 2, 3, 4, 5, 6, -9]
    frame["Q1"] = [rnd.choice(choices) for _ in range(n)]
    frame["Q2"] = [rnd.choice(choices) for _ in range(n)]
    return pd.DataFrame(frame), variables


def _union_of_atoms_counterexample() -> pd.DataFrame:
    """53 respondents found by hypothesis: respondents 0 and 21 were isolated together.

    Each was alone in a hidden grade (codes 1 and 4 of V1) and in a different published
    atom, so neither was isolated alone, nor as a hidden cell, nor as a published cell
    minus cells inside it; their union was.
    """
    q1 = [1] * 53
    q2 = [1] * 53
    q1[1] = q2[2] = q1[52] = q2[52] = 3
    return pd.DataFrame(
        {
            "V0": [1] * 10 + [2] + [3] * 10 + [4] * 20 + [5] * 12,
            "V1": [1] + [5] * 9 + [2] + [3] * 10 + [4] + [5] * 31,
            "Q1": q1,
            "Q2": q2,
        }
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(linked_surveys())
@example(survey=(_union_of_atoms_counterexample(), 2))
def test_no_combination_of_breakdowns_isolates_a_small_group(
    survey: tuple[pd.DataFrame, int],
) -> None:
    frame, variables = survey
    analysis = analyse_waves(
        {"W": frame}, codebook(variables), {"W": len(frame) + 5}, threshold=THRESHOLD
    )
    for column, sets in published_sets(analysis, frame, "W", variables).items():
        found = attacker(sets, THRESHOLD)
        assert not found, (column, sorted(map(sorted, found))[:3])


def test_a_small_group_all_answering_alike_is_withheld() -> None:
    # Directorates of 12 (all positive on Q1: "100 per cent" would tell each one's answer),
    # 15 and 60 (mixed). The 12 are hidden, and so (rule 3) is the next smallest, 15.
    directorate = [1] * 12 + [2] * 15 + [3] * 60
    q1 = [1] * 12 + [1, 4, 3] * 5 + [1, 4, 3, 5] * 15
    frame = pd.DataFrame({"V0": directorate, "V1": [99] * 87, "Q1": q1, "Q2": q1[::-1]})
    analysis = analyse_waves({"W": frame}, codebook(2), {"W": 100}, threshold=THRESHOLD)
    rows = analysis.items[(analysis.items["variable"] == "v0") & (analysis.items["item"] == "q1")]
    published = dict(zip(rows["group"], rows["published"], strict=True))
    assert published == {"A": False, "B": False, "C": True}
    shown = analysis.display("items", "positive_pct", "v0")["W"]
    assert shown.loc[("q1", "A")] == "[c]"


def _two_atoms_cells() -> tuple[dict[tuple[str, str], np.ndarray], set[tuple[str, str]]]:
    """x (0) and y (1) in a union of atoms that only a sum with a minus sign reaches.

    Directorates A = {x} + R1, B = {y} + R2, C = R3; grades P = R1 + R2, Q = {x, y} + R3,
    with R1, R2 of 10 and R3 of 20. Published: all staff, A, B and P; C and Q hidden.
    """
    n = 2 + 10 + 10 + 20
    r1, r2, r3 = range(2, 12), range(12, 22), range(22, n)

    def members(*parts: Iterable[int]) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        for part in parts:
            mask[list(part)] = True
        return mask

    cells = {
        ("all", "All staff"): np.ones(n, dtype=bool),
        ("v0", "A"): members([0], r1),
        ("v0", "B"): members([1], r2),
        ("v0", "C"): members(r3),
        ("v1", "P"): members(r1, r2),
        ("v1", "Q"): members([0, 1], r3),
    }
    return cells, {("all", "All staff"), ("v0", "A"), ("v0", "B"), ("v1", "P")}


def test_a_union_of_two_atoms_is_found() -> None:
    # A + B - P = {x, y}: 11 + 11 - 20 = 2 respondents. Neither alone is a combination
    # (1_x = A - P + R2 needs R2, which only P and B reach, and B brings y), no hidden cell
    # is small (C 20, Q 22) and no published cell minus disjoint cells inside it is small
    # (all staff - A - B = R3 = 20; all staff - P = 22; nothing lies inside A, B or P).
    cells, published = _two_atoms_cells()
    isolated = isolated_sets(cells, published, THRESHOLD)
    assert [set(np.flatnonzero(members)) for members in isolated] == [{0, 1}]
    extra = linked_suppression(cells, published, THRESHOLD, keep={("all", "All staff")})
    assert extra
    assert not isolated_sets(cells, published - extra, THRESHOLD)


def test_a_search_too_large_hides_more_never_less() -> None:
    # With a search limit of one step the check gives up: it reports the small atoms that
    # some combination may reach (x and y), and hides cells until no combination of
    # published cells reaches small atoms only, which the full search then confirms.
    cells, published = _two_atoms_cells()
    isolated = isolated_sets(cells, published, THRESHOLD, limit=1)
    assert isolated
    assert set().union(*(set(np.flatnonzero(m)) for m in isolated)) <= {0, 1}
    extra = linked_suppression(cells, published, THRESHOLD, keep={("all", "All staff")}, limit=1)
    assert extra
    assert not isolated_sets(cells, published - extra, THRESHOLD)
