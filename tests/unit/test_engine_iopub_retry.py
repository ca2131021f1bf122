"""A kernel whose output channel never answers its first cell is replaced, not reported hung."""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from nbclient.exceptions import CellTimeoutError

from councilpack import engine
from councilpack.runner import ReportTask

TASK = ReportTask("X00000001", "Aldermoor", "X00000001-aldermoor", "finance")


class _FakeKernel:
    kernel_name = "python3"

    def __init__(self) -> None:
        self.stopped = False

    def shutdown(self) -> None:
        self.stopped = True


def _iopub_silence() -> CellTimeoutError:
    cell = nbformat.v4.new_code_cell("x = 1")
    return CellTimeoutError.error_from_timeout_and_cell(
        "Timeout waiting for IOPub output", engine.IOPUB_TIMEOUT, cell
    )


@pytest.fixture
def kernels(monkeypatch: pytest.MonkeyPatch) -> list[_FakeKernel]:
    started: list[_FakeKernel] = []

    def start(kernel_name: str = "", *, used: int = 0) -> tuple[_FakeKernel, int]:
        started.append(_FakeKernel())
        return started[-1], 1

    monkeypatch.setattr(engine, "start_kernel", start)
    return started


def test_silence_on_the_first_cell_starts_a_new_kernel(
    monkeypatch: pytest.MonkeyPatch, kernels: list[_FakeKernel]
) -> None:
    calls: list[int] = []

    def execute(*args: Any, **kwargs: Any) -> nbformat.NotebookNode:
        calls.append(1)
        if len(calls) == 1:
            raise _iopub_silence()
        return nbformat.v4.new_notebook()

    monkeypatch.setattr(engine.papermill_engines, "execute_notebook_with_engine", execute)
    execution = engine.ColdEngine().execute(TASK)
    assert execution.attempts == 2
    assert len(kernels) == 2
    assert all(kernel.stopped for kernel in kernels)


def test_silence_after_a_cell_finished_fails_the_report_without_a_retry(
    monkeypatch: pytest.MonkeyPatch, kernels: list[_FakeKernel]
) -> None:
    def execute(*args: Any, **kwargs: Any) -> nbformat.NotebookNode:
        kwargs["on_cell_executed"](cell=None, cell_index=0, execute_reply={})
        raise _iopub_silence()

    monkeypatch.setattr(engine.papermill_engines, "execute_notebook_with_engine", execute)
    with pytest.raises(CellTimeoutError, match="IOPub"):
        engine.ColdEngine().execute(TASK)
    assert len(kernels) == 1


def test_silence_on_every_kernel_gives_up_after_the_attempts(
    monkeypatch: pytest.MonkeyPatch, kernels: list[_FakeKernel]
) -> None:
    def execute(*args: Any, **kwargs: Any) -> nbformat.NotebookNode:
        raise _iopub_silence()

    monkeypatch.setattr(engine.papermill_engines, "execute_notebook_with_engine", execute)
    with pytest.raises(engine.DeadKernelError, match="no output from the kernel"):
        engine.ColdEngine().execute(TASK)
    assert len(kernels) == engine.MAX_ATTEMPTS
