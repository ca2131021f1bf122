"""Where a council sits in a comparator group: median, quartiles, rank, direction.

Conventions (stated in the report):

* the group median and quartiles include the council itself and use only the
  members with a figure; quartiles are pandas' default linear interpolation
  (Hyndman and Fan type 7, as Excel's ``QUARTILE.INC``);
* rank is read through polarity: for "higher is better" and neutral
  indicators 1st is the highest value, for "lower is better" 1st is the
  lowest; ties share the better rank;
* "similar to" the median means within the indicator's stated tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from councilpack.data import ComparatorGroup
from councilpack.figures import ComparatorSummary, Figure
from councilpack.finance.indicators import IndicatorSpec
from councilpack.vocabulary import (
    Polarity,
    Position,
    RankDirection,
    TravelDirection,
    TravelReading,
)
from councilpack.wording import ordinal

ABOVE: Final = "above"
BELOW: Final = "below"
SIMILAR: Final = "similar"


@dataclass(frozen=True)
class GroupPosition:
    """One council's position in one comparator group for one indicator and year."""

    value: float
    median: float
    lower_quartile: float
    upper_quartile: float
    rank: int
    group_size: int
    members: int
    difference: float
    position: Position
    rank_direction: RankDirection

    @property
    def rank_text(self) -> str:
        """Return the rank in words: ``"12th highest of 16"``, ``"the lowest of 16"``."""
        if self.rank == 1:
            return f"the {self.rank_direction} of {self.group_size}"
        if self.rank == self.group_size:
            opposite = "lowest" if self.rank_direction == "highest" else "highest"
            return f"the {opposite} of {self.group_size}"
        return f"{ordinal(self.rank)} {self.rank_direction} of {self.group_size}"


def is_similar(value: float, reference: float, spec: IndicatorSpec) -> bool:
    """Return whether ``value`` is within the indicator's tolerance of ``reference``.

    Parameters
    ----------
    value, reference
        The two figures, in the indicator's unit.
    spec
        The indicator (its ``similar_absolute`` or ``similar_relative``).
    """
    gap = abs(value - reference)
    if spec.similar_absolute is not None:
        return gap <= spec.similar_absolute + 1e-12
    if spec.similar_relative is not None:
        return gap <= spec.similar_relative * abs(reference) + 1e-12
    return gap == 0


def position_word(value: float, reference: float, spec: IndicatorSpec) -> Position:
    """Return ``"above"``, ``"below"`` or ``"similar"`` against a reference."""
    if is_similar(value, reference, spec):
        return SIMILAR
    return ABOVE if value > reference else BELOW


def rank_in_group(
    values: pd.Series, gss_code: str, polarity: Polarity
) -> tuple[int, RankDirection]:
    """Return the council's rank read through polarity, and its direction word.

    Parameters
    ----------
    values
        GSS code -> value for the group members with a figure.
    gss_code
        The council (must be in ``values``).
    polarity
        ``higher_is_better``, ``lower_is_better`` or ``neutral``.

    Returns
    -------
    tuple
        Rank (1 is the most favourable, or the highest when neutral) and
        ``"highest"`` or ``"lowest"``.
    """
    ascending = polarity == "lower_is_better"
    ranks = values.rank(ascending=ascending, method="min")
    return int(ranks[gss_code]), "lowest" if ascending else "highest"


def group_position(
    values: pd.Series, gss_code: str, spec: IndicatorSpec, members: int | None = None
) -> GroupPosition | None:
    """Return the council's position in a group, or ``None`` when it has no figure.

    Parameters
    ----------
    values
        GSS code -> value for the group members with a figure (the council included).
    gss_code
        The council.
    spec
        The indicator.
    members
        Number of members in the group, with or without a figure.
    """
    # numpy on plain arrays: the same figures as the pandas methods (median, quartiles,
    # rank_in_group's "min" rank), without their per-call overhead (six groups a figure).
    numbers = values.to_numpy(dtype=float)
    kept = ~np.isnan(numbers)
    numbers = numbers[kept]
    codes = [code for code, keep in zip(values.index.tolist(), kept, strict=True) if keep]
    if gss_code not in codes:
        return None
    value = float(numbers[codes.index(gss_code)])
    median = float(np.median(numbers))
    ascending = spec.polarity == "lower_is_better"
    better = numbers < value if ascending else numbers > value
    rank = int(better.sum()) + 1
    direction: RankDirection = "lowest" if ascending else "highest"
    return GroupPosition(
        value=value,
        median=median,
        lower_quartile=float(np.quantile(numbers, 0.25)),
        upper_quartile=float(np.quantile(numbers, 0.75)),
        rank=rank,
        group_size=len(numbers),
        members=members if members is not None else len(values),
        difference=value - median,
        position=position_word(value, median, spec),
        rank_direction=direction,
    )


