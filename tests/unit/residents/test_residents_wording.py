"""Wording follows significance."""

from __future__ import annotations

import numpy as np
import pytest

from councilpack.residents.wording import change_phrase, national_phrase, percent_text
from councilpack.surveys.stats import compare_to_reference, weighted_proportion


@pytest.mark.parametrize(
    ("positives", "expected"),
    [
        (265, "similar to the national figure (53 per cent)"),  # 53% of 500
        (240, "below the national figure (53 per cent)"),  # 48% of 500: z = -2.24
        (295, "above the national figure (53 per cent)"),  # 59% of 500: z = 2.69
    ],
)
def test_national_wording_follows_the_test(positives: int, expected: str) -> None:
    estimate = weighted_proportion(np.arange(500) < positives)
    comparison = compare_to_reference(estimate, 0.53)
    assert national_phrase(comparison.direction, 53) == expected


def test_national_wording_with_month() -> None:
    assert national_phrase("similar", 54, "July 2024") == (
        "similar to the national figure (54 per cent, July 2024)"
    )
    with pytest.raises(ValueError, match="unknown direction"):
        national_phrase("higher", 54)  # type: ignore[arg-type]


def test_change_wording() -> None:
    assert change_phrase(6.2, True, "2023") == (
        "a statistically significant increase of 6 percentage points since 2023"
    )
    assert change_phrase(-4.4, True, "2023") == (
        "a statistically significant fall of 4 percentage points since 2023"
    )
    assert change_phrase(1.0, True, "2022") == (
        "a statistically significant increase of 1 percentage point since 2022"
    )
    assert change_phrase(0.3, True, "2022") == (
        "a statistically significant increase of less than 1 percentage point since 2022"
    )
    assert change_phrase(5.0, False, "2023") == "no significant change since 2023"


def test_percent_text() -> None:
    assert percent_text(53.4) == "53 per cent"
    assert percent_text(float("nan")) == "not available"
