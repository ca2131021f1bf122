"""Sentences about staff survey figures, in the register of LGA peer challenge reports.

Percentages are given as whole numbers in running text ("72 per cent"), and a
change is described as "a statistically significant 15 percentage point
increase on 2023" only when the z-test finds it significant; otherwise it is
"no significant change". Changes in sentences are the difference of the
rounded figures, so the words always agree with the numbers beside them.
"""

from __future__ import annotations

from councilpack.errors import ArgumentError
from councilpack.wording import format_number, rounded_change, survey_percent
from councilpack.wording import round_half_up as _round_half_up
from councilpack.workforce.inputs import NOT_STATED

#: How group labels read at the start of a sentence, by group id and category.
_GROUP_PHRASES: dict[str, dict[str, str]] = {
    "working_carer": {"Yes": "Staff who are working carers", "No": "Staff who are not carers"},
    "lgbtq": {"Yes": "LGBTQ+ staff", "No": "Staff who are not LGBTQ+"},
    "disability": {"Yes": "Disabled staff", "No": "Staff without a disability"},
}


def whole_percent(value: float) -> str:
    """Return a percentage (0-100) as running text: ``"72 per cent"``.

    Parameters
    ----------
    value
        Percentage, 0-100.

    Returns
    -------
    str
        :func:`councilpack.wording.survey_percent`: whole per cent, as the
        report's tables give the same figure.
    """
    return survey_percent(value)


def round_half_up(value: float) -> int:
    """Round to a whole number, halves away from zero (as readers expect: 71.5 -> 72).

    The whole-number form of :func:`councilpack.wording.round_half_up`, the one
    rounding rule of the library.
    """
    return int(_round_half_up(value))


def approximate_count(value: int) -> str:
    """Return a staff count rounded for a sentence: ``1980 -> "2,000"``.

    Counts under 100 are exact; under 1,000 to the nearest 10; under 10,000 to
    the nearest 100; larger to the nearest 1,000.

    Parameters
    ----------
    value
        Number of staff.

    Returns
    -------
    str
    """
    if value < 100:
        step = 1
    elif value < 1_000:
        step = 10
    elif value < 10_000:
        step = 100
    else:
        step = 1_000
    return format_number(round_half_up(value / step) * step)


def response_sentence(wave: str, respondents: int, invited: int) -> str:
    """Describe a wave's response.

    Parameters
    ----------
    wave
        Wave label, e.g. ``"2024"``.
    respondents
        Number of responses.
    invited
        Staff invited.

    Returns
    -------
    str
        E.g. ``"The 2024 staff survey had 614 responses from c. 2,000 staff (31 per cent)."``
    """
    rate = 100 * respondents / invited
    return (
        f"The {wave} staff survey had {respondents:,} responses from "
        f"c. {approximate_count(invited)} staff ({whole_percent(rate)})."
    )


def points(value: int, unit: str = "percentage point") -> str:
    """Return ``"15 percentage point"`` (adjectival, so singular in every case)."""
    return f"{value:,} {unit}"


def change_phrase(
    now_pct: float, before_pct: float, significant: bool, unit: str = "percentage point"
) -> str:
    """Describe a change between two figures.

    Parameters
    ----------
    now_pct, before_pct
        The later and earlier figure (0-100, or eNPS points).
    significant
        Whether the change is statistically significant.
    unit
        ``"percentage point"`` or ``"point"``.

    Returns
    -------
    str
        ``"a statistically significant 15 percentage point increase"``,
        ``"a statistically significant 6 percentage point decrease"`` or
        ``"no significant change"``.
    """
    change = int(rounded_change(now_pct, before_pct))
    if not significant or change == 0:
        return "no significant change"
    direction = "increase" if change > 0 else "decrease"
    return f"a statistically significant {points(abs(change), unit)} {direction}"


def item_sentence(
    statement: str,
    now_pct: float,
    previous: tuple[str, float, bool] | None = None,
    first: tuple[str, float, bool] | None = None,
) -> str:
    """Describe an item's % positive and its change on earlier waves.

    Parameters
    ----------
    statement
        Words following the percentage, e.g. ``"are satisfied overall with the
        experience of working for the council"``.
    now_pct
        % positive in the latest wave.
    previous
        ``(wave, % positive, significant)`` for the previous wave, or ``None``.
    first
        The same for the first wave, when it is not the previous wave.

    Returns
    -------
    str
        E.g. ``"72 per cent are satisfied overall with the experience of
        working for the council, a statistically significant 15 percentage
        point increase on 2023."``
    """
    sentence = f"{whole_percent(now_pct)} {statement}"
    clauses = []
    for comparison in (previous, first):
        if comparison is None:
            continue
        wave, before, significant = comparison
        phrase = change_phrase(now_pct, before, significant)
        if phrase == "no significant change":
            clauses.append(f"no significant change on {wave} ({whole_percent(before)})")
        else:
            clauses.append(f"{phrase} on {wave}")
    if clauses:
        sentence += ", " + " and ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "."