@dataclass(frozen=True)
class Travel:
    """Direction of travel between two years, read through polarity."""

    start_period: str
    end_period: str
    start: float
    end: float
    direction: TravelDirection
    reading: TravelReading


def direction_of_travel(
    start_period: str, start: float, end_period: str, end: float, spec: IndicatorSpec
) -> Travel:
    """Return whether a figure rose, fell or held steady, and what that means.

    Parameters
    ----------
    start_period, start
        The earlier year and figure.
    end_period, end
        The later year and figure.
    spec
        The indicator: "steady" uses its similarity tolerance against the
        earlier figure; ``reading`` is ``"improving"`` / ``"worsening"`` for
        indicators with a polarity, ``""`` for neutral ones.
    """
    word = position_word(end, start, spec)
    directions: dict[Position, TravelDirection] = {
        ABOVE: "rose",
        BELOW: "fell",
        SIMILAR: "held steady",
    }
    direction = directions[word]
    reading: TravelReading = ""
    if spec.polarity != "neutral" and word != SIMILAR:
        better = (word == ABOVE) == (spec.polarity == "higher_is_better")
        reading = "improving" if better else "worsening"
    return Travel(start_period, end_period, start, end, direction, reading)


def comparator_summary(group: ComparatorGroup, position: GroupPosition) -> ComparatorSummary:
    """Return the sidecar's record of where a council sits in ``group``.

    One place turns a :class:`GroupPosition` into the :class:`ComparatorSummary`
    that finance and outcome figures carry, so both read the same in a sidecar.
    """
    return ComparatorSummary(
        group=group.label,
        definition=group.definition,
        vintage=group.vintage,
        median=position.median,
        lower_quartile=position.lower_quartile,
        upper_quartile=position.upper_quartile,
        rank=position.rank,
        group_size=position.group_size,
        position=position.position,
    )


def headline_figure(
    spec: IndicatorSpec,
    value: float | None,
    *,
    period: str,
    source: str,
    group: ComparatorGroup | None,
    position: GroupPosition | None,
    notes: Sequence[str] = (),
    sentence: str,
) -> Figure:
    """Return an indicator's headline figure for the sidecar, with its comparator summary.

    Finance indicators and outcome measures publish their headline figure
    alike: the council's value for ``period`` and, when it has a value and a
    position in ``group``, where it sits there (:func:`comparator_summary`),
    with the "similar" rule added to the note.

    Parameters
    ----------
    spec
        The indicator (its id, label and unit name the figure).
    value
        The council's figure, or ``None`` when it has none.
    period, source
        The year of ``value`` and where it comes from.
    group, position
        The comparator group the finding is worded against and the council's
        position in it; either may be ``None`` (no comparison).
    notes
        Caveats for the note, in order; empty ones are left out.
    sentence
        The finding the figure backs.

    Returns
    -------
    Figure
        Its note joins ``notes`` and, when compared, "similar means ..." with "; ".
    """
    summary = None
    if value is not None and group is not None and position is not None:
        summary = comparator_summary(group, position)
    kept = [note for note in notes if note]
    if summary is not None:
        kept.append(f"similar means {spec.tolerance_text()}")
    return Figure(
        id=spec.id,
        label=spec.label,
        value=value,
        unit=spec.unit,
        period=period,
        source=source,
        comparator=summary,
        note="; ".join(kept),
        sentence=sentence,
    )


def trend_figure(spec: IndicatorSpec, travel: Travel, *, source: str, sentence: str) -> Figure:
    """Return the figure of an indicator's direction of travel: the change between two years.

    Parameters
    ----------
    spec
        The indicator; the figure's id is ``<id>_trend``.
    travel
        The two years, their figures and the direction (and reading) of travel.
    source, sentence
        Where the figures come from, and the travel sentence the figure backs.
    """
    return Figure(
        id=f"{spec.id}_trend",
        label=f"{spec.label}: change {travel.start_period} to {travel.end_period}",
        value=travel.end - travel.start,
        unit=spec.change_unit,
        period=f"{travel.start_period} to {travel.end_period}",
        source=source,
        note=travel.direction + (f", {travel.reading}" if travel.reading else ""),
        sentence=sentence,
    )
