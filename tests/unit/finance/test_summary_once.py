"""The finance summary says a shared 'not available' reason once, not once per indicator."""

from __future__ import annotations

import dataclasses

from councilpack.demo import demo_context
from councilpack.finance import analysis, report


def test_a_council_without_figures_gets_one_summary_line() -> None:
    context = demo_context()
    without = dataclasses.replace(
        context, metrics=context.metrics[context.metrics["gss_code"] != "X00000003"]
    )
    result = analysis.analyse(without, "X00000003")
    summary = report.summary_markdown(result)
    reasons = {result.results[i].reason for i in report.SUMMARY}
    assert len(reasons) == 1  # one shared reason ...
    (reason,) = reasons
    assert summary.count("\n") == 0  # ... one line
    assert summary.count(reason) == 1
    assert summary.startswith("- Unallocated reserves as a share of NRE, ")
    assert summary.endswith(f" are not available for {result.period}: {reason}.")


def test_a_council_with_figures_keeps_one_line_per_finding() -> None:
    result = analysis.analyse(demo_context(), "X00000001")
    assert report.summary_markdown(result).count("\n") == len(report.SUMMARY) - 1
