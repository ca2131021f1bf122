"""The demo reports read in plain words (issue 13 items 7 and 8): no raw column names,
no timestamps, no "-0.0", caps as caps, groups in natural order, every chart field titled.

Reads the pack the browser suite builds once (no extra kernels).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from .support import DemoPack, expected_running_line, running_line

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
SPEC = re.compile(r'<script[^>]*class="cp-chart-spec"[^>]*>(.*?)</script>', re.DOTALL)


def _visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_table_headers_are_plain_english(demo_pack: DemoPack) -> None:
    for report in demo_pack.reports:
        page = report.html.read_text(encoding="utf-8")
        headers = [
            html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
            for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.DOTALL)
        ]
        raw = [h for h in headers if SNAKE.match(h)]
        assert not raw, (report.report, raw)


def test_no_timestamps_negative_zero_or_slips(demo_pack: DemoPack) -> None:
    for report in demo_pack.reports:
        text = _visible_text(report.html.read_text(encoding="utf-8"))
        for slip in ("00:00:00", "-0.0 ", "authoritys", "Grade Grades", "100.0 years", " nan "):
            assert slip not in text, (report.report, slip)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), report.report


def test_every_page_states_build_date_and_data_years(demo_pack: DemoPack) -> None:
    for report in demo_pack.reports:
        page = report.html.read_text(encoding="utf-8")
        line = running_line(page)
        assert line is not None, report.report
        assert line == expected_running_line(report.sidecar)
        assert "built " in line
        assert "data: " in line
        assert re.search(r"\b(19|20)\d{2}\b", line)


def test_groups_in_natural_order(demo_pack: DemoPack) -> None:
    report = next(r for r in demo_pack.reports if r.report == "workforce")
    text = _visible_text(report.html.read_text(encoding="utf-8"))
    first, middle, last = (text.find(g) for g in ("Grades 1-5", "Grades 6-9", "Grades 10-13"))
    assert -1 < first < middle < last


def test_every_chart_field_has_a_plain_title(demo_pack: DemoPack) -> None:
    checked = 0
    for report in demo_pack.reports:
        for raw in SPEC.findall(report.html.read_text(encoding="utf-8")):
            spec = json.loads(raw)
            for node in _walk(spec):
                for channel in ("x", "y", "tooltip", "color", "strokeDash", "shape"):
                    encodings = node.get(channel)
                    if channel == "tooltip" and isinstance(encodings, list):
                        items = encodings
                    elif isinstance(encodings, dict) and "field" in encodings:
                        items = [encodings]
                    else:
                        continue
                    for item in items:
                        if not isinstance(item, dict) or "field" not in item:
                            continue
                        title = item.get("title", item["field"])
                        if title is None:
                            continue  # a title left out on purpose (legend, category axis)
                        assert not SNAKE.match(str(title)), (report.report, channel, title)
                        assert str(title) not in ("GBP", "percent"), (report.report, title)
                        checked += 1
    assert checked > 20
