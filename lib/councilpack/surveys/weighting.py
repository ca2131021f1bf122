"""Raking (iterative proportional fitting) of respondent weights to population margins.

Raking adjusts weights so that the weighted sample matches known population
totals on each variable separately (Deming, W. E. and Stephan, F. F. 1940,
"On a least squares adjustment of a sampled frequency table when the expected
marginal totals are known", *Annals of Mathematical Statistics* 11(4),
427-444; Kalton, G. and Flores-Cervantes, I. 2003, "Weighting methods",
*Journal of Official Statistics* 19(2), 81-97). With a single variable raking is
post-stratification and converges in one step.

Why not a library: ``ipfn`` has had no release since 2021; ``samplics`` 0.6
brings in ``polars`` and its runtime for one function; ``balance`` brings a
modelling stack. The algorithm is a few lines of NumPy, and it is checked in
``tests/unit/surveys/test_weighting.py`` against closed-form post-stratification
and hand-worked two-way examples.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from councilpack.surveys.errors import SurveyDataError

#: Margins: variable -> {category: population count or share}.
Margins = Mapping[str, Mapping[str, float]]


def rake(
    frame: pd.DataFrame,
    margins: Margins,
    base_weights: npt.ArrayLike | None = None,
    *,
    max_iterations: int = 200,
    tolerance: float = 1e-9,
    file_name: str | None = None,
) -> np.ndarray:
    """Rake weights so the weighted sample matches each population margin.

    Parameters
    ----------
    frame
        One row per respondent with a column for each variable in ``margins``
        holding its category label (e.g. ``age_band`` = ``"25-34"``).
    margins
        Variable -> {category: population count}. Counts or shares both work;
        each margin is rescaled to shares. Every category seen in the data must
        have a margin and every margin category must have respondents.
    base_weights
        Starting (design) weights; equal when ``None``.
    max_iterations
        Raking cycles before giving up.
    tolerance
        Largest allowed absolute difference between a weighted sample share
        and its population share.
    file_name
        Named in error messages.

    Returns
    -------
    numpy.ndarray
        Weights scaled to average 1 (they sum to the number of respondents).

    Raises
    ------
    SurveyDataError
        A respondent has no category or one without a margin, a margin
        category has no respondents, a margin is not positive, or raking does
        not converge.
    """
    n = len(frame)
    if n == 0:
        raise SurveyDataError("cannot rake an empty sample", file=file_name)
    weights = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=float).copy()
    codes: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    for variable, margin in margins.items():
        if variable not in frame.columns:
            raise SurveyDataError(
                f"no column to rake to the {variable!r} margin", file=file_name, column=variable
            )
        categories = [str(c) for c in margin]
        totals = np.array([float(margin[c]) for c in margin])
        if np.any(~np.isfinite(totals)) or np.any(totals <= 0):
            raise SurveyDataError(
                f"population margin for {variable!r} must be positive: {dict(margin)}",
                file=file_name,
                column=variable,
            )
        values = frame[variable]
        position = pd.Categorical(
            values.astype(object).where(values.notna(), None), categories=categories
        ).codes
        bad = np.flatnonzero(position < 0)
        if bad.size:
            row = int(bad[0])
            value = values.iloc[row]
            what = "is missing" if pd.isna(value) else f"{value!r} has no population margin"
            raise SurveyDataError(
                f"{variable} {what}, so the respondent cannot be raked "
                f"(margins: {', '.join(categories)}); {bad.size} row(s) affected",
                file=file_name,
                column=variable,
                row=row + 1,
            )
        counts = np.bincount(position, minlength=len(categories))
        empty = [categories[i] for i in np.flatnonzero(counts == 0)]
        if empty:
            raise SurveyDataError(
                f"no respondents in {variable} {', '.join(empty)}, so raking to that margin "
                "is impossible; merge categories or drop the margin",
                file=file_name,
                column=variable,
            )
        codes.append(position)
        targets.append(totals / totals.sum())
    if not codes:
        return weights * n / weights.sum()
    for _ in range(max_iterations):
        for position, target in zip(codes, targets, strict=True):
            sums = np.bincount(position, weights=weights, minlength=target.size)
            weights *= (target * weights.sum() / sums)[position]
        worst = max(
            float(
                np.max(
                    np.abs(np.bincount(p, weights=weights, minlength=t.size) / weights.sum() - t)
                )
            )
            for p, t in zip(codes, targets, strict=True)
        )
        if worst <= tolerance:
            return weights * n / weights.sum()
    raise SurveyDataError(
        f"raking did not converge in {max_iterations} cycles (largest margin gap {worst:.2g}); "
        "check the margins are consistent",
        file=file_name,
    )
