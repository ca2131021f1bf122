"""Plain data the browser suite's fixtures hand to its tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from councilpack.reports import REPORTS

COUNCILS = ("X00000001", "X00000007")
#: (council, report) in build order: every report once, and finance for two councils.
PACK: tuple[tuple[str, str], ...] = (
    *((COUNCILS[0], report) for report in REPORTS),
    (COUNCILS[1], "finance"),
)


@dataclass(frozen=True)
class BuiltReport:
    """One report of the pack, with what the build recorded about it."""

    code: str
    report: str
    council_name: str
    title: str
    html: Path
    sidecar: dict[str, Any]

    @property
    def url(self) -> str:
        """Return the report's ``file://`` URL."""
        return self.html.as_uri()


@dataclass(frozen=True)
class DemoPack:
    """A built pack: its folder, manifest and reports."""

    root: Path
    manifest: dict[str, Any]
    reports: list[BuiltReport] = field(default_factory=list)

    @property
    def index(self) -> Path:
        """Return the index page."""
        return self.root / "index.html"


@dataclass
class PageLog:
    """Everything a page tried to fetch and every error it reported."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def non_file_requests(self) -> list[str]:
        """Return every attempted request that was not for a local file."""
        return [url for url in self.requests if not url.startswith("file://")]


# A CSS escape as CSS Syntax Level 3 reads it: a backslash, one to six hex digits and at
# most one whitespace character, which the escape consumes.
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6})[ \t\n]?")
_RUNNING = re.compile(r'@bottom-left\s*\{\s*content:\s*"((?:[^"\\]|\\.)*)"')


def running_line(page: str) -> str | None:
    """Return the text a report prints in the bottom margin of every page, or None.

    The report's ``<style>`` sets it as ``@page { @bottom-left { content: "..." } }``,
    written with hex escapes (``councilpack.markup.css_string``); this reads them back.
    """
    found = _RUNNING.search(page)
    if found is None:
        return None
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), found.group(1))


def expected_running_line(sidecar: dict[str, Any]) -> str:
    """Return the running line a report's sidecar implies: council, title, data, build date."""
    return (
        f"{sidecar['council']['name']}: {sidecar['title']}"
        f" \u00b7 built {sidecar['provenance']['build_date']}"
        f" \u00b7 data: {sidecar['data_vintage']}"
    )
