"""Print a finished HTML report to an A4 PDF with headless Chromium (through Playwright).

Why Chromium: the reports draw their charts with Vega in the browser (inline
JavaScript, SVG renderer). Chromium runs that script, so the PDF holds the same
charts the reader sees on screen; it embeds (subsets) the fonts it used, and
the report's stylesheet (``@page`` margin boxes) puts the running line and
"Page N of M" in the bottom margin of every page. An engine without
JavaScript (WeasyPrint) would need every chart pre-rendered to SVG by a second
path and would lay the page out differently from the browser the reports are
tested in. The browser is the system Chromium (``$COUNCILPACK_CHROMIUM`` or
``/usr/bin/chromium``); Playwright's own browser downloads are not used.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import tempfile
from pathlib import Path

from councilpack.errors import SettingsError

#: Chromium flags for a headless print in a container (no GPU, no network services).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class PdfError(SettingsError):
    """The PDF could not be made (no browser, no Playwright); one line saying which."""


def chromium_path() -> Path:
    """Return the Chromium executable: ``$COUNCILPACK_CHROMIUM`` or ``/usr/bin/chromium``."""
    return Path(os.environ.get("COUNCILPACK_CHROMIUM", "/usr/bin/chromium"))


def count_pages(pdf: bytes) -> int:
    """Return the number of pages of a PDF (its ``/Type /Page`` objects).

    Chromium writes page objects uncompressed, so counting them is exact for
    its PDFs.

    Examples
    --------
    >>> count_pages(b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page >>")
    2
    """
    return len(_PAGE.findall(pdf))


def render_pdf(html: Path, *, timeout_ms: int = 60_000) -> bytes:
    """Return ``html`` printed to A4 PDF, after every chart has drawn.

    Playwright's sync API refuses to run where an asyncio loop is running (a
    Jupyter kernel, or a test process where another library left one), so the
    printing runs in a thread of its own, which has no loop.

    Raises
    ------
    PdfError
        Chromium or Playwright is missing, or a chart did not draw.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render_pdf, html, timeout_ms).result()


def _render_pdf(html: Path, timeout_ms: int) -> bytes:
    executable = chromium_path()
    if not executable.is_file():
        raise PdfError(f"Chromium not found at {executable} (set COUNCILPACK_CHROMIUM)")
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError("PDF output needs Playwright: pip install 'councilpack[pdf]'") from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri(), wait_until="load")
            charts = page.locator(".cp-chart-view").count()
            if charts:
                try:
                    page.wait_for_function(
                        "n => document.querySelectorAll('.cp-chart-view svg').length >= n",
                        arg=charts,
                        timeout=timeout_ms,
                    )
                except PlaywrightTimeout:
                    raise PdfError(
                        f"{html.name}: not every chart drew within {timeout_ms / 1000:g} s"
                    ) from None
            data: bytes = page.pdf(
                format="A4",
                print_background=True,
                # Page size, margins, running line and page numbers come from the report's
                # @page rules (as in a reader's Ctrl-P); Chromium's own header and footer
                # templates would be drawn over them.
                prefer_css_page_size=True,
            )
        finally:
            browser.close()
    return data


def write_pdf(html: Path, pdf: Path) -> int:
    """Print ``html`` to ``pdf`` (written atomically) and return its page count."""
    data = render_pdf(html)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=pdf.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, pdf)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count_pages(data)
