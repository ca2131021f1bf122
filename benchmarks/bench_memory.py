"""Memory of a batch's workers: each worker process and its warm kernel, RSS, USS and PSS.

Usage::

    python benchmarks/bench_memory.py [--councils 16] [--all] [--reports finance] [--jobs 2]
        [--data-dir DIR] [--cold] [--every 4]

Runs the batch as ``councilpack batch`` does (``ProcessExecutor(jobs)``, warm
kernels unless ``--cold``) and samples, every 0.2 s, every process under this
one: each pool worker and its descendants (the kernel). For each worker it
keeps the peak of

- RSS of the worker plus its kernel (pages shared between them, or with this
  process through ``fork``, counted in each: the figure issue 12 bounds),
- USS (pages only that process holds) and PSS (shared pages divided among the
  processes sharing them) of the same processes.

After warm-up (the first report) and every ``--every`` reports it prints
each live worker's and kernel's RSS/USS/PSS, so growth over reports shows.
Not a test.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import psutil
from bench_engine import choose_tasks

from councilpack.batch import ProcessExecutor, run_batch
from councilpack.runner import ReportOutcome

MB = 1e6


@dataclass
class Sample:
    """Memory of one process (bytes)."""

    rss: int
    uss: int
    pss: int

    @classmethod
    def of(cls, process: psutil.Process) -> Sample:
        info = process.memory_full_info()
        return cls(info.rss, info.uss, getattr(info, "pss", 0))

    def __add__(self, other: Sample) -> Sample:
        return Sample(self.rss + other.rss, self.uss + other.uss, self.pss + other.pss)

    def text(self) -> str:
        return f"RSS {self.rss / MB:5.0f} USS {self.uss / MB:5.0f} PSS {self.pss / MB:5.0f} MB"


@dataclass
class Peaks:
    """Largest worker-plus-kernel figures seen, each maximised on its own."""

    rss: int = 0
    uss: int = 0
    pss: int = 0
    worker_rss: int = 0
    kernel_rss: int = 0
    samples: int = 0
    workers: set[int] = field(default_factory=set)


def family(me: psutil.Process) -> list[tuple[psutil.Process, list[psutil.Process]]]:
    """Return each child of ``me`` with its descendants (a worker and its kernel)."""
    result = []
    for child in me.children():
        try:
            result.append((child, child.children(recursive=True)))
        except psutil.Error:
            continue
    return result


class Sampler:
    """Samples every worker and its descendants in a thread; keeps the peaks."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peaks = Peaks()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def snapshot(self) -> list[tuple[int, Sample, Sample | None]]:
        """Return (worker pid, worker sample, kernel(s) sample or None) for each worker."""
        rows = []
        for worker, descendants in family(psutil.Process()):
            try:
                own = Sample.of(worker)
                kernel: Sample | None = None
                for process in descendants:
                    sample = Sample.of(process)
                    kernel = sample if kernel is None else kernel + sample
            except psutil.Error:
                continue  # exited between listing and reading
            rows.append((worker.pid, own, kernel))
        return rows

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, own, kernel in self.snapshot():
                total = own + kernel if kernel is not None else own
                peaks = self.peaks
                peaks.workers.add(pid)
                peaks.samples += 1
                peaks.rss = max(peaks.rss, total.rss)
                peaks.uss = max(peaks.uss, total.uss)
                peaks.pss = max(peaks.pss, total.pss)
                peaks.worker_rss = max(peaks.worker_rss, own.rss)
                if kernel is not None:
                    peaks.kernel_rss = max(peaks.kernel_rss, kernel.rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--councils", type=int, default=16, help="first N councils")
    parser.add_argument("--all", action="store_true", help="every council (England batch)")
    parser.add_argument("--reports", default="finance")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data-dir", default=os.environ.get("COUNCILPACK_DATA_DIR", ""))
    parser.add_argument("--cold", action="store_true", help="a fresh kernel per report")
    parser.add_argument("--every", type=int, default=4, help="print a snapshot every N reports")
    args = parser.parse_args()

    chosen, tasks = choose_tasks(args)
    print(f"{len(tasks)} reports ({args.reports}) for {len(chosen)} councils, jobs {args.jobs}")
    print(f"data: {'demo' if not args.data_dir else os.path.basename(args.data_dir)}")
    print(f"batch process: {Sample.of(psutil.Process()).text()}")
    done = 0

    with tempfile.TemporaryDirectory() as scratch, Sampler() as sampler:

        def report(outcome: ReportOutcome) -> None:
            nonlocal done
            done += 1
            assert outcome.status != "failed", (outcome.council, outcome.error)
            if done == 1 or done % args.every == 0 or done == len(tasks):
                print(f"after {done} reports:")
                for pid, own, kernel in sampler.snapshot():
                    line = f"  worker {pid}: {own.text()}"
                    if kernel is not None:
                        line += f"; kernel {kernel.text()}; both RSS {(own + kernel).rss / MB:.0f}"
                    print(line, flush=True)

        executor = ProcessExecutor(args.jobs, warm=not args.cold)
        run_batch(tasks, Path(scratch), executor=executor, on_outcome=report)
    peaks = sampler.peaks
    print(
        f"peak per worker (worker + kernel): RSS {peaks.rss / MB:.0f} MB, "
        f"USS {peaks.uss / MB:.0f} MB, PSS {peaks.pss / MB:.0f} MB; "
        f"worker alone RSS {peaks.worker_rss / MB:.0f} MB, kernel alone RSS "
        f"{peaks.kernel_rss / MB:.0f} MB ({len(peaks.workers)} worker processes, "
        f"{peaks.samples} samples)"
    )


if __name__ == "__main__":
    main()
