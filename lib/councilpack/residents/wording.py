"""Sentences whose wording follows statistical significance.

Rules
-----
* Against a national figure: "similar to" unless the one-sample test is
  significant at 5 per cent, then "above" or "below". The figure and its month
  are always quoted.
* Change between waves: "a statistically significant increase/fall of N
  percentage points since <wave>" only when the two-proportion test is
  significant; otherwise "no significant change since <wave>".
* Percentages in running text are whole numbers followed by "per cent", rounded
  half up through :func:`councilpack.wording.survey_percent`, as every survey
  percentage reads in the report's tables too.
"""

from __future__ import annotations

from councilpack.errors import ArgumentError
from councilpack.surveys.stats import Direction
from councilpack.wording import format_number, round_half_up, survey_percent


def percent_text(percent: float) -> str:
    """Return a percentage (0-100 scale) for running text: ``53 per cent``."""
    return survey_percent(percent)


def national_phrase(direction: Direction, national_percent: float, when: str | None = None) -> str:
    """Return the comparison with the national figure.

    Parameters
    ----------
    direction
        ``"similar"``, ``"above"`` or ``"below"`` from
        :func:`councilpack.surveys.stats.compare_to_reference`.
    national_percent
        The national figure, 0-100.
    when
        Optional fieldwork month in words, e.g. ``"July 2024"``.

    Returns
    -------
    str
        E.g. ``"similar to the national figure (53 per cent)"``.

    Examples
    --------
    >>> national_phrase("below", 53)
    'below the national figure (53 per cent)'
    >>> national_phrase("similar", 53, "July 2024")
    'similar to the national figure (53 per cent, July 2024)'
    """
    figure = percent_text(national_percent) + (f", {when}" if when else "")
    if direction == "similar":
        return f"similar to the national figure ({figure})"
    if direction in ("above", "below"):
        return f"{direction} the national figure ({figure})"
    raise ArgumentError(f"unknown direction {direction!r}")


def change_phrase(change_points: float, significant: bool, since: str) -> str:
    """Return the change since an earlier wave.

    Parameters
    ----------
    change_points
        Later minus earlier, in percentage points.
    significant
        Whether the two-proportion test is significant.
    since
        Label of the earlier wave, e.g. ``"2023"``.

    Returns
    -------
    str
        E.g. ``"a statistically significant increase of 6 percentage points
        since 2023"`` or ``"no significant change since 2023"``.

    Examples
    --------
    >>> change_phrase(6.2, True, "2023")
    'a statistically significant increase of 6 percentage points since 2023'
    >>> change_phrase(-2.0, False, "2023")
    'no significant change since 2023'
    """
    if not significant:
        return f"no significant change since {since}"
    size = abs(change_points)
    amount = "less than 1 percentage point" if round_half_up(size) < 1 else _points(size)
    kind = "increase" if change_points > 0 else "fall"
    return f"a statistically significant {kind} of {amount} since {since}"


def _points(size: float) -> str:
    whole = round_half_up(size)
    return f"{format_number(whole)} percentage point" + ("" if whole == 1 else "s")
