"""Progress display (terminal and plain lines, markup-safe) and worker processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from councilpack.cli import app
from councilpack.progress import BatchProgress
from councilpack.runner import ReportOutcome, ReportTask
from councilpack.status import ReportError
from councilpack.workers import run_in_pool

HOSTILE = "Evil [/red][bold]Borough[link=x]"


def _task(number: int, name: str = "") -> ReportTask:
    name = name or f"Council {number}"
    return ReportTask(
        council=f"X{number:08d}", council_name=name, folder=f"x{number}", report="finance"
    )


def _ok(task: ReportTask) -> ReportOutcome:
    return ReportOutcome(
        council=task.council,
        council_name=task.council_name,
        folder=task.folder,
        report=task.report,
        status="ok",
        seconds=2.0,
    )


def test_plain_lines_off_a_terminal_show_count_eta_and_next() -> None:
    stream = io.StringIO()
    console = Console(file=stream, width=60)
    assert not console.is_terminal
    tasks = [_task(1), _task(2), _task(3, HOSTILE)]
    with BatchProgress(console, jobs=1) as progress:
        progress.plan(tasks, [_ok(_task(9))])
        progress.outcome(_ok(tasks[0]))
        progress.outcome(
            ReportOutcome.failure(
                tasks[1], 1.5, ReportError("notebook", "ValueError", "bad [/red] value", cell=4)
            )
        )
        progress.outcome(_ok(tasks[2]))
    lines = stream.getvalue().splitlines()
    assert lines[0] == "1 report already built with the same inputs kept (--force rebuilds them)."
    assert lines[1] == "Building 3 reports."
    assert lines[2].startswith("[1/3] ok Council 1 (X00000001) finance in 2.0 s; 2 to go, about ")
    assert lines[2].endswith("; building Council 2 finance")
    assert lines[3].startswith(
        "[2/3] failed Council 2 (X00000002) finance in 1.5 s cell 4: ValueError: bad [/red] value"
    )
    assert f"building {HOSTILE} finance" in lines[3]
    assert lines[4] == f"[3/3] ok {HOSTILE} (X00000003) finance in 2.0 s"
    assert len(lines) == 5  # one line a report, not wrapped at the console width


def test_the_live_display_takes_markup_in_names_and_errors_as_text() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    task = _task(1, HOSTILE)
    with BatchProgress(console, jobs=2) as progress:
        assert progress.live
        progress.plan([task, _task(2)], [])
        progress.outcome(
            ReportOutcome.failure(task, 1.0, ReportError("build", "Error", "[/red] closed"))
        )
        progress.outcome(_ok(_task(2)))
    text = stream.getvalue()
    assert "[/red] closed" in text
    assert "Borough[link=x]" in text


def test_a_cli_error_with_markup_is_printed_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILPACK_DATA_DIR", raising=False)
    result = CliRunner().invoke(app, ["build", "[/red]nowhere"])
    assert result.exit_code == 2
    assert "[/red]nowhere" in result.output


def _sometimes_dies(task: ReportTask, out: Path) -> ReportOutcome:
    """Kill the worker for council 3, as an out-of-memory kill would; else succeed slowly."""
    if task.council == "X00000003":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.2)
    return _ok(task)


def test_a_dead_worker_fails_only_its_own_task(tmp_path: Path) -> None:
    tasks = [_task(n) for n in range(1, 9)]
    outcomes = list(run_in_pool(_sometimes_dies, tasks, tmp_path, jobs=2))
    status = {o.council: o.status for o in outcomes}
    assert len(outcomes) == 8
    assert status == {f"X{n:08d}": ("failed" if n == 3 else "ok") for n in range(1, 9)}
    dead = next(o for o in outcomes if o.status == "failed")
    assert dead.error is not None
    assert dead.error.stage == "worker"
    assert "the other reports were not affected" in dead.error.message


def _exits_in_initializer() -> None:
    os._exit(3)


def test_workers_that_cannot_start_fail_their_tasks_without_looping(tmp_path: Path) -> None:
    tasks = [_task(1), _task(2)]
    outcomes = list(
        run_in_pool(_sometimes_dies, tasks, tmp_path, jobs=2, initializer=_exits_in_initializer)
    )
    assert sorted((o.council, o.status) for o in outcomes) == [
        ("X00000001", "failed"),
        ("X00000002", "failed"),
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_dies_with_its_parent(tmp_path: Path) -> None:
    """kill -9 of the parent: the child that called die_with_parent goes too."""
    report = tmp_path / "child.txt"
    script = textwrap.dedent(
        f"""
        import os, time
        from councilpack.workers import die_with_parent
        parent = os.getpid()
        if os.fork() == 0:
            how = die_with_parent(parent)
            with open({str(report)!r} + ".part", "w") as stream:
                stream.write(f"{{os.getpid()}} {{how}}")
            os.rename({str(report)!r} + ".part", {str(report)!r})
            time.sleep(120)
            os._exit(0)
        time.sleep(120)
        """
    )
    with subprocess.Popen([sys.executable, "-c", script]) as process:
        deadline = time.monotonic() + 60
        while not report.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        pid, how = report.read_text().split()
        assert how == "pdeathsig"
        child = int(pid)
        assert alive(child)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 15  # a busy machine may be slow to reap
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "the child outlived its parent"


def alive(pid: int) -> bool:
    """Return whether a process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def test_cli_force_reaches_the_batch_and_progress_is_plain_in_a_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from councilpack import batch

    seen: dict[str, object] = {}

    def fake_run_batch(tasks: list[ReportTask], out: Path, **options: object) -> batch.BatchResult:
        seen.update(options)
        on_plan, on_outcome = options["on_plan"], options["on_outcome"]
        on_plan(tasks, [])  # type: ignore[operator]
        outcome = _ok(tasks[0])
        on_outcome(outcome)  # type: ignore[operator]
        return batch.BatchResult([outcome], out / "manifest.json", out / "index.html", 2.0)

    monkeypatch.delenv("COUNCILPACK_DATA_DIR", raising=False)
    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    result = CliRunner().invoke(app, ["build", "Aldermoor", "--force", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["force"] is True
    assert "Building 1 report.\n[1/1] ok Aldermoor (X00000001) finance in 2.0 s\n" in result.output
    assert "1 of 1 reports ready (1 built now) in 2.0 s" in result.output
