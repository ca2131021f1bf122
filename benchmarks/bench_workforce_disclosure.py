"""Time the workforce analysis (disclosure control included) for demo councils.

Usage: ``python benchmarks/bench_workforce_disclosure.py [GSS code ...]``. Prints, per
council, the respondents in the latest wave and the best of three timings of
:func:`councilpack.workforce.analyse`, most of which is the
linked-tables disclosure check (rule 7 of :mod:`councilpack.workforce.disclosure`).
"""

from __future__ import annotations

import sys
import time

from councilpack.demo.files import demo_survey_dir, ensure_demo_files
from councilpack.surveys.folder import load_survey_folder
from councilpack.workforce import analyse

# A metropolitan district (about 2,000 staff) and a district (about 500 staff).
DEFAULT_COUNCILS = ("X00000003", "X00000016")


def main(codes: list[str]) -> None:
    """Print the analysis time for each council."""
    for code in codes:
        folder = load_survey_folder(
            demo_survey_dir(ensure_demo_files(), "staff", code), expected="staff"
        )
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            analysis = analyse(folder)
            timings.append(time.perf_counter() - start)
        responses = analysis.responses
        latest = responses["wave"].max()
        everyone = responses[(responses["wave"] == latest) & (responses["variable"] == "all_staff")]
        print(
            f"{code}: {int(everyone['respondents'].iloc[0])} respondents in {latest}, "
            f"analysis {min(timings):.2f} s (best of 3)"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT_COUNCILS))
