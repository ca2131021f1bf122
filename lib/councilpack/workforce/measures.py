"""Staff survey measures, already put through disclosure control.

Every function here returns tidy tables in which a suppressed cell has its
figures set to missing (``NaN``), ``published`` set to ``False`` and ``note``
holding the ``[c]`` footnote. Derived tables (changes between waves, gaps to
all staff) are computed only from the published cells, so they cannot give a
hidden figure away.

Definitions
-----------
% positive
    Respondents giving a positive answer, as a share of the item's base
    (the codebook's ``base`` rule: by default everyone who answered, including
    "don't know", and leaving out refusals and no answer). Weighted when the
    codebook names a weight column.
Theme % positive
    All positive answers to the theme's items as a share of all answers in
    their bases (pooled over items). Themes are shown without significance
    tests, because one person's answers to related items are not independent.
eNPS
    Employee Net Promoter Score from a 0-10 recommend item: % scoring 9-10
    (promoters) minus % scoring 0-6 (detractors), from -100 to +100.
Change between waves
    Percentage-point difference with a two-sided pooled two-proportion z-test
    (5 per cent level) on the (effective) bases, treating waves as independent
    samples. eNPS changes use the z-test for a difference in net scores, whose
    variance in one wave is ``(p + d - (p - d)^2) / n`` for promoter share
    ``p`` and detractor share ``d``.
Gap to all staff
    The group's % positive minus the all-staff figure; its significance is the
    two-proportion test of the group against the rest of the staff (the two
    being independent, unlike a group and the whole it belongs to).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd
from scipy.stats import norm

from councilpack.errors import ArgumentError
from councilpack.surveys.stats import ALPHA, Estimate, two_proportion_test, weighted_proportion
from councilpack.vocabulary import ChangeWord
from councilpack.wording import natural_key
from councilpack.workforce.disclosure import (
    ATTRIBUTE_DISCLOSURE_SIZE,
    SuppressionPattern,
    linked_suppression,
    suppression_pattern,
)
from councilpack.workforce.inputs import NOT_STATED, StaffWaves

#: Variable name and group label used for whole-workforce rows.
ALL_STAFF_VARIABLE = "all_staff"
ALL_STAFF = "All staff"
RESPONDENTS_COLUMN = "respondents"

IMPROVED: Final = "improved"
DECLINED: Final = "declined"
NO_CHANGE: Final = "no significant change"


def theme_column(theme: str) -> str:
    """Return the disclosure-pattern column name for a theme."""
    return f"theme:{theme}"


def _themes(staff: StaffWaves) -> dict[str, list[str]]:
    themes: dict[str, list[str]] = {}
    for item_id in staff.codebook.item_ids:
        theme = staff.codebook.theme(item_id)
        if theme is not None and item_id in staff.responses.columns:
            themes.setdefault(theme, []).append(item_id)
    return themes


def _items_present(staff: StaffWaves) -> list[str]:
    return [i for i in staff.codebook.codebook.items if i in staff.responses.columns]


def _base_mask(frame: pd.DataFrame, staff: StaffWaves, item_id: str) -> np.ndarray:
    categories = staff.codebook.codebook.items[item_id].base_categories
    return frame[item_id].isin(categories).to_numpy()


def _bases(frame: pd.DataFrame, staff: StaffWaves) -> dict[str, int]:
    bases = {RESPONDENTS_COLUMN: len(frame)}
    for item_id in _items_present(staff):
        bases[item_id] = int(_base_mask(frame, staff, item_id).sum())
    for theme, item_ids in _themes(staff).items():
        answered = np.zeros(len(frame), dtype=bool)
        for item_id in item_ids:
            answered |= _base_mask(frame, staff, item_id)
        bases[theme_column(theme)] = int(answered.sum())
    return bases


def _partitions(
    staff: StaffWaves, wave_frame: pd.DataFrame
) -> list[tuple[str, dict[str, pd.DataFrame]]]:
    parts: list[tuple[str, dict[str, pd.DataFrame]]] = [
        (ALL_STAFF_VARIABLE, {ALL_STAFF: wave_frame})
    ]
    for variable in staff.groups:
        # Numbers inside labels in value order: Grades 1-5, 6-9, 10-13.
        groups = dict(
            sorted(
                (
                    (str(label), part)
                    for label, part in wave_frame.groupby(variable, sort=False, observed=True)
                ),
                key=lambda pair: natural_key(pair[0]),
            )
        )
        # "Not stated" last, so tables read naturally.
        if NOT_STATED in groups:
            groups[NOT_STATED] = groups.pop(NOT_STATED)
        parts.append((variable, groups))
    return parts


def patterns(staff: StaffWaves, threshold: int) -> dict[tuple[str, str], SuppressionPattern]:
    """Return the suppression pattern of every breakdown.

    Parameters
    ----------
    staff
        The coded waves.
    threshold
        Disclosure threshold (at least 10).

    Returns
    -------
    dict
        ``(wave, variable) -> SuppressionPattern``; ``variable`` is
        ``"all_staff"`` for the whole-workforce figures.
    """
    result: dict[tuple[str, str], SuppressionPattern] = {}
    themes = _themes(staff)
    for wave in staff.waves:
        wave_frame = staff.responses[staff.responses["wave"] == wave]
        partitions = _partitions(staff, wave_frame)
        bases = {
            variable: pd.DataFrame({g: _bases(part, staff) for g, part in groups.items()}).T
            for variable, groups in partitions
        }
        # Every table of the wave is linked: hide further groups until no combination of
        # published cells, across breakdowns, isolates a small set of respondents.
        forced = _unanimous_small_groups(staff, partitions)
        while True:
            wave_patterns = {
                variable: suppression_pattern(table, threshold, forced=forced[variable])
                for variable, table in bases.items()
            }
            # A question that cannot be protected in one breakdown is withheld from
            # every table of the wave, all staff included.
            unprotected = frozenset().union(
                *(p.unprotected_columns for p in wave_patterns.values())
            )
            withheld = _withheld(
                wave_patterns[ALL_STAFF_VARIABLE].hidden_columns | unprotected, themes
            )
            columns = [str(c) for c in bases[ALL_STAFF_VARIABLE].columns]
            linked = _linked(
                staff, wave_frame, partitions, wave_patterns, columns, withheld, threshold
            )
            added = {(v, g) for v, g in linked if v != ALL_STAFF_VARIABLE and g not in forced[v]}
            if not added:
                break
            for variable, group in added:
                forced[variable].add(group)
        # All staff is hidden only when nothing else could protect the set: the column goes.
        withheld = _withheld(
            withheld | {column for v, column in linked if v == ALL_STAFF_VARIABLE},
            themes,
        )
        for variable, pattern in wave_patterns.items():
            hidden = _withheld(pattern.hidden_columns | withheld, themes)
            result[(wave, variable)] = replace(pattern, hidden_columns=frozenset(hidden))
    return result


def _unanimous_small_groups(
    staff: StaffWaves, partitions: list[tuple[str, dict[str, pd.DataFrame]]]
) -> dict[str, set[str]]:
    """Return, per breakdown, the groups to hide for attribute disclosure.

    A group of fewer than :data:`ATTRIBUTE_DISCLOSURE_SIZE` who all gave, or all
    did not give, a positive answer to a question would have every member's
    answer told by "0 per cent" or "100 per cent".
    """
    forced: dict[str, set[str]] = {variable: set() for variable, _ in partitions}
    for variable, groups in partitions:
        if variable == ALL_STAFF_VARIABLE:
            continue
        for group, part in groups.items():
            for item_id in _items_present(staff):
                mask = _base_mask(part, staff, item_id)
                base = int(mask.sum())
                positive = int((part[item_id] == "positive").to_numpy()[mask].sum())
                if 0 < base < ATTRIBUTE_DISCLOSURE_SIZE and positive in (0, base):
                    forced[variable].add(group)
                    break
    return forced


def _withheld(
    columns: frozenset[str] | set[str], themes: dict[str, list[str]] | None = None
) -> frozenset[str]:
    """Add the themes that pool a withheld item (a theme would give away the item's base)."""
    result = set(columns)
    for theme, item_ids in (themes or {}).items():
        if any(item_id in result for item_id in item_ids):
            result.add(theme_column(theme))
    return frozenset(result)


def _column_mask(wave_frame: pd.DataFrame, staff: StaffWaves, column: str) -> np.ndarray:
    """Return which respondents of the wave are counted in a pattern column."""
    if column == RESPONDENTS_COLUMN:
        return np.ones(len(wave_frame), dtype=bool)
    themes = _themes(staff)
    for theme, item_ids in themes.items():
        if column == theme_column(theme):
            mask = np.zeros(len(wave_frame), dtype=bool)
            for item_id in item_ids:
                mask |= _base_mask(wave_frame, staff, item_id)
            return mask
    return _base_mask(wave_frame, staff, column)


def _linked(
    staff: StaffWaves,
    wave_frame: pd.DataFrame,
    partitions: list[tuple[str, dict[str, pd.DataFrame]]],
    wave_patterns: dict[str, SuppressionPattern],
    columns: list[str],
    withheld: frozenset[str],
    threshold: int,
) -> set[tuple[str, str]]:
    """Return (variable, group) cells, or (all staff, column), to hide for the linked tables."""
    members = {
        (variable, group): wave_frame.index.isin(part.index)
        for variable, groups in partitions
        for group, part in groups.items()
    }
    hide: set[tuple[str, str]] = set()
    everyone = (ALL_STAFF_VARIABLE, ALL_STAFF)
    for column in columns:
        if column in withheld:
            continue
        base = _column_mask(wave_frame, staff, column)
        cells = {key: inside & base for key, inside in members.items()}
        published = {
            (variable, group)
            for variable, group in cells
            if wave_patterns[variable].is_published(group, column)
        }
        for variable, group in linked_suppression(cells, published, threshold, keep={everyone}):
            hide.add((variable, column) if (variable, group) == everyone else (variable, group))
    return hide


def _estimate(
    frame: pd.DataFrame, staff: StaffWaves, item_id: str, category: str
) -> tuple[float, float]:
    mask = _base_mask(frame, staff, item_id)
    flags = (frame[item_id] == category).to_numpy()[mask]
    estimate = weighted_proportion(flags, frame["weight"].to_numpy()[mask])
    return estimate.proportion, estimate.base_effective


@dataclass(frozen=True)
class _Cell:
    """One group of one breakdown in one wave, with its disclosure pattern."""

    wave: str
    wave_frame: pd.DataFrame
    variable: str
    group: str
    part: pd.DataFrame
    pattern: SuppressionPattern

    def row(self, column: str, **fields: object) -> dict[str, object]:
        """Return the table row's identifying fields and its disclosure decision for ``column``."""
        return {
            "wave": self.wave,
            "variable": self.variable,
            "group": self.group,
            **fields,
            "published": self.pattern.is_published(self.group, column),
            "note": self.pattern.note(self.group, column),
        }


def _cells(
    staff: StaffWaves, suppression: dict[tuple[str, str], SuppressionPattern]
) -> Iterator[_Cell]:
    """Yield every (wave, breakdown, group), all staff first in each wave."""
    for wave in staff.waves:
        wave_frame = staff.responses[staff.responses["wave"] == wave]
        for variable, groups in _partitions(staff, wave_frame):
            pattern = suppression[(wave, variable)]
            for group, part in groups.items():
                yield _Cell(wave, wave_frame, variable, group, part, pattern)


def _shares(
    part: pd.DataFrame, staff: StaffWaves, item_id: str
) -> tuple[int, Estimate, float, float]:
    """Return an item's base, weighted positive estimate, and neutral and negative shares."""
    mask = _base_mask(part, staff, item_id)
    weights = part["weight"].to_numpy()[mask]
    answers = part[item_id].to_numpy()[mask]
    positive = weighted_proportion(answers == "positive", weights)
    neutral = weighted_proportion(answers == "neutral", weights).proportion
    negative = weighted_proportion(answers == "negative", weights).proportion
    return int(mask.sum()), positive, neutral, negative


def _table(
    rows: list[dict[str, object]], columns: list[str], counts: Sequence[str] = ("base",)
) -> pd.DataFrame:
    """Return the rows as a table with the given columns, ``published`` bool, counts Int64."""
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["published"] = table["published"].astype(bool)
    for column in counts:
        table[column] = table[column].astype("Int64")
    return table


def item_table(
    staff: StaffWaves, suppression: dict[tuple[str, str], SuppressionPattern]
) -> pd.DataFrame:
    """Return % positive per item for all staff and every group, disclosure-controlled.

    Parameters
    ----------
    staff
        The coded waves.
    suppression
        Patterns from :func:`patterns`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, variable, group, item, label, theme, base,
        effective_base, positive_pct, neutral_pct, negative_pct, lower_pct,
        upper_pct, all_staff_pct, gap_pp, gap_significant, published, note``.
        Percentages are 0-100. The eNPS item is in the eNPS table instead.
    """
    rows: list[dict[str, object]] = []
    enps_item = staff.codebook.workforce.enps_item
    item_ids = [i for i in _items_present(staff) if i != enps_item]
    all_staff: dict[tuple[str, str], float] = {}
    for cell in _cells(staff, suppression):
        rest = cell.wave_frame.drop(index=cell.part.index)
        for item_id in item_ids:
            row = cell.row(
                item_id,
                item=item_id,
                label=staff.codebook.label(item_id),
                theme=staff.codebook.theme(item_id),
            )
            rows.append(row)
            if not row["published"]:
                continue
            base, estimate, neutral, negative = _shares(cell.part, staff, item_id)
            row.update(
                base=base,
                effective_base=estimate.base_effective,
                positive_pct=100 * estimate.proportion,
                neutral_pct=100 * neutral,
                negative_pct=100 * negative,
                lower_pct=100 * estimate.lower,
                upper_pct=100 * estimate.upper,
            )
            key = (cell.wave, item_id)
            if cell.variable == ALL_STAFF_VARIABLE:
                all_staff[key] = 100 * estimate.proportion
                continue
            if key not in all_staff:
                continue
            row["all_staff_pct"] = all_staff[key]
            row["gap_pp"] = 100 * estimate.proportion - all_staff[key]
            rest_p, rest_n = _estimate(rest, staff, item_id, "positive")
            if rest_n > 0 and estimate.base_effective > 0:
                test = two_proportion_test(
                    estimate.proportion, estimate.base_effective, rest_p, rest_n
                )
                row["gap_significant"] = test.significant
    columns = [
        "wave", "variable", "group", "item", "label", "theme", "base", "effective_base",
        "positive_pct", "neutral_pct", "negative_pct", "lower_pct", "upper_pct",
        "all_staff_pct", "gap_pp", "gap_significant", "published", "note",
    ]  # fmt: skip
    table = _table(rows, columns)
    table["gap_significant"] = table["gap_significant"].astype("boolean")
    return table


def theme_table(
    staff: StaffWaves, suppression: dict[tuple[str, str], SuppressionPattern]
) -> pd.DataFrame:
    """Return pooled % positive per theme for all staff and every group.

    Parameters
    ----------
    staff
        The coded waves.
    suppression
        Patterns from :func:`patterns`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, variable, group, theme, items, base, answers,
        positive_pct, published, note``; ``base`` is respondents answering at
        least one of the theme's items, ``answers`` the pooled answers.
    """
    rows: list[dict[str, object]] = []
    themes = _themes(staff)
    for cell in _cells(staff, suppression):
        part = cell.part
        for theme, item_ids in themes.items():
            row = cell.row(theme_column(theme), theme=theme, items=len(item_ids))
            rows.append(row)
            if not row["published"]:
                continue
            positive = answers = 0.0
            answered = np.zeros(len(part), dtype=bool)
            weights = part["weight"].to_numpy()
            for item_id in item_ids:
                mask = _base_mask(part, staff, item_id)
                answered |= mask
                answers += float(weights[mask].sum())
                positive += float(weights[mask & (part[item_id] == "positive").to_numpy()].sum())
            row.update(
                base=int(answered.sum()),
                answers=answers,
                positive_pct=100 * positive / answers if answers else math.nan,
            )
    columns = [
        "wave", "variable", "group", "theme", "items", "base", "answers",
        "positive_pct", "published", "note",
    ]  # fmt: skip
    return _table(rows, columns)


def enps_score(scores: Sequence[float] | np.ndarray) -> float:
    """Return the employee Net Promoter Score of 0-10 answers.

    Parameters
    ----------
    scores
        Answers on the 0-10 scale (missing values ignored).

    Returns
    -------
    float
        % scoring 9-10 minus % scoring 0-6, from -100 to 100; NaN when there
        are no answers.

    Raises
    ------
    ValueError
        For a score outside 0-10 or not a whole number.
    """
    values = np.asarray(scores, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return math.nan
    if np.any((values < 0) | (values > 10) | (values != np.round(values))):
        raise ArgumentError("eNPS scores must be whole numbers from 0 to 10")
    promoters = float(np.mean(values >= 9))
    detractors = float(np.mean(values <= 6))
    return 100 * (promoters - detractors)


def enps_difference_test(
    promoters_1: float,
    detractors_1: float,
    n_1: float,
    promoters_2: float,
    detractors_2: float,
    n_2: float,
    alpha: float = ALPHA,
) -> tuple[float, float, bool]:
    """Test the difference between two independent net scores.

    Parameters
    ----------
    promoters_1, detractors_1
        Promoter and detractor shares (0-1) in the later sample.
    n_1
        Its (effective) base.
    promoters_2, detractors_2, n_2
        The same for the earlier sample.
    alpha
        Significance level.

    Returns
    -------
    tuple
        ``(z, p_value, significant)``. The variance of a net score
        ``p - d`` from one multinomial sample is ``(p + d - (p - d)^2) / n``.
    """
    net_1 = promoters_1 - detractors_1
    net_2 = promoters_2 - detractors_2
    variance = (promoters_1 + detractors_1 - net_1**2) / n_1 + (
        promoters_2 + detractors_2 - net_2**2
    ) / n_2
    if variance <= 0:
        return 0.0, 1.0, False
    z = (net_1 - net_2) / math.sqrt(variance)
    p_value = float(2 * norm.sf(abs(z)))
    return float(z), p_value, p_value < alpha


def enps_table(
    staff: StaffWaves, suppression: dict[tuple[str, str], SuppressionPattern]
) -> pd.DataFrame:
    """Return eNPS for all staff and every group, disclosure-controlled.

    Parameters
    ----------
    staff
        The coded waves.
    suppression
        Patterns from :func:`patterns`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, variable, group, base, effective_base, promoters_pct,
        passives_pct, detractors_pct, enps, published, note``; empty when the
        codebook has no eNPS item or the file lacks it.
    """
    item_id = staff.codebook.workforce.enps_item
    columns = [
        "wave", "variable", "group", "base", "effective_base", "promoters_pct",
        "passives_pct", "detractors_pct", "enps", "published", "note",
    ]  # fmt: skip
    if item_id is None or item_id not in staff.responses.columns:
        return pd.DataFrame(columns=columns).astype({"published": bool})
    rows: list[dict[str, object]] = []
    for cell in _cells(staff, suppression):
        row = cell.row(item_id)
        rows.append(row)
        if not row["published"]:
            continue
        base, promoters, passives, detractors = _shares(cell.part, staff, item_id)
        row.update(
            base=base,
            effective_base=promoters.base_effective,
            promoters_pct=100 * promoters.proportion,
            passives_pct=100 * passives,
            detractors_pct=100 * detractors,
            enps=100 * (promoters.proportion - detractors),
        )
    return _table(rows, columns)


def response_table(
    staff: StaffWaves, suppression: dict[tuple[str, str], SuppressionPattern]
) -> pd.DataFrame:
    """Return respondents per group and response rates, disclosure-controlled.

    Parameters
    ----------
    staff
        The coded waves.
    suppression
        Patterns from :func:`patterns`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wave, variable, group, respondents, share_pct, invited,
        response_rate_pct, published, note``. ``invited`` is the wave's
        invited count for all staff and the headcount for groups of the
        codebook's ``headcount_group`` when headcounts were given;
        ``share_pct`` is the group's share of the wave's respondents.
    """
    rows: list[dict[str, object]] = []
    headcount_group = staff.codebook.workforce.headcount_group
    for cell in _cells(staff, suppression):
        invited = staff.invited[cell.wave]
        if cell.variable == ALL_STAFF_VARIABLE:
            headcount: int | None = invited.total
        elif cell.variable == headcount_group and invited.by_group is not None:
            headcount = invited.by_group.get(cell.group)
        else:
            headcount = None
        row = cell.row(RESPONDENTS_COLUMN, invited=headcount)
        rows.append(row)
        if not row["published"]:
            continue
        row["respondents"] = len(cell.part)
        row["share_pct"] = 100 * len(cell.part) / len(cell.wave_frame)
        if headcount:
            row["response_rate_pct"] = 100 * len(cell.part) / headcount
    columns = [
        "wave", "variable", "group", "respondents", "share_pct", "invited",
        "response_rate_pct", "published", "note",
    ]  # fmt: skip
    return _table(rows, columns, counts=("respondents", "invited"))


def direction_word(change_pp: float, significant: bool) -> ChangeWord:
    """Return "improved", "declined" or "no significant change".

    Parameters
    ----------
    change_pp
        Change in % positive (higher is better for every staff survey item).
    significant
        Whether the change is statistically significant.

    Returns
    -------
    ChangeWord
    """
    if not significant or change_pp == 0:
        return NO_CHANGE
    return IMPROVED if change_pp > 0 else DECLINED


def trend_table(items: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    """Return changes against the previous and the first wave, from published cells only.

    Parameters
    ----------
    items
        The disclosure-controlled item table from :func:`item_table`.
    waves
        Wave labels, oldest first.

    Returns
    -------
    pandas.DataFrame
        One row per published item cell with ``previous_wave``,
        ``change_vs_previous_pp``, ``p_value_vs_previous``,
        ``significant_vs_previous``, ``direction_vs_previous`` and the same
        ``..._vs_first`` columns. A comparison is missing when either wave's
        figure is not published (never computed from hidden figures).
    """
    published = items.loc[items["published"].astype(bool)].copy()
    order = {wave: position for position, wave in enumerate(waves)}
    published["_order"] = published["wave"].map(order)
    keyed = {
        (r["variable"], r["group"], r["item"], r["wave"]): r for r in published.to_dict("records")
    }
    rows = []
    for _, row in published.sort_values("_order").iterrows():
        result = row.drop(labels="_order").to_dict()
        position = order[row["wave"]]
        for suffix, other in (("previous", position - 1), ("first", 0)):
            result[f"{suffix}_wave"] = waves[other] if 0 <= other < position else None
            change = p_value = math.nan
            significant: bool | None = None
            direction: str | None = None
            key = (row["variable"], row["group"], row["item"], waves[max(other, 0)])
            if 0 <= other < position and key in keyed:
                before = keyed[key]
                test = two_proportion_test(
                    row["positive_pct"] / 100,
                    row["effective_base"],
                    before["positive_pct"] / 100,
                    before["effective_base"],
                )
                change = 100 * test.difference
                p_value = test.p_value
                significant = test.significant
                direction = direction_word(change, test.significant)
            result[f"change_vs_{suffix}_pp"] = change
            result[f"p_value_vs_{suffix}"] = p_value
            result[f"significant_vs_{suffix}"] = significant
            result[f"direction_vs_{suffix}"] = direction
        rows.append(result)
    columns = list(items.columns)
    for suffix in ("previous", "first"):
        columns += [
            f"{suffix}_wave",
            f"change_vs_{suffix}_pp",
            f"p_value_vs_{suffix}",
            f"significant_vs_{suffix}",
            f"direction_vs_{suffix}",
        ]
    table = pd.DataFrame(rows).reindex(columns=columns)
    for suffix in ("previous", "first"):
        table[f"significant_vs_{suffix}"] = table[f"significant_vs_{suffix}"].astype("boolean")
    return table.reset_index(drop=True)


def enps_trend_table(enps: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    """Return eNPS changes against the previous and the first wave, published cells only.

    Parameters
    ----------
    enps
        The disclosure-controlled table from :func:`enps_table`.
    waves
        Wave labels, oldest first.

    Returns
    -------
    pandas.DataFrame
        Published eNPS rows with ``change_vs_previous`` / ``change_vs_first``
        (points), their significance and direction.
    """
    published = enps.loc[enps["published"].astype(bool)].copy()
    order = {wave: position for position, wave in enumerate(waves)}
    keyed = {(r["variable"], r["group"], r["wave"]): r for r in published.to_dict("records")}
    rows = []
    for _, row in (
        published.assign(_order=published["wave"].map(order)).sort_values("_order").iterrows()
    ):
        result = row.drop(labels="_order").to_dict()
        position = order[row["wave"]]
        for suffix, other in (("previous", position - 1), ("first", 0)):
            result[f"{suffix}_wave"] = waves[other] if 0 <= other < position else None
            change = math.nan
            significant: bool | None = None
            direction: str | None = None
            key = (row["variable"], row["group"], waves[max(other, 0)])
            if 0 <= other < position and key in keyed:
                before = keyed[key]
                _, _, significant = enps_difference_test(
                    row["promoters_pct"] / 100,
                    row["detractors_pct"] / 100,
                    row["effective_base"],
                    before["promoters_pct"] / 100,
                    before["detractors_pct"] / 100,
                    before["effective_base"],
                )
                change = row["enps"] - before["enps"]
                direction = direction_word(change, significant)
            result[f"change_vs_{suffix}"] = change
            result[f"significant_vs_{suffix}"] = significant
            result[f"direction_vs_{suffix}"] = direction
        rows.append(result)
    columns = [*enps.columns]
    for suffix in ("previous", "first"):
        columns += [
            f"{suffix}_wave",
            f"change_vs_{suffix}",
            f"significant_vs_{suffix}",
            f"direction_vs_{suffix}",
        ]
    return pd.DataFrame(rows).reindex(columns=columns)
