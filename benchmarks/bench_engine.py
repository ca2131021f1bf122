"""The three ways to build a batch, side by side on the same reports.

Usage::

    python benchmarks/bench_engine.py [--councils 8] [--reports finance] [--jobs 2]
        [--data-dir DIR] [--modes naive,pool,warm] [--all [--sample N]]

With ``--all --sample N`` one run gives the England batch figures: every mode
builds the same N councils' reports (every k-th council of the register, so
all kinds and regions are in it), then the warm engine builds every council's.
The naive loop and the pool take about 13 and 4 s a report, an hour and a half
for England together, so their England totals are their per-report cost on the
sample times the batch size, and are printed as estimates.

Modes:

naive
    Per report, the ``papermill`` CLI, then the ``jupyter nbconvert`` CLI (HTML,
    no input), one after the other: what a user without councilpack would do.
pool
    Today's engine before warm workers: ``--jobs`` worker processes, a fresh
    kernel per report (``ProcessExecutor(jobs, warm=False)``).
warm
    ``--jobs`` worker processes, each with one warm kernel reused for every
    report (``ProcessExecutor(jobs)``, the default engine).

For each mode it prints wall seconds per report, CPU seconds per report (this
process and every child, kernels included: steadier than wall time on a
shared machine) and the peak resident memory of a worker (the worker process
and its kernel together, sampled every 0.2 s; for naive, the larger of the two
CLI processes). The machine's load average is printed first and last:
compare figures only from runs at a similar load. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

import psutil

from councilpack.batch import BatchSpec, ProcessExecutor, SerialExecutor, plan, run_batch
from councilpack.data import open_data
from councilpack.engine import notebook_parameters
from councilpack.reports import get_report
from councilpack.runner import ReportTask
from councilpack.settings import notebooks_dir

#: Tries of each naive CLI step: on a busy machine a kernel on TCP can lose a port race
#: ("Address already in use"), which the warm and pool engines avoid (IPC sockets).
NAIVE_ATTEMPTS = 3


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _PeakWorkerMemory:
    """Samples the RSS of each child process plus its descendants; keeps the largest."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children():
                try:
                    family = [child, *child.children(recursive=True)]
                    total = sum(p.memory_info().rss for p in family)
                except psutil.Error:
                    continue  # exited between listing and reading
                self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _naive(tasks: list[ReportTask], out: Path) -> None:
    bin_dir = Path(sys.executable).parent
    out.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        executed = out / f"{task.folder}-{task.report}.ipynb"
        command = [str(bin_dir / "papermill"), str(get_report(task.report).path), str(executed)]
        for name, value in notebook_parameters(task).items():
            command += ["-p", name, str(value)]
        command += ["--cwd", str(notebooks_dir()), "--no-progress-bar"]
        _run_cli(command)
        _run_cli(
            [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
        )


def _run_cli(command: list[str], attempts: int = NAIVE_ATTEMPTS) -> None:
    """Run one CLI step of the naive loop; retry a failure (a kernel's TCP port race)."""
    for attempt in range(1, attempts + 1):
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode == 0:
            return
        last = completed.stderr.strip().splitlines()[-3:]
        print(f"naive: {Path(command[0]).name} failed (attempt {attempt}): {last}", flush=True)
    raise SystemExit(f"naive: {' '.join(command)} failed {attempts} times")


def _run(mode: str, tasks: list[ReportTask], out: Path, jobs: int) -> tuple[float, float, int]:
    started_cpu = _cpu()
    started = time.perf_counter()
    with _PeakWorkerMemory() as memory:
        if mode == "naive":
            _naive(tasks, out)
        else:
            warm = mode == "warm"
            executor = ProcessExecutor(jobs, warm=warm) if jobs > 1 else SerialExecutor(warm=warm)
            result = run_batch(tasks, out, executor=executor)
            assert not result.failed, [(o.council, o.error) for o in result.failed]
    wall = time.perf_counter() - started
    return wall, _cpu() - started_cpu, memory.peak


def choose_tasks(args: argparse.Namespace) -> tuple[list[str], list[ReportTask]]:
    """The councils (first ``--councils``, or ``--all``) and their report tasks."""
    register = open_data(args.data_dir).register
    codes = [council.gss_code for council in register]
    chosen = codes if args.all else codes[: args.councils]
    return chosen, _plan(chosen, args)


def systematic_sample(codes: list[str], size: int) -> list[str]:
    """Every k-th of ``codes`` (k = len/size, from the middle of the first step): ``size`` of them."""
    if size >= len(codes):
        return list(codes)
    step = len(codes) / size
    return [codes[int(step / 2 + i * step)] for i in range(size)]


def _plan(councils: list[str], args: argparse.Namespace) -> list[ReportTask]:
    spec = BatchSpec(councils=councils, reports=args.reports.split(","), data_dir=args.data_dir)
    return plan(spec)


def _line(label: str, wall: float, cpu: float, peak: int, count: int) -> str:
    return (
        f"{label:>11}: {wall:7.1f} s wall, {wall / count:5.2f} s/report, "
        f"{cpu / count:5.2f} CPU-s/report, peak worker RSS {peak / 1e6:6.0f} MB ({count} reports)"
    )


def _ratios(by_mode: dict[str, tuple[float, float]], warm: tuple[float, float], label: str) -> None:
    for other in ("pool", "naive"):
        if other in by_mode:
            wall_ratio = by_mode[other][0] / warm[0]
            cpu_ratio = by_mode[other][1] / warm[1]
            print(f"{label} vs {other}: {wall_ratio:.1f}x wall, {cpu_ratio:.1f}x CPU per report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--councils", type=int, default=8, help="first N councils")
    parser.add_argument("--all", action="store_true", help="every council (England batch)")
    parser.add_argument("--reports", default="finance")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data-dir", default=os.environ.get("COUNCILPACK_DATA_DIR", ""))
    parser.add_argument("--modes", default="naive,pool,warm")
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        help="with --all: every mode on N councils, then warm on all of them",
    )
    args = parser.parse_args()

    chosen, tasks = choose_tasks(args)
    if args.sample and not args.all:
        parser.error("--sample goes with --all")
    sample = systematic_sample(chosen, args.sample) if args.sample else chosen
    sample_tasks = _plan(sample, args) if args.sample else tasks
    print(f"load average before: {os.getloadavg()}; {os.cpu_count()} cores")
    print(f"{len(tasks)} reports ({args.reports}) for {len(chosen)} councils, jobs {args.jobs}")
    if args.sample:
        print(f"every mode on a sample of {len(sample)} councils ({len(sample_tasks)} reports)")
    print(f"data: {'demo' if not args.data_dir else os.path.basename(args.data_dir)}")
    per_report: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for mode in args.modes.split(","):
            wall, cpu, peak = _run(mode, sample_tasks, Path(scratch) / mode, args.jobs)
            per_report[mode] = (wall / len(sample_tasks), cpu / len(sample_tasks))
            print(_line(mode, wall, cpu, peak, len(sample_tasks)), flush=True)
        if "warm" in per_report:
            _ratios(per_report, per_report["warm"], "warm")
        if args.sample and "warm" in per_report:
            wall, cpu, peak = _run("warm", tasks, Path(scratch) / "warm-all", args.jobs)
            england = (wall / len(tasks), cpu / len(tasks))
            print(_line("warm, all", wall, cpu, peak, len(tasks)), flush=True)
            _ratios(per_report, england, "warm, all")
            for mode, (wall_each, _) in per_report.items():
                if mode != "warm":
                    print(
                        f"{mode} for all {len(tasks)} reports, estimated from the sample: "
                        f"{wall_each * len(tasks):.0f} s"
                    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
