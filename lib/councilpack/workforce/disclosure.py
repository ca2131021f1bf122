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

Waves are separate cross-sections: no table adds a group's respondents across
waves, so a group can be shown in one wave and hidden in another without a
figure becoming derivable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

#: The threshold may be raised but never set below this.
MINIMUM_THRESHOLD = 10

#: GSS marker for a figure withheld to protect confidentiality.
SUPPRESSED_MARKER = "[c]"

#: Shown instead of a figure for a question nobody answered in a wave: there is nothing
#: to protect, and "[c]" would wrongly say that a small group's answers are hidden.
NO_ANSWERS = "not asked or no answers"

Reason = Literal["primary", "secondary", "small total"]


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
        raise TypeError(f"threshold must be a whole number, got {threshold!r}")
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(
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
        raise ValueError("group labels must be unique within a breakdown")
    counts = bases.astype(float)
    if counts.isna().to_numpy().any() or (counts < 0).to_numpy().any():
        raise ValueError("bases must be non-negative numbers")
    if not (counts == counts.round()).to_numpy().all():
        raise ValueError("bases must be whole numbers of respondents")
    column_totals = counts.sum(axis=0)
    if totals is not None:
        for column, total in totals.items():
            if column in column_totals.index and total < column_totals[column]:
                raise ValueError(f"total for {column!r} is smaller than the sum of its groups")
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
