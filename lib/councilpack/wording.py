"""Number formats and wording in the register of LGA peer challenge reports.

GB conventions: thousands separated by commas, "per cent" spelled out in
running text, money as £ with "m" for millions.

One rounding rule for the whole library: :func:`round_half_up` (halves away
from zero, on the number as written: 65.5 -> 66, 2.675 -> 2.68, -0.5 -> -1).
Every sentence, caption, table cell and chart label formats its numbers through
:func:`format_number` (or the helpers built on it), so a figure reads the same
everywhere it appears, and a value that rounds to zero never prints as "-0".
Changes between two printed figures are the difference of the rounded figures
(:func:`rounded_change`), so they agree with the figures beside them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from councilpack.markup import Markdown, bullets, md

#: Years figures at or above this are caps, not values: CIPFA's reserves sustainability
#: measure places councils not drawing down their reserves at 100 years.
YEARS_CAP = 100.0

#: How the method notes state the rounding rule.
ROUNDING_NOTE = (
    "Figures are rounded half up (a half rounds away from zero: 65.5 per cent reads as "
    "66 per cent), the same way in sentences, captions, tables and the JSON sidecar; a "
    "change between two figures is the difference of the rounded figures."
)


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round ``value`` to ``decimals`` places, halves away from zero.

    The float is read as its shortest decimal form (``repr``), so 2.675 (stored
    as 2.67499999...) rounds to 2.68 as a reader expects; Python's ``round``
    and ``format`` round halves to even and on the binary value.

    Examples
    --------
    >>> round_half_up(65.5), round_half_up(64.5), round_half_up(-0.5)
    (66.0, 65.0, -1.0)
    >>> round_half_up(2.675, 2)
    2.68
    """
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    rounded = float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    return rounded + 0.0  # -0.0 -> 0.0


