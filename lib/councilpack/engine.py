"""How a report's notebook runs: private kernel sockets, retried start-ups, warm kernels.

Two engines run a :class:`~councilpack.runner.ReportTask`'s notebook with
papermill and return the executed notebook:

:class:`ColdEngine`
    A fresh kernel per report (the behaviour of a one-off ``councilpack build``
    before warm workers existed; kept as the reference the isolation test
    compares against).
:class:`WarmEngine`
    One kernel per worker, started once with the heavy libraries imported and
    the data store opened, reused for report after report. Before each report
    the kernel's namespace is reset (``%reset -f``), its working folder,
    and warning filters restored; imported modules, the
    opened :class:`~councilpack.data.DataContext` and caches stay. The kernel is
    replaced after a notebook error, after it dies, after
    :data:`RECYCLE_AFTER` reports, and when its resident memory after a
    report passes :data:`RECYCLE_ABOVE` (bounded memory). What runs inside the
    kernel lives in :mod:`councilpack.warmkernel`.

Both start kernels on the IPC transport (Unix sockets in a private temporary
folder) where libzmq has it, so no kernel ever races another process for a
TCP port; elsewhere they use TCP and rely on the retries. A kernel that fails
to start, or dies before any cell has run, is retried up to
:data:`MAX_ATTEMPTS` times in all; the number of attempts is recorded with the
report. A notebook error is never retried.

A cell that runs longer than the task's ``cell_timeout`` (seconds) stops the
report: its kernel is stopped (and, when warm, replaced for the next report),
:class:`CellTimeout` names the report, council, cell and limit, and the report
is never retried.

A process has one current engine (:func:`current`); batch executors install a
warm one in each worker (:func:`install`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import zmq
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop, run_sync
from traitlets.config import Config

from councilpack.reports import absolute_paths, get_report, validate_parameters
from councilpack.settings import notebooks_dir
from councilpack.warmkernel import (
    UNUSED_OPTIONAL,
    notebook_imports,
    reset_kernel,
    warm_up_kernel,
    without,
)

# Without optional imports no report uses (see warmkernel.UNUSED_OPTIONAL): a batch
# worker process is spared about 75 MB.
with without(*UNUSED_OPTIONAL["papermill"], *UNUSED_OPTIONAL["jsonschema"]):
    import nbformat  # imports jsonschema
    import papermill
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.execute import raise_for_execution_errors
    from papermill.log import logger as papermill_logger
    from papermill.utils import chdir, remove_args

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from councilpack.runner import ReportTask

#: Kernel every report notebook runs on.
KERNEL_NAME = "python3"
#: Kernel start-ups per report before it counts as failed (the first try included).
MAX_ATTEMPTS = 3
#: Seconds a kernel has to answer ``kernel_info`` after it is launched.
START_TIMEOUT = 60.0
#: Seconds the last output of a finished cell may take to arrive (nbclient's default is 4).
IOPUB_TIMEOUT = 60

#: Seconds one cell of a report may run before the report fails (``cell_timeout``):
#: generous, since a busy machine can slow a cell tenfold, yet a hung cell frees
#: its worker within minutes rather than never.
CELL_TIMEOUT = 600.0
#: Reports a warm kernel runs before it is replaced by a fresh one.
RECYCLE_AFTER = 100
#: Resident bytes of a warm kernel, measured after a report's reset, above which it
#: is replaced by a fresh one (unless a fresh one was already above it). A warm
#: kernel with the England data holds about 300 MB; the allowance is for leaks.
RECYCLE_ABOVE = 400 * 2**20

#: Traitlets configuration of every kernel manager. Over TCP, "auto" encrypts kernel
#: traffic with CurveZMQ where libzmq has it (ipykernel warns on every start otherwise);
#: IPC sockets live in a private folder and need no encryption.
KERNEL_CONFIG = Config(
    {"KernelManager": {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}}
)

#: Kernel command-line options. No input history: reports never read it, and many
#: kernels writing one SQLite history file at once is a needless point of contention.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]

#: Exceptions that mean "the kernel did not start", as opposed to "the notebook failed".
_START_ERRORS: tuple[type[BaseException], ...] = (RuntimeError, TimeoutError, zmq.ZMQError, OSError)


class KernelStartError(RuntimeError):
    """No kernel could be started for a report after :data:`MAX_ATTEMPTS` tries."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class CellTimeout(RuntimeError):
    """A cell ran longer than its report's ``cell_timeout``; its kernel was stopped.

    The message is one line naming the report, the council, the cell and the limit.
    """

    def __init__(self, task: ReportTask, cell: int, limit: float, attempts: int = 1) -> None:
        super().__init__(
            f"{task.report} report for {task.council} ({task.council_name}): cell {cell} "
            f"was still running after the {limit:g} s limit (cell_timeout); its kernel was "
            "stopped and the report not retried"
        )
        self.cell = cell
        self.limit = limit
        self.attempts = attempts


