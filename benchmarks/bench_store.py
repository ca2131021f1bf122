"""Time building the open-data store and looking up one council's figures.

Usage: ``python benchmarks/bench_store.py RAW_DIR`` (or set COUNCILPACK_DATA_DIR).
Prints timings; not a test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from councilpack.data.store import build_store, open_store
from councilpack.settings import data_dir_from_env


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir_from_env()
    if raw is None:
        raise SystemExit("give the raw data folder or set COUNCILPACK_DATA_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = build_store(raw, Path(tmp) / "store")
        print(f"build_store: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        context = open_store(store)
        print(
            f"open_store: {(time.perf_counter() - started) * 1000:.0f} ms, {len(context.metrics):,} rows"
        )
        codes = list(context.register.table["gss_code"])
        started = time.perf_counter()
        for code in codes:
            context.council_metrics(code)
            context.groups_for(code)
        per = (time.perf_counter() - started) / len(codes) * 1000
        print(
            f"per-council lookup (metrics + groups), indexed: {per:.4f} ms over {len(codes)} councils"
        )
        metrics = context.metrics
        started = time.perf_counter()
        for code in codes[:50]:
            metrics[metrics["gss_code"] == code]
        per = (time.perf_counter() - started) / 50 * 1000
        print(f"per-council lookup by boolean filter (for comparison): {per:.2f} ms")


if __name__ == "__main__":
    main()
