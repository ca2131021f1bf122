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
