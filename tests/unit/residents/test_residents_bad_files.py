"""Each kind of bad file stops the analysis with a one-line message naming file, column and row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from councilpack.residents import SurveyDataError, WaveInput, analyse_waves, load_codebook
from councilpack.residents.synthetic import generate_waves


@pytest.fixture(scope="module")
def synthetic():
    return generate_waves(n_waves=1, respondents_per_wave=200, seed=3)


def _run(frame: pd.DataFrame, folder: Path, synthetic, codebook=None) -> None:
    path = folder / "wave-2024.csv"
    frame.to_csv(path, index=False)
    analyse_waves(
        [WaveInput("2024", "2024-10", path)],
        codebook or synthetic.codebook,
        synthetic.population_margins,
    )


def _failure(frame: pd.DataFrame, folder: Path, synthetic, codebook=None) -> str:
    """Run the analysis on a bad wave; return the one-line message it stops with."""
    with pytest.raises(SurveyDataError) as excinfo:
        _run(frame, folder, synthetic, codebook)
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def test_unknown_code(synthetic, tmp_path: Path) -> None:
    frame = synthetic.waves[0].source.copy()
    frame["Q2"] = frame["Q2"].astype(object)
    frame.loc[4, "Q2"] = "maybe"
    assert _failure(frame, tmp_path, synthetic) == (
        "wave-2024.csv: column 'Q2', row 5: code 'maybe' is not in the codebook for item "
        "'satisfied_council' (allowed: -9, 1, 2, 3, 4, 5, 6, 7)"
    )


def test_out_of_range_answer(synthetic, tmp_path: Path) -> None:
    frame = synthetic.waves[0].source.copy()
    frame.loc[[9, 19], "Q3"] = 12
    assert _failure(frame, tmp_path, synthetic) == (
        "wave-2024.csv: column 'Q3', row 10: value 12 is out of range for item "
        "'keeps_informed' (codes -9 to 6) (2 rows affected)"
    )


def test_missing_required_item(synthetic, tmp_path: Path) -> None:
    frame = synthetic.waves[0].source.drop(columns=["Q5"])
    assert _failure(frame, tmp_path, synthetic) == (
        "wave-2024.csv: column 'Q5': required item 'value_for_money' is missing from the file "
        "(codebook key items.value_for_money.column)"
    )


def test_empty_wave(synthetic, tmp_path: Path) -> None:
    frame = synthetic.waves[0].source.iloc[0:0]
    assert (
        _failure(frame, tmp_path, synthetic)
        == "wave-2024.csv: the file has no respondents (empty wave)"
    )


def test_codebook_names_missing_column(synthetic, tmp_path: Path) -> None:
    codebook = synthetic.codebook.model_copy(deep=True)
    codebook.groups["area"].column = "WARD"
    assert _failure(synthetic.waves[0].source, tmp_path, synthetic, codebook) == (
        "wave-2024.csv: column 'WARD': group 'area' is missing from the file "
        "(codebook key groups.area.column)"
    )


def test_bad_weight_names_row(synthetic, tmp_path: Path) -> None:
    codebook = synthetic.codebook.model_copy(deep=True, update={"weight": "WT"})
    frame = synthetic.waves[0].source.assign(WT=1.0)
    frame.loc[2, "WT"] = -1.0
    assert _failure(frame, tmp_path, synthetic, codebook) == (
        "wave-2024.csv: column 'WT', row 3: weight '-1.0' is not a positive number "
        "(1 row(s) affected)"
    )


def test_missing_age_cannot_be_raked(synthetic, tmp_path: Path) -> None:
    frame = synthetic.waves[0].source.copy()
    frame["AGEBAND"] = frame["AGEBAND"].astype(float)
    frame.loc[7, "AGEBAND"] = None
    assert _failure(frame, tmp_path, synthetic).startswith(
        "wave-2024.csv: column 'AGEBAND', row 8: AGEBAND is missing, so the respondent "
        "cannot be raked"
    )


def test_missing_file_and_bad_codebook(tmp_path: Path) -> None:
    with pytest.raises(SurveyDataError, match=r"^nowhere.csv: file not found$"):
        analyse_waves(
            [WaveInput("2024", "2024-10", tmp_path / "nowhere.csv")],
            load_codebook(
                Path(__file__).parents[3] / "lib/councilpack/residents/example_codebook.yml"
            ),
        )
    bad = tmp_path / "codebook.yml"
    bad.write_text(
        "survey: residents\ntitle: t\nrespondent_id: null\nitems:\n  happiness:\n    column: Q9\n"
        "    label: Happy\n    codes: {positive: [1]}\n"
    )
    with pytest.raises(SurveyDataError) as excinfo:
        load_codebook(bad)
    assert str(excinfo.value).startswith(
        "codebook.yml: codebook key items.happiness: not an LGA item"
    )
