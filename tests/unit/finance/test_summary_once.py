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
    reasons = {result.results[i].reason for i in report.SUMMARY}
    assert len(reasons) == 1  # one shared reason ...
    (reason,) = reasons
    (finding,) = report.summary_findings(result)  # ... one finding
    assert finding.count(reason) == 1
    assert finding.startswith("Unallocated reserves as a share of NRE, ")
    assert finding.endswith(f" are not available for {result.period}: {reason}.")
    assert str(report.summary_markdown(result)).count("\n") == 0  # one Markdown line


def test_a_council_with_figures_keeps_one_line_per_finding() -> None:
    result = analysis.analyse(demo_context(), "X00000001")
    assert str(report.summary_markdown(result)).count("\n") == len(report.SUMMARY) - 1
