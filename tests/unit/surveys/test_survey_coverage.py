"""Simulation: 95 per cent intervals cover the known truth 94-96 per cent of the time.

Each case draws thousands of surveys from a population with known proportions,
estimates with the library's own raking and interval code, and counts how often
the interval covers the truth. Seeds are fixed, so the counts are deterministic.
Run alone with ``pytest tests/unit/surveys/test_survey_coverage.py -q -s`` to print them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from councilpack.surveys.stats import weighted_proportion
from councilpack.surveys.weighting import rake

SURVEYS = 3000

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+")
POPULATION_AGE = np.array([0.135, 0.165, 0.158, 0.156, 0.154, 0.232])
SAMPLE_AGE = np.array([0.06, 0.10, 0.13, 0.17, 0.22, 0.32])  # older residents over-sampled
POSITIVE_BY_AGE = np.array([0.40, 0.45, 0.50, 0.55, 0.62, 0.70])
POPULATION_FEMALE = 0.51
SAMPLE_FEMALE = 0.60
FEMALE_EFFECT = 0.04  # added to the age rate for women


def _report(name: str, covered: np.ndarray, estimates: np.ndarray, truth: float) -> None:
    print(
        f"\n{name}: coverage {covered.mean():.2%} of {covered.size} surveys; "
        f"mean estimate {estimates.mean():.4f} vs truth {truth:.4f}"
    )


def test_unweighted_simple_random_sample_coverage() -> None:
    rng = np.random.default_rng(5)
    truth, n = 0.53, 600
    draws = rng.random((SURVEYS, n)) < truth
    covered = np.empty(SURVEYS, dtype=bool)
    estimates = np.empty(SURVEYS)
    for index in range(SURVEYS):
        estimate = weighted_proportion(draws[index])
        covered[index] = estimate.lower <= truth <= estimate.upper
        estimates[index] = estimate.proportion
    _report("unweighted", covered, estimates, truth)
    assert 0.94 <= covered.mean() <= 0.96
    assert estimates.mean() == pytest.approx(truth, abs=0.002)


def test_unweighted_small_base_near_boundary_coverage() -> None:
    # Wilson keeps its coverage where Wald fails: 12 per cent on a base of 120
    rng = np.random.default_rng(11)
    truth, n = 0.12, 120
    positives = rng.binomial(n, truth, size=SURVEYS)
    intervals = [weighted_proportion(np.arange(n) < k) for k in positives]
    covered = np.array([e.lower <= truth <= e.upper for e in intervals])
    print(f"\nsmall base: coverage {covered.mean():.2%}")
    assert 0.93 <= covered.mean() <= 0.97


def test_raked_unequal_probability_sample_coverage_and_bias() -> None:
    rng = np.random.default_rng(7)
    n = 1000
    female_shares = np.array([POPULATION_FEMALE, 1 - POPULATION_FEMALE])
    # truth over the joint population cells (age and sex independent in the population)
    truth = float(POPULATION_AGE @ POSITIVE_BY_AGE + POPULATION_FEMALE * FEMALE_EFFECT)
    margins = {
        "age_band": dict(zip(AGE_BANDS, POPULATION_AGE, strict=True)),
        "sex": {"female": female_shares[0], "male": female_shares[1]},
    }
    bands = np.array(AGE_BANDS, dtype=object)
    covered = np.empty(SURVEYS, dtype=bool)
    estimates = np.empty(SURVEYS)
    unweighted = np.empty(SURVEYS)
    effects = np.empty(SURVEYS)
    for index in range(SURVEYS):
        age = rng.choice(len(AGE_BANDS), size=n, p=SAMPLE_AGE)
        female = rng.random(n) < SAMPLE_FEMALE
        positive = rng.random(n) < POSITIVE_BY_AGE[age] + FEMALE_EFFECT * female
        frame = pd.DataFrame({"age_band": bands[age], "sex": np.where(female, "female", "male")})
        weights = rake(frame, margins)
        estimate = weighted_proportion(positive, weights)
        covered[index] = estimate.lower <= truth <= estimate.upper
        estimates[index] = estimate.proportion
        unweighted[index] = positive.mean()
        effects[index] = estimate.design_effect
    _report("raked (age and sex)", covered, estimates, truth)
    print(f"mean design effect {effects.mean():.3f}; unweighted mean {unweighted.mean():.4f}")
    assert 0.94 <= covered.mean() <= 0.96
    assert estimates.mean() == pytest.approx(truth, abs=0.002)
    # the over-sample of older residents biases the unweighted figure: raking matters
    assert unweighted.mean() - truth > 0.02
