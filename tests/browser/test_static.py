"""The built pack's HTML read as text (no browser): offline, code-free, index complete."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .support import DemoPack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "xlink:href"}
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]*)""", re.IGNORECASE)
# nbconvert writes prompts as "In&nbsp;[3]:" and "Out[3]:"; \s covers the no-break space.
PROMPT = re.compile(r"\b(In|Out)\s*\[\s*\d*\s*\]\s*:")
CODE_CLASSES = {
    "jp-InputPrompt",
    "jp-OutputPrompt",
    "jp-InputArea-editor",
    "jp-CodeMirrorEditor",
    "highlight",
    "jp-RenderedText",  # stdout/stderr and tracebacks
}


class _Page(HTMLParser):
    """Collect URL attributes, CSS text, visible text and class names of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.css: list[str] = []
        self.text: list[str] = []
        self.classes: list[set[str]] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            elif name == "style":
                self.css.append(value)
            elif name == "class":
                self.classes.append(set(value.split()))
        if tag in ("script", "style"):
            self._raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "style":
            self.css.append(data)
        elif self._raw is None:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _pages(pack: DemoPack) -> list[Path]:
    return [report.html for report in pack.reports] + [pack.index]


def test_no_remote_references(demo_pack: DemoPack) -> None:
    for path in _pages(demo_pack):
        page = _parse(path)
        remote = [item for item in page.urls if REMOTE.match(item[2])]
        assert remote == [], f"{path.name}: {remote}"
        css = "\n".join(page.css)
        css_refs = CSS_URL.findall(css) + CSS_IMPORT.findall(css)
        assert [ref for ref in css_refs if REMOTE.match(ref)] == [], path.name


def test_parser_sees_the_report_structure(demo_pack: DemoPack) -> None:
    """Guard the checks above: the parser must actually see links, styles and text."""
    page = _parse(demo_pack.reports[0].html)
    assert any(name == "href" for _, name, _ in page.urls)
    assert len("".join(page.css)) > 10_000  # the inlined JupyterLab and councilpack CSS
    assert demo_pack.reports[0].council_name in " ".join(page.text)
    assert not REMOTE.match("file:///x")
    assert REMOTE.match("https://cdn.example/x.js")
    assert PROMPT.search("In\u00a0[12]:")
    assert PROMPT.search("Out[ ]:")


def test_reports_show_no_code_or_prompts(demo_pack: DemoPack) -> None:
    for report in demo_pack.reports:
        page = _parse(report.html)
        shown = [
            sorted(classes & CODE_CLASSES) for classes in page.classes if classes & CODE_CLASSES
        ]
        assert shown == [], report.html.name
        code_cells = [classes for classes in page.classes if "jp-CodeCell" in classes]
        assert code_cells, "no output cells at all: the report is empty"
        assert all("jp-mod-noInput" in classes for classes in code_cells)
        text = " ".join(page.text)
        assert PROMPT.search(text) is None, PROMPT.search(text)
        assert "Traceback" not in text


def test_index_links_every_built_report(demo_pack: DemoPack) -> None:
    page = _parse(demo_pack.index)
    hrefs = [value for tag, name, value in page.urls if tag == "a" and name == "href"]
    built = [r["html"] for r in demo_pack.manifest["reports"] if r["status"] == "ok"]
    assert len(built) == len(demo_pack.reports)
    assert sorted(hrefs) == sorted(built)
    for href in hrefs:
        assert not urlsplit(href).scheme, f"index links must be relative: {href}"
        target = (demo_pack.index.parent / unquote(href)).resolve()
        assert target.is_file(), href
        assert target.is_relative_to(demo_pack.root.resolve())
