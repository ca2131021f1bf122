"""The one reader of YAML inputs (codebooks, invited counts, HR figures): one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilpack.surveys.codebook import Codebook
from councilpack.surveys.errors import SurveyDataError, read_yaml_mapping
from councilpack.workforce import read_hr_figures, read_invited


def test_reads_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "invited.yml"
    path.write_text('"2024": 1980\n')
    assert read_yaml_mapping(path, "invited counts") == {"2024": 1980}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"^codebook.yml: codebook file not found$"),
        ("items: [unclosed\n", r"^codebook.yml: codebook file is not valid YAML: "),
        ("- a list\n", r"^codebook.yml: codebook must be a YAML mapping$"),
    ],
)
def test_codebook_errors_name_the_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "codebook.yml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SurveyDataError, match=message):
        Codebook.from_yaml(path)


def test_invited_counts_and_hr_files_use_the_same_reader(tmp_path: Path) -> None:
    path = tmp_path / "counts.yml"
    path.write_text("- 1980\n")
    with pytest.raises(SurveyDataError, match=r"^counts.yml: invited counts must be a mapping"):
        read_invited(path)
    path.write_text("period: [2023\n")
    with pytest.raises(SurveyDataError, match=r"^counts.yml: HR figures file is not valid YAML"):
        read_hr_figures(path)
    with pytest.raises(SurveyDataError, match=r"^absent.yml: HR figures file not found$"):
        read_hr_figures(tmp_path / "absent.yml")
