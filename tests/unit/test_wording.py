from __future__ import annotations

import pytest

from councilpack.wording import format_money, format_percent, format_value, ordinal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (950, "£950"),
        (12_400, "£12,400"),
        (2_204_000, "£2.2m"),
        (1_350_000_000, "£1.35bn"),
        (-5_000, "-£5,000"),
    ],
)
def test_format_money(value: float, text: str) -> None:
    assert format_money(value) == text


def test_format_percent_and_units() -> None:
    assert format_percent(20.71) == "20.7 per cent"
    assert format_value(2065.4, "GBP per head") == "£2,065 per head"
    # A negative figure (a council with more income than spending) puts the sign before the pound.
    assert format_value(-26.52, "GBP per head") == "-£27 per head"
    assert format_value(-0.2, "GBP per head") == "£0 per head"
    assert format_value(3.0, "percentage points") == "+3.0 percentage points"
    assert format_value(float("nan"), "GBP") == "not available"
    # Kilograms per household to one decimal, as Defra publishes them; a group
    # median of two published figures rounds half up.
    assert format_value(537.5, "kg per household") == "537.5 kg per household"
    assert format_value(539.65, "kg per household") == "539.7 kg per household"
    assert format_value(0.5, "score") == "0.50 score"


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (22, "22nd")]
)
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text
