"""Number formats and wording in the register of LGA peer challenge reports.

GB conventions: thousands separated by commas, "per cent" spelled out in
running text, money as £ with "m" for millions.
"""

from __future__ import annotations

import math


def format_money(value: float) -> str:
    """Format pounds for a reader: £950, £12,400, £2.2m, £1.35bn.

    Examples
    --------
    >>> format_money(2_204_000)
    '£2.2m'
    >>> format_money(-12_400)
    '-£12,400'
    """
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if amount >= 1e9:
        return f"{sign}£{amount / 1e9:,.2f}bn"
    if amount >= 1e6:
        return f"{sign}£{amount / 1e6:,.1f}m"
    return f"{sign}£{amount:,.0f}"


def format_percent(value: float, decimals: int = 1) -> str:
    """Format a percentage (0-100 scale) in running text: '3.2 per cent'."""
    return f"{value:,.{decimals}f} per cent"


def format_value(value: float, unit: str) -> str:
    """Format a value in its unit for a table cell or sentence.

    Parameters
    ----------
    value
        The figure.
    unit
        ``GBP``, ``GBP per head``, ``percent``, ``persons``, ``years``, ``count``
        or any other unit (printed after the number).
    """
    if math.isnan(value):
        return "not available"
    if unit == "GBP":
        return format_money(value)
    if unit.startswith("GBP per"):
        sign = "-" if round(value) < 0 else ""
        return f"{sign}£{abs(value):,.0f} {unit.removeprefix('GBP ').strip()}"
    if unit == "percent":
        return format_percent(value)
    if unit in ("percentage points", "pp"):
        return f"{value:+,.1f} percentage points"
    if unit in ("persons", "count", "people", "respondents"):
        return f"{value:,.0f}"
    if unit == "years":
        return f"{value:,.1f} years"
    return f"{value:,.2f} {unit}".strip()


def ordinal(number: int) -> str:
    """Return '1st', '2nd', '3rd', '12th' for a rank."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
