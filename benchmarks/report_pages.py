"""Printed length of a report: A4 pages per council, measured in Chromium's print layout.

Usage::

    python benchmarks/report_pages.py [--report briefing] [--councils all] [--data-dir DIR]
        [--jobs 2]

Builds one report (``--report``: ``briefing`` by default, or ``finance``, ``outcomes`` ...)
for each council (``all``: every demo council; or comma-separated codes or names) into a
temporary folder, prints each to PDF exactly as ``councilpack pack --pdf`` does and prints
the page counts; not a test (tests/notebooks/test_pack.py checks two demo councils and
Knowsley against the briefing's four-page limit). For example, the finance report of the
first demo council and of Knowsley::

    python benchmarks/report_pages.py --report finance --councils X00000001
    python benchmarks/report_pages.py --report finance --councils Knowsley --data-dir DIR
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from councilpack.batch import BatchSpec, make_executor, plan, run_batch
from councilpack.pdf import write_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", default="briefing")
    parser.add_argument("--councils", default="all")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    councils = "all" if args.councils == "all" else args.councils.split(",")
    spec = BatchSpec(councils=councils, reports=[args.report], data_dir=args.data_dir)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        result = run_batch(plan(spec), out, executor=make_executor(args.jobs))
        print(f"{'council':<40} {args.report} pages")
        pages = []
        for outcome in sorted(result.outcomes, key=lambda o: o.council):
            if outcome.status != "ok" or outcome.html is None:
                print(f"{outcome.council_name:<40} failed: {outcome.error}")
                continue
            count = write_pdf(out / outcome.html, out / outcome.folder / f"{args.report}.pdf")
            pages.append(count)
            print(f"{outcome.council_name + ' (' + outcome.council + ')':<40} {count}")
        if pages:
            print(f"most pages: {max(pages)}; fewest: {min(pages)}; councils: {len(pages)}")


if __name__ == "__main__":
    main()
