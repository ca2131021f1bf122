"""The outcomes report for a demo council and a real one: content, not just that it ran."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from councilpack.data import open_data
from councilpack.demo.generator import demo_outcome_metrics
from councilpack.runner import ReportTask, build_report

pytestmark = pytest.mark.slow


def _build(code: str, out: Path, data_dir: str = "") -> tuple[str, dict]:
    council = open_data(data_dir).register.get(code)
    outcome = build_report(
        ReportTask(code, council.name, council.folder, "outcomes", data_dir=data_dir), out
    )
    assert outcome.status == "ok", outcome.error
    html = (out / str(outcome.html)).read_text(encoding="utf-8")
    return html, json.loads((out / str(outcome.sidecar)).read_text(encoding="utf-8"))


def test_demo_district_outcomes(tmp_path: Path) -> None:
    html, sidecar = _build("X00000014", tmp_path)  # Oakhaven, a demo district
    figures = {f["id"]: f for f in sidecar["figures"]}
    roads = figures["roads_principal_maintenance_pct"]
    assert roads["value"] is None
    assert "not highway authorities" in roads["note"]
    recycled = figures["household_waste_reuse_recycling_composting"]
    rows = demo_outcome_metrics()
    expected = rows[
        (rows["gss_code"] == "X00000014")
        & (rows["metric"] == "household_waste_reuse_recycling_composting")
        & (rows["period"] == "2023-24")
    ]["value"].iloc[0]
    assert recycled["value"] == pytest.approx(expected)
    assert "waste collection authorities" in recycled["comparator"]["group"]
    assert "fictional demo councils" in html
    assert "Figures not available" in html


def test_liverpool_outcomes(open_data_dir: Path, tmp_path: Path) -> None:
    html, sidecar = _build("E08000012", tmp_path, str(open_data_dir))
    figures = {f["id"]: f for f in sidecar["figures"]}
    roads = figures["roads_principal_maintenance_pct"]
    assert (roads["value"], roads["period"]) == (11.0, "2024-25")  # FYE 2025 in RDC0120
    assert roads["comparator"]["group"] == "ONS nearest neighbours"
    assert "1 October 2025" in roads["comparator"]["vintage"]
    assert "above the median of its ONS nearest neighbours" in html
    assert any("ONS nearest neighbours" in s for s in sidecar["sources"])
    assert "comparator group: ONS nearest neighbours" in sidecar["data_vintage"]