def enps_sentence(
    enps: float,
    promoters_pct: float,
    detractors_pct: float,
    previous: tuple[str, float, bool] | None = None,
) -> str:
    """Describe an employee Net Promoter Score.

    Parameters
    ----------
    enps
        The score, -100 to 100.
    promoters_pct, detractors_pct
        % scoring 9-10 and 0-6.
    previous
        ``(wave, eNPS, significant)`` for the previous wave, or ``None``.

    Returns
    -------
    str
        E.g. ``"The employee Net Promoter Score is +6 (36 per cent would
        recommend the council as an employer, scoring 9 or 10, and 30 per cent
        would not, scoring 0 to 6), a statistically significant 15 point
        increase on 2023."``
    """
    score = round_half_up(enps)
    sentence = (
        f"The employee Net Promoter Score is {score:+d} ({whole_percent(promoters_pct)} "
        "would recommend the council as an employer, scoring 9 or 10, and "
        f"{whole_percent(detractors_pct)} would not, scoring 0 to 6)"
    )
    if previous is not None:
        wave, before, significant = previous
        phrase = change_phrase(enps, before, significant, unit="point")
        if phrase == "no significant change":
            sentence += f", no significant change on {wave} ({round_half_up(before):+d})"
        else:
            sentence += f", {phrase} on {wave}"
    return sentence.replace("+0 ", "0 ") + "."


def group_phrase(variable: str, variable_label: str, group: str) -> str:
    """Return how a group reads at the start of a sentence.

    Parameters
    ----------
    variable
        Group id (``directorate``, ``grade``, ``working_carer`` ...).
    variable_label
        Its label (``"Working carer"``).
    group
        Category label (``"Yes"``, ``"Adult Social Care"``).

    Returns
    -------
    str
        E.g. ``"Staff in Adult Social Care"``, ``"Disabled staff"``,
        ``"Staff aged 25-34"``.
    """
    if group == NOT_STATED:
        return f"Staff who did not state their {variable_label.lower()}"
    if variable in _GROUP_PHRASES and group in _GROUP_PHRASES[variable]:
        return _GROUP_PHRASES[variable][group]
    if variable in ("directorate", "grade", "service", "department"):
        return f"Staff in {group}"
    if variable == "age_band":
        return f"Staff aged {group}"
    if variable in ("sex", "ethnicity"):
        return f"{group} staff"
    return f"Staff with {variable_label.lower()} '{group}'"


def gap_sentence(who: str, label: str, group_pct: float, all_pct: float, significant: bool) -> str:
    """Describe a group's gap to the all-staff figure.

    Parameters
    ----------
    who
        From :func:`group_phrase`.
    label
        Item label.
    group_pct, all_pct
        The group's and all staff's % positive.
    significant
        Whether the gap is statistically significant.

    Returns
    -------
    str
        E.g. ``"Staff in Adult Social Care were less positive than staff
        overall on 'Satisfied with rewards and benefits' (22 per cent against
        29 per cent), a statistically significant gap of 7 percentage points."``
    """
    gap = int(rounded_change(group_pct, all_pct))
    figures = f"({whole_percent(group_pct)} against {whole_percent(all_pct)})"
    if not significant or gap == 0:
        return (
            f"{who} were about as positive as staff overall on '{label}' {figures}; "
            "the gap is not statistically significant."
        )
    comparison = "more" if gap > 0 else "less"
    plural = "s" if abs(gap) != 1 else ""
    return (
        f"{who} were {comparison} positive than staff overall on '{label}' {figures}, "
        f"a statistically significant gap of {abs(gap)} percentage point{plural}."
    )


def hr_sentence(
    measure: str, value: float, period: str, comparator: float | None, comparator_group: str
) -> str:
    """Describe an HR figure against its comparator.

    Parameters
    ----------
    measure
        ``"sickness_days_per_fte"`` or ``"turnover_pct"``.
    value
        The council's figure.
    period
        E.g. ``"2023/24"``.
    comparator
        The comparator figure, or ``None``.
    comparator_group
        Who the comparator is, e.g. ``"its most similar councils"``.

    Returns
    -------
    str
        E.g. ``"In 2023/24 the council recorded sickness absence of 14.21 days
        per FTE, against around 12 in its most similar councils."``
    """
    if measure == "sickness_days_per_fte":
        days = format_number(value, 2)
        sentence = f"In {period} the council recorded sickness absence of {days} days per FTE"
        against = comparator_text(comparator)
    elif measure == "turnover_pct":
        sentence = f"In {period} staff turnover was {format_number(value, 1)} per cent"
        against = f"{comparator_text(comparator)} per cent"
    else:
        raise ArgumentError(f"unknown HR measure {measure!r}")
    if comparator is not None:
        sentence += f", against around {against} in {comparator_group}"
    return sentence + "."


def comparator_text(value: float | None) -> str:
    """Return a published comparator at its own precision (whole when whole, else one place).

    The HR sentences and the HR table both print comparators this way.

    Examples
    --------
    >>> comparator_text(12.0), comparator_text(12.9), comparator_text(None)
    ('12', '12.9', '')
    """
    if value is None:
        return ""
    return format_number(value, 0 if float(value).is_integer() else 1)
