"""Findings worded in the register of LGA peer challenge feedback reports.

Every function returns one or two plain sentences; numbers use the GB formats
of :mod:`councilpack.wording` ("3.2 per cent", "£2.3m").
"""

from __future__ import annotations

from councilpack.data import ComparatorGroup
from councilpack.data.model import shift_period
from councilpack.finance.indicators import NOT_DRAWING_DOWN, IndicatorSpec
from councilpack.finance.position import SIMILAR, GroupPosition, Travel
from councilpack.wording import format_money, format_value

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _years(count: int) -> str:
    return f"{_NUMBER_WORDS.get(count, str(count))} year{'s' if count != 1 else ''}"


def group_phrase(group: ComparatorGroup) -> str:
    """Return how a sentence names a group: "its nearest neighbours", "all English ...".

    Examples
    --------
    >>> from councilpack.data import ComparatorGroup
    >>> group_phrase(ComparatorGroup("nn", "Oflog nearest neighbours", "", "", ()))
    'its Oflog nearest neighbours'
    >>> group_phrase(ComparatorGroup("type", "All English county councils", "", "", ()))
    'all English county councils'
    """
    label = group.label.strip()
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        label = label[0].lower() + label[1:]
    if "neighbour" in label.lower() and not label.lower().startswith(("all ", "its ")):
        return f"its {label.replace('oflog', 'Oflog')}"
    return label


def format_indicator(value: float, spec: IndicatorSpec) -> str:
    """Format a value of an indicator for running text.

    A three-year change reads "a rise of 4.0 per cent" / "a fall of 4.0 per cent".
    """
    if spec.kind == "change":
        word = "rise" if value >= 0 else "fall"
        return f"a {word} of {format_value(abs(value), spec.unit)}"
    return format_value(value, spec.unit)


def _opening(spec: IndicatorSpec, value: float, period: str) -> str:
    suffix = f" {spec.value_suffix}" if spec.value_suffix else ""
    if spec.kind == "change":
        verb = "rose by" if value >= 0 else "fell by"
        amount = format_value(abs(value), spec.unit)
        if spec.years == 1 or spec.source == "mhclg_ctr":
            # A change of a rate set for the year (Band D) reads year to year.
            previous = shift_period(period, -spec.years)
            return f"{spec.subject} {verb} {amount} from {previous} to {period}"
        end_year = int(period[:4]) + 1
        return f"{spec.subject} {verb} {amount} in the {_years(spec.years)} to 31 March {end_year}"
    return f"{spec.subject} {spec.verb} {format_value(value, spec.unit)}{suffix} in {period}"


def position_sentence(
    spec: IndicatorSpec,
    period: str,
    group: ComparatorGroup,
    position: GroupPosition,
    *,
    status: str = "",
    not_drawing_down_members: int = 0,
) -> str:
    """Return the finding for one indicator against one comparator group.

    Parameters
    ----------
    spec
        The indicator.
    period
        The financial year.
    group
        The comparator group.
    position
        The council's position in it.
    status
        ``"not drawing down"`` for a sustainability figure at its cap.
    not_drawing_down_members
        How many group members (the council included) were not drawing down.

    Examples
    --------
    A council below its neighbours' median on a percentage indicator reads
    "Unallocated reserves were 3.2 per cent of net revenue expenditure in
    2016-17, below the median of its nearest neighbours (5.1 per cent); 12th
    highest of 16."
    """
    where = group_phrase(group)
    if status == NOT_DRAWING_DOWN:
        others = not_drawing_down_members - 1
        return (
            f"In {period} the council was not drawing down its reserves: unallocated and "
            f"earmarked reserves were no lower than {_years(spec.years)} earlier. "
            f"{others} of the other {position.group_size - 1} councils in {where} with a "
            "figure were also not drawing down."
        )
    if spec.cap is not None and position.median >= spec.cap:
        median_text = "more than half of them were not drawing down their reserves"
    else:
        median_text = format_indicator(position.median, spec)
    relation = "similar to" if position.position == SIMILAR else position.position
    return (
        f"{_opening(spec, position.value, period)}, {relation} the median of {where} "
        f"({median_text}); {position.rank_text}."
    )


def money_gap_sentence(spec: IndicatorSpec, position: GroupPosition, base: float | None) -> str:
    """Translate the gap to the group median into pounds, where that helps.

    Parameters
    ----------
    spec
        The indicator (its ``money_gap`` wording and ``scale``).
    position
        The council's position.
    base
        The council's denominator: net revenue expenditure for a share of NRE,
        population for a per-head figure.

    Returns
    -------
    str
        ``""`` when the council is similar to the median, the indicator has
        no money wording or the base is unknown.
    """
    if position.position == SIMILAR or not spec.money_gap or base is None or base <= 0:
        return ""
    amount = abs(position.median - position.value) / spec.scale * base
    key = "below" if position.value < position.median else "above"
    template = spec.money_gap.get(key, "")
    return template.format(amount=format_money(amount)) if template else ""


def travel_sentence(
    spec: IndicatorSpec,
    travel: Travel,
    group: ComparatorGroup | None,
    median_travel: Travel | None,
) -> str:
    """Return the direction of travel of one indicator, beside the group median's.

    With no ``group`` or no ``median_travel`` the sentence speaks of the council alone.

    Examples
    --------
    "Unallocated reserves as a share of NRE rose from 2.1 per cent in 2014-15
    to 3.2 per cent in 2017-18 (improving); the median of its nearest
    neighbours rose from 4.0 per cent to 5.1 per cent."
    """
    start = format_indicator(travel.start, spec)
    end = format_indicator(travel.end, spec)
    label = spec.label
    if travel.direction == "held steady":
        text = (
            f"{label} held steady between {travel.start_period} and {travel.end_period} "
            f"({start} and {end})"
        )
    else:
        reading = f" ({travel.reading})" if travel.reading else ""
        text = (
            f"{label} {travel.direction} from {start} in {travel.start_period} "
            f"to {end} in {travel.end_period}{reading}"
        )
    if group is None or median_travel is None:
        return text + "."
    m_start = format_indicator(median_travel.start, spec)
    m_end = format_indicator(median_travel.end, spec)
    verb = median_travel.direction
    if verb == "held steady":
        return f"{text}; the median of {group_phrase(group)} held steady ({m_start} and {m_end})."
    return f"{text}; the median of {group_phrase(group)} {verb} from {m_start} to {m_end}."


def not_available_sentence(spec: IndicatorSpec, period: str, reason: str) -> str:
    """Return the sentence for an indicator the council has no figure for."""
    return f"{spec.label} is not available for {period}: {reason}."


def long_run_sentence(
    spec: IndicatorSpec, first: tuple[str, float], last: tuple[str, float]
) -> str:
    """Return the council's figure at the start and end of its whole series.

    Examples
    --------
    "Over the whole series, unallocated reserves as a share of NRE went from
    4.1 per cent in 2010-11 to 5.0 per cent in 2023-24."
    """
    label = spec.label[0].lower() + spec.label[1:] if spec.label[1:2].islower() else spec.label
    return (
        f"Over the whole series, {label} went from {format_indicator(first[1], spec)} in "
        f"{first[0]} to {format_indicator(last[1], spec)} in {last[0]}."
    )
