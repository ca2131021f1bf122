"""Worker processes that die with their batch, and a pool that survives a dead worker.

Two guarantees for the process pool a batch runs on:

- **Workers die with their parent.** On Linux each worker asks the kernel for
  ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere,
  or when the worker's parent is not the batch process (a fork server), a
  watchdog thread polls the batch process and kills the worker when it is
  gone. A worker's Jupyter kernel follows within a second (ipykernel polls its
  own parent).
- **A dead worker fails only its own task.** When a worker dies (killed, out of
  memory, a crash in native code) :class:`~concurrent.futures.ProcessPoolExecutor`
  fails every pending task with ``BrokenProcessPool``. Here each worker
  announces the task it starts, so after a break the tasks that were running
  are re-run one at a time, each in a fresh single-worker pool: the one that
  kills its worker again is recorded as failed; the tasks that had not started
  go on in a rebuilt pool.

Workers are *spawned* (a fresh interpreter), never forked from the batch
process: a forked worker would keep a copy of everything the batch process
holds (the opened data store, pandas, about 480 MB for the England data)
although only its kernel reads the data. A spawned worker imports just what
drives a kernel and writes HTML (``benchmarks/bench_memory.py``).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import SimpleQueue
from pathlib import Path

from councilpack.runner import ReportOutcome, ReportTask
from councilpack.status import ReportError
from councilpack.warmkernel import release_memory

#: Linux ``prctl`` option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
#: Seconds between the watchdog's checks of the batch process.
WATCHDOG_SECONDS = 0.5
#: How worker processes start (see the module's docstring).
START_METHOD = "spawn"

_started: SimpleQueue[int] | None = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watchdog(parent_pid: int) -> None:
    while _alive(parent_pid):
        time.sleep(WATCHDOG_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def die_with_parent(parent_pid: int) -> str:
    """Make this process die when the batch process ``parent_pid`` dies.

    Returns
    -------
    str
        ``"pdeathsig"`` or ``"watchdog"``: how it was arranged.
    """
    if sys.platform.startswith("linux") and os.getppid() == parent_pid:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
            if os.getppid() != parent_pid:  # the parent died before prctl took effect
                os.kill(os.getpid(), signal.SIGKILL)
            return "pdeathsig"
    threading.Thread(target=_watchdog, args=(parent_pid,), daemon=True).start()
    return "watchdog"


def _initialise(
    parent_pid: int,
    started: SimpleQueue[int],
    initializer: Callable[[], None] | None,
) -> None:
    global _started
    die_with_parent(parent_pid)
    _started = started
    if initializer is not None:
        initializer()


def _announced(
    function: Callable[[ReportTask, Path], ReportOutcome], number: int, task: ReportTask, out: Path
) -> ReportOutcome:
    """Tell the batch which task this worker starts, then run it."""
    if _started is not None:
        _started.put(number)  # written to the pipe before the task can kill the worker
    try:
        return function(task, out)
    finally:
        release_memory()  # what building the page freed goes back to the system


def _worker_died(task: ReportTask, seconds: float) -> ReportOutcome:
    return ReportOutcome.failure(
        task,
        seconds,
        ReportError(
            "worker",
            "BrokenProcessPool",
            "the worker process died while building this report (killed, out of "
            "memory or a crash in native code); the other reports were not affected",
        ),
    )


def run_in_pool(
    function: Callable[[ReportTask, Path], ReportOutcome],
    tasks: list[ReportTask],
    out: Path,
    *,
    jobs: int,
    initializer: Callable[[], None] | None = None,
) -> Iterator[ReportOutcome]:
    """Run ``function(task, out)`` for every task in worker processes; yield outcomes.

    Parameters
    ----------
    function
        A picklable task function (module level).
    tasks
        What to run.
    out
        Output folder passed to ``function``.
    jobs
        Worker processes.
    initializer
        Called once in each worker after it is tied to this process.
    """
    context = multiprocessing.get_context(START_METHOD)
    started: SimpleQueue[int] = context.SimpleQueue()
    parent = os.getpid()

    def pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_initialise,
            initargs=(parent, started, initializer),
        )

    def drain() -> set[int]:
        numbers = set()
        while not started.empty():
            numbers.add(started.get())
        return numbers

    waiting = list(range(len(tasks)))
    try:
        while waiting:
            executor = pool(jobs)
            running: set[int] = set()
            suspects: list[int] = []
            requeue: list[int] = []
            progressed = False
            try:
                futures: dict[Future[ReportOutcome], int] = {}
                for position, number in enumerate(waiting):
                    try:
                        future = executor.submit(_announced, function, number, tasks[number], out)
                    except BrokenProcessPool:  # broken already: the rest wait for a new pool
                        requeue.extend(waiting[position:])
                        break
                    futures[future] = number
                remaining = set(futures)
                while remaining:
                    done, remaining = wait_futures(remaining, return_when="FIRST_COMPLETED")
                    running |= drain()
                    for future in done:
                        number = futures[future]
                        try:
                            outcome = future.result()
                        except BrokenProcessPool:
                            (suspects if number in running else requeue).append(number)
                            continue
                        running.discard(number)
                        progressed = True
                        yield outcome
            finally:
                executor.shutdown(wait=True, cancel_futures=True)
            for number in sorted(suspects):
                yield from _alone(pool, function, number, tasks[number], out, drain)
            if requeue and not suspects and not progressed:
                # Workers die before starting any task (e.g. in their initializer):
                # rebuilding the pool again would loop for ever.
                for number in requeue:
                    yield _worker_died(tasks[number], 0.0)
                break
            waiting = sorted(requeue)
    finally:
        started.close()


def _alone(
    pool: Callable[[int], ProcessPoolExecutor],
    function: Callable[[ReportTask, Path], ReportOutcome],
    number: int,
    task: ReportTask,
    out: Path,
    drain: Callable[[], set[int]],
) -> Iterator[ReportOutcome]:
    """Re-run one task that was running when a worker died, in a pool of its own."""
    executor = pool(1)
    began = time.perf_counter()
    try:
        outcome = executor.submit(_announced, function, number, task, out).result()
    except BrokenProcessPool:
        outcome = _worker_died(task, time.perf_counter() - began)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        drain()
    yield outcome


__all__ = ["die_with_parent", "run_in_pool"]
