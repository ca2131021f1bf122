"""A cold engine drives each report's kernel from a thread and event loop of its own."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from jupyter_core.utils import ensure_event_loop

from councilpack import engine
from councilpack.runner import ReportTask

TASK = ReportTask("X00000001", "Aldermoor", "X00000001-aldermoor", "finance")


def test_each_report_gets_a_new_thread_and_loop_closed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []

    def failing_start(kernel_name: str, *, used: int = 0) -> tuple[engine.Kernel, int]:
        seen.append((threading.current_thread(), ensure_event_loop()))
        raise engine.KernelStartError("no kernel today", engine.MAX_ATTEMPTS)

    monkeypatch.setattr(engine, "start_kernel", failing_start)
    cold = engine.ColdEngine()
    for _ in range(2):
        # The error raised on the kernel's thread reaches the caller unchanged.
        with pytest.raises(engine.KernelStartError, match="no kernel today"):
            cold.execute(TASK)
    (first_thread, first_loop), (second_thread, second_loop) = seen
    assert threading.current_thread() not in (first_thread, second_thread)
    assert first_thread is not second_thread
    assert first_loop is not second_loop
    assert first_loop.is_closed()
    assert second_loop.is_closed()
    assert not first_thread.is_alive()
    assert not second_thread.is_alive()


def test_it_works_from_a_thread_that_runs_an_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under Playwright's sync API or in a notebook: the kernel's loop is still its own."""
    loops: list[asyncio.AbstractEventLoop] = []

    def failing_start(kernel_name: str, *, used: int = 0) -> tuple[engine.Kernel, int]:
        loops.append(ensure_event_loop())
        raise engine.KernelStartError("stop here", engine.MAX_ATTEMPTS)

    monkeypatch.setattr(engine, "start_kernel", failing_start)

    async def caller() -> asyncio.AbstractEventLoop:
        with pytest.raises(engine.KernelStartError):
            engine.ColdEngine().execute(TASK)
        return asyncio.get_running_loop()

    # On a thread of its own: this test process may itself run a loop (Playwright's).
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(asyncio.run, caller()).result()
    assert loops
    assert loops[0] is not running
