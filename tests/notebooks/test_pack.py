"""``councilpack pack``: every report, the briefing, figures.xlsx and briefing.pdf per council.

One pack of two demo councils is built per module (10 notebook runs), and one for
Knowsley from the open data (finance and outcomes; its surveys are reported as
not supplied). The PDF checks need Chromium and skip without it, except under CI.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from councilpack.briefing.excel import SHEETS
from councilpack.cli import app
from councilpack.figures import Figure
from councilpack.pdf import chromium_path, count_pages

pytestmark = pytest.mark.slow
runner = CliRunner()
DEMO = ("X00000001", "X00000002")
MAX_PAGES = 4


def _have_chromium() -> bool:
    if chromium_path().is_file():
        return True
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        pytest.fail(f"CI is set but Chromium is missing at {chromium_path()}")
    return False


def _pack(out: Path, councils: list[str], *extra: str) -> dict[str, Any]:
    pdf = ["--pdf"] if _have_chromium() else []
    result = runner.invoke(app, ["pack", *councils, "--out", str(out), *pdf, *extra])
    assert result.exit_code == 0, result.output
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("packs")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("COUNCILPACK_DATA_DIR", raising=False)  # the demo councils
        _pack(out, list(DEMO), "--jobs", "2")
    return out


@pytest.fixture(scope="module")
def knowsley_pack(tmp_path_factory: pytest.TempPathFactory, open_data_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("knowsley")
    _pack(out, ["Knowsley"], "--data-dir", str(open_data_dir))
    return out


class _Anchors(HTMLParser):
    """Collect every element id and every evidence link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.evidence: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and "cp-evidence" in (values.get("class") or ""):
            self.evidence.append(str(values["href"]))


def _anchors(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir())


