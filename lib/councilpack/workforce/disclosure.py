"""Statistical disclosure control for staff survey breakdowns.

Staff surveys are small populations answering about their employer, so a
figure for a handful of people can identify them. This module decides which
group figures may be published. It follows the Government Statistical
Service's practice for tables (primary suppression of small cells, secondary
suppression so that a hidden cell cannot be worked out by subtraction, and the
``[c]`` marker for "confidential").

The rules
---------
A *breakdown* is one grouping variable (directorate, grade, ethnicity, ...) in
one wave. Its groups partition all respondents: people who did not answer the
question form a group of their own ("Not stated"), so the groups always add up
to the all-staff figure that is published.

A breakdown has several *columns*: the number of respondents, and the base
(number answering) of every question reported. All tables of the same
breakdown (response counts, response rates, % positive, gaps to all staff,
changes between waves) use **one** suppression pattern, so a group hidden in
one table is hidden in all of them and no table can be used to unpick another.

1. Threshold. ``threshold`` is the smallest number of respondents a published
   figure may rest on. It defaults to 10 and may be raised but never lowered
   below 10 (a lower value raises :class:`ValueError`).
2. Primary suppression. A group is hidden when any of its columns has between
   1 and ``threshold - 1`` respondents.
3. Secondary suppression. In every column, the hidden groups with at least one
   respondent must be either none, or at least two groups that together hold
   at least ``threshold`` respondents. Otherwise the published total minus the
   published groups would give a hidden figure (or a figure for a small
   combination of groups). Until this holds, the next smallest published group
   is hidden too. The pattern is shared, so hiding a group for one column
   hides it in all columns, and the check repeats until nothing changes.
4. A column whose all-staff base is below the threshold (a question almost no
   one answered in a wave) is not published at all, for all staff or any
   group, and takes no part in the pattern. The same applies, for the whole
   wave, to a question whose answers in some breakdown all come from one
   hidden group (the all-staff figure would then be that group's figure).
5. Whole waves. When a wave has fewer respondents than the threshold, nothing
   from that wave is published.
6. Derived figures (changes between waves, gaps to all staff, response rates
   against headcount) are published only when every figure they are computed
   from is published; a change between a published and a hidden figure would
   give the hidden one away.

7. Linked tables. Breakdowns share respondents, so all tables of a wave are
   checked together against the respondent-level data
   (:func:`linked_suppression`): no combination of published cells (all
   staff and the groups of every breakdown, in the respondent counts and in
   every question's base) may isolate between 1 and ``threshold - 1``
   respondents. Published figures are sums over their cells, so a set is
   isolated when its membership vector is a linear combination of the
   published cells' vectors. Every published vector is constant on an *atom*
   (respondents in exactly the same published cells), so such a set is a
   union of atoms, and the check is complete: every union of atoms with
   between 1 and ``threshold - 1`` respondents is tested (atoms of
   ``threshold`` or more can never be in one). The search works in the
   subspace of combinations that leave every large atom out, in reduced
   echelon form, choosing 0 or 1 at each pivot and pruning at the threshold
   (:func:`isolated_sets`). Further groups are hidden, and rules 2-4
   reapplied, until nothing is isolated. Guard: past
   :data:`SEARCH_LIMIT` steps for one column the search gives up and hides
   cells that break combinations reaching small atoms only, one at a time,
   until the search fits again (or no such combination is left): more hidden
   than strictly needed, never a small set published.
8. Attribute disclosure. A group of fewer than
   :data:`ATTRIBUTE_DISCLOSURE_SIZE` whose answers to a question were all
   positive or all not positive is hidden (0 or 100 per cent would tell each
   member's answer).

Waves are separate cross-sections: no table adds a group's respondents across
waves, so a group can be shown in one wave and hidden in another without a
figure becoming derivable, and the linked check runs wave by wave.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from councilpack.errors import ArgumentError, ArgumentTypeError

#: The threshold may be raised but never set below this.
MINIMUM_THRESHOLD = 10

#: GSS marker for a figure withheld to protect confidentiality.
SUPPRESSED_MARKER = "[c]"

#: A group smaller than this whose answers to a question were all positive or all not
#: positive (0 or 100 per cent) is hidden: the figure would tell every member's answer.
ATTRIBUTE_DISCLOSURE_SIZE = 20

#: Shown instead of a figure for a question nobody answered in a wave: there is nothing
#: to protect, and "[c]" would wrongly say that a small group's answers are hidden.
NO_ANSWERS = "not asked or no answers"

Reason = Literal["primary", "secondary", "small total"]
#: Key of a cell in the linked-tables check, e.g. ``(variable, group)``.
CellKey = TypeVar("CellKey", bound=Hashable)


def suppression_note(reason: Reason, threshold: int = MINIMUM_THRESHOLD) -> str:
    """Return the plain-words footnote for a suppressed cell.

    Parameters
    ----------
    reason
        ``"primary"`` (the group itself is small), ``"secondary"`` (hidden so a
        small group cannot be worked out) or ``"small total"`` (too few
        respondents in the whole wave or to the whole question).
    threshold
        The threshold in force.

    Returns
    -------
    str
        E.g. ``"[c] fewer than 10 responses"``.
    """
    if reason == "secondary":
        return f"{SUPPRESSED_MARKER} suppressed to protect a small group"
    return f"{SUPPRESSED_MARKER} fewer than {threshold} responses"


def validate_threshold(threshold: int) -> int:
    """Check a disclosure threshold and return it.

    Parameters
    ----------
    threshold
        Smallest number of respondents a published figure may rest on.

    Returns
    -------
    int
        The threshold.

    Raises
    ------
    TypeError
        When it is not a whole number.
    ValueError
        When it is below :data:`MINIMUM_THRESHOLD`.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ArgumentTypeError(f"threshold must be a whole number, got {threshold!r}")
    if threshold < MINIMUM_THRESHOLD:
        raise ArgumentError(
            f"threshold {threshold} is below the minimum of {MINIMUM_THRESHOLD} respondents; "
            "staff survey groups smaller than that can identify people"
        )
    return threshold


