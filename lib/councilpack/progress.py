"""The batch progress display: a live bar on a terminal, plain log lines elsewhere.

On a terminal: a bar with the reports done, elapsed time, time remaining and
the councils being built. Anywhere else (a CI log, a file, a pipe): one plain
line per report as it completes, with the count, its status and seconds, the
estimated time left and what is being built next, so a log shows progress as
it happens rather than at the end.

Text from inputs (council names, error messages) is never read as rich markup:
a name or message containing ``[/red]`` is printed as it is.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

if TYPE_CHECKING:  # the CLI imports this module before any heavy library
    from councilpack.runner import ReportOutcome, ReportTask


def _duration(seconds: float) -> str:
    """Return seconds as ``1 h 02 min``, ``3 min 05 s`` or ``42 s``.

    >>> _duration(3725), _duration(185), _duration(41.6)
    ('1 h 02 min', '3 min 05 s', '42 s')
    """
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def _reports(count: int) -> str:
    """Return ``1 report`` or ``3 reports``."""
    return f"{count} report" if count == 1 else f"{count} reports"


def _name(task: ReportTask | ReportOutcome) -> str:
    return f"{task.council_name} {task.report}"


class BatchProgress:
    """Progress of one batch; pass :meth:`plan` and :meth:`outcome` to ``run_batch``.

    Parameters
    ----------
    console
        Where to write (a terminal gets the live bar, anything else plain lines).
    jobs
        Workers: how many of the next tasks are shown as being built (a pool
        takes tasks in the order they were submitted, so these are the ones
        running, give or take one finishing as another starts).
    """

    def __init__(self, console: Console, jobs: int = 1) -> None:
        self.console = console
        self.jobs = max(1, jobs)
        self.live = console.is_terminal and not console.is_dumb_terminal
        self._pending: list[ReportTask] = []
        self._total = 0
        self._done = 0
        self._started = time.perf_counter()
        self._progress: Progress | None = None
        self._bar: TaskID | None = None

    def __enter__(self) -> Self:
        """Start the live display on a terminal."""
        if self.live:
            self._progress = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._progress.__enter__()
            self._bar = self._progress.add_task("Checking earlier reports", total=None)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the live display."""
        if self._progress is not None:
            self._progress.__exit__(kind, error, traceback)

    def _building(self) -> str:
        names = [_name(task) for task in self._pending[: self.jobs]]
        return ", ".join(names)

    def _line(self, text: Text) -> None:
        target = self._progress.console if self._progress is not None else self.console
        target.print(text, soft_wrap=True, highlight=False)

    def plan(self, to_build: list[ReportTask], reused: list[ReportOutcome]) -> None:
        """Show what the run will build and what it keeps from earlier runs."""
        self._pending = list(to_build)
        self._total = len(to_build)
        self._started = time.perf_counter()
        if reused:
            self._line(
                Text(
                    f"{_reports(len(reused))} already built with the same inputs kept "
                    "(--force rebuilds them)."
                )
            )
        self._line(Text(f"Building {_reports(self._total)}."))
        if self._progress is not None and self._bar is not None:
            self._progress.update(
                self._bar, total=self._total, description=self._description(), completed=0
            )

    def _description(self) -> str:
        building = self._building()
        return f"Building {building}" if building else "Finishing"

    def outcome(self, outcome: ReportOutcome) -> None:
        """Record one finished report: advance the bar or print a line."""
        self._done += 1
        self._pending = [
            task
            for task in self._pending
            if (task.council, task.report) != (outcome.council, outcome.report)
        ]
        status = Text(outcome.status, style="red" if outcome.status == "failed" else "")
        line = Text.assemble(
            f"[{self._done}/{self._total}] ",
            status,
            f" {outcome.council_name} ({outcome.council}) {outcome.report}"
            f" in {outcome.seconds:.1f} s",
        )
        if outcome.status == "empty":
            line.append(f": no figure for the council: {outcome.reason}")
        if outcome.status == "failed" and outcome.error is not None:
            error = outcome.error
            where = f" cell {error.cell}" if error.cell is not None else ""
            line.append(f"{where}: {error.type}: {error.message}")
        if self._progress is not None and self._bar is not None:
            if outcome.status != "ok":
                self._line(line)
            self._progress.update(self._bar, advance=1, description=self._description())
            return
        left = self._total - self._done
        if left:
            elapsed = time.perf_counter() - self._started
            line.append(f"; {left} to go, about {_duration(elapsed / self._done * left)} left")
            building = self._building()
            if building:
                line.append(f"; building {building}")
        self._line(line)


__all__ = ["BatchProgress"]