def format_number(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """Format a number with GB thousands separators, rounded by :func:`round_half_up`.

    Parameters
    ----------
    value
        The number.
    decimals
        Places after the decimal point.
    sign
        Print ``+`` before a positive number (for changes); zero has no sign.

    Examples
    --------
    >>> format_number(1234.5)
    '1,235'
    >>> format_number(-0.04, 1), format_number(4.5, sign=True)
    ('0.0', '+5')
    """
    if math.isnan(value):
        return "not available"
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{abs(rounded):,.{decimals}f}"
    if rounded < 0:
        return f"-{text}"
    return f"+{text}" if sign and rounded > 0 else text


def rounded_change(now: float, before: float, decimals: int = 0) -> float:
    """Return the change between two figures as printed: the difference of the rounded figures.

    Examples
    --------
    >>> rounded_change(71.5, 67.4)  # 72 - 67, though 71.5 - 67.4 = 4.1
    5.0
    """
    return round_half_up(round_half_up(now, decimals) - round_half_up(before, decimals), decimals)


def format_money(value: float) -> str:
    """Format pounds for a reader: £950, £12,400, £0.3m, £2.2m, £1.35bn.

    From £100,000 up, amounts are in millions (one decimal), so sums of money in
    one report read in one unit ("£0.3m" beside "£2.0m", never "£292,813").

    Examples
    --------
    >>> format_money(2_204_000), format_money(292_813)
    ('£2.2m', '£0.3m')
    >>> format_money(-12_400)
    '-£12,400'
    """
    amount = abs(value)
    if round_half_up(amount / 1e9, 2) >= 1:
        text = f"£{format_number(amount / 1e9, 2)}bn"
    elif amount >= 1e5:
        text = f"£{format_number(amount / 1e6, 1)}m"
    else:
        text = f"£{format_number(amount)}"
    return f"-{text}" if value < 0 and text != "£0" else text


def format_percent(value: float, decimals: int = 1) -> str:
    """Format a percentage (0-100 scale) in running text: '3.2 per cent'."""
    return f"{format_number(value, decimals)} per cent"


#: Decimal places of units without a rule of their own, as their publisher gives them
#: (Defra's ENV18 gives kilograms per household to one decimal). Others: two.
UNIT_DECIMALS = {"kg per household": 1}


def format_value(value: float, unit: str) -> str:
    """Format a value in its unit for a table cell or sentence.

    Parameters
    ----------
    value
        The figure.
    unit
        ``GBP``, ``GBP per head``, ``percent``, ``persons``, ``years``, ``count``
        or any other unit (printed after the number, to the decimals of
        :data:`UNIT_DECIMALS`, else two).
    """
    if math.isnan(value):
        return "not available"
    if unit == "GBP":
        return format_money(value)
    if unit.startswith("GBP per"):
        amount = format_number(value)
        sign = "-" if amount.startswith("-") else ""
        return f"{sign}£{amount.lstrip('-')} {unit.removeprefix('GBP ').strip()}"
    if unit == "percent":
        return format_percent(value)
    if unit in ("percentage points", "pp"):
        return f"{format_number(value, 1, sign=True)} percentage points"
    if unit in ("persons", "count", "people", "respondents"):
        return format_number(value)
    if unit == "years":
        return years_text(value, cap=YEARS_CAP)
    return f"{format_number(value, UNIT_DECIMALS.get(unit, 2))} {unit}".strip()


def ordinal(number: int) -> str:
    """Return '1st', '2nd', '3rd', '12th' for a rank."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders numbers inside labels by value: Grades 1-5, 6-9, 10-13.

    Examples
    --------
    >>> sorted(["Grades 10-13", "Grades 1-5", "Grades 6-9"], key=natural_key)
    ['Grades 1-5', 'Grades 6-9', 'Grades 10-13']
    """
    parts = re.split(r"(\d+)", str(text).casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``"1 council"`` / ``"3 councils"``, with irregular plurals given or known.

    Examples
    --------
    >>> plural(2, "unitary authority")
    '2 unitary authorities'
    """
    return f"{count:,} {singular if count == 1 else plural_word(singular, plural_form)}"


def plural_word(singular: str, plural_form: str | None = None) -> str:
    """Return the plural of a noun phrase (its last word): authority -> authorities.

    Examples
    --------
    >>> plural_word("Unitary authority"), plural_word("London borough"), plural_word("county")
    ('Unitary authorities', 'London boroughs', 'counties')
    """
    if plural_form is not None:
        return plural_form
    if re.search(r"[^aeiou]y$", singular):
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "ch", "sh")):
        return singular + "es"
    return singular + "s"


#: Reader-facing names of the data columns that reach a table or a chart.
COLUMN_LABELS: dict[str, str] = {
    "base_effective": "Effective base",
    "base_unweighted": "Respondents",
    "design_effect": "Design effect",
    "age_band": "Age band",
    "comparator_value": "Comparator figure",
    "comparator_group": "Comparator group",
    "percent": "Per cent positive",
    "positive_pct": "Per cent positive",
    "lower": "Lower 95% limit",
    "upper": "Upper 95% limit",
    "national_percent": "National figure (per cent)",
    "national_fieldwork": "National fieldwork",
    "comparison": "Against the national figure",
    "respondents": "Respondents",
    "method": "Weighting",
    "item": "Item",
    "label": "Measure",
    "series": "Series",
    "wave": "Wave",
    "month": "Fieldwork",
    "group": "Group",
    "category": "Category",
    "value": "Value",
    "unit": "Unit",
    "period": "Period",
    "source": "Source",
    "median": "Group median",
    "lower_quartile": "Lower quartile",
    "upper_quartile": "Upper quartile",
    "council": "Council",
    "name": "Council",
    "gss_code": "ONS code",
}

#: Decimal places of columns whose precision is not one place.
COLUMN_DECIMALS: dict[str, int] = {"design_effect": 2, "base_effective": 0}

#: Plain-English explanations of the technical terms reports use.
GLOSSARY: dict[str, str] = {
    "effective base": (
        "the number of respondents a simple random sample would need to give the same "
        "precision as this weighted survey (respondents divided by the design effect)"
    ),
    "design effect": (
        "how much weighting widens the confidence intervals: 1.2 means the variance is "
        "20 per cent larger than for an unweighted sample of the same size"
    ),
    "95 per cent confidence interval": (
        "the range that would contain the true figure in 95 of 100 repeated surveys"
    ),
    "percentage point": "the difference between two percentages (50 to 53 per cent is 3 points)",
    "statistically significant": (
        "a difference larger than chance alone would usually give (tested at the 5 per cent level)"
    ),
    "median": "the middle figure of a group when its figures are put in order",
    "quartiles": "the figures a quarter and three quarters of the way up a group's ordered figures",
    "net revenue expenditure (NRE)": (
        "a council's day-to-day spending on services after income from fees, charges and "
        "specific grants"
    ),
    "unallocated reserves": "reserves held for no particular purpose, a buffer against shocks",
    "earmarked reserves": "reserves set aside by the council for particular purposes",
    "comparator group": "councils the council is compared with, such as its nearest neighbours",
    "per cent positive": "the share of those who answered a question who gave a positive answer",
    "employee Net Promoter Score (eNPS)": (
        "the per cent scoring 9 or 10 out of 10 for recommending the council as an employer "
        "minus the per cent scoring 0 to 6"
    ),
}


def plain_label(name: object) -> str:
    """Return the reader-facing name of a data column.

    Known names come from :data:`COLUMN_LABELS`; any other identifier-like name
    (``snake_case``) is spelled out; anything else is returned unchanged.

    Examples
    --------
    >>> plain_label("base_effective"), plain_label("share_of_budget"), plain_label("2024")
    ('Effective base', 'Share of budget', '2024')
    """
    text = str(name)
    if text in COLUMN_LABELS:
        return COLUMN_LABELS[text]
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", text):
        spelled = text.replace("_", " ")
        return spelled[0].upper() + spelled[1:]
    return text


def glossary_markdown(terms: Iterable[str]) -> Markdown:
    """Return a Markdown list explaining ``terms`` (keys of :data:`GLOSSARY`).

    Raises
    ------
    KeyError
        For a term the glossary does not define.
    """
    return bullets(md("**{}**: {}.", term[0].upper() + term[1:], GLOSSARY[term]) for term in terms)


def format_date(value: object) -> str:
    """Return a date for a reader: ``"October 2023"`` for the first of a month, else ``"3 October 2023"``.

    Examples
    --------
    >>> import pandas as pd
    >>> format_date(pd.Timestamp("2023-10-01")), format_date(pd.Timestamp("2023-10-03"))
    ('October 2023', '3 October 2023')
    """
    import pandas as pd  # deferred: batch workers import wording (via figures), never pandas

    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if stamp.day == 1 and stamp.hour == stamp.minute == stamp.second == 0:
        return f"{stamp:%B %Y}"
    return f"{stamp.day} {stamp:%B %Y}"


def years_text(value: float, cap: float | None = None) -> str:
    """Return a number of years, a value at its cap read as "more than N years".

    Examples
    --------
    >>> years_text(8.64), years_text(100.0, cap=100)
    ('8.6 years', 'more than 100 years')
    """
    if cap is not None and value >= cap:
        return f"more than {format_number(cap)} years"
    return f"{format_number(value, 1)} years"
