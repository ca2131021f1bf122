"""Seconds per report: one council at a time, and the whole demo set with a worker pool.

Usage::

    python benchmarks/bench_build.py [--repeat 5] [--jobs 2] [--data-dir DIR] [--council CODE]

Prints a small table; not a test. Each "build one council" run goes through the
same library path as ``councilpack build`` (plan -> run_batch) in one process,
so it includes kernel start-up, papermill execution, HTML export and writes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from councilpack.batch import BatchSpec, make_executor, plan, run_batch
from councilpack.reports import REPORTS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--council", default="X00000001")
    parser.add_argument("--reports", default=",".join(REPORTS))
    args = parser.parse_args()
    reports = args.reports.split(",")

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        tasks = plan(BatchSpec(councils=[args.council], reports=reports, data_dir=args.data_dir))
        run_batch(tasks, out / "warm", data_dir=args.data_dir)  # first run builds caches
        single = []
        for repeat in range(args.repeat):
            started = time.perf_counter()
            result = run_batch(tasks, out / f"one-{repeat}", data_dir=args.data_dir)
            single.append((time.perf_counter() - started) / len(tasks))
            assert not result.failed, result.failed
        print(
            f"build one council ({args.council}, {len(tasks)} reports), serial, {args.repeat} runs:"
        )
        print(
            f"  seconds per report: median {statistics.median(single):.2f}, min {min(single):.2f}, max {max(single):.2f}"
        )

        every = plan(BatchSpec(councils="all", reports=reports, data_dir=args.data_dir))
        started = time.perf_counter()
        result = run_batch(
            every, out / "all", executor=make_executor(args.jobs), data_dir=args.data_dir
        )
        elapsed = time.perf_counter() - started
        print(
            f"batch of {len(every)} reports with {args.jobs} workers: {elapsed:.1f} s in all, "
            f"{elapsed / len(every):.2f} s per report, {len(result.failed)} failed"
        )


if __name__ == "__main__":
    main()