@dataclass
class Execution:
    """An executed notebook and how many kernel start-ups it took."""

    notebook: NotebookNode
    attempts: int = 1


def use_ipc() -> bool:
    """Return whether kernels use the IPC transport (libzmq built with Unix sockets)."""
    return os.name == "posix" and bool(zmq.has("ipc"))


class Kernel:
    """One kernel and its client, on private IPC sockets where the platform has them.

    Parameters
    ----------
    kernel_name
        Kernel spec to launch.
    """

    def __init__(self, kernel_name: str = KERNEL_NAME) -> None:
        self.kernel_name = kernel_name
        self.km = AsyncKernelManager(kernel_name=kernel_name, config=KERNEL_CONFIG)
        self.kc: Any = None
        self.folder: str | None = None
        if use_ipc():
            # A private folder per kernel: the socket paths cannot clash with any
            # other kernel, on this machine or in this process. Kept short (Unix
            # socket paths are limited to about 100 characters).
            self.folder = tempfile.mkdtemp(prefix="cpk-")
            self.km.transport = "ipc"
            self.km.ip = os.path.join(self.folder, "k")

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Launch the kernel in the notebooks folder and wait until it answers.

        Raises
        ------
        RuntimeError, TimeoutError, zmq.ZMQError, OSError
            The kernel did not start (the caller retries).
        """
        run_sync(self._start)(timeout)

    async def _start(self, timeout: float) -> None:
        await self.km.start_kernel(cwd=str(notebooks_dir()), extra_arguments=KERNEL_ARGUMENTS)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=timeout)

    def is_alive(self) -> bool:
        """Return whether the kernel process is running."""
        return bool(run_sync(self.km.is_alive)())

    def resident_bytes(self) -> int | None:
        """Return the kernel process's resident memory in bytes (None where it cannot be read).

        Read from ``/proc`` (Linux); elsewhere, and for a kernel that is not a
        local process, None.
        """
        pid = getattr(self.km.provisioner, "pid", None)
        if not isinstance(pid, int):
            return None
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as stream:
                pages = int(stream.read().split()[1])
        except (OSError, IndexError, ValueError):
            return None
        return pages * os.sysconf("SC_PAGE_SIZE")

    def run(self, code: str, timeout: float = START_TIMEOUT) -> None:
        """Run housekeeping ``code`` in the kernel (through nbclient, like a report's cells).

        Raises
        ------
        RuntimeError
            When the code raised in the kernel (its type and message), or the
            kernel died (:class:`~nbclient.exceptions.DeadKernelError`).
        TimeoutError
            When it did not finish within ``timeout`` seconds.
        """
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        client = NotebookClient(nb, km=self.km, kernel_name=self.kernel_name, timeout=int(timeout))
        client.kc = self.kc  # not a constructor option; nbclient leaves our kernel running
        try:
            client.execute()
        except CellExecutionError as error:
            raise RuntimeError(
                f"kernel housekeeping failed: {error.ename}: {error.evalue}"
            ) from None

    def shutdown(self) -> None:
        """Stop the kernel at once and remove its sockets."""
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)


def start_kernel(kernel_name: str = KERNEL_NAME, *, used: int = 0) -> tuple[Kernel, int]:
    """Start a kernel, retrying failed start-ups; return it and the attempts it took.

    Parameters
    ----------
    kernel_name
        Kernel spec to launch.
    used
        Attempts the report has already used (they count against :data:`MAX_ATTEMPTS`).

    Raises
    ------
    KernelStartError
        When no start-up succeeded within the attempts left, with the last error.
    """
    last: BaseException | None = None
    for attempt in range(1, MAX_ATTEMPTS - used + 1):
        kernel = Kernel(kernel_name)
        try:
            kernel.start()
        except _START_ERRORS as error:
            last = error
            kernel.shutdown()
            continue
        return kernel, attempt
    raise KernelStartError(
        f"kernel {kernel_name!r} failed to start after {MAX_ATTEMPTS} attempts; last error: "
        f"{type(last).__name__}: {last}",
        MAX_ATTEMPTS,
    )


def close_thread_loop() -> None:
    """Close the event loop kernels used on this thread (one per thread, made on first use).

    A thread that drove kernels calls this before it ends; the main thread's loop
    lives as long as the process.
    """
    ensure_event_loop().close()


def notebook_parameters(task: ReportTask) -> dict[str, Any]:
    """Return the validated papermill parameters of ``task`` (paths made absolute)."""
    return absolute_paths(
        task.report,
        validate_parameters(
            task.report, {"council": task.council, "data_dir": task.data_dir, **task.options}
        ),
    )


class _CellCounter:
    """Follows the cells (nbclient hooks), to tell a dead kernel from a bad cell.

    ``finished`` counts cells that finished; ``current`` is the index (in the
    executed notebook) of the cell last started.
    """

    def __init__(self) -> None:
        self.finished = 0
        self.current = -1

    def __call__(self, **_: Any) -> None:
        self.finished += 1

    def started(self, cell_index: int, **_: Any) -> None:
        """Note the cell starting (the ``on_cell_execute`` hook of nbclient)."""
        self.current = cell_index


class _OwnKernelEngine(NBClientEngine):
    """A papermill engine that runs a notebook on a kernel it is given (never starts one)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Execute on ``kwargs["councilpack_kernel"]`` (a started :class:`Kernel`)."""
        kernel: Kernel = kwargs.pop("councilpack_kernel")
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = PapermillNotebookClient(
            nb_man,
            km=kernel.km,
            kernel_name=kernel_name,
            log=papermill_logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            startup_timeout=start_timeout,
            timeout=execution_timeout,
            **kwargs,
        )
        # Not a constructor option of nbclient: with a client set, nbclient uses it and,
        # since the kernel manager is not its own, leaves kernel and client running.
        client.kc = kernel.kc
        return client.execute()


#: Name of :class:`_OwnKernelEngine` in papermill's engine registry.
PAPERMILL_ENGINE = "councilpack-own-kernel"
papermill_engines.register(PAPERMILL_ENGINE, _OwnKernelEngine)


def run_notebook(task: ReportTask, kernel: Kernel, counter: _CellCounter) -> NotebookNode:
    """Run ``task``'s notebook with papermill on an already started ``kernel``.

    ``counter`` counts the cells that finish, so that a caller can tell a
    kernel that died before running anything (retried) from one a cell killed.
    Each cell may run ``task.cell_timeout`` seconds (no limit when it is None).

    Raises
    ------
    PapermillExecutionError
        A cell raised (never retried).
    DeadKernelError
        The kernel died.
    CellTimeout
        A cell ran longer than ``task.cell_timeout`` (the caller stops the kernel).
    """
    limit = task.cell_timeout
    path = str(get_report(task.report).path)
    # papermill in two steps, so that it never serialises the executed notebook: with
    # no output path, ``execute_notebook`` still renders it to JSON (a deep copy and
    # an indented dump, about 0.05 CPU-s a finance report) only to discard it. The
    # first step loads and parameterises the notebook (``prepare_only``: its JSON
    # is small); the second runs it with papermill's engine, as ``execute_notebook``
    # would, and raises a cell's error the same way.
    nb = papermill.execute_notebook(
        path,
        None,
        parameters=notebook_parameters(task),
        engine_name=PAPERMILL_ENGINE,
        kernel_name=kernel.kernel_name,
        prepare_only=True,
    )
    try:
        with chdir(str(notebooks_dir())):
            nb = papermill_engines.execute_notebook_with_engine(
                PAPERMILL_ENGINE,
                nb,
                input_path=path,
                output_path=None,
                kernel_name=kernel.kernel_name,
                progress_bar=False,
                log_output=False,
                start_timeout=int(START_TIMEOUT),
                stdout_file=None,
                stderr_file=None,
                execution_timeout=limit,
                # After a cell's reply, how long its last output may take to arrive.
                # nbclient's 4 s (which papermill makes an error) is passed on a loaded
                # machine; a slow output is not a hanging cell.
                iopub_timeout=IOPUB_TIMEOUT,
                councilpack_kernel=kernel,
                on_cell_execute=counter.started,
                on_cell_executed=counter,
            )
        raise_for_execution_errors(nb, None)
        return nb
    except CellTimeoutError as error:
        if "Timeout waiting for IOPub" in str(error):
            if not counter.finished:
                # The kernel answered the first cell but none of its output reached us:
                # its output channel never joined (a start-up race), so, like a kernel
                # that dies before any cell, it is replaced and the report retried.
                raise DeadKernelError(
                    f"no output from the kernel within {IOPUB_TIMEOUT} s of its first cell"
                ) from error
            raise  # a later cell: a failure with nbclient's message, not retried
        if limit is None:
            raise
        raise CellTimeout(task, counter.current, limit) from None


class Engine(Protocol):
    """Runs a task's notebook and returns the executed notebook with its attempts."""

    def execute(self, task: ReportTask) -> Execution:
        """Run ``task``'s notebook."""
        ...

    def close(self) -> None:
        """Stop any kernel the engine keeps."""
        ...


def _on_own_thread(function: Callable[[ReportTask], Execution], task: ReportTask) -> Execution:
    """Run ``function(task)`` on a new thread with an event loop of its own, closed after.

    Kernel clients talk to their kernel through asyncio sockets on the calling
    thread's event loop (jupyter_core's ``run_sync``), or on a helper loop when the
    caller already runs one (Playwright's sync API, a notebook). Sockets of a
    stopped kernel then share a long-lived loop with the next kernel's; a report
    after a timed-out one was seen to wait for ever on an idle kernel. A thread per
    report gives every kernel a fresh loop, whatever the caller runs. The thread
    is a daemon, so an interrupted batch can still exit.
    """
    outcome: list[Execution] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function(task))
        except BaseException as error:  # noqa: BLE001  (re-raised on the caller's thread)
            failure.append(error)
        finally:
            close_thread_loop()

    thread = threading.Thread(target=target, name="councilpack-cold-kernel", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


class ColdEngine:
    """A fresh kernel for every report, driven from a thread and event loop of its own.

    Parameters
    ----------
    kernel_name
        Kernel spec to launch.
    """

    def __init__(self, kernel_name: str = KERNEL_NAME) -> None:
        self.kernel_name = kernel_name

    def execute(self, task: ReportTask) -> Execution:
        """Run ``task``'s notebook on a new kernel, retrying kernels that die before any cell."""
        return _on_own_thread(self._execute, task)

    def _execute(self, task: ReportTask) -> Execution:
        attempts = 0
        while True:
            kernel, used = start_kernel(self.kernel_name, used=attempts)
            attempts += used
            counter = _CellCounter()
            try:
                return Execution(run_notebook(task, kernel, counter), attempts)
            except DeadKernelError:
                if counter.finished or attempts >= MAX_ATTEMPTS:
                    raise
            except CellTimeout as error:
                error.attempts = attempts
                raise
            finally:
                kernel.shutdown()  # at once: a timed-out cell may still be running

    def close(self) -> None:
        """Nothing to stop: every kernel is stopped after its report."""


#: Run once in a new warm kernel: import what the reports import, open the data.
_WARM_UP = """\
import councilpack.warmkernel as _cp_warm
_cp_warm.warm_up_kernel({data_dirs!r}, {reports!r})
del _cp_warm
"""
#: Run in a warm kernel before every report.
_RESET = """\
import councilpack.warmkernel as _cp_warm
_cp_warm.reset_kernel(get_ipython())
"""


class WarmEngine:
    """One kernel reused for report after report, reset between reports.

    Every kernel call runs on one private thread, so the engine may be called
    from any thread (Dask runs tasks on a worker's thread pool).

    Parameters
    ----------
    data_dirs
        Data folders to open in the kernel when it starts ("" is the demo data).
    reports
        Reports whose notebooks' imports the kernel runs when it starts (all when empty).
    kernel_name
        Kernel spec to launch.
    recycle_after
        Reports before the kernel is replaced by a fresh one.
    recycle_above
        Resident bytes of the kernel, after the reset that follows a report,
        above which it is replaced by a fresh one (None: never for memory).
    prestart
        Start and warm the kernel now, in the background, rather than at the first report.
    """

    def __init__(
        self,
        data_dirs: Iterable[str] = (),
        reports: Iterable[str] = (),
        *,
        kernel_name: str = KERNEL_NAME,
        recycle_after: int = RECYCLE_AFTER,
        recycle_above: int | None = RECYCLE_ABOVE,
        prestart: bool = False,
    ) -> None:
        self.data_dirs = list(dict.fromkeys(data_dirs))
        self.reports_to_warm = list(dict.fromkeys(reports))
        self.kernel_name = kernel_name
        self.recycle_after = recycle_after
        self.recycle_above = recycle_above
        self.kernel: Kernel | None = None
        #: Reports run on the current kernel, and kernels started in all.
        self.reports = 0
        self.kernels_started = 0
        #: Kernels replaced because their memory passed ``recycle_above``.
        self.recycled_for_memory = 0
        #: Resident bytes of the current kernel just after its warm-up (None: unknown).
        self.warm_bytes: int | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="councilpack-kernel")
        self._lock = threading.Lock()
        self._pending: Future[int] | None = None
        if prestart:
            self._pending = self._thread.submit(self._fresh_kernel, 0)

    def execute(self, task: ReportTask) -> Execution:
        """Run ``task``'s notebook on the warm kernel (started or replaced as needed)."""
        with self._lock:
            return self._thread.submit(self._execute, task).result()

    def _drop_kernel(self) -> None:
        """Stop the kernel; the next one gets a new event loop (see :func:`_on_own_thread`)."""
        if self.kernel is not None:
            kernel, self.kernel = self.kernel, None
            try:
                kernel.shutdown()
            finally:
                close_thread_loop()

    def _fresh_kernel(self, used: int) -> int:
        """Replace the kernel by a new, warmed-up one; return the start-ups it took."""
        self._drop_kernel()
        kernel, attempts = start_kernel(self.kernel_name, used=used)
        try:
            kernel.run(
                _WARM_UP.format(data_dirs=self.data_dirs, reports=self.reports_to_warm),
                timeout=600,
            )
        except BaseException:
            kernel.shutdown()
            raise
        self.kernel = kernel
        self.reports = 0
        self.kernels_started += 1
        self.warm_bytes = kernel.resident_bytes()
        return attempts

    def _too_big(self, kernel: Kernel) -> bool:
        """Return whether ``kernel`` (just reset) holds more memory than allowed.

        A kernel that was already above the limit when fresh is kept: a new one
        would be no smaller (only the report count recycles it).
        """
        if self.recycle_above is None:
            return False
        size = kernel.resident_bytes()
        if size is None or size <= self.recycle_above:
            return False
        return self.warm_bytes is None or self.warm_bytes <= self.recycle_above

    def _ready_kernel(self, used: int) -> tuple[Kernel, int]:
        """Return a kernel reset for a new report, and the start-ups that took (0 if reused)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            try:
                pending.result()
            except KernelStartError:
                self._drop_kernel()  # the prestart failed: start afresh below
        kernel = self.kernel
        if kernel is not None and self.reports < self.recycle_after and kernel.is_alive():
            try:
                kernel.run(_RESET)
            except _START_ERRORS:
                kernel = None  # died or hung between reports: replaced like a failed start
            if kernel is not None and self._too_big(kernel):
                self.recycled_for_memory += 1
                kernel = None
            if kernel is not None:
                return kernel, 0
        started = self._fresh_kernel(used)
        assert self.kernel is not None
        return self.kernel, started

    def _execute(self, task: ReportTask) -> Execution:
        if task.data_dir not in self.data_dirs:
            self.data_dirs.append(task.data_dir)
        attempts = 0
        while True:
            kernel, started = self._ready_kernel(attempts)
            attempts += max(started, 1)
            counter = _CellCounter()
            self.reports += 1
            try:
                return Execution(run_notebook(task, kernel, counter), attempts)
            except DeadKernelError:
                self._drop_kernel()
                if counter.finished or attempts >= MAX_ATTEMPTS:
                    raise
            except CellTimeout as error:
                self._drop_kernel()  # stops the cell still running; the next report gets a new one
                error.attempts = attempts
                raise
            except BaseException:
                # A failed report takes its kernel with it: nothing it left behind
                # can reach the next report.
                self._drop_kernel()
                raise

    def close(self) -> None:
        """Stop the kernel, then the engine's thread and its event loop."""
        self._thread.submit(self._close_in_thread).result()
        self._thread.shutdown(wait=True)

    def _close_in_thread(self) -> None:
        try:
            if self._pending is not None:
                pending, self._pending = self._pending, None
                pending.exception()  # a failed prestart has nothing left to stop
            self._drop_kernel()
        finally:
            close_thread_loop()


