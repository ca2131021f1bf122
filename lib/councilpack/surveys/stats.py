"""Weighted proportions, confidence intervals and significance tests for surveys.

Methods
-------
Effective base
    Kish's effective sample size ``n_eff = (sum w)^2 / sum w^2`` and design
    effect due to weighting ``deff = n / n_eff = 1 + CV(w)^2`` (Kish, L. 1965,
    *Survey Sampling*, Wiley; Kish, L. 1992, "Weighting for unequal P_i",
    *Journal of Official Statistics* 8(2), 183-200).
Confidence interval
    Wilson score interval computed on the effective base. Brown, Cai and
    DasGupta (2001, "Interval estimation for a binomial proportion",
    *Statistical Science* 16(2), 101-133) show the Wilson interval keeps close
    to nominal coverage where the Wald interval does not (small bases,
    proportions near 0 or 1). Korn and Graubard (1998, "Confidence intervals
    for proportions with small expected number of positive counts estimated
    from survey data", *Survey Methodology* 24(2), 193-201) introduced
    substituting the effective sample size for ``n`` in binomial intervals for
    survey data, and Dean and Pagano (2015, "Evaluating confidence interval
    methods for binomial proportions in clustered surveys", *Journal of Survey
    Statistics and Methodology* 3(4), 484-503) found Wilson on the effective
    sample size among the best-covering choices. The
    simulation test in ``tests/unit/surveys`` checks 95 % coverage for equal
    and raked unequal-probability samples.
Change between two estimates
    Pooled two-proportion z-test on the effective bases (two-sided), e.g.
    Agresti, A. (2013) *Categorical Data Analysis*, 3rd ed., section 3.1.
Comparison with a published figure
    One-sample score test of the estimate against the fixed figure, with the
    null-hypothesis variance ``p0 (1 - p0) / n_eff``. This is the test that the
    Wilson interval inverts, so "significantly different" and "outside the 95 %
    interval" always agree.

All proportions are fractions between 0 and 1; turn them into percentages only
for display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from councilpack.errors import ArgumentError
from councilpack.vocabulary import Position

#: Default significance level (two-sided) and confidence level 1 - ALPHA.
ALPHA = 0.05

#: An estimate against a reference: "similar" when the difference is not significant.
Direction = Position


@dataclass(frozen=True)
class Estimate:
    """A weighted proportion with its 95 % interval and bases.

    Attributes
    ----------
    proportion
        Weighted proportion positive, 0-1.
    lower, upper
        Wilson interval on the effective base, 0-1.
    base_unweighted
        Number of respondents in the base.
    base_effective
        Kish effective base.
    design_effect
        ``base_unweighted / base_effective`` (1 when unweighted).
    confidence
        Confidence level of the interval (0.95).
    """

    proportion: float
    lower: float
    upper: float
    base_unweighted: int
    base_effective: float
    design_effect: float
    confidence: float = 1 - ALPHA


@dataclass(frozen=True)
class TestResult:
    """Result of a two-sided z-test.

    Attributes
    ----------
    difference
        ``p1 - p2`` (for :func:`two_proportion_test`) or ``estimate - reference``
        (for :func:`compare_to_reference`), as a fraction.
    z
        Test statistic.
    p_value
        Two-sided p-value.
    significant
        ``p_value < alpha``.
    """

    __test__ = False  # not a pytest test class, despite the name

    difference: float
    z: float
    p_value: float
    significant: bool


@dataclass(frozen=True)
class ReferenceComparison:
    """An estimate compared with a fixed published figure.

    Attributes
    ----------
    reference_value
        The published figure, 0-1.
    test
        One-sample score test of the estimate against the figure.
    inside_interval
        Whether the figure lies inside the estimate's interval.
    direction
        ``"similar"`` when not significant, else ``"above"`` / ``"below"``
        (the estimate relative to the figure).
    """

    reference_value: float
    test: TestResult
    inside_interval: bool
    direction: Direction


def _as_weights(weights: npt.ArrayLike | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    values = np.asarray(weights, dtype=float)
    if values.shape != (n,):
        raise ArgumentError(f"weights have shape {values.shape}, expected ({n},)")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ArgumentError("weights must be finite and not negative")
    return values


def kish_effective_base(weights: npt.ArrayLike) -> float:
    """Return Kish's effective base ``(sum w)^2 / sum w^2``.

    Parameters
    ----------
    weights
        Non-negative weights of the respondents in the base.

    Returns
    -------
    float
        Effective base; equals the number of respondents when all weights are
        equal, and 0 for an empty base.

    Examples
    --------
    >>> kish_effective_base([1, 1, 1, 1])
    4.0
    >>> kish_effective_base([1, 1, 2, 2])
    3.6
    """
    values = np.asarray(weights, dtype=float)
    squares = float(np.sum(values**2))
    if squares == 0:
        return 0.0
    return float(np.sum(values) ** 2 / squares)


def wilson_interval(
    proportion: float, base: float, confidence: float = 1 - ALPHA
) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion on a (possibly effective) base.

    Parameters
    ----------
    proportion
        Observed proportion, 0-1.
    base
        Sample size; pass the Kish effective base for weighted data.
    confidence
        Confidence level.

    Returns
    -------
    tuple of float
        ``(lower, upper)``; ``(nan, nan)`` when the base is 0.
    """
    if base <= 0:
        return (float("nan"), float("nan"))
    z = float(norm.ppf(0.5 + confidence / 2))
    z2_over_n = z * z / base
    centre = (proportion + z2_over_n / 2) / (1 + z2_over_n)
    half = (
        z * np.sqrt(proportion * (1 - proportion) / base + z2_over_n / (4 * base)) / (1 + z2_over_n)
    )
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def weighted_proportion(
    positive: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    confidence: float = 1 - ALPHA,
) -> Estimate:
    """Estimate a (weighted) proportion with a Wilson interval on the effective base.

    Parameters
    ----------
    positive
        One boolean per respondent in the base: ``True`` for a positive answer.
        Respondents outside the base (refused, not asked) must already be
        removed.
    weights
        One non-negative weight per respondent, or ``None`` for equal weights.
    confidence
        Confidence level of the interval.

    Returns
    -------
    Estimate
        Proportion, interval and bases. An empty base gives NaN proportion and
        interval with bases of 0.

    Raises
    ------
    ValueError
        When ``positive`` is not boolean, or the weights do not match it.
    """
    flags = np.asarray(positive)
    if flags.ndim != 1:
        raise ArgumentError("positive must be one-dimensional")
    if flags.size and flags.dtype != bool:
        raise ArgumentError(f"positive must be boolean, got dtype {flags.dtype}")
    n = int(flags.size)
    values = _as_weights(weights, n)
    total = float(values.sum())
    if n == 0 or total == 0:
        nan = float("nan")
        return Estimate(nan, nan, nan, n, 0.0, nan, confidence)
    proportion = float(values[flags].sum() / total)
    effective = kish_effective_base(values)
    lower, upper = wilson_interval(proportion, effective, confidence)
    return Estimate(
        proportion=proportion,
        lower=lower,
        upper=upper,
        base_unweighted=n,
        base_effective=effective,
        design_effect=n / effective,
        confidence=confidence,
    )


