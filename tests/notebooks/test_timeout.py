"""A hanging cell: the report fails with one line, its kernel is stopped, the batch goes on."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import nbformat
import pytest

from councilpack import engine, reports
from councilpack.batch import BatchError, BatchSpec, SerialExecutor, load_batch, plan, run_batch
from councilpack.data import open_data
from councilpack.runner import ReportTask, build_report

LIMIT = 2.0


@pytest.fixture
def sleepy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Register a report ``sleepy`` whose third executed cell sleeps for a minute."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    parameters = nbformat.v4.new_code_cell('council = "X00000001"\ndata_dir = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell("import time\ntime.sleep(60)")]
    path = tmp_path / "sleepy.ipynb"
    nbformat.write(notebook, path)
    spec = reports.ReportSpec("sleepy", "Sleepy", str(path), reports.FinanceParameters)
    monkeypatch.setitem(reports.REPORTS, "sleepy", spec)
    return "sleepy"


def _task(report: str, council: str = "X00000001", limit: float = LIMIT) -> ReportTask:
    found = open_data("").register.get(council)
    return ReportTask(found.gss_code, found.name, found.folder, report, cell_timeout=limit)


def _check_timed_out(outcome: object, began: float) -> None:
    assert time.perf_counter() - began < 45  # not the minute the cell sleeps
    assert outcome.status == "failed"  # type: ignore[attr-defined]
    error = outcome.error  # type: ignore[attr-defined]
    assert error.stage == "timeout"
    assert error.type == "CellTimeout"
    assert error.cell == 2  # parameters, injected parameters, then the sleeping cell
    message = error.message
    assert "\n" not in message
    assert message.startswith("sleepy report for X00000001 (Aldermoor): cell 2 ")
    assert "2 s limit (cell_timeout)" in message
    assert outcome.attempts == 1  # type: ignore[attr-defined]  # never retried


@pytest.mark.slow
def test_a_hanging_cell_fails_its_report_on_a_fresh_kernel(sleepy: str, tmp_path: Path) -> None:
    began = time.perf_counter()
    with engine.using(engine.ColdEngine()):
        outcome = build_report(_task(sleepy), tmp_path)
    _check_timed_out(outcome, began)
    assert not (tmp_path / "X00000001-aldermoor").exists()


@pytest.mark.slow
def test_a_hanging_cell_stops_the_warm_kernel_and_the_next_report_gets_a_new_one(
    sleepy: str, tmp_path: Path
) -> None:
    warm = engine.WarmEngine([""], ["finance"])
    with engine.using(warm):
        began = time.perf_counter()
        outcome = build_report(_task(sleepy), tmp_path)
        _check_timed_out(outcome, began)
        stopped = warm.kernels_started
        assert warm.kernel is None  # the kernel running the cell was stopped
        after = build_report(_task("finance", "X00000002", engine.CELL_TIMEOUT), tmp_path)
    assert after.status == "ok", after.error
    assert warm.kernels_started == stopped + 1


@pytest.mark.slow
def test_a_batch_records_the_timeout_and_carries_on(sleepy: str, tmp_path: Path) -> None:
    spec = BatchSpec(councils=["X00000001"], reports=[sleepy, "finance"], cell_timeout=LIMIT)
    tasks = [
        task if task.report == sleepy else dataclasses.replace(task, cell_timeout=600)
        for task in plan(spec)
    ]
    assert [task.cell_timeout for task in tasks] == [LIMIT, 600]
    result = run_batch(tasks, tmp_path, executor=SerialExecutor(warm=False))
    assert [(o.report, o.status) for o in result.outcomes] == [
        ("sleepy", "failed"),
        ("finance", "ok"),
    ]
    records = json.loads((tmp_path / "manifest.json").read_text())["reports"]
    failed = next(r for r in records if r["report"] == "sleepy")
    assert failed["error"]["stage"] == "timeout"
    assert "2 s limit" in failed["error"]["message"]
    assert failed["attempts"] == 1


def test_the_timeout_comes_from_the_batch_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.yml"
    path.write_text("councils: [X00000001]\ncell_timeout: 90\n")
    spec = load_batch(path)
    assert spec.cell_timeout == 90
    assert [task.cell_timeout for task in plan(spec)] == [90]
    assert BatchSpec(councils=["X00000001"]).cell_timeout == engine.CELL_TIMEOUT
    path.write_text("councils: [X00000001]\ncell_timeout: 0\n")
    with pytest.raises(BatchError, match="cell_timeout"):
        load_batch(path)
