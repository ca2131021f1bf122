"""A built report in headless Chromium, with every non-file request blocked.

The report must be readable with no network: charts drawn from the inline bundle,
tooltips working, landmarks, contents and provenance footer present; and print CSS
must keep the data tables while dropping the navigation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from councilpack.provenance import package_version

from .support import PACK, BuiltReport, DemoPack, PageLog

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Schemes that never leave the machine; anything else is a network request.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def _first(pack: DemoPack) -> BuiltReport:
    return pack.reports[0]


@pytest.fixture(params=range(len(PACK)), ids=[f"{code}-{report}" for code, report in PACK])
def report(request: pytest.FixtureRequest, demo_pack: DemoPack) -> BuiltReport:
    return demo_pack.reports[request.param]


def test_report_loads_offline_without_errors(report: BuiltReport, load_report: Any) -> None:
    page, log = load_report(report.url)
    assert isinstance(log, PageLog)
    assert log.requests, "the request log recorded nothing: the listener is not attached"
    network = [url for url in log.requests if not url.startswith(LOCAL_SCHEMES)]
    assert network == [], f"the report tried to reach the network: {network}"
    assert log.blocked == []
    assert log.page_errors == []
    errors = [text for kind, text in log.console if kind == "error"]
    assert errors == []
    assert page.title().startswith(report.council_name)


def test_charts_compile_without_vega_warnings(demo_pack: DemoPack, load_report: Any) -> None:
    """Vega and Vega-Lite report spec problems (conflicts, version mismatch) as warnings."""
    _, log = load_report(_first(demo_pack).url)
    warnings = sorted({text for kind, text in log.console if kind == "warning"})
    assert warnings == []


def test_every_chart_is_drawn_with_marks(report: BuiltReport, load_report: Any) -> None:
    page, _ = load_report(report.url)
    specs = page.locator("script.cp-chart-spec").count()
    if report.report == "briefing":
        assert specs == 0  # words and links only: the charts are one click away
        return
    assert specs >= 1, "the finance report should carry at least one chart"
    views = page.locator(".cp-chart-view")
    assert views.count() == specs
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cp-chart-view')).map(view => {
            const svg = view.querySelector('svg');
            if (svg) return svg.querySelectorAll('.role-mark > *').length;
            const canvas = view.querySelector('canvas');
            if (!canvas || !canvas.width) return 0;
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i + 3] && (pixels[i] < 250 || pixels[i + 1] < 250)) inked++;
            }
            return inked;
        })"""
    )
    assert len(drawn) == specs
    assert all(count > 0 for count in drawn), f"marks per chart: {drawn}"
    failure = page.get_by_text("This chart could not be drawn")
    assert failure.count() == 0


def test_tooltip_shows_on_hover_over_a_bar(demo_pack: DemoPack, load_report: Any) -> None:
    report = _first(demo_pack)
    page, _ = load_report(report.url)
    bars = page.locator(".cp-chart-view .role-mark.mark-rect path")
    assert bars.count() >= 2, "expected a comparator bar chart"
    tooltip = page.locator("#vg-tooltip-element")
    bars.first.hover()
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "visible" in (tooltip.get_attribute("class") or "")
    text = tooltip.inner_text()
    # The tooltip names one of the councils listed in the chart's own data table.
    figure_cell = page.locator(".cp-chart-view").first.locator(
        "xpath=ancestor::div[contains(@class,'jp-Cell')][1]"
    )
    councils = figure_cell.locator("table.cp-data tbody th").all_text_contents()
    assert councils, "the chart's data table lists no councils"
    assert any(name in text for name in councils), (text, councils)


def test_heading_landmarks_and_language(report: BuiltReport, load_report: Any) -> None:
    page, _ = load_report(report.url)
    assert page.get_attribute("html", "lang") == "en-GB"
    h1 = page.locator("h1")
    assert h1.count() == 1
    heading = h1.inner_text()
    assert report.council_name in heading
    assert report.title in heading
    assert page.locator("main").count() == 1
    assert page.locator("main h2").count() >= 1


def test_contents_links_resolve(report: BuiltReport, load_report: Any) -> None:
    page, _ = load_report(report.url)
    targets = page.eval_on_selector_all(
        "nav.cp-toc a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(targets) >= 2
    assert all(href.startswith("#") for href in targets), targets
    missing = page.evaluate(
        "ids => ids.filter(id => !document.getElementById(decodeURIComponent(id)))",
        [href[1:] for href in targets],
    )
    assert missing == []
    # Every section heading of the report is listed.
    section_ids = page.eval_on_selector_all("main h2[id]", "hs => hs.map(h => h.id)")
    assert section_ids
    assert set(section_ids) <= {href[1:] for href in targets}


def test_footer_carries_provenance(report: BuiltReport, load_report: Any) -> None:
    page, _ = load_report(report.url)
    footer = page.locator("footer.cp-footer")
    assert footer.count() == 1
    text = footer.inner_text()
    provenance = report.sidecar["provenance"]
    assert provenance["package_version"] == package_version()
    assert f"councilpack {package_version()}" in text
    revision = provenance["git_revision"]
    assert re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?|unknown", revision), revision
    assert f"revision {revision}" in text
    sources = footer.locator("dt", has_text="Sources").locator("xpath=following-sibling::dd[1]//li")
    listed = sources.all_text_contents()
    assert report.sidecar["sources"], "the sidecar lists no sources"
    assert sorted(set(listed)) == sorted(set(report.sidecar["sources"]))
    assert len(listed) == len(set(listed)), f"sources listed twice: {listed}"


def test_report_tables_are_left_aligned(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(_first(demo_pack).url)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    alignments = page.eval_on_selector_all(
        "main table th, main table td", "cells => cells.map(c => getComputedStyle(c).textAlign)"
    )
    assert alignments
    assert set(alignments) == {"left"}


def test_print_hides_contents_and_keeps_data_tables(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(_first(demo_pack).url)
    tables = page.locator("details.cp-chart-data table")
    assert tables.count() >= 1
    assert not tables.first.is_visible(), "data tables start folded away on screen"
    page.emulate_media(media="print")
    assert not page.locator("nav.cp-toc").is_visible()
    assert not page.locator(".cp-skip").is_visible()
    for index in range(tables.count()):
        table = tables.nth(index)
        assert table.is_visible(), f"data table {index} is not printed"
        box = table.bounding_box()
        assert box is not None
        assert box["height"] > 0
    assert page.locator("table.cp-figures").is_visible()
    assert page.locator("footer.cp-footer").is_visible()


def test_index_links_open_each_report(demo_pack: DemoPack, load_report: Any) -> None:
    page, log = load_report(demo_pack.index.as_uri())
    links = page.eval_on_selector_all(
        "main a[href]",
        "links => links.map(a => [a.href, a.closest('tr').querySelector('th').innerText])",
    )
    assert len(links) == len(demo_pack.reports)
    by_url = {report.url: report for report in demo_pack.reports}
    assert {url for url, _ in links} == set(by_url)
    for url, row_council in links:
        page.goto(url)
        report = by_url[url]
        assert row_council == report.council_name
        assert report.council_name in page.locator("h1").inner_text()
    assert [url for url in log.requests if not url.startswith(LOCAL_SCHEMES)] == []