def two_proportion_test(
    p1: float, n1: float, p2: float, n2: float, alpha: float = ALPHA
) -> TestResult:
    """Two-sided pooled z-test for the difference between two independent proportions.

    ``z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with the pooled
    ``p = (n1 p1 + n2 p2) / (n1 + n2)``. Pass effective bases for weighted
    estimates.

    Parameters
    ----------
    p1, p2
        The two proportions, 0-1 (for a change over time, ``p1`` is the later wave).
    n1, n2
        Their (effective) bases.
    alpha
        Significance level.

    Returns
    -------
    TestResult
        ``difference = p1 - p2``. When both proportions are 0 or both 1 the
        standard error is 0 and the result is ``z = 0``, ``p = 1``.

    Raises
    ------
    ValueError
        When a base is not positive or a proportion is outside 0-1.
    """
    if n1 <= 0 or n2 <= 0:
        raise ArgumentError(f"bases must be positive, got {n1} and {n2}")
    for value in (p1, p2):
        if not 0 <= value <= 1:
            raise ArgumentError(f"proportions must be between 0 and 1, got {value}")
    pooled = (n1 * p1 + n2 * p2) / (n1 + n2)
    se = float(np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)))
    difference = p1 - p2
    if se == 0:
        return TestResult(difference, 0.0, 1.0, False)
    z = difference / se
    p_value = float(2 * norm.sf(abs(z)))
    return TestResult(difference, float(z), p_value, p_value < alpha)


def compare_to_reference(
    estimate: Estimate, reference_value: float, alpha: float = ALPHA
) -> ReferenceComparison:
    """Compare an estimate with a fixed published figure (e.g. the national poll).

    The published figure is treated as known (its own sampling error is not
    allowed for), as LGA and council reports do when they quote a national
    benchmark.

    Parameters
    ----------
    estimate
        The council's estimate.
    reference_value
        The published figure as a fraction 0-1 (53 per cent -> 0.53).
    alpha
        Significance level; use ``1 - estimate.confidence`` to match the interval.

    Returns
    -------
    ReferenceComparison
        Score test ``z = (p - p0) / sqrt(p0 (1 - p0) / n_eff)``, whether the
        figure is inside the interval, and the direction.

    Raises
    ------
    ValueError
        When the reference is outside 0-1 or the estimate has an empty base.
    """
    if not 0 <= reference_value <= 1:
        raise ArgumentError(f"reference value must be a fraction 0-1, got {reference_value}")
    if estimate.base_effective <= 0 or np.isnan(estimate.proportion):
        raise ArgumentError("cannot compare an estimate with an empty base")
    difference = estimate.proportion - reference_value
    se = float(np.sqrt(reference_value * (1 - reference_value) / estimate.base_effective))
    if se == 0:
        significant = difference != 0
        z = float("inf") if difference > 0 else (float("-inf") if difference < 0 else 0.0)
        test = TestResult(difference, z, 0.0 if significant else 1.0, significant)
    else:
        z = difference / se
        p_value = float(2 * norm.sf(abs(z)))
        test = TestResult(difference, float(z), p_value, p_value < alpha)
    inside = bool(estimate.lower <= reference_value <= estimate.upper)
    direction: Direction = (
        "similar" if not test.significant else ("above" if difference > 0 else "below")
    )
    return ReferenceComparison(reference_value, test, inside, direction)
