"""Time a cold build of the open-data store (per source and in all) and council lookups.

Usage: ``python benchmarks/bench_store.py RAW_DIR`` (or set COUNCILPACK_DATA_DIR).
Prints timings; not a test. The per-source lines time each loader alone (reading,
checking and mapping to current councils); ``build_store`` is the whole cold build
(all loaders, implausible-value split, comparator groups, parquet writes) into an
empty temporary folder, so nothing is cached.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from councilpack.data.loaders import ons_mye
from councilpack.data.loaders.mhclg_ctr import load_council_tax_levels
from councilpack.data.loaders.mhclg_rs import load_rs
from councilpack.data.loaders.mhclg_rsx import load_forms
from councilpack.data.loaders.mysociety import load_geography
from councilpack.data.store import build_store, open_store
from councilpack.settings import data_dir_from_env


def time_sources(raw: Path) -> None:
    """Print the time of each finance and population loader on its own."""
    started = time.perf_counter()
    geography = load_geography(raw)
    print(f"  register and lookups: {time.perf_counter() - started:.2f} s")
    for label, loader, args in (
        ("RS 2010-11 to 2023-24 (14 workbooks)", load_rs, (raw, geography, [])),
        ("RSX and RO3 2022-23 to 2024-25 (8 workbooks)", load_forms, (raw, geography, [])),
        (
            "ONS population mid-2011 to mid-2022 (MYE4)",
            ons_mye.load_population_totals,
            (raw, geography),
        ),
        (
            "ONS population mid-2022 by age",
            ons_mye.load_population_by_age,
            (raw, geography, "mid-2022"),
        ),
        (
            "ONS population mid-2024 by age",
            ons_mye.load_population_by_age,
            (raw, geography, "mid-2024"),
        ),
        (
            "CTR council tax levels 2015-16 to 2023-24 (9 tables)",
            load_council_tax_levels,
            (raw, geography, []),
        ),
    ):
        started = time.perf_counter()
        loader(*args)
        print(f"  {label}: {time.perf_counter() - started:.2f} s")


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir_from_env()
    if raw is None:
        raise SystemExit("give the raw data folder or set COUNCILPACK_DATA_DIR")
    print("per source:")
    time_sources(raw)
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        store = build_store(raw, Path(tmp) / "store")
        print(
            f"build_store (cold, every staged file): {time.perf_counter() - started:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU"
        )
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