@dataclass(frozen=True)
class SuppressionPattern:
    """Which groups of one breakdown are hidden, and why.

    Attributes
    ----------
    reasons
        Hidden group -> reason (``"primary"``, ``"secondary"`` or ``"small total"``).
    hidden_columns
        Columns withheld entirely because their all-staff base is below the threshold.
    threshold
        The threshold applied.
    unprotected_columns
        Columns where the hidden groups cannot be protected by hiding more
        groups: every respondent to the question is in one hidden group, so the
        all-staff figure is that group's figure. The caller must withhold these
        columns for all staff too (see rule 4 in the module notes).
    empty_columns
        Columns nobody answered (all-staff base 0): withheld, with the note
        :data:`NO_ANSWERS` rather than a suppression note.
    """

    reasons: Mapping[str, Reason]
    hidden_columns: frozenset[str]
    threshold: int
    unprotected_columns: frozenset[str] = frozenset()
    empty_columns: frozenset[str] = frozenset()

    @property
    def suppressed(self) -> frozenset[str]:
        """Return the hidden groups."""
        return frozenset(self.reasons)

    def is_published(self, group: str, column: str | None = None) -> bool:
        """Return whether a group's figure (in a column) may be published.

        Parameters
        ----------
        group
            Group label.
        column
            Column name, or ``None`` for the group as a whole.

        Returns
        -------
        bool
            ``False`` when the group or the column is hidden.
        """
        if column is not None and column in self.hidden_columns:
            return False
        return group not in self.reasons

    def note(self, group: str, column: str | None = None) -> str:
        """Return the footnote for a group's cell, or ``""`` when published.

        Parameters
        ----------
        group
            Group label.
        column
            Column name, or ``None``.

        Returns
        -------
        str
            See :func:`suppression_note`; :data:`NO_ANSWERS` for a column nobody answered.
        """
        if column is not None and column in self.empty_columns:
            return NO_ANSWERS
        if column is not None and column in self.hidden_columns:
            return suppression_note("small total", self.threshold)
        if group in self.reasons:
            return suppression_note(self.reasons[group], self.threshold)
        return ""


