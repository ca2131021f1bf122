"""Batches: validation before kernels start, isolation of failures, manifest and index."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from councilpack.batch import BatchError, BatchSpec, ProcessExecutor, load_batch, plan
from councilpack.cli import app
from councilpack.runner import ReportOutcome, ReportTask
from councilpack.settings import project_root

runner = CliRunner()


def test_plan_resolves_names_and_reports() -> None:
    tasks = plan(BatchSpec(councils=["aldermoor", "X00000014"], reports=["finance"]))
    assert [(t.council, t.folder) for t in tasks] == [
        ("X00000001", "X00000001-aldermoor"),
        ("X00000014", "X00000014-oakhaven"),
    ]


def test_plan_lists_every_bad_council_before_any_kernel() -> None:
    with pytest.raises(BatchError) as info:
        plan(BatchSpec(councils=["Gotham", "a", "Aldermoor"]))
    message = str(info.value)
    assert "no council matches 'Gotham'" in message
    assert "'a' matches" in message


def test_options_reach_only_the_reports_that_take_them() -> None:
    tasks = plan(
        BatchSpec(
            councils=["Aldermoor"], reports=["finance", "workforce"], options={"threshold": 15}
        )
    )
    assert {t.report: t.options for t in tasks} == {"finance": {}, "workforce": {"threshold": 15}}


def test_report_parameters_are_checked_before_any_kernel() -> None:
    with pytest.raises(BatchError) as info:
        plan(BatchSpec(councils=["Aldermoor"], reports=["workforce"], options={"threshold": 5}))
    assert "parameter threshold" in str(info.value)
    assert "greater than or equal to 10" in str(info.value)
    with pytest.raises(BatchError, match="option 'colour' is not a parameter of finance"):
        plan(BatchSpec(councils=["Aldermoor"], options={"colour": "red"}))


def test_cli_param_must_be_name_equals_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILPACK_DATA_DIR", raising=False)
    result = runner.invoke(app, ["build", "Aldermoor", "-r", "workforce", "-p", "threshold"])
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.output
    result = runner.invoke(app, ["build", "Aldermoor", "-r", "workforce", "-p", "threshold=9"])
    assert result.exit_code == 2
    assert "parameter threshold" in result.output


def test_batch_yaml_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "batch.yml"
    path.write_text("councils: [Aldermoor]\nreports: [budget]\njobs: 0\n")
    with pytest.raises(BatchError) as info:
        load_batch(path)
    assert str(path) in str(info.value)
    assert "reports" in str(info.value)
    assert "jobs" in str(info.value)


@pytest.mark.slow  # builds reports: runs kernels
def test_cli_unknown_council_exits_2_with_candidates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COUNCILPACK_DATA_DIR", raising=False)  # the demo councils
    result = runner.invoke(app, ["build", "Wendling", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output  # one match: Upper Wendling
    assert (tmp_path / "X00000020-upper-wendling" / "finance.html").is_file()
    result = runner.invoke(app, ["build", "e", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "matches" in result.output
    assert "Aldermoor (X00000001)" in result.output


@pytest.fixture
def broken_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project whose finance notebook fails for one council."""
    root = tmp_path / "project"
    shutil.copytree(project_root() / "notebooks", root / "notebooks")
    shutil.copytree(project_root() / "templates", root / "templates")
    path = root / "notebooks" / "finance.ipynb"
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(
        index + 2,
        nbformat.v4.new_code_cell(
            'if council == "X00000002":\n    raise ValueError("deliberately broken council")'
        ),
    )
    nbformat.write(nb, path)
    monkeypatch.setenv("COUNCILPACK_HOME", str(root))
    return root


@pytest.mark.slow  # builds reports: runs kernels
def test_batch_with_a_broken_council_finishes_the_others(
    broken_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    batch = tmp_path / "batch.yml"
    batch.write_text(
        f"councils: [X00000001, X00000002, Oakhaven]\nreports: [finance]\nout: {out}\njobs: 2\n"
    )
    result = runner.invoke(app, ["batch", str(batch)])
    assert result.exit_code == 1, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    status = {r["council"]: r for r in manifest["reports"]}
    assert status["X00000001"]["status"] == "ok"
    assert status["X00000014"]["status"] == "ok"
    broken = status["X00000002"]
    assert broken["status"] == "failed"
    assert broken["error"]["type"] == "ValueError"
    assert broken["error"]["message"] == "deliberately broken council"
    assert isinstance(broken["error"]["cell"], int)
    assert manifest["reports_failed"] == 1
    assert (out / "X00000001-aldermoor" / "finance.html").is_file()
    assert not (out / "X00000002-brackenford" / "finance.html").exists()
    index = (out / "index.html").read_text()
    assert 'href="X00000001-aldermoor/finance.html"' in index
    assert "deliberately broken council" in index
    assert not list(out.rglob("*.tmp"))


def _die(task: ReportTask, out: Path) -> ReportOutcome:
    """A task that kills its worker process, as an out-of-memory kill would."""
    os._exit(1)


def test_a_dead_worker_is_recorded_as_a_failed_report(tmp_path: Path) -> None:
    tasks = plan(BatchSpec(councils=["Aldermoor"], reports=["finance"]))
    # Cold workers: a warm one would start a kernel before its task kills it (a kernel per
    # worker for nothing, and this test is not marked slow).
    outcomes = list(ProcessExecutor(2, warm=False).run(_die, tasks, tmp_path))
    assert [(o.council, o.report, o.status) for o in outcomes] == [
        ("X00000001", "finance", "failed")
    ]
    assert outcomes[0].error is not None
    assert outcomes[0].error.stage == "worker"
    assert outcomes[0].error.type == "BrokenProcessPool"
