"""Codebook validation and coding of answers."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from councilpack.surveys.codebook import Codebook, apply_codebook
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.io import SurveyFile, canonical_code

CODEBOOK = {
    "survey": "staff",
    "title": "Test survey",
    "weight": None,
    "respondent_id": None,
    "items": {
        "proud": {
            "column": "Q1",
            "label": "Proud to work here",
            "theme": "engagement",
            "codes": {
                "positive": [1, 2],
                "neutral": [3],
                "negative": [4, 5],
                "dont_know": [6],
                "refused": [7],
            },
            "missing": [-9],
        }
    },
    "groups": {"grade": {"column": "GRADE", "categories": {"Junior": [1], "Senior": [2]}}},
}


def test_canonical_codes_match_across_formats() -> None:
    assert canonical_code(1) == canonical_code(1.0) == canonical_code(" 1 ") == 1
    assert canonical_code("Very Satisfied ") == "very satisfied"
    assert canonical_code(float("nan")) is None
    assert canonical_code("") is None
    assert canonical_code(2.5) != 2


def test_codebook_error_names_key() -> None:
    bad = {
        **CODEBOOK,
        "items": {"proud": {**CODEBOOK["items"]["proud"], "codes": {"neutral": [3]}}},
    }
    with pytest.raises(
        SurveyDataError,
        match=r"^cb.yml: codebook key items.proud.codes: needs at least one 'positive' code$",
    ):
        Codebook.from_mapping(bad, source="cb.yml")


def test_codebook_duplicate_code_is_rejected() -> None:
    item = {**CODEBOOK["items"]["proud"], "codes": {"positive": [1, 2], "negative": [2]}}
    with pytest.raises(SurveyDataError, match="code 2 is in both 'positive' and 'negative'"):
        Codebook.from_mapping({**CODEBOOK, "items": {"proud": item}})


def test_apply_codebook_codes_answers() -> None:
    codebook = Codebook.from_mapping(CODEBOOK)
    frame = pd.DataFrame({"Q1": [1, 3.0, "5", None, -9, 6, 7], "GRADE": [1, 2, 1, 2, 1, 2, None]})
    coded = apply_codebook(SurveyFile.from_frame(frame, "s.csv"), codebook)
    assert coded.responses["proud"].tolist() == [
        "positive",
        "neutral",
        "negative",
        "not_answered",
        "not_answered",
        "dont_know",
        "refused",
    ]
    assert coded.in_base("proud").tolist() == [True, True, True, False, False, True, False]
    assert coded.groups["grade"].tolist() == [
        "Junior",
        "Senior",
        "Junior",
        "Senior",
        "Junior",
        "Senior",
        None,
    ]


def test_yaml_round_trip() -> None:
    codebook = Codebook.from_mapping(CODEBOOK)
    assert Codebook.from_mapping(yaml.safe_load(codebook.to_yaml())) == codebook
