"""Time ``councilpack --help`` (CLI start-up) and one argument error.

Issue 13 item 6 asks for ``councilpack --help`` in under 0.5 s: the CLI must
parse arguments before importing pandas, altair or papermill.

    python benchmarks/bench_cli.py            # 7 runs each, prints the median
    python benchmarks/bench_cli.py --runs 15

Each run is a fresh interpreter (``python -m councilpack ...``), as a user
typing the command gets. The bare interpreter start-up is printed for scale.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS: dict[str, list[str]] = {
    "python -c pass (interpreter only)": ["-c", "pass"],
    "councilpack --help": ["-m", "councilpack", "--help"],
    "councilpack build --help": ["-m", "councilpack", "build", "--help"],
    "councilpack build X --report finanse (one-line error)": [
        "-m",
        "councilpack",
        "build",
        "X00000001",
        "--report",
        "finanse",
    ],
}


def time_command(arguments: list[str], runs: int) -> list[float]:
    """Return the wall-clock seconds of ``runs`` fresh runs of ``python <arguments>``."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    for label, arguments in COMMANDS.items():
        seconds = time_command(arguments, runs)
        print(
            f"{label:55} median {statistics.median(seconds):.3f} s  "
            f"(min {min(seconds):.3f}, max {max(seconds):.3f}, {runs} runs)"
        )


if __name__ == "__main__":
    main()
