"""On paper, the running line and the page number sit in the bottom margin, clear of the text.

The demo finance report (the longest: tables across page breaks, charts) and outcomes
report (the longest list of data years) are printed as ``briefing.pdf`` is, through
:func:`councilpack.pdf.write_pdf`, and every piece of text on every page is located with pypdf. The bottom margin of each page
must hold exactly the running line (council, title, build date: from the
sidecar) and "Page N of M", all of it inside the margin, and no other text may reach into
it. The running line used to be ``position: fixed`` inside the page body and covered the
last line or two of text on about half the pages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from councilpack.pdf import write_pdf

from .support import COUNCILS, DemoPack, expected_running_line

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The bottom page margin of councilpack.css's ``@page`` rule (16 mm), in points.
MARGIN = 16 / 25.4 * 72
#: How far below its baseline a glyph of Arial reaches (descent 0.212 em), with a little slack.
DESCENT = 0.25


@dataclass(frozen=True)
class Run:
    """A piece of text the PDF draws: its text, baseline height above the page foot, size."""

    text: str
    baseline: float
    size: float


def _runs(page: Any) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        # The text origin (tm's translation) through the current transformation matrix.
        baseline = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        runs.append(Run(text, baseline, size * scale))

    page.extract_text(visitor_text=visit)
    return runs


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", ["finance", "outcomes"])
def test_running_line_and_page_number_are_in_the_margin_clear_of_text(
    demo_pack: DemoPack, tmp_path: Path, browser: Any, name: str
) -> None:
    # ``browser`` only for its rule: skip without Chromium, except under CI.
    report = next(r for r in demo_pack.reports if (r.code, r.report) == (COUNCILS[0], name))
    pdf = tmp_path / f"{name}.pdf"
    pages = write_pdf(report.html, pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == pages > 2, f"the {name} report should run to several pages"
    running = _squeeze(expected_running_line(report.sidecar))
    problems: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        runs = _runs(page)
        assert runs, f"page {number} has no text"
        margin = [run for run in runs if run.baseline - DESCENT * run.size < MARGIN]
        body = [run for run in runs if run not in margin]
        shown = "".join(_squeeze(run.text) for run in margin)
        page_number = f"Page{number}of{pages}"
        if shown not in (running + page_number, page_number + running):
            problems.append(f"page {number}: the bottom margin holds {shown!r}")
        for run in margin:
            if run.baseline + run.size > MARGIN:
                problems.append(f"page {number}: {run.text!r} reaches above the margin")
        if not body:
            problems.append(f"page {number}: no text above the margin")
    assert not problems, "\n".join(problems[:10])
