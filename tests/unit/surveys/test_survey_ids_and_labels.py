"""Respondent ids and SPSS value labels checked against the codebook (issue 14, item 2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from test_survey_codebook import CODEBOOK

from councilpack.surveys.codebook import Codebook, apply_codebook
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.io import SurveyFile, read_survey_file

WITH_IDS = {**CODEBOOK, "respondent_id": "RESPID"}
AGREE_LABELS = {
    1: "Strongly agree",
    2: "Tend to agree",
    3: "Neither agree nor disagree",
    4: "Tend to disagree",
    5: "Strongly disagree",
    6: "Don't know",
    7: "Refused",
    -9: "Not asked",
}


def survey(ids: list[object], **labels: dict[object, str]) -> SurveyFile:
    data = pd.DataFrame(
        {"RESPID": ids, "Q1": [1, 4, 2, 5, 3][: len(ids)], "GRADE": [1, 2, 1, 2, 1][: len(ids)]}
    )
    return SurveyFile(data=data, file_name="wave.sav", value_labels=labels)


def test_codebook_must_say_whether_there_are_respondent_ids() -> None:
    mapping = {k: v for k, v in CODEBOOK.items() if k != "respondent_id"}
    with pytest.raises(SurveyDataError) as error:
        Codebook.from_mapping(mapping, source="cb.yml")
    assert str(error.value).startswith(
        "cb.yml: codebook key respondent_id: is missing; name the column of respondent ids"
    )
    assert "'respondent_id: null'" in str(error.value)


def test_a_respondent_counted_twice_is_an_error() -> None:
    # Data row 4 repeats the id of row 2 (a duplicated row).
    with pytest.raises(SurveyDataError) as error:
        apply_codebook(survey([101, 102, 103, 102, 105]), Codebook.from_mapping(WITH_IDS))
    assert str(error.value) == (
        "wave.sav: column 'RESPID', row 4: respondent id 102 is also in row 2: "
        "a respondent counted twice (1 repeated id(s))"
    )


def test_a_missing_respondent_id_is_an_error() -> None:
    with pytest.raises(SurveyDataError, match=r"^wave.sav: column 'RESPID', row 3: respondent id"):
        apply_codebook(survey([101, 102, None, 104]), Codebook.from_mapping(WITH_IDS))


def test_unique_ids_and_matching_labels_pass() -> None:
    coded = apply_codebook(
        survey([101, 102, 103], Q1=AGREE_LABELS, GRADE={1: "Junior grades", 2: "Senior"}),
        Codebook.from_mapping(WITH_IDS),
    )
    assert list(coded.responses["proud"]) == ["positive", "negative", "positive"]


def test_reversed_scale_in_the_file_is_an_error() -> None:
    # The file's scale runs the other way: code 1 is "Strongly disagree", counted positive.
    reversed_labels = {code: AGREE_LABELS[6 - code] for code in range(1, 6)}
    with pytest.raises(SurveyDataError) as error:
        apply_codebook(survey([1, 2, 3], Q1=reversed_labels), Codebook.from_mapping(WITH_IDS))
    assert str(error.value) == (
        "wave.sav: column 'Q1': code 1 is labelled 'Strongly disagree' in the file but counted "
        "positive for item 'proud' (SPSS value labels disagree with the codebook)"
    )


def test_labelled_code_unknown_to_the_codebook_is_an_error() -> None:
    with pytest.raises(SurveyDataError) as error:
        apply_codebook(
            survey([1, 2, 3], GRADE={1: "Junior", 2: "Senior", 3: "Apprentice"}),
            Codebook.from_mapping(WITH_IDS),
        )
    assert str(error.value) == (
        "wave.sav: column 'GRADE': code 3 labelled 'Apprentice' is not a category of group "
        "'grade' (SPSS value labels disagree with the codebook)"
    )


def test_labels_are_checked_in_a_real_sav_file(tmp_path: Path) -> None:
    path = tmp_path / "wave-2024.sav"
    data = pd.DataFrame(
        {"RESPID": [1.0, 2.0, 3.0], "Q1": [1.0, 2.0, 4.0], "GRADE": [1.0, 2.0, 1.0]}
    )
    labels = {"Q1": {float(k): v for k, v in AGREE_LABELS.items()}}
    labels["Q1"][2.0] = "Tend to be dissatisfied"
    pyreadstat.write_sav(data, str(path), variable_value_labels=labels)
    with pytest.raises(SurveyDataError) as error:
        apply_codebook(read_survey_file(path), Codebook.from_mapping(WITH_IDS))
    assert str(error.value).startswith(
        "wave-2024.sav: column 'Q1': code 2 is labelled 'Tend to be dissatisfied' in the file"
    )
