from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from councilpack.reports import REPORTS, ParameterError, absolute_paths, validate_parameters


def test_valid_parameters_pass_through() -> None:
    assert validate_parameters("finance", {"council": "E08000011"}) == {
        "council": "E08000011",
        "data_dir": "",
    }


def test_bad_council_code_names_the_parameter() -> None:
    with pytest.raises(ParameterError, match=r"parameter council: .*'Knowsley' is not a GSS code"):
        validate_parameters("finance", {"council": "Knowsley"})


def test_unknown_parameter_is_rejected() -> None:
    with pytest.raises(ParameterError, match="parameter colour"):
        validate_parameters("finance", {"council": "E08000011", "colour": "red"})


def test_unknown_report_lists_known_ones() -> None:
    with pytest.raises(ParameterError, match="known: briefing, finance"):
        validate_parameters("budget", {"council": "E08000011"})


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_notebook_parameters_match_the_model(name: str) -> None:
    """papermill --help-notebook documents the same typed parameters the model validates."""
    spec = REPORTS[name]
    nb = json.loads(spec.path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(cells) == 1
    source = "".join(cells[0]["source"])
    names = [line.split(":")[0].strip() for line in source.splitlines() if line.strip()]
    assert names == list(spec.parameters.model_fields)
    for line in source.splitlines():
        assert "#" in line, f"parameter without a help comment: {line}"
    help_text = subprocess.run(
        [sys.executable, "-m", "papermill", "--help-notebook", str(spec.path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for field in spec.parameters.model_fields:
        assert field in help_text


def test_path_parameters_are_made_absolute_against_the_callers_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernels run in notebooks/, so a relative --data-dir must be resolved before they start."""
    monkeypatch.chdir(tmp_path)
    parameters = validate_parameters(
        "residents", {"council": "X00000001", "data_dir": "raw", "survey_dir": ""}
    )
    resolved = absolute_paths("residents", parameters)
    assert resolved["data_dir"] == str(tmp_path / "raw")
    assert resolved["survey_dir"] == ""  # empty means the demo survey, not the current folder
    assert resolved["council"] == "X00000001"


def test_a_relative_data_folder_reaches_tasks_as_an_absolute_path(
    open_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernels and warm workers run in notebooks/, so a task's data folder must be absolute.

    The England batch file names ``../shared/data/raw``; the warm engine opened it
    relative to ``notebooks/`` and every report failed before this was fixed.
    """
    from councilpack.batch import BatchSpec, plan

    monkeypatch.chdir(open_data_dir.parent)
    relative = open_data_dir.name
    (task,) = plan(
        BatchSpec(councils=["Knowsley"], reports=["finance"], data_dir=relative, out=str(tmp_path))
    )
    assert Path(task.data_dir).is_absolute()
    assert Path(task.data_dir) == open_data_dir
