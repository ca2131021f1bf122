"""Synthetic staff survey waves with known truth, for tests and demonstrations.

The generator builds a council workforce by directorate, invites everyone in
each wave, and lets each member of staff respond with a probability that
depends on their directorate (so response rates differ, and some groups end up
with fewer than 10 respondents). Answers are drawn from known probabilities,
which are returned as ``truth`` so tests can check the analysis recovers them.
Nothing here is real data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from councilpack.errors import ArgumentError
from councilpack.workforce.inputs import Invited, StaffCodebook

#: The packaged example codebook, which describes the synthetic files.
EXAMPLE_CODEBOOK = Path(__file__).with_name("example_codebook.yml")

#: Directorate -> (headcount in the first wave, response probability).
DIRECTORATES: dict[str, tuple[int, float]] = {
    "Adult Social Care": (560, 0.28),
    "Children's Services": (430, 0.33),
    "Place and Environment": (610, 0.22),
    "Resources": (300, 0.55),
    "Chief Executive's Office": (45, 0.6),
    "Public Health": (28, 0.25),
}

#: Directorate -> change in the chance of a positive answer (percentage points).
DIRECTORATE_EFFECTS: dict[str, float] = {
    "Adult Social Care": -6.0,
    "Children's Services": -2.0,
    "Place and Environment": 3.0,
    "Resources": 4.0,
    "Chief Executive's Office": 8.0,
    "Public Health": 0.0,
}

#: Item id -> (column, label, theme, statement, % positive in each wave).
ITEMS: dict[str, tuple[str, str, str, str, tuple[float, ...]]] = {
    "satisfied_overall": (
        "Q1",
        "Satisfied overall with working for the council",
        "engagement",
        "are satisfied overall with the experience of working for the council",
        (57.0, 60.0, 72.0),
    ),
    "recommend_employer": (
        "Q2",
        "Would recommend the council as a place to work",
        "engagement",
        "would recommend the council as a place to work",
        (52.0, 54.0, 58.0),
    ),
    "rewards_benefits": (
        "Q3",
        "Satisfied with rewards and benefits",
        "reward",
        "are satisfied with their rewards and benefits",
        (41.0, 35.0, 30.0),
    ),
    "stay_12_months": (
        "Q4",
        "Plan to be working for the council in 12 months",
        "engagement",
        "plan to still be working for the council in 12 months' time",
        (78.0, 78.0, 79.0),
    ),
    "share_work_issues": (
        "Q5",
        "Feel able to share work issues freely",
        "voice",
        "feel able to share work issues freely",
        (63.0, 66.0, 70.0),
    ),
    "contribute_improvements": (
        "Q6",
        "Able to contribute to improvements at work",
        "voice",
        "feel able to contribute to improvements at work",
        (68.0, 68.0, 67.0),
    ),
    "line_manager_support": (
        "Q7",
        "Supported by their line manager",
        "leadership",
        "feel supported by their line manager",
        (80.0, 82.0, 84.0),
    ),
    "senior_leaders_visible": (
        "Q8",
        "Senior leaders are visible",
        "leadership",
        "say senior leaders are visible",
        (38.0, 45.0, 55.0),
    ),
    "wellbeing_supported": (
        "Q9",
        "The council supports their health and wellbeing",
        "wellbeing",
        "feel the council supports their health and wellbeing",
        (61.0, 64.0, 63.0),
    ),
}

#: Promoter and detractor shares (0-10 recommend item) in each wave.
ENPS_TRUTH: tuple[tuple[float, float], ...] = ((0.24, 0.41), (0.27, 0.37), (0.33, 0.30))

#: Group id -> (column, categories with probabilities, code meaning "prefer not to say").
CHARACTERISTICS: dict[str, tuple[str, dict[str, float]]] = {
    "grade": (
        "GRADE",
        {"Grades 1-5": 0.38, "Grades 6-9": 0.40, "Grades 10-13": 0.17, "Senior leadership": 0.02},
    ),
    "working_carer": ("CARER", {"Yes": 0.18, "No": 0.77}),
    "lgbtq": ("LGBTQ", {"Yes": 0.04, "No": 0.86}),
    "disability": ("DISAB", {"Yes": 0.09, "No": 0.84}),
    "ethnicity": (
        "ETHNIC",
        {
            "White British": 0.78,
            "White other": 0.04,
            "Asian or Asian British": 0.06,
            "Black or Black British": 0.03,
            "Mixed or multiple": 0.015,
            "Other ethnic group": 0.005,
        },
    ),
    "sex": ("SEX", {"Female": 0.64, "Male": 0.32}),
    "age_band": ("AGE", {"16-24": 0.05, "25-34": 0.18, "35-49": 0.36, "50-64": 0.34, "65+": 0.03}),
}

PREFER_NOT_TO_SAY = 99
DONT_KNOW_SHARE = 0.03
NO_ANSWER_SHARE = 0.01


@dataclass(frozen=True)
class SyntheticStaffSurvey:
    """Generated waves with the truth behind them.

    Attributes
    ----------
    waves
        Wave label -> respondent-level DataFrame as a council would supply it
        (numeric answer codes in columns ``Q1`` ..., ``ENPS``, group codes).
    codebook
        The staff codebook describing the files.
    invited
        Wave label -> staff invited, with headcount by directorate.
    truth
        True % positive (0-100) per ``wave, item, variable, group`` for all
        staff (``variable == "all_staff"``, expected over the respondent mix)
        and each directorate; plus eNPS truth as item ``"enps"``.
    respondents
        Wave label -> respondents per directorate (before any suppression).
    """

    waves: dict[str, pd.DataFrame]
    codebook: StaffCodebook
    invited: dict[str, Invited]
    truth: pd.DataFrame
    respondents: dict[str, dict[str, int]]


def synthetic_codebook() -> StaffCodebook:
    """Return the staff codebook for the synthetic files: the packaged example codebook.

    Returns
    -------
    StaffCodebook
        Read from ``example_codebook.yml`` in this package; its columns, codes
        and labels match :data:`ITEMS`, :data:`DIRECTORATES` and
        :data:`CHARACTERISTICS` (checked by the tests).
    """
    return StaffCodebook.from_yaml(EXAMPLE_CODEBOOK)


def _draw_agree(rng: np.random.Generator, positive: np.ndarray) -> np.ndarray:
    """Draw 1-6 codes (and -9 no answer) with the given positive probabilities."""
    n = positive.size
    u = rng.random(n)
    rest = 1 - DONT_KNOW_SHARE - positive
    neutral = 0.45 * rest
    codes = np.where(
        u < positive,
        np.where(rng.random(n) < 0.4, 1, 2),
        np.where(
            u < positive + neutral,
            3,
            np.where(u < positive + rest, np.where(rng.random(n) < 0.6, 4, 5), 6),
        ),
    )
    codes[rng.random(n) < NO_ANSWER_SHARE] = -9
    return codes


def generate_staff_waves(
    seed: int = 2024,
    waves: Sequence[str] = ("2022", "2023", "2024"),
    scale: float = 1.0,
    with_enps: bool = True,
) -> SyntheticStaffSurvey:
    """Generate staff survey waves with known truth.

    Parameters
    ----------
    seed
        Random seed; the same seed gives the same data.
    waves
        Wave labels, oldest first; at least three for trends. Truth for waves
        beyond the third repeats the third wave.
    scale
        Multiplies every directorate's headcount (``0.2`` for a small council).
    with_enps
        Whether the files include the 0-10 recommend question.

    Returns
    -------
    SyntheticStaffSurvey
        Files, codebook, invited counts and truth.

    Raises
    ------
    ValueError
        For fewer than three waves or a scale that is not positive.
    """
    if len(waves) < 3:
        raise ArgumentError("generate at least three waves, so that trends can be shown")
    if scale <= 0:
        raise ArgumentError("scale must be positive")
    rng = np.random.default_rng(seed)
    codebook = synthetic_codebook()
    files: dict[str, pd.DataFrame] = {}
    invited: dict[str, Invited] = {}
    respondents: dict[str, dict[str, int]] = {}
    truth_rows: list[dict[str, object]] = []
    names = list(DIRECTORATES)
    for position, wave in enumerate(waves):
        truth_position = min(position, 2)
        headcounts = {
            name: max(5, round(size * scale * (1 + 0.03 * position)))
            for name, (size, _) in DIRECTORATES.items()
        }
        # Response rates drift a little between waves but keep their order.
        rates = {
            name: min(0.95, rate * (1 + 0.08 * (position - 1)))
            for name, (_, rate) in DIRECTORATES.items()
        }
        responded = {name: int(rng.binomial(headcounts[name], rates[name])) for name in names}
        invited[wave] = Invited(total=sum(headcounts.values()) + 12, by_group=headcounts)
        respondents[wave] = responded
        directorate_index = np.repeat(np.arange(len(names)), [responded[n] for n in names])
        n = directorate_index.size
        effects = np.array([DIRECTORATE_EFFECTS[name] for name in names])[directorate_index]
        # A few people prefer not to say their directorate.
        directorate_codes = directorate_index + 1
        hidden = rng.random(n) < 0.03
        directorate_codes[hidden] = PREFER_NOT_TO_SAY
        frame: dict[str, Any] = {
            "RESPID": np.arange(1, n + 1) + 10_000 * (position + 1),
            "DIRECTORATE": directorate_codes,
        }
        for column, categories in CHARACTERISTICS.values():
            labels = list(categories)
            probabilities = np.array([categories[label] for label in labels])
            choices = np.append(np.arange(1, len(labels) + 1), PREFER_NOT_TO_SAY)
            probabilities = np.append(probabilities, max(0.0, 1 - probabilities.sum()))
            frame[column] = rng.choice(choices, size=n, p=probabilities / probabilities.sum())
        expected = np.array([headcounts[name] * rates[name] for name in names])
        for item_id, (column, _, _, _, by_wave) in ITEMS.items():
            base_pct = by_wave[truth_position]
            probability = np.clip(base_pct + effects, 1, 99) / 100
            frame[column] = _draw_agree(rng, probability * (1 - DONT_KNOW_SHARE))
            group_truth = [
                float(np.clip(base_pct + DIRECTORATE_EFFECTS[name], 1, 99)) for name in names
            ]
            for name, value in zip(names, group_truth, strict=True):
                truth_rows.append(
                    {"wave": wave, "item": item_id, "variable": "directorate", "group": name,
                     "positive_pct": value * (1 - DONT_KNOW_SHARE)}
                )  # fmt: skip
            overall = float(np.dot(expected, group_truth) / expected.sum())
            truth_rows.append(
                {"wave": wave, "item": item_id, "variable": "all_staff", "group": "All staff",
                 "positive_pct": overall * (1 - DONT_KNOW_SHARE)}
            )  # fmt: skip
        if with_enps:
            promoters, detractors = ENPS_TRUTH[truth_position]
            passives = 1 - promoters - detractors
            band = rng.choice(3, size=n, p=[promoters, passives, detractors])
            scores = np.where(
                band == 0,
                rng.integers(9, 11, size=n),
                np.where(band == 1, rng.integers(7, 9, size=n), rng.integers(0, 7, size=n)),
            )
            frame["ENPS"] = scores.astype(float)
            frame["ENPS"][rng.random(n) < NO_ANSWER_SHARE] = np.nan
            truth_rows.append(
                {"wave": wave, "item": "enps", "variable": "all_staff", "group": "All staff",
                 "positive_pct": 100 * (promoters - detractors)}
            )  # fmt: skip
        order = rng.permutation(n)
        files[wave] = pd.DataFrame(frame).iloc[order].reset_index(drop=True)
    return SyntheticStaffSurvey(
        waves=files,
        codebook=codebook,
        invited=invited,
        truth=pd.DataFrame(truth_rows),
        respondents=respondents,
    )
