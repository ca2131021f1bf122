"""WCAG 2.2 AA: axe-core finds no violation in a report or the index; keyboard paths work."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from councilpack.reports import REPORTS

from .support import DemoPack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Elements that are focusable by nature; anything else in the tab order needs an explicit role.
INTERACTIVE = {"A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY"}


def _violations(page: Any) -> str:
    results = Axe().run(page, options=AXE_OPTIONS)
    assert "violations" in results.response
    if results.violations_count:
        return results.generate_report()
    return ""


@pytest.mark.parametrize("report", sorted(REPORTS))
@pytest.mark.parametrize("details", ["folded", "unfolded"])
def test_report_has_no_axe_violations(
    demo_pack: DemoPack, load_report: Any, details: str, report: str
) -> None:
    built = next(r for r in demo_pack.reports if r.report == report)
    page, _ = load_report(built.url)
    if details == "unfolded":
        # axe skips hidden content: open the data tables so they are checked too.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        # The briefing has no charts, so no folded data tables to open.
        if page.locator("details").count():
            assert page.locator("table.cp-data").first.is_visible()
    report = _violations(page)
    assert report == "", report


def test_index_has_no_axe_violations(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(demo_pack.index.as_uri())
    assert page.locator("main a[href]").count() == len(demo_pack.reports)
    report = _violations(page)
    assert report == "", report


def test_index_with_flags_has_no_axe_violations(load_report: Any, tmp_path: Any) -> None:
    """The index's flags, types and regions (failed, missing, empty reports), without kernels."""
    from councilpack.manifest import render_index

    base = {"council": "X00000001", "council_name": "Aldermoor", "folder": "X00000001-aldermoor",
            "council_type": "Metropolitan district", "region": "North West",
            "at": "2026-12-01T15:00:00+00:00"}  # fmt: skip
    records = [
        {**base, "report": "finance", "status": "ok", "html": "X00000001-aldermoor/finance.html"},
        {
            **base,
            "report": "outcomes",
            "status": "empty",
            "reason": "no figure",
            "html": "X00000001-aldermoor/outcomes.html",
        },
        {
            **base,
            "report": "residents",
            "status": "failed",
            "error": {"type": "ValueError", "message": "broken"},
        },
        {**base, "report": "briefing", "status": "missing", "error": {"message": "gone"}},
        {
            "council": "X00000002",
            "council_name": "Brackenford",
            "folder": "X00000002-brackenford",
            "report": "finance",
            "status": "ok",
            "html": "X00000002-brackenford/finance.html",
        },
    ]
    index = tmp_path / "index.html"
    index.write_text(render_index(records), encoding="utf-8")
    page, _ = load_report(index.as_uri())
    assert page.locator("th[scope=col]").count() == 7
    report = _violations(page)
    assert report == "", report


def test_axe_does_report_a_violation(load_report: Any, demo_pack: DemoPack) -> None:
    """Guard against a silent pass: a link with no name must be caught."""
    page, _ = load_report(demo_pack.reports[0].url)
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('a'), {href: '#cp-main'}))"
    )
    assert "link-name" in _violations(page)


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {tag: el.tagName, id: el.id, cls: el.className, role: el.getAttribute('role'),
                    text: (el.innerText || '').trim().slice(0, 60),
                    left: box.left, top: box.top, width: box.width, height: box.height};
        }"""
    )


def test_skip_link_is_first_and_moves_focus_to_main(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(demo_pack.reports[0].url)
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["tag"] == "A"
    assert "cp-skip" in first["cls"]
    assert first["text"] == "Skip to the report"
    # Visible when focused (it sits off-screen otherwise).
    assert first["left"] >= 0
    assert first["top"] >= 0
    assert first["width"] > 0
    page.keyboard.press("Enter")
    landed = _focused(page)
    assert landed["tag"] == "MAIN"
    assert page.evaluate("() => location.hash") == "#cp-main"


def test_data_table_opens_with_enter(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(demo_pack.reports[0].url)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link: focus is now on main
    for _ in range(20):
        page.keyboard.press("Tab")
        if _focused(page)["tag"] == "SUMMARY":
            break
    else:
        pytest.fail("no data-table summary reached by Tab from the start of the report")
    details = page.locator("details.cp-chart-data").filter(has=page.locator("summary:focus"))
    assert details.count() == 1
    assert details.evaluate("d => d.open") is False
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") is True
    assert details.locator("table").is_visible()
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") is False


def test_every_tab_stop_is_a_named_control(demo_pack: DemoPack, load_report: Any) -> None:
    page, _ = load_report(demo_pack.reports[0].url)
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "BODY" or (stops and "cp-skip" in focused["cls"]):
            break
        stops.append(focused)
    assert len(stops) >= 3, stops  # skip link, contents, data tables
    unnamed = [s for s in stops if not s["text"]]
    roleless = [s for s in stops if s["tag"] not in INTERACTIVE and not s["role"]]
    assert unnamed == []
    assert roleless == [], "focusable elements with no role (e.g. nbconvert's tabindex=0 divs)"


def test_report_reflows_at_320_css_pixels(demo_pack: DemoPack, load_report: Any) -> None:
    """WCAG 1.4.10: no page-wide horizontal scrolling at 320 px; charts scroll in place."""
    page, _ = load_report(demo_pack.reports[0].url)
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_timeout(100)  # let layout settle after the resize
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths}"
    report = _violations(page)
    assert report == "", report
