"""Every number a report prints for a figure reads the same as its sidecar value (issue 13 item 3).

Reads the demo pack the browser suite builds once (no extra kernels). For each
headline figure: the numbers in its sentence include the sidecar value rounded half
up at the printed precision; the headline table prints the value through the one
formatter; residents chart captions and the workforce table of changes print the
same rounded figures as the sentences.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from .support import BuiltReport, DemoPack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# "£532.0m", "1,459", "+1", "7.4", "£1,050"; years such as 2017-18 are dates, not figures.
NUMBER = re.compile(r"(?<![\w.-])([+-]?)£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(m|bn)?(?![\w+-])")


def _half_up(value: float, places: int) -> Decimal:
    # Worked independently of the library: decimal ROUND_HALF_UP on the value as written.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _numbers(text: str) -> list[tuple[Decimal, int, str]]:
    """(number, decimal places, suffix) for every figure-like token of ``text``."""
    found = []
    for sign, whole, fraction, suffix in NUMBER.findall(text):
        digits = whole.replace(",", "") + (f".{fraction}" if fraction else "")
        number = Decimal(digits) * (-1 if sign == "-" else 1)
        found.append((number, len(fraction or ""), suffix or ""))
    return found


def _printed(value: float, numbers: list[tuple[Decimal, int, str]]) -> bool:
    """True when some printed number is ``value`` rounded half up at its own precision."""
    for number, places, suffix in numbers:
        scale = {"m": 1e6, "bn": 1e9}.get(suffix, 1.0)
        if abs(number) == abs(_half_up(value / scale, places)):
            return True
    return False


def _text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _report(pack: DemoPack, report: str) -> BuiltReport:
    return next(r for r in pack.reports if r.report == report)


def _figures(built: BuiltReport) -> list[dict[str, Any]]:
    return list(built.sidecar["figures"])


@pytest.mark.parametrize("report", ["finance", "residents", "workforce"])
def test_sentences_print_the_sidecar_values(demo_pack: DemoPack, report: str) -> None:
    built = _report(demo_pack, report)
    text = " ".join(_text(built.html.read_text(encoding="utf-8")).split())
    checked = 0
    for figure in _figures(built):
        sentence, value = figure["sentence"], figure["value"]
        if not sentence or value is None:
            continue
        if " ".join(sentence.split()) not in text:
            continue  # a figure the report lists in its table but does not word (earlier waves)
        numbers = _numbers(sentence)
        if figure["id"].endswith(("_trend", "_long_run")):
            # A direction of travel (or the whole series) prints the start and end; the
            # change is their difference within one unit of the printed precision.
            (start, places, suffix), (end, _, _) = numbers[:2]
            scale = {"m": 1e6, "bn": 1e9}.get(suffix, 1.0)
            unit = Decimal(1).scaleb(-places)
            assert abs((end - start) - _half_up(value / scale, places)) <= unit, figure["id"]
        elif figure["unit"] == "years" and value >= 100:
            assert "not drawing down" in sentence or "more than 100 years" in sentence
        else:
            assert _printed(value, numbers), (figure["id"], value, sentence)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("report", ["finance", "residents", "workforce"])
def test_headline_table_prints_the_values_through_the_one_formatter(
    demo_pack: DemoPack, report: str
) -> None:
    built = _report(demo_pack, report)
    page = built.html.read_text(encoding="utf-8")
    table = re.search(r"<table class=[\"']cp-figures[\"']>.*?</table>", page, flags=re.DOTALL)
    assert table is not None
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", cell))
        for cell in re.findall(r"<td>(.*?)</td>", table.group(0), flags=re.DOTALL)
    ]
    values = cells[0::3]  # Value, Period, Source per row
    figures = _figures(built)
    assert len(values) == len(figures)
    for figure, shown in zip(figures, values, strict=True):
        if figure["value"] is None:
            assert shown == "not available"
            continue
        numbers = _numbers(shown)
        if figure["unit"] == "years" and figure["value"] >= 100:
            assert shown == "more than 100 years"
        else:
            assert _printed(figure["value"], numbers), (figure["id"], shown)
        assert not re.match(r"-£?0(\.0+)?(?![\d.])", shown), shown  # never "-0.0"


def test_residents_captions_agree_with_the_summary(demo_pack: DemoPack) -> None:
    built = _report(demo_pack, "residents")
    text = " ".join(_text(built.html.read_text(encoding="utf-8")).split())
    captions = re.findall(
        r"positive on '([^']+)' in each wave .*?the latest wave \((\d{4})\) is (\d+) per cent",
        text,
    )
    assert captions
    by_label = {
        (f["label"].lower(), f["period"]): f["value"]
        for f in _figures(built)
        if f["id"].startswith("residents.")
    }
    for label, wave, printed in captions:
        value = by_label[(label, wave)]
        assert Decimal(printed) == _half_up(value, 0), (label, value, printed)


def test_workforce_table_of_changes_agrees_with_the_sentences(demo_pack: DemoPack) -> None:
    built = _report(demo_pack, "workforce")
    page = built.html.read_text(encoding="utf-8")
    table = re.search(
        r"<caption>Per cent positive in \d{4} and change on earlier waves</caption>.*?</table>",
        page,
        flags=re.DOTALL,
    )
    assert table is not None
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), flags=re.DOTALL)[1:]:
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c))
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        rows[cells[0]] = cells
    checked = 0
    for figure in _figures(built):
        comparator = figure.get("comparator") or {}
        if not figure["id"].startswith("workforce.positive.") or comparator.get("value") is None:
            continue
        item = figure["label"].removeprefix("Engagement index: ").removesuffix(" (% positive)")
        now, before = figure["value"], comparator["value"]
        # The change people read: difference of the two figures as printed (whole per cent).
        change = _half_up(now, 0) - _half_up(before, 0)
        cells = rows[item]
        assert Decimal(cells[1]) == _half_up(now, 0)
        assert Decimal(cells[2].replace("+", "")) == change, (item, now, before, cells)
        wave = comparator["group"].split()[0]  # "2023 staff survey"
        match = re.search(
            rf"significant (\d+) percentage point (increase|decrease) on {wave}",
            figure["sentence"],
        )
        if match:
            assert Decimal(match.group(1)) == abs(change)
        checked += 1
    assert checked >= 5


def _tables(page: str) -> list[tuple[list[str], list[list[str]]]]:
    """(headers, body rows) of every data table of a page, cells as text."""
    found = []
    for table in re.findall(r"<table class=[\"']cp-data[\"']>.*?</table>", page, flags=re.DOTALL):
        rows = [
            [
                html.unescape(re.sub(r"<[^>]+>", "", cell))
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)
            ]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)
        ]
        found.append((rows[0], rows[1:]))
    return found


#: Columns of the survey reports' tables that hold a survey percentage or its limits.
SURVEY_COLUMNS = {
    "Per cent positive",
    "Lower 95% limit",
    "Upper 95% limit",
    "National figure (per cent)",
    "% positive",
    "Gap to all staff (points)",
}


@pytest.mark.parametrize("report", ["residents", "workforce"])
def test_survey_table_cells_are_whole_per_cent_as_the_sentences(
    demo_pack: DemoPack, report: str
) -> None:
    # The residents' report said "65 per cent" above a table cell reading "65.5".
    page = _report(demo_pack, report).html.read_text(encoding="utf-8")
    checked = 0
    for headers, body in _tables(page):
        for column, header in enumerate(headers):
            if header not in SURVEY_COLUMNS:
                continue
            for row in body:
                if row[column]:
                    assert re.fullmatch(r"-?\d+", row[column]), (header, row)
                    checked += 1
    assert checked >= 20


def test_residents_comparison_table_agrees_with_the_summary(demo_pack: DemoPack) -> None:
    built = _report(demo_pack, "residents")
    page = built.html.read_text(encoding="utf-8")
    (headers, body), *_ = [t for t in _tables(page) if "National figure (per cent)" in t[0]]
    table = {row[0]: dict(zip(headers, row, strict=True)) for row in body}
    latest = max(f["period"] for f in _figures(built) if f["id"].startswith("residents."))
    checked = 0
    for figure in _figures(built):
        if figure["period"] != latest:
            continue
        said = re.match(r"In \S+, (\d+) per cent of residents", figure["sentence"])
        national = re.search(r"national figure \((\d+) per cent", figure["sentence"])
        assert said is not None
        assert national is not None
        row = table[figure["label"]]
        assert row["Per cent positive"] == said.group(1) == str(_half_up(figure["value"], 0))
        assert row["National figure (per cent)"] == national.group(1)
        assert row["Lower 95% limit"] == str(_half_up(figure["interval_lower"], 0))
        assert row["Upper 95% limit"] == str(_half_up(figure["interval_upper"], 0))
        checked += 1
    assert checked == 6


def test_finance_summary_states_the_sidecar_figures(demo_pack: DemoPack) -> None:
    # Each summary line is a finding: the figure, its year, the group median and the rank,
    # the same as the sidecar figure that backs it, and a link to the section stating it.
    built = _report(demo_pack, "finance")
    page = built.html.read_text(encoding="utf-8")
    summary = page[page.index('<h2 id="Summary">') : page.index('<h2 id="About-this-analysis">')]
    items = re.findall(r"<li>(.*?)</li>", summary, flags=re.DOTALL)
    figures = {f["sentence"].split(". ")[0].rstrip("."): f for f in _figures(built)}
    checked = 0
    for item in items:
        link = re.search(r' \(<a href="#([^"]+)">[^<]+</a>\)\.$', item)
        assert link is not None, item
        assert f'id="{link.group(1)}"' in page  # the section it links to is there
        finding = html.unescape(re.sub(r"<[^>]+>", "", item[: link.start()]))
        figure = figures.get(finding.split(". ")[0])
        if figure is None or figure["value"] is None:
            continue  # a "not available" line (none for the first demo council)
        assert finding in figure["sentence"]
        comparator = figure["comparator"]
        assert comparator is not None, figure["id"]
        numbers = _numbers(finding)
        if figure["unit"] == "years" and figure["value"] >= 100:
            assert "not drawing down" in finding
        else:
            assert _printed(figure["value"], numbers), (figure["id"], finding)
            assert _printed(comparator["median"], numbers), (figure["id"], finding)
        assert finding.endswith(f" of {comparator['group_size']}"), finding
        rank = comparator["rank"]
        if 1 < rank < comparator["group_size"]:
            assert re.search(rf"\b{rank}(st|nd|rd|th) (highest|lowest) of ", finding), finding
        assert figure["period"] in finding
        checked += 1
    assert checked == len(items) == 7
