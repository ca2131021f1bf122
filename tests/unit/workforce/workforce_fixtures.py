"""Small hand-made staff surveys for the workforce tests (helpers, imported by name)."""

from __future__ import annotations

import pandas as pd

AGREE = {"positive": [1, 2], "neutral": [3], "negative": [4, 5], "dont_know": [6]}
ENPS_CODES = {"positive": [9, 10], "neutral": [7, 8], "negative": [0, 1, 2, 3, 4, 5, 6]}


def codebook_mapping() -> dict[str, object]:
    """A two-item codebook with a directorate group and an eNPS item."""
    return {
        "survey": "staff",
        "title": "Hand-made staff survey",
        "respondent_id": None,
        "items": {
            "satisfied_overall": {
                "column": "Q1",
                "label": "Satisfied overall",
                "theme": "engagement",
                "codes": AGREE,
                "missing": [-9],
            },
            "line_manager_support": {
                "column": "Q2",
                "label": "Supported by line manager",
                "theme": "leadership",
                "codes": AGREE,
                "missing": [-9],
            },
            "recommend_0_10": {
                "column": "NPS",
                "label": "Recommend as an employer (0-10)",
                "base": "valid_excluding_dont_know",
                "required": False,
                "codes": ENPS_CODES,
            },
        },
        "groups": {
            "directorate": {
                "column": "DIR",
                "label": "Directorate",
                "categories": {"Adults": [1], "Children": [2], "Place": [3]},
                "missing": [99],
            }
        },
        "workforce": {
            "engagement_index": ["line_manager_support"],
            "enps_item": "recommend_0_10",
            "headcount_group": "directorate",
            "statements": {
                "satisfied_overall": (
                    "are satisfied overall with the experience of working for the council"
                )
            },
        },
    }


def wave_frame(
    positive: int,
    negative: int,
    directorates: list[int] | None = None,
    nps: list[int] | None = None,
) -> pd.DataFrame:
    """A wave with ``positive`` agreeing (code 1) and ``negative`` disagreeing (code 4) to Q1.

    Q2 copies Q1. Directorate codes cycle through ``directorates`` (all Adults by default).
    """
    n = positive + negative
    q1 = [1] * positive + [4] * negative
    directorates = directorates or [1]
    frame = pd.DataFrame(
        {
            "Q1": q1,
            "Q2": q1,
            "DIR": [directorates[i % len(directorates)] for i in range(n)],
        }
    )
    if nps is not None:
        frame["NPS"] = [nps[i % len(nps)] for i in range(n)]
    return frame
