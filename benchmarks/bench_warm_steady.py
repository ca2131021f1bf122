"""A warm kernel's steady state: CPU seconds per report in the worker and in its kernel.

Usage::

    python benchmarks/bench_warm_steady.py [--data-dir DIR] [--reports finance] [--count 6]

Builds ``--count`` reports one after another on one :class:`~councilpack.engine.WarmEngine`
in this process and prints, per report, the CPU seconds spent in this process
(papermill, export, writing) and in the kernel (the notebook's own work), and
both resident sizes. The first report includes the kernel's start and warm-up;
the others show what every further report costs. CPU time, unlike wall time,
barely depends on how busy the machine is. Not a test.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import psutil

from councilpack import engine
from councilpack.data import open_data
from councilpack.runner import ReportTask, build_report


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=os.environ.get("COUNCILPACK_DATA_DIR", ""))
    parser.add_argument("--reports", default="finance")
    parser.add_argument("--count", type=int, default=6)
    args = parser.parse_args()
    reports = args.reports.split(",")
    register = open_data(args.data_dir).register
    councils = list(register)[: args.count]
    print(f"load average: {os.getloadavg()}")
    warm = engine.WarmEngine([args.data_dir], reports)
    steady: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as scratch, engine.using(warm):
        for council in councils:
            for report in reports:
                task = ReportTask(
                    council.gss_code, council.name, council.folder, report, data_dir=args.data_dir
                )
                fresh = warm.kernel is None
                before_kernel = (
                    0.0 if fresh else _cpu(psutil.Process(warm.kernel.km.provisioner.pid))
                )  # type: ignore[union-attr]
                before = time.process_time()
                outcome = build_report(task, Path(scratch))
                worker = time.process_time() - before
                assert outcome.status == "ok", outcome.error
                kernel_process = psutil.Process(warm.kernel.km.provisioner.pid)  # type: ignore[union-attr]
                kernel = _cpu(kernel_process) - before_kernel
                if not fresh:
                    steady.append((worker, kernel))
                print(
                    f"{council.gss_code} {report}: worker {worker:.2f} + kernel {kernel:.2f} CPU-s"
                    f"{' (kernel start and warm-up included)' if fresh else ''}; RSS worker "
                    f"{psutil.Process().memory_info().rss / 1e6:.0f} MB, kernel "
                    f"{kernel_process.memory_info().rss / 1e6:.0f} MB"
                )
    if steady:
        workers = sum(worker for worker, _ in steady) / len(steady)
        kernels = sum(kernel for _, kernel in steady) / len(steady)
        print(
            f"steady state: {workers + kernels:.2f} CPU-s per report "
            f"(worker {workers:.2f} + kernel {kernels:.2f}, mean of {len(steady)})"
        )


if __name__ == "__main__":
    main()
