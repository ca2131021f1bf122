"""No script from an input file runs in a report (issue 14, item 1).

Every report type is built once from inputs whose every text field carries a payload
(:mod:`.payloads`): the council name in the register, comparator group wording, codebook and
survey titles, item labels and staff statements, group and category labels, directorate
names, area names, and the HR file's period, sources and comparator groups. Each page is
opened in Chromium: no dialog may open, no element the payloads would create may exist, no
element may carry an event handler or a ``javascript:`` link, and the payloads must be on the
page as text (so the test cannot pass by dropping them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from councilpack.demo.files import ensure_demo_files
from councilpack.reports import REPORTS
from councilpack.runner import ReportTask, build_report

from .payloads import (
    COUNCIL,
    INJECTED_CLASS,
    payload,
    short_payload,
    write_residents,
    write_staff,
    write_store,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Which payload each report must show as text (a field it certainly prints).
SHOWN = {
    "finance": "council-name",
    "outcomes": "council-name",
    "residents": "residents-codebook-title",
    "workforce": "staff-codebook-title",
    "briefing": "staff-codebook-title",
}


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every registered report once from payload-carrying inputs."""
    root = tmp_path_factory.mktemp("payloads").resolve()
    surveys = ensure_demo_files()
    store = write_store(root / "store")
    residents = str(write_residents(surveys, root / "residents"))
    staff = str(write_staff(surveys, root / "staff"))
    options = {
        "residents": {"survey_dir": residents},
        "workforce": {"survey_dir": staff},
        "briefing": {"residents_survey_dir": residents, "staff_survey_dir": staff},
    }
    name = payload("council-name")
    built = {}
    for report in REPORTS:
        task = ReportTask(
            COUNCIL, name, f"{COUNCIL}-hostile", report, str(store), options.get(report, {})
        )
        outcome = build_report(task, root / "out")
        assert outcome.status == "ok", (report, outcome.error)
        built[report] = root / "out" / str(outcome.html)
    return built


def test_every_report_type_is_covered() -> None:
    assert set(SHOWN) == set(REPORTS), "add the new report type's payload inputs"


@pytest.mark.parametrize("report", sorted(SHOWN))
def test_no_script_from_an_input_runs(
    report: str, hostile_reports: dict[str, Path], browser: Any
) -> None:
    context = browser.new_context()
    dialogs: list[str] = []
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(hostile_reports[report].as_uri())
        page.wait_for_load_state("load")
        # Let any onerror handler of a broken image fire before looking.
        page.wait_for_timeout(500)
        injected = page.eval_on_selector_all(
            f".{INJECTED_CLASS}", "els => els.map(e => e.outerHTML)"
        )
        handlers = page.evaluate(
            """() => Array.from(document.querySelectorAll('*')).flatMap(el =>
                   Array.from(el.attributes)
                     .filter(a => a.name.startsWith('on')
                               || /^\\s*javascript:/i.test(a.value))
                     .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
        )
        scripts = page.evaluate(
            """() => Array.from(document.scripts)
                   .filter(s => !s.classList.contains('cp-chart-spec'))
                   .map(s => s.textContent)
                   .filter(text => text.includes('alert('))"""
        )
        text = page.inner_text("body")
        # The running line printed in every page's margin carries the council name into a
        # stylesheet: it must stay one CSS string there, whole, with nothing after it.
        margin = page.evaluate(
            """() => Array.from(document.styleSheets).flatMap(sheet =>
                   Array.from(sheet.cssRules)
                     .filter(rule => rule instanceof CSSPageRule)
                     .flatMap(rule => Array.from(rule.cssRules))
                     .filter(rule => rule.name === 'bottom-left' && rule.style.content)
                     .map(rule => rule.style.content))"""
        )
        styles = page.eval_on_selector_all("style", "els => els.map(e => e.textContent)")
    finally:
        context.close()
    assert dialogs == [], f"a script from an input file ran: {dialogs}"
    assert injected == [], f"elements from an input file are on the page: {injected[:3]}"
    assert handlers == [], f"event handlers or javascript: links on the page: {handlers[:3]}"
    assert scripts == [], "an inline script carries input text"
    assert len(margin) == 1, f"expected one running line in the page margin: {margin}"
    running = margin[0].replace('\\"', '"').replace("\\\\", "\\")
    assert running.startswith(f'"{payload("council-name")}: '), running
    running_styles = [style for style in styles if style.startswith("@page { @bottom-left")]
    assert len(running_styles) == 1
    assert re.fullmatch(
        r'@page \{ @bottom-left \{ content: "[A-Za-z0-9 \\]*"; \} \}', running_styles[0]
    )
    shown = short_payload(SHOWN[report])
    assert shown in text, f"the {SHOWN[report]} payload is not shown as text"
