"""Which reports a pack builds: validated before any kernel starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilpack.batch import BatchError, BatchSpec, load_batch, plan
from councilpack.pack import pack_reports
from councilpack.reports import ParameterError


def test_demo_council_gets_every_report_then_its_briefing() -> None:
    tasks = plan(BatchSpec(councils=["Aldermoor", "X00000002"], pack=True))
    assert [(t.council, t.report) for t in tasks] == [
        (code, report)
        for code in ("X00000001", "X00000002")
        for report in ("finance", "outcomes", "residents", "workforce", "briefing")
    ]


def test_real_council_without_surveys_gets_open_data_reports_and_briefing(tmp_path: Path) -> None:
    # Finance and outcomes need only open data; the survey reports need a folder.
    assert [r for r, _ in pack_reports(demo=False, options={})] == [
        "finance",
        "outcomes",
        "briefing",
    ]
    staff = tmp_path / "staff"
    chosen = pack_reports(demo=False, options={"staff_survey_dir": str(staff), "threshold": 12})
    by_report = dict(chosen)
    assert list(by_report) == ["finance", "outcomes", "workforce", "briefing"]
    assert by_report["outcomes"] == {}
    # The staff folder reaches the workforce report as its survey_dir, and the briefing too.
    assert by_report["workforce"] == {"survey_dir": str(staff), "threshold": 12}
    assert by_report["briefing"] == {"staff_survey_dir": str(staff), "threshold": 12}


def test_unknown_pack_option_is_named() -> None:
    with pytest.raises(ParameterError, match="pack option 'colour'"):
        pack_reports(demo=True, options={"colour": "red"})
    with pytest.raises(BatchError, match="threshold"):
        plan(BatchSpec(councils=["Aldermoor"], pack=True, options={"threshold": 5}))


def test_batch_file_can_ask_for_packs(tmp_path: Path) -> None:
    path = tmp_path / "packs.yml"
    path.write_text("councils: [X00000003]\npack: true\npdf: true\n", encoding="utf-8")
    spec = load_batch(path)
    assert spec.pack
    assert spec.pdf
    assert [t.report for t in plan(spec)][-1] == "briefing"