def _sidecar(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_briefing_figures_equal_sidecars(folder: Path) -> int:
    briefing = _sidecar(folder / "briefing.json")
    detailed = {
        figure["id"]: figure
        for name in SHEETS
        if (folder / f"{name}.json").is_file()
        for figure in _sidecar(folder / f"{name}.json")["figures"]
    }
    for figure in briefing["figures"]:
        assert figure == detailed[figure["id"]], figure["id"]
    return len(briefing["figures"])


def _check_links(folder: Path) -> int:
    page = _anchors(folder / "briefing.html")
    assert page.evidence, "the briefing has no evidence links"
    for href in page.evidence:
        target, _, anchor = href.partition("#")
        ids = _anchors(folder / target).ids if target else page.ids
        assert anchor in ids, f"{folder.name}: {href} has no target"
    return len(page.evidence)


def _approx(value: float | None) -> Any:
    return None if value is None else pytest.approx(value, rel=1e-14)


def _check_workbook(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "figures.xlsx")
    for name, title in SHEETS.items():
        if not (folder / f"{name}.json").is_file():
            assert title not in book.sheetnames
            continue
        rows = list(book[title].iter_rows(values_only=True))
        headers = list(rows[0])
        by_id = {row[headers.index("Figure id")]: row for row in rows[1:]}
        for figure in _sidecar(folder / f"{name}.json")["figures"]:
            row = by_id[figure["id"]]
            # Excel keeps 15 significant digits; openpyxl may drop the 17th of a double.
            assert row[headers.index("Value")] == _approx(figure["value"]), figure["id"]
            # An empty text cell reads back as None (a measure with no year in the data).
            assert (row[headers.index("Period")] or "") == figure["period"]
            comparator = figure["comparator"] or {}
            assert row[headers.index("Comparator median")] == _approx(comparator.get("median"))
            lower = figure.get("interval_lower")
            assert row[headers.index("95% interval: lower")] == _approx(lower)
    assert "Notes" in book.sheetnames


def _check_pdf(folder: Path) -> int:
    data = (folder / "briefing.pdf").read_bytes()
    assert b"/FontFile" in data, "fonts are not embedded"
    pages = count_pages(data)
    assert 1 <= pages <= MAX_PAGES
    return pages


def test_demo_pack_builds_every_report_and_the_briefing(demo_pack: Path) -> None:
    manifest = json.loads((demo_pack / "manifest.json").read_text(encoding="utf-8"))
    built = {(o["council"], o["report"], o["status"]) for o in manifest["reports"]}
    reports = ("finance", "outcomes", "residents", "workforce", "briefing")
    assert built == {(c, r, "ok") for c in DEMO for r in reports}
    for folder in _folders(demo_pack):
        assert (folder / "figures.xlsx").is_file()
        assert SHEETS["outcomes"] in openpyxl.load_workbook(folder / "figures.xlsx").sheetnames


def test_demo_briefing_has_outcome_findings_linked_to_the_outcomes_report(demo_pack: Path) -> None:
    for folder in _folders(demo_pack):
        links = list(_anchors(folder / "briefing.html").evidence)
        outcome_links = [href for href in links if href.startswith("outcomes.html#fig-")]
        assert outcome_links, f"{folder.name}: no outcome finding"
        ids = _anchors(folder / "outcomes.html").ids
        outcomes = {f["id"]: f for f in _sidecar(folder / "outcomes.json")["figures"]}
        briefing = {f["id"]: f for f in _sidecar(folder / "briefing.json")["figures"]}
        for href in outcome_links:
            anchor = href.partition("#")[2]
            assert anchor in ids
            figure_id = anchor.removeprefix("fig-")
            assert briefing[figure_id] == outcomes[figure_id]
        text = (folder / "briefing.html").read_text(encoding="utf-8")
        assert "not yet covered" not in text


def test_demo_briefing_figures_equal_the_sidecars(demo_pack: Path) -> None:
    for folder in _folders(demo_pack):
        assert _check_briefing_figures_equal_sidecars(folder) >= 5
        text = (folder / "briefing.html").read_text(encoding="utf-8")
        for figure in _sidecar(folder / "briefing.json")["figures"]:
            if figure["id"] in {"nre", "nre_per_head", "total_reserves_pct_nre"}:
                # Finance figures read exactly as the finance report writes them.
                assert Figure.model_validate(figure).formatted() in text


def test_every_demo_finding_links_to_an_anchor_that_exists(demo_pack: Path) -> None:
    for folder in _folders(demo_pack):
        assert _check_links(folder) >= 5


def test_demo_figures_xlsx_equals_the_sidecars(demo_pack: Path) -> None:
    for folder in _folders(demo_pack):
        _check_workbook(folder)


def test_demo_briefing_prints_on_four_pages_at_most(demo_pack: Path) -> None:
    if not _have_chromium():
        pytest.skip(f"Chromium not found at {chromium_path()}")
    for folder in _folders(demo_pack):
        _check_pdf(folder)


@pytest.mark.open_data
def test_knowsley_pack_from_open_data(knowsley_pack: Path) -> None:
    manifest = json.loads((knowsley_pack / "manifest.json").read_text(encoding="utf-8"))
    assert {(o["report"], o["status"]) for o in manifest["reports"]} == {
        ("finance", "ok"),
        ("outcomes", "ok"),
        ("briefing", "ok"),
    }
    # The index names the council's type and region (from the register).
    index = (knowsley_pack / "index.html").read_text(encoding="utf-8")
    assert "Metropolitan district" in index
    assert "North West" in index
    folder = knowsley_pack / "E08000011-knowsley"
    text = re.sub(r"<[^>]+>", " ", (folder / "briefing.html").read_text(encoding="utf-8"))
    assert "No staff survey was supplied" in text
    assert "No residents' survey was supplied" in text
    assert "not yet covered" not in text
    assert "outcomes.html#fig-" in (folder / "briefing.html").read_text(encoding="utf-8")
    _check_briefing_figures_equal_sidecars(folder)
    _check_links(folder)
    _check_workbook(folder)
    if _have_chromium():
        _check_pdf(folder)
