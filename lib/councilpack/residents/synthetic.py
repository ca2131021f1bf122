"""Synthetic residents' survey waves with known truth, for the demo and tests.

The population has six age bands; older residents are more positive on every
item. The sample over-represents older residents (as postal and telephone
surveys do), so the unweighted percentage is biased upwards and raking to the
age margins removes the bias. Every wave uses the example codebook's columns
and codes, so the data exercise the same path as a council's file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from councilpack.errors import ArgumentError
from councilpack.residents.analysis import WaveInput, example_codebook_path
from councilpack.residents.items import AGE_BANDS
from councilpack.surveys.codebook import Codebook

#: Population shares of residents aged 16+ by age band (roughly England, mid-2023).
POPULATION_SHARES: dict[str, float] = {
    "16-24": 0.135,
    "25-34": 0.165,
    "35-44": 0.158,
    "45-54": 0.156,
    "55-64": 0.154,
    "65+": 0.232,
}
#: Sample shares with older residents over-represented.
OVERSAMPLED_SHARES: dict[str, float] = {
    "16-24": 0.06,
    "25-34": 0.10,
    "35-44": 0.13,
    "45-54": 0.17,
    "55-64": 0.22,
    "65+": 0.32,
}
#: Per cent positive (of the base) among 45-54s in the first wave, by item.
BASE_RATES: dict[str, float] = {
    "satisfied_local_area": 0.72,
    "satisfied_council": 0.55,
    "keeps_informed": 0.52,
    "acts_on_concerns": 0.50,
    "value_for_money": 0.45,
    "trust_council": 0.55,
}
#: Added to the base rate for each age band (older residents more positive).
AGE_EFFECTS: dict[str, float] = {
    "16-24": -0.12,
    "25-34": -0.08,
    "35-44": -0.03,
    "45-54": 0.0,
    "55-64": 0.05,
    "65+": 0.12,
}
#: Share of the base answering "don't know", and of all respondents refusing.
DONT_KNOW = 0.05
REFUSED = 0.02
AREAS: tuple[str, ...] = ("North", "Central", "South")


@dataclass(frozen=True)
class SyntheticSurveys:
    """Synthetic waves with the truth they were drawn from.

    Attributes
    ----------
    waves
        One :class:`~councilpack.residents.analysis.WaveInput` per wave, with a
        DataFrame source laid out as the example codebook expects.
    codebook
        The example codebook.
    truth
        ``wave, item, true_percent``: the population per cent positive (of the
        base: all answering, don't know included).
    population_margins
        ``{"age_band": {band: persons}}`` for raking.
    """

    waves: list[WaveInput]
    codebook: Codebook
    truth: pd.DataFrame
    population_margins: dict[str, dict[str, float]]


def true_positive_by_age(item: str, shift: float = 0.0) -> dict[str, float]:
    """Return the true per cent positive (0-1, of the base) for each age band."""
    return {band: BASE_RATES[item] + AGE_EFFECTS[band] + shift for band in AGE_BANDS}


def generate_waves(
    n_waves: int = 2,
    respondents_per_wave: int | Sequence[int] = 1500,
    *,
    seed: int = 20240501,
    wave_shifts: Sequence[float] | None = None,
    first_year: int = 2023,
    oversample_older: bool = True,
    population: int = 150_000,
    population_shares: Mapping[str, float] | None = None,
) -> SyntheticSurveys:
    """Generate respondent-level residents' survey waves with known truth.

    Parameters
    ----------
    n_waves
        Number of yearly waves (fieldwork each October from ``first_year``).
    respondents_per_wave
        Sample size, one for all waves or one per wave.
    seed
        Random seed; the same seed gives the same data.
    wave_shifts
        Change in the true proportion positive in each wave, added to every
        item and age band (shifts accumulate); default ``0`` in the first
        wave, ``+0.06`` in the second and no change after that.
    first_year
        Year of the first wave.
    oversample_older
        Draw ages with :data:`OVERSAMPLED_SHARES` (``True``) or the population
        shares (``False``).
    population
        Residents aged 16+ (scales the margins only).
    population_shares
        Age band -> population share; :data:`POPULATION_SHARES` by default.

    Returns
    -------
    SyntheticSurveys
    """
    rng = np.random.default_rng(seed)
    shares = dict(population_shares or POPULATION_SHARES)
    weights_true = np.array([shares[b] for b in AGE_BANDS]) / sum(shares.values())
    sample_shares = np.array(
        [(OVERSAMPLED_SHARES if oversample_older else shares)[b] for b in AGE_BANDS]
    )
    sample_shares = sample_shares / sample_shares.sum()
    sizes = (
        [respondents_per_wave] * n_waves
        if isinstance(respondents_per_wave, int)
        else list(respondents_per_wave)
    )
    shifts = (
        list(wave_shifts)
        if wave_shifts is not None
        else [0.0, 0.06, *([0.0] * (n_waves - 2))][:n_waves]
    )
    codebook = Codebook.from_yaml(example_codebook_path())
    waves: list[WaveInput] = []
    truth_rows = []
    for index in range(n_waves):
        n = sizes[index]
        shift = float(np.sum(shifts[: index + 1]))
        age = rng.choice(len(AGE_BANDS), size=n, p=sample_shares)
        frame = pd.DataFrame(
            {
                "RESPID": np.arange(1, n + 1) + 100_000 * (index + 1),
                "AGEBAND": age + 1,
                "SEX": rng.integers(1, 3, size=n),
                "AREA": np.array(AREAS, dtype=object)[rng.integers(0, len(AREAS), size=n)],
            }
        )
        for item_id, item in codebook.items.items():
            positive_rate = np.array(list(true_positive_by_age(item_id, shift).values()))
            frame[item.column] = _draw_codes(rng, age, positive_rate, item.codes)
            truth_rows.append(
                {
                    "wave": str(first_year + index),
                    "item": item_id,
                    "true_percent": 100 * float(weights_true @ positive_rate),
                }
            )
        waves.append(WaveInput(str(first_year + index), f"{first_year + index}-10", frame))
    margins = {
        "age_band": {b: population * float(w) for b, w in zip(AGE_BANDS, weights_true, strict=True)}
    }
    return SyntheticSurveys(waves, codebook, pd.DataFrame(truth_rows), margins)


def _draw_codes(
    rng: np.random.Generator,
    age: np.ndarray,
    positive_rate: np.ndarray,
    codes: Mapping[Any, list[int | str]],
) -> np.ndarray:
    """Draw one answer code per respondent from the category probabilities of their age."""
    has_neutral = "neutral" in codes
    p_positive = positive_rate * (1 - REFUSED)
    p_dont_know = np.full_like(p_positive, DONT_KNOW * (1 - REFUSED))
    rest = 1 - REFUSED - p_positive - p_dont_know
    p_neutral = rest * 0.4 if has_neutral else np.zeros_like(rest)
    p_negative = rest - p_neutral
    probabilities = np.column_stack(
        [p_positive, p_neutral, p_negative, p_dont_know, np.full_like(p_positive, REFUSED)]
    )
    if np.any(probabilities < 0):
        raise ArgumentError("true proportions leave no room for other answers; lower the shifts")
    cumulative = probabilities[age].cumsum(axis=1)
    draws = rng.random(age.size)[:, None]
    category = (draws > cumulative).sum(axis=1).clip(max=4)
    names = ("positive", "neutral", "negative", "dont_know", "refused")
    result = np.empty(age.size, dtype=int)
    for position, name in enumerate(names):
        chosen = category == position
        if chosen.any():
            options = np.array(codes[name], dtype=int)
            result[chosen] = options[rng.integers(0, options.size, size=int(chosen.sum()))]
    return result