_current: Engine | None = None


def current() -> Engine:
    """Return this process's engine (a :class:`ColdEngine` unless one was installed)."""
    return _current if _current is not None else ColdEngine()


def install(engine: Engine | None) -> Engine | None:
    """Make ``engine`` this process's engine (``None``: back to cold); return the previous."""
    global _current
    previous, _current = _current, engine
    return previous


@contextmanager
def using(engine: Engine) -> Iterator[Engine]:
    """Install ``engine`` for the duration of a ``with`` block, then close it."""
    previous = install(engine)
    try:
        yield engine
    finally:
        install(previous)
        engine.close()


def execute(task: ReportTask) -> Execution:
    """Run ``task``'s notebook on this process's engine."""
    return current().execute(task)


__all__ = [
    "CELL_TIMEOUT",
    "KERNEL_CONFIG",
    "KERNEL_NAME",
    "MAX_ATTEMPTS",
    "RECYCLE_ABOVE",
    "RECYCLE_AFTER",
    "CellTimeout",
    "ColdEngine",
    "Engine",
    "Execution",
    "Kernel",
    "KernelStartError",
    "WarmEngine",
    "close_thread_loop",
    "current",
    "execute",
    "install",
    "notebook_imports",
    "reset_kernel",
    "run_notebook",
    "start_kernel",
    "using",
    "warm_up_kernel",
]
