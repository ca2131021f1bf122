"""Fixtures of the browser suite: one demo pack and one headless Chromium per session.

The pack is built once through the library (:func:`councilpack.batch.run_batch`): every
report for the first demo council and the finance report for a second (see ``PACK``). Chromium is the system browser (Playwright's own browser
downloads are not used): ``$COUNCILPACK_CHROMIUM`` or ``/usr/bin/chromium``. Without it
the browser tests skip with the reason, except under CI (``$CI`` set), where a missing
browser is a failure: CI installs it, so its absence there is a bug.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from councilpack.batch import BatchSpec, CouncilEntry, plan, run_batch
from councilpack.reports import REPORTS

from .support import COUNCILS, PACK, BuiltReport, DemoPack, PageLog

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> DemoPack:
    """Build the demo pack once per session (see ``PACK``)."""
    root = tmp_path_factory.mktemp("pack").resolve()
    entries = [CouncilEntry(council=COUNCILS[0], reports=list(REPORTS)), COUNCILS[1]]
    tasks = plan(BatchSpec(councils=entries, reports=["finance"]))
    result = run_batch(tasks, root)
    failures = [(o.council, o.error) for o in result.failed]
    assert not failures, f"demo pack failed to build: {failures}"
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    reports = [
        BuiltReport(
            code=outcome.council,
            report=outcome.report,
            council_name=outcome.council_name,
            title=REPORTS[outcome.report].title,
            html=root / str(outcome.html),
            sidecar=json.loads((root / str(outcome.sidecar)).read_text(encoding="utf-8")),
        )
        for outcome in result.outcomes
    ]
    assert [(r.code, r.report) for r in reports] == list(PACK)
    return DemoPack(root=root, manifest=manifest, reports=reports)


def _chromium_path() -> Path:
    return Path(os.environ.get("COUNCILPACK_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch headless Chromium once per session (skip if absent; fail under CI)."""
    executable = _chromium_path()
    if not executable.is_file():
        reason = f"Chromium not found at {executable} (set COUNCILPACK_CHROMIUM)"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
            pytest.fail(f"CI is set but {reason}: CI installs Chromium, so this is a bug")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    """A page in a fresh context whose only allowed requests are ``file://`` URLs."""
    log = PageLog()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda request: log.requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda message: log.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    try:
        yield page, log
    finally:
        context.close()


@pytest.fixture
def load_report(offline_page: tuple[Any, PageLog]) -> Callable[[str], tuple[Any, PageLog]]:
    """Return a function that opens a URL offline and waits for its charts to be drawn."""
    page, log = offline_page

    def load(url: str) -> tuple[Any, PageLog]:
        page.goto(url)
        # Drawn, or replaced by the template's failure message: either way, done.
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.cp-chart-view'))
                     .every(view => view.querySelector('svg, canvas') || view.textContent.trim())""",
            timeout=15_000,
        )
        return page, log

    return load
