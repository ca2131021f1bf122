"""A chart caption describes the chart; it never repeats the paragraph above it word for word."""

from __future__ import annotations

import re

import mistune

from councilpack.charts import ChartResult
from councilpack.data import open_data
from councilpack.finance import analysis, report
from councilpack.finance import charts as finance_charts


def _plain(markdown: str) -> str:
    """Return report Markdown as read: without the escaping backslashes (councilpack.markup)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _sentences(text: str) -> set[str]:
    plain = re.sub(r"\*\*[^*]+\*\*", "", _plain(text))  # drop the bold indicator label
    return {s.strip() for s in re.split(r"(?<=[.;])\s+", plain) if len(s.strip()) > 20}


def test_no_caption_repeats_a_sentence_of_its_paragraph() -> None:
    result = analysis.analyse(open_data(""), "X00000001")
    checked = 0
    for identifier in (*report.SPENDING, *report.RESERVES):
        paragraph = report.indicator_markdown(result, identifier)
        for bundle in (
            finance_charts.comparator_chart(result, identifier),
            finance_charts.trend_chart(result, identifier),
        ):
            if bundle is None:
                continue
            assert isinstance(bundle, ChartResult)
            # The table under the chart names what it holds: the indicator's label first.
            assert bundle.table_caption.startswith(result.results[identifier].spec.label)
            checked += 1
            shared = _sentences(paragraph) & _sentences(bundle.description)
            assert not shared, f"{identifier}: caption repeats {shared}"
            # Still a description of the chart, naming the council.
            assert result.council.name in bundle.description
    assert checked >= 10


def test_summary_gives_each_finding_as_its_section_does_and_links_to_it() -> None:
    result = analysis.analyse(open_data(""), "X00000001")
    summary = _plain(report.summary_markdown(result))
    shown = [i for i in report.SUMMARY if i in result.results]
    lines = summary.splitlines()
    assert len(lines) == len(shown)
    for identifier, line in zip(shown, lines, strict=True):
        indicator = result.results[identifier]
        # The one sentence path: the finding its section states (and the briefing gives),
        # without the money gap, then a link to the section.
        finding = indicator.sentence.removesuffix(".")
        assert line.startswith(f"- {finding} ([")
        assert line.endswith(f"(#{report.section_of(identifier).replace(' ', '-')})).")
        assert finding in _plain(report.indicator_markdown(result, identifier))
    assert "(#Reserves)" in summary


def test_each_summary_line_links_to_the_section_that_states_its_figure() -> None:
    # The schools deficit is stated under "Debt, commercial income and the schools
    # deficit", whose exported heading id is its text with spaces as hyphens.
    result = analysis.analyse(open_data(""), "X00000001")
    summary = str(report.summary_markdown(result))
    line = next(line for line in summary.splitlines() if "DSG deficit" in line or "schools" in line)
    # Rendered by the Markdown engine nbconvert uses (backslash escapes removed).
    assert 'href="#Debt,-commercial-income-and-the-schools-deficit"' in mistune.html(line)
    reserves = next(line for line in summary.splitlines() if "Unallocated reserves" in line)
    assert 'href="#Reserves"' in mistune.html(reserves)