def suppression_pattern(
    bases: pd.DataFrame,
    threshold: int = MINIMUM_THRESHOLD,
    totals: Mapping[str, float] | None = None,
    forced: Iterable[str] = (),
) -> SuppressionPattern:
    """Work out the shared suppression pattern for one breakdown.

    Parameters
    ----------
    bases
        One row per group (index: group label), one column per table column
        (``respondents`` and one per question), holding the number of
        respondents behind each cell. The groups must partition all
        respondents (include a "Not stated" group), so each column adds up to
        its all-staff base.
    threshold
        Smallest number of respondents a published figure may rest on
        (at least 10).
    totals
        All-staff base per column; the column sums when ``None``.
    forced
        Groups to hide whatever their size (``"secondary"``): those that
        :func:`linked_suppression` found must go so that no combination of
        tables isolates a small group. The rules then apply around them.

    Returns
    -------
    SuppressionPattern
        The hidden groups and why, and the columns withheld entirely.

    Raises
    ------
    ValueError
        For a threshold below 10, negative or non-whole bases, or totals
        smaller than the sum of the groups.
    """
    validate_threshold(threshold)
    if bases.index.has_duplicates:
        raise ArgumentError("group labels must be unique within a breakdown")
    counts = bases.astype(float)
    if counts.isna().to_numpy().any() or (counts < 0).to_numpy().any():
        raise ArgumentError("bases must be non-negative numbers")
    if not (counts == counts.round()).to_numpy().all():
        raise ArgumentError("bases must be whole numbers of respondents")
    column_totals = counts.sum(axis=0)
    if totals is not None:
        for column, total in totals.items():
            if column in column_totals.index and total < column_totals[column]:
                raise ArgumentError(f"total for {column!r} is smaller than the sum of its groups")
            column_totals[column] = float(total)
    hidden_columns = frozenset(
        str(column) for column in counts.columns if column_totals[column] < threshold
    )
    empty_columns = frozenset(
        str(column) for column in counts.columns if column_totals[column] == 0
    )
    live = [column for column in counts.columns if str(column) not in hidden_columns]
    reasons: dict[str, Reason] = {}
    if not live:
        # Nothing in this breakdown can be shown: the whole wave is small.
        reasons = {str(group): "small total" for group in counts.index}
        return SuppressionPattern(reasons, hidden_columns, threshold, frozenset(), empty_columns)
    for group in counts.index:
        row = counts.loc[group, live]
        if ((row > 0) & (row < threshold)).any():
            reasons[str(group)] = "primary"
    for group in forced:
        reasons.setdefault(str(group), "secondary")
    # Smallest groups are hidden first; ties broken by respondents then label
    # so the result does not depend on row order.
    size = counts[live[0]]
    changed = True
    while changed:
        changed = False
        for column in live:
            values = counts[column]
            while True:
                hidden = [g for g in counts.index if str(g) in reasons and values[g] > 0]
                if not hidden or (len(hidden) >= 2 and values[hidden].sum() >= threshold):
                    break
                candidates = [g for g in counts.index if str(g) not in reasons and values[g] > 0]
                if not candidates:
                    break
                smallest = min(candidates, key=lambda g: (values[g], size[g], str(g)))
                reasons[str(smallest)] = "secondary"
                changed = True
    unprotected = frozenset(
        str(column)
        for column in live
        if not residual_is_safe(
            [counts.loc[g, column] for g in counts.index if str(g) in reasons], threshold
        )
    )
    return SuppressionPattern(reasons, hidden_columns, threshold, unprotected, empty_columns)


