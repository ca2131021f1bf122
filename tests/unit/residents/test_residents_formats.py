"""The same survey as CSV, XLSX and SPSS .sav gives identical results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pyreadstat
import pytest

from councilpack.residents import WaveInput, analyse_waves
from councilpack.residents.synthetic import generate_waves
from councilpack.surveys.io import read_survey_file


@pytest.fixture(scope="module")
def synthetic():
    return generate_waves(n_waves=2, respondents_per_wave=400, seed=99)


def _write_all(frame: pd.DataFrame, folder: Path, stem: str) -> dict[str, Path]:
    paths = {suffix: folder / f"{stem}.{suffix}" for suffix in ("csv", "xlsx", "sav")}
    frame.to_csv(paths["csv"], index=False)
    frame.to_excel(paths["xlsx"], index=False, sheet_name="responses")
    labels = {
        "Q2": {
            1: "Very satisfied",
            2: "Fairly satisfied",
            3: "Neither",
            4: "Fairly dissatisfied",
            5: "Very dissatisfied",
            6: "Don't know",
            7: "Refused",
        },
        "AGEBAND": {1: "16-24", 2: "25-34", 3: "35-44", 4: "45-54", 5: "55-64", 6: "65+"},
    }
    pyreadstat.write_sav(frame, str(paths["sav"]), variable_value_labels=labels)
    return paths


def test_csv_xlsx_sav_give_identical_results(synthetic, tmp_path: Path) -> None:
    results = {}
    written = [_write_all(wave.source, tmp_path, f"wave-{wave.label}") for wave in synthetic.waves]
    for suffix in ("csv", "xlsx", "sav"):
        waves = [
            WaveInput(wave.label, wave.fieldwork, paths[suffix])
            for wave, paths in zip(synthetic.waves, written, strict=True)
        ]
        results[suffix] = analyse_waves(waves, synthetic.codebook, synthetic.population_margins)
    for suffix in ("xlsx", "sav"):
        for table in ("weighting", "estimates", "changes", "national", "breakdowns"):
            left = getattr(results["csv"], table).drop(columns=["file"], errors="ignore")
            right = getattr(results[suffix], table).drop(columns=["file"], errors="ignore")
            pdt.assert_frame_equal(left, right, check_exact=True)
        assert results[suffix].finding_texts() == results["csv"].finding_texts()
    # and the file path gives the same figures as the in-memory frame
    in_memory = analyse_waves(synthetic.waves, synthetic.codebook, synthetic.population_margins)
    pdt.assert_frame_equal(in_memory.estimates, results["csv"].estimates, check_exact=True)


def test_sav_value_labels_are_available(synthetic, tmp_path: Path) -> None:
    paths = _write_all(synthetic.waves[0].source, tmp_path, "labelled")
    survey = read_survey_file(paths["sav"])
    assert survey.value_labels["Q2"][6] == "Don't know"
    assert survey.file_name == "labelled.sav"
