"""Typed statuses and failure records, written to the manifest exactly as the old dicts were."""

from __future__ import annotations

import doctest
import json
import typing
from pathlib import Path

import pytest

from councilpack import manifest, status
from councilpack.batch import _from_record
from councilpack.errors import ArgumentError
from councilpack.runner import ReportOutcome, ReportTask
from councilpack.status import ReportError, as_status

TASK = ReportTask(council="X00000001", council_name="Aldermoor", folder="x1", report="finance")


def test_docstring_examples() -> None:
    assert doctest.testmod(status).failed == 0


# The dicts below are the error records runner, batch, workers and manifest wrote before
# ReportError existed, written out by hand.
OLD_RECORDS = [
    (
        ReportError("kernel", "KernelStartError", "no kernel"),
        {"stage": "kernel", "type": "KernelStartError", "message": "no kernel"},
    ),
    (
        ReportError("notebook", "ValueError", "bad", cell=7, execution_count=5),
        {
            "stage": "notebook",
            "cell": 7,
            "execution_count": 5,
            "type": "ValueError",
            "message": "bad",
        },
    ),
    (
        ReportError("notebook", "ValueError", "bad", cell=7),
        {
            "stage": "notebook",
            "cell": 7,
            "execution_count": None,
            "type": "ValueError",
            "message": "bad",
        },
    ),
    (  # the cell-timeout record of the memory lane
        ReportError("timeout", "CellTimeout", "cell 4 ran past 600 s", cell=4),
        {"stage": "timeout", "cell": 4, "type": "CellTimeout", "message": "cell 4 ran past 600 s"},
    ),
    (
        ReportError("export", "MissingMeta", "the notebook never called ReportSession.publish"),
        {
            "stage": "export",
            "type": "MissingMeta",
            "message": "the notebook never called ReportSession.publish",
        },
    ),
    (
        ReportError("worker", "BrokenProcessPool", "died"),
        {"stage": "worker", "type": "BrokenProcessPool", "message": "died"},
    ),
    (
        ReportError("build", "KeyError", "'x'"),
        {"stage": "build", "type": "KeyError", "message": "'x'"},
    ),
    (
        ReportError("verify", "OutputChanged", "removed"),
        {"stage": "verify", "type": "OutputChanged", "message": "removed"},
    ),
]


@pytest.mark.parametrize(("error", "old"), OLD_RECORDS)
def test_error_records_keep_the_old_keys_and_read_back(
    error: ReportError, old: dict[str, object]
) -> None:
    assert error.to_dict() == old
    assert json.dumps(error.to_dict(), sort_keys=True) == json.dumps(old, sort_keys=True)
    assert ReportError.from_dict(old) == error


def test_a_failed_outcome_is_written_as_before() -> None:
    error = ReportError("notebook", "ValueError", "bad", cell=3, execution_count=2)
    outcome = ReportOutcome.failure(TASK, 1.23456, error)
    assert outcome.status == "failed"
    assert outcome.to_dict() == {
        "council": "X00000001",
        "council_name": "Aldermoor",
        "folder": "x1",
        "report": "finance",
        "status": "failed",
        "seconds": 1.235,
        "html": None,
        "sidecar": None,
        "figures": 0,
        "error": {
            "stage": "notebook",
            "cell": 3,
            "execution_count": 2,
            "type": "ValueError",
            "message": "bad",
        },
        "input_hashes": {},
        "attempts": 1,
        "reason": "",
        "key": "",
        "files": {},
        "staged": {},
        "reused": False,
    }


def test_a_kept_reports_record_reads_back_as_the_outcome_it_was(tmp_path: Path) -> None:
    # A line of manifest.jsonl as an earlier run wrote it.
    line = {
        "event": "report",
        "run": "abc",
        "at": "2026-12-01T15:00:00+00:00",
        "data": "demo",
        "council": "X00000001",
        "council_name": "Aldermoor",
        "folder": "x1",
        "report": "finance",
        "status": "empty",
        "seconds": 2.5,
        "html": "x1/finance.html",
        "sidecar": "x1/finance.json",
        "figures": 3,
        "error": None,
        "input_hashes": {"a.csv": "00"},
        "attempts": 1,
        "reason": "the data hold no figures for this council",
        "key": "k",
        "files": {"x1/finance.html": "11", "x1/finance.json": "22"},
        "staged": {},
        "reused": False,
    }
    (tmp_path / manifest.LOG_NAME).write_text(json.dumps(line) + "\n", encoding="utf-8")
    record = manifest.FolderState.load(tmp_path).records[("x1", "finance")]
    outcome = _from_record(record)
    assert (outcome.status, outcome.error, outcome.reused) == ("empty", None, True)
    expected = {k: v for k, v in line.items() if k not in ("event", "run", "at", "data")}
    assert outcome.to_dict() == {**expected, "reused": True}


def test_a_failed_record_reads_back_with_its_typed_error() -> None:
    record = {
        "council": "X00000001",
        "council_name": "Aldermoor",
        "folder": "x1",
        "report": "finance",
        "status": "failed",
        "seconds": 0.5,
        "error": {"stage": "worker", "type": "BrokenProcessPool", "message": "died"},
    }
    outcome = _from_record(record)
    assert outcome.error == ReportError("worker", "BrokenProcessPool", "died")
    assert outcome.to_dict()["error"] == record["error"]


def test_only_report_statuses_pass_as_a_status() -> None:
    assert [as_status(s) for s in ("ok", "empty", "failed")] == ["ok", "empty", "failed"]
    with pytest.raises(ArgumentError, match="report status 'missing' is not one of ok, empty"):
        as_status("missing")


def test_the_literals_are_the_statuses_the_manifest_counts() -> None:
    assert typing.get_args(status.Status) == ("ok", "empty", "failed")
    assert set(manifest.BUILT) < set(status.STATUSES)
    assert list(manifest.FolderState(Path(".")).counts()) == list(status.RECORD_STATUSES)
    assert "missing" in status.RECORD_STATUSES
    assert "missing" not in status.STATUSES
