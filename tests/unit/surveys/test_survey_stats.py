"""Hand-worked checks of the survey statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from councilpack.surveys.stats import (
    compare_to_reference,
    kish_effective_base,
    two_proportion_test,
    weighted_proportion,
    wilson_interval,
)


def test_kish_effective_base_by_hand() -> None:
    # (1 + 1 + 2 + 2)^2 / (1 + 1 + 4 + 4) = 36 / 10
    assert kish_effective_base([1, 1, 2, 2]) == pytest.approx(3.6)
    assert kish_effective_base([3, 3, 3]) == pytest.approx(3.0)
    assert kish_effective_base([]) == 0.0


def test_two_proportion_test_hand_worked_equal_bases() -> None:
    # 60% of 500 against 50% of 500: pooled p = 0.55,
    # se = sqrt(0.55 * 0.45 * (1/500 + 1/500)) = sqrt(0.000990) = 0.0314643
    # z = 0.10 / 0.0314643 = 3.17821
    se = math.sqrt(0.55 * 0.45 * (2 / 500))
    expected_z = 0.10 / se
    assert expected_z == pytest.approx(3.178, abs=1e-3)
    result = two_proportion_test(0.60, 500, 0.50, 500)
    assert result.difference == pytest.approx(0.10)
    assert result.z == pytest.approx(expected_z)
    # two-sided p for z = 3.178 is about 0.0015 (normal tables)
    assert result.p_value == pytest.approx(0.00148, abs=5e-5)
    assert result.significant


def test_two_proportion_test_hand_worked_unequal_effective_bases() -> None:
    # 53% on n_eff 800 against 50% on n_eff 400: pooled = (424 + 200) / 1200 = 0.52
    # se = sqrt(0.52 * 0.48 * (1/800 + 1/400)) = sqrt(0.2496 * 0.00375) = 0.0305941
    # z = 0.03 / 0.0305941 = 0.98058 -> not significant
    pooled = (0.53 * 800 + 0.50 * 400) / 1200
    assert pooled == pytest.approx(0.52)
    expected_z = 0.03 / math.sqrt(0.52 * 0.48 * (1 / 800 + 1 / 400))
    result = two_proportion_test(0.53, 800, 0.50, 400)
    assert result.z == pytest.approx(expected_z)
    assert result.z == pytest.approx(0.9806, abs=1e-4)
    assert not result.significant


def test_two_proportion_test_degenerate_and_invalid() -> None:
    assert two_proportion_test(1.0, 10, 1.0, 20).p_value == 1.0
    with pytest.raises(ValueError, match="bases must be positive"):
        two_proportion_test(0.5, 0, 0.5, 10)


def test_wilson_interval_textbook_value() -> None:
    # Brown, Cai & DasGupta style example: 0.5 on n = 100 -> centre 0.5,
    # half width = 1.959964 * sqrt(0.0025 + 1.959964^2 / 40000) / (1 + 1.959964^2 / 100)
    z = 1.959963984540054
    half = z * math.sqrt(0.25 / 100 + z * z / (4 * 100 * 100)) / (1 + z * z / 100)
    lower, upper = wilson_interval(0.5, 100)
    assert lower == pytest.approx(0.5 - half)
    assert upper == pytest.approx(0.5 + half)
    assert lower == pytest.approx(0.4038, abs=1e-4)


def test_weighted_proportion_uses_effective_base() -> None:
    positive = np.array([True, False, True, False])
    weights = np.array([1.0, 1.0, 2.0, 2.0])
    estimate = weighted_proportion(positive, weights)
    assert estimate.proportion == pytest.approx(3 / 6)
    assert estimate.base_unweighted == 4
    assert estimate.base_effective == pytest.approx(3.6)
    assert estimate.design_effect == pytest.approx(4 / 3.6)
    assert (estimate.lower, estimate.upper) == pytest.approx(wilson_interval(0.5, 3.6))


def test_weighted_proportion_rejects_non_boolean() -> None:
    with pytest.raises(ValueError, match="boolean"):
        weighted_proportion(np.array([1, 0, 1]))


def test_compare_to_reference_agrees_with_interval() -> None:
    # 60% on n_eff 400 against 53%: z = 0.07 / sqrt(0.53 * 0.47 / 400) = 2.8050
    estimate = weighted_proportion(np.array([True] * 240 + [False] * 160))
    comparison = compare_to_reference(estimate, 0.53)
    assert comparison.test.z == pytest.approx(0.07 / math.sqrt(0.53 * 0.47 / 400))
    assert comparison.direction == "above"
    assert not comparison.inside_interval
    similar = compare_to_reference(estimate, 0.58)
    assert similar.direction == "similar"
    assert similar.inside_interval
    below = compare_to_reference(estimate, 0.66)
    assert below.direction == "below"


@pytest.mark.parametrize("reference", np.linspace(0.40, 0.80, 81))
def test_score_test_and_wilson_interval_never_disagree(reference: float) -> None:
    estimate = weighted_proportion(np.array([True] * 131 + [False] * 69), np.linspace(0.5, 2, 200))
    comparison = compare_to_reference(estimate, float(reference))
    assert comparison.inside_interval == (not comparison.test.significant)