def residual_is_safe(values: Iterable[float], threshold: int = MINIMUM_THRESHOLD) -> bool:
    """Return whether a set of hidden cells in one column is safe to leave hidden.

    Parameters
    ----------
    values
        The true bases of the hidden cells of one column.
    threshold
        The threshold in force.

    Returns
    -------
    bool
        ``True`` when no hidden cell has respondents, or at least two do and
        they hold at least ``threshold`` respondents together.
    """
    nonzero = [v for v in values if v > 0]
    return not nonzero or (len(nonzero) >= 2 and sum(nonzero) >= threshold)


class _Span:
    """The linear span of some cells' membership vectors, for membership tests.

    A vector ``x`` is in the span of the rows of ``M`` exactly when its
    projection onto that span keeps its length: ``(Mx)' (MM')^+ (Mx) = x'x``.
    Only the small Gram matrix ``MM'`` (cells by cells) is inverted.
    """

    def __init__(self, matrix: np.ndarray, gram: np.ndarray, rows: list[int]) -> None:
        self.matrix = matrix[rows]
        self.inverse = (
            np.linalg.pinv(gram[np.ix_(rows, rows)].astype(float), rcond=1e-10, hermitian=True)
            if rows
            else np.zeros((0, 0))
        )

    def contains(self, vector: np.ndarray) -> bool:
        """Return whether ``vector`` (a boolean membership, or real weights) is in the span."""
        values = vector.astype(float)
        norm = float(values @ values)
        if not len(self.matrix):
            return norm == 0
        product = self.matrix @ values
        projected = float(product @ self.inverse @ product)
        return abs(projected - norm) <= 1e-6 * max(norm, 1)


#: Most steps the search of rule 7 takes for one column of one wave before it gives up
#: and hides cells conservatively instead (see :func:`isolated_sets`).
SEARCH_LIMIT = 20_000

#: Tolerance for "zero" and "one" in the floating-point echelon form of the search.
_TOLERANCE = 1e-7


class _SearchTooLarge(Exception):
    """The search for small unions of atoms went past :data:`SEARCH_LIMIT` steps."""


def _echelon(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Return the reduced row echelon form of ``matrix`` (nonzero rows) and its pivot columns."""
    work = matrix.astype(float).copy()
    scale = max(float(np.abs(work).max(initial=0.0)), 1.0)
    pivots: list[int] = []
    row = 0
    for column in range(work.shape[1]):
        if row == work.shape[0]:
            break
        best = row + int(np.argmax(np.abs(work[row:, column])))
        if abs(work[best, column]) <= 1e-9 * scale:
            work[row:, column] = 0.0
            continue
        work[[row, best]] = work[[best, row]]
        work[row] /= work[row, column]
        factors = work[:, column].copy()
        factors[row] = 0.0
        work -= np.outer(factors, work[row])
        pivots.append(column)
        row += 1
    basis = work[:row]
    basis[np.abs(basis) <= 1e-10] = 0.0
    return basis, pivots


def _small_unions(
    signature: np.ndarray, sizes: np.ndarray, threshold: int, limit: int
) -> tuple[list[np.ndarray], np.ndarray | None]:
    """Return every union of atoms of 1 to ``threshold - 1`` respondents in the published span.

    ``signature`` holds one row per atom (its membership of each published cell) and
    ``sizes`` its respondents. A 0/1 vector ``y`` over atoms is a combination of
    published cells exactly when ``y`` is in the row space of ``signature'``; a union of
    small atoms leaves every large atom out, so it lies in
    ``K = {signature_S c : signature_L c = 0}`` (S the small atoms, L the others). In
    reduced echelon form a vector of ``K`` is fixed by its values at the pivots, so the
    search chooses 0 or 1 at each pivot, largest atoms first, and prunes as soon as a
    determined value is not 0 or 1 or the respondents reach the threshold.

    Returns
    -------
    tuple
        The unions (arrays of atom indices), and ``None``; or, when the search passes
        ``limit`` steps, no unions and a basis of ``K`` (one row per vector, over all
        atoms) for the caller to remove from the span.
    """
    nonzero = signature.any(axis=1)
    small = np.flatnonzero(nonzero & (sizes < threshold))
    if not small.size:
        return [], None
    weights = signature.astype(float)
    large = weights[nonzero & (sizes >= threshold)]
    if len(large):
        # Null space of the large atoms' rows: the combinations of cells that leave them out.
        _, values, vectors = np.linalg.svd(large, full_matrices=len(large) < weights.shape[1])
        rank = int((values > values.max(initial=0.0) * max(large.shape) * 1e-12).sum())
        free = vectors[rank:]
    else:
        free = np.eye(weights.shape[1])
    if not len(free):
        return [], None
    order = small[np.argsort(-sizes[small], kind="stable")]
    basis, pivots = _echelon(free @ weights[order].T)
    if not len(basis):
        return [], None
    counts = sizes[order]
    nonzero_rows = basis != 0
    last = np.where(
        nonzero_rows.any(axis=0), len(basis) - 1 - np.argmax(nonzero_rows[::-1], axis=0), -1
    )
    last[pivots] = -1  # a pivot's value is the choice made at its own level
    settled = [np.flatnonzero(last == level) for level in range(len(pivots))]
    current = np.zeros(len(order))
    found: list[np.ndarray] = []
    steps = 0

    def visit(level: int, total: int) -> None:
        nonlocal steps
        steps += 1
        if steps > limit:
            raise _SearchTooLarge
        if level == len(pivots):
            if total:
                found.append(order[current > 0.5])
            return
        for take in (False, True):
            added = 0
            if take:
                added = int(counts[pivots[level]])
                if total + added >= threshold:
                    continue
                np.add(current, basis[level], out=current)
            values = current[settled[level]]
            ones = np.abs(values - 1.0) <= _TOLERANCE
            if (ones | (np.abs(values) <= _TOLERANCE)).all():
                added += int(counts[settled[level]][ones].sum())
                if total + added < threshold:
                    visit(level + 1, total + added)
            if take:
                np.subtract(current, basis[level], out=current)

    try:
        visit(0, 0)
    except _SearchTooLarge:
        full = np.zeros((len(basis), len(sizes)))
        full[:, order] = basis
        return [], full
    return found, None


def isolated_sets(
    cells: Mapping[CellKey, np.ndarray],
    published: Collection[CellKey],
    threshold: int = MINIMUM_THRESHOLD,
    limit: int = SEARCH_LIMIT,
) -> list[np.ndarray]:
    """Return the small sets of respondents that published cells, combined, isolate.

    Published figures are sums over their cells' respondents (counts,
    positives), so any set whose indicator is a linear combination of
    published cells' indicators (all staff minus two directorates minus a
    grade, say) has its sums published too. Such a set is a union of *atoms*
    (respondents sharing membership of exactly the same published cells),
    since every published vector is constant on an atom. The search is
    complete: every union of atoms with between 1 and ``threshold - 1``
    respondents in the span is returned (hidden cells, single atoms, a cell
    minus cells inside it, two atoms in different hidden groups, ...).

    Parameters
    ----------
    cells
        Cell key -> boolean membership over the respondents of one wave (and,
        for a question's base, those who answered it); every cell of every
        breakdown, all staff included.
    published
        Keys of the published cells.
    threshold
        The threshold in force.
    limit
        Most search steps. Past it the search gives up and returns, instead,
        the respondents of the small atoms that some combination of published
        cells might isolate (a conservative answer: :func:`linked_suppression`
        then hides cells until no combination reaches small atoms at all).

    Returns
    -------
    list of numpy.ndarray
        Boolean membership of each isolated set (empty when none).
    """
    keys = list(cells)
    matrix = np.vstack([cells[key] for key in keys]).astype(np.int64)
    leaks = _isolated(cells, keys, matrix, set(published), threshold, limit)
    return [leak if leak.dtype == bool else leak != 0 for leak in leaks]


def _isolated(
    cells: Mapping[CellKey, np.ndarray],
    keys: list[CellKey],
    matrix: np.ndarray,
    published: set[CellKey],
    threshold: int,
    limit: int,
) -> list[np.ndarray]:
    """Return the isolated sets (boolean), or when the search is too large real vectors.

    Sets come hidden cells first (in ``keys`` order), then single atoms, then other
    unions, smallest first, so that :func:`linked_suppression` deals with the plainest
    leak first. The real vectors (search given up) span the combinations of published
    cells that reach only small atoms; each must be taken out of the span.
    """
    shown = [index for index, key in enumerate(keys) if key in published]
    if not shown:
        return []
    signature = matrix[shown].T > 0
    rows, atom_of, sizes = np.unique(signature, axis=0, return_inverse=True, return_counts=True)
    atom_of = np.asarray(atom_of).reshape(-1)
    unions, directions = _small_unions(rows, sizes, threshold, limit)
    if directions is not None:
        return [direction[atom_of] for direction in directions]
    hidden = {
        cells[key].tobytes(): rank
        for rank, key in enumerate(keys)
        if key not in published and 0 < cells[key].sum() < threshold
    }
    ranked = []
    for atoms in unions:
        members = np.isin(atom_of, atoms)
        count = int(members.sum())
        rank = hidden.get(members.tobytes())
        if rank is not None:
            ranked.append(((0, rank, 0), members))
        else:
            ranked.append(((1 if len(atoms) == 1 else 2, int(atoms.min()), count), members))
    ranked.sort(key=lambda item: item[0])
    return [members for _, members in ranked]


def linked_suppression(
    cells: Mapping[CellKey, np.ndarray],
    published: Collection[CellKey],
    threshold: int = MINIMUM_THRESHOLD,
    keep: Collection[CellKey] = (),
    limit: int = SEARCH_LIMIT,
) -> set[CellKey]:
    """Return further cells to hide so that no combination of published cells isolates a small set.

    Greedy: while :func:`isolated_sets` finds a set, hide the smallest
    published cell (other than those in ``keep``, such as all staff) whose
    removal stops that set being isolated; failing that, the smallest
    published cell that overlaps it. When the search gives up (``limit``),
    the same is done for each combination of published cells that reaches
    small atoms only, until there is none (more hidden, never less).

    Parameters
    ----------
    cells, published, threshold, limit
        As for :func:`isolated_sets`.
    keep
        Cells hidden only as a last resort (all staff).

    Returns
    -------
    set
        Keys of the cells to hide in addition.
    """
    keys = list(cells)
    matrix = np.vstack([cells[key] for key in keys]).astype(np.int64)
    gram = matrix @ matrix.T
    shown = set(published)
    extra: set[CellKey] = set()
    while True:
        leaks = _isolated(cells, keys, matrix, shown, threshold, limit)
        if not leaks:
            return extra
        target = leaks[0]
        order = sorted(
            (key for key in shown if cells[key].any()),
            key=lambda key: (key in keep, int(cells[key].sum()), str(key)),
        )
        chosen = None
        for key in order:
            rest = [index for index, other in enumerate(keys) if other in shown and other != key]
            if not _Span(matrix, gram, rest).contains(target):
                chosen = key
                break
        if chosen is None:
            overlapping = [key for key in order if (cells[key] & (target != 0)).any()]
            chosen = (overlapping or order)[0]
        shown.discard(chosen)
        extra.add(chosen)
