"""The output folder's record: log, summary, index, build keys and resumable runs.

These tests run batches with a stand-in builder (no kernel): it writes report
files the way ``runner.build_report(stage=True)`` does, so what is tested is the
bookkeeping, not the notebooks.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from councilpack import manifest
from councilpack.batch import BatchError, BatchSpec, plan, run_batch
from councilpack.figures import Figure
from councilpack.runner import ReportOutcome, ReportTask, empty_reason
from councilpack.status import ReportError, Status

NAMES = ["Aldermoor", "Brackenford", "Cawdell", "Dunmere", "Elsworth"]


def _task(number: int, key: str = "k1", report: str = "finance") -> ReportTask:
    name = NAMES[number - 1]
    return ReportTask(
        council=f"X{number:08d}",
        council_name=name,
        folder=f"X{number:08d}-{name.lower()}",
        report=report,
        build_key={"key": key},
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fake_build(task: ReportTask, out: Path, status: Status = "ok") -> ReportOutcome:
    """Write staged files as build_report(stage=True) does and return the outcome."""
    if status == "failed":
        return ReportOutcome.failure(
            task, 0.1, ReportError("notebook", "ValueError", "broken [/red]")
        )
    token = uuid.uuid4().hex[:8]
    files, staged = {}, {}
    for suffix, text in (("json", f'{{"key": "{task.build_key["key"]}"}}\n'), ("html", token)):
        final = f"{task.folder}/{task.report}.{suffix}"
        hidden = f"{task.folder}/.{task.report}.{suffix}.{token}.tmp"
        (out / task.folder).mkdir(parents=True, exist_ok=True)
        (out / hidden).write_text(text, encoding="utf-8")
        files[final] = _sha(text)
        staged[final] = hidden
    return ReportOutcome(
        council=task.council,
        council_name=task.council_name,
        folder=task.folder,
        report=task.report,
        status=status,
        seconds=0.1,
        html=f"{task.folder}/{task.report}.html",
        sidecar=f"{task.folder}/{task.report}.json",
        reason="the data hold no figures for this council" if status == "empty" else "",
        key=str(task.build_key["key"]),
        files=files,
        staged=staged,
    )


class FakeExecutor:
    """Runs the stand-in builder in this process; records which tasks it was given."""

    def __init__(self, statuses: dict[str, str] | None = None) -> None:
        self.statuses = statuses or {}
        self.built: list[str] = []

    def run(self, function: object, tasks: list[ReportTask], out: Path) -> Iterator[ReportOutcome]:
        for task in tasks:
            self.built.append(task.council)
            yield fake_build(task, out, self.statuses.get(task.council, "ok"))


def _summary(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def _on_disk(out: Path) -> set[str]:
    return {
        p.relative_to(out).as_posix()
        for p in out.glob("*/*")
        if p.is_file() and not p.name.startswith(".")
    }


def _recorded(out: Path) -> set[str]:
    return {
        name
        for record in _summary(out)["reports"]
        if record["status"] in ("ok", "empty")
        for name in record["files"]
    }


def test_five_councils_built_one_at_a_time_are_all_in_the_index(tmp_path: Path) -> None:
    for number in range(1, 6):
        result = run_batch([_task(number)], tmp_path, executor=FakeExecutor())
        assert [o.council for o in result.outcomes] == [f"X{number:08d}"]
    summary = _summary(tmp_path)
    assert [r["council"] for r in summary["reports"]] == [f"X{n:08d}" for n in range(1, 6)]
    assert summary["reports_ok"] == 5
    assert len(summary["runs"]) == 5
    assert all(run["status"] == "finished" for run in summary["runs"])
    index = (tmp_path / "index.html").read_text()
    for number, name in enumerate(NAMES, start=1):
        assert f'href="X{number:08d}-{name.lower()}/finance.html"' in index
    assert "5 reports in this folder" in index
    assert _on_disk(tmp_path) == _recorded(tmp_path)
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_rerun_keeps_current_reports_and_rebuilds_the_rest(tmp_path: Path) -> None:
    run_batch([_task(1), _task(2), _task(3)], tmp_path, executor=FakeExecutor())
    # A changed file no longer verifies; a changed key means changed inputs.
    (tmp_path / "X00000002-brackenford" / "finance.html").write_text("edited by hand")
    executor = FakeExecutor()
    result = run_batch([_task(1), _task(2), _task(3, key="k2")], tmp_path, executor=executor)
    assert executor.built == ["X00000002", "X00000003"]
    assert [(o.council, o.reused) for o in result.outcomes] == [
        ("X00000001", True),
        ("X00000002", False),
        ("X00000003", False),
    ]
    executor = FakeExecutor()
    run_batch([_task(1), _task(2), _task(3, key="k2")], tmp_path, executor=executor)
    assert executor.built == []
    executor = FakeExecutor()
    run_batch([_task(1), _task(2)], tmp_path, executor=executor, force=True)
    assert executor.built == ["X00000001", "X00000002"]
    assert _on_disk(tmp_path) == _recorded(tmp_path)


def test_a_failed_rebuild_removes_the_stale_report(tmp_path: Path) -> None:
    run_batch([_task(1), _task(2)], tmp_path, executor=FakeExecutor())
    result = run_batch(
        [_task(2, key="k2")], tmp_path, executor=FakeExecutor({"X00000002": "failed"})
    )
    assert [o.council for o in result.failed] == ["X00000002"]
    assert not (tmp_path / "X00000002-brackenford" / "finance.html").exists()
    assert not (tmp_path / "X00000002-brackenford" / "finance.json").exists()
    summary = _summary(tmp_path)
    assert {r["council"]: r["status"] for r in summary["reports"]} == {
        "X00000001": "ok",
        "X00000002": "failed",
    }
    assert summary["reports_failed"] == 1
    assert _on_disk(tmp_path) == _recorded(tmp_path)
    index = (tmp_path / "index.html").read_text()
    assert "broken [/red]" in index
    assert 'href="X00000002-brackenford/finance.html"' not in index


def test_an_empty_report_has_its_own_status_and_reason(tmp_path: Path) -> None:
    result = run_batch(
        [_task(1), _task(2)], tmp_path, executor=FakeExecutor({"X00000002": "empty"})
    )
    assert not result.failed
    assert [o.council for o in result.empty] == ["X00000002"]
    summary = _summary(tmp_path)
    assert (summary["reports_ok"], summary["reports_empty"]) == (1, 1)
    record = next(r for r in summary["reports"] if r["council"] == "X00000002")
    assert record["status"] == "empty"
    assert record["reason"] == "the data hold no figures for this council"
    index = (tmp_path / "index.html").read_text()
    assert "no figure for this council</span>: the data hold no figures for this council" in index
    assert "2 reports in this folder (1 with no figure for the council)" in index


def test_empty_reason_is_the_shared_note() -> None:
    def figure(identifier: str, value: float | None, note: str) -> Figure:
        return Figure(id=identifier, label=identifier, value=value, unit="gbp", period="2023-24",
                      source="test", note=note)  # fmt: skip

    shared = "the finance data hold no figures for this council"
    figures = [
        figure("a", None, shared),
        figure("b", None, shared + "; per head uses mid-2023 population"),
        figure("c", None, shared + "."),
    ]
    assert empty_reason(figures) == shared  # two of three notes, full stop dropped
    assert empty_reason([*figures, figure("d", 1.0, "")]) is None
    assert empty_reason([]) == "the report published no headline figure"
    assert empty_reason([figure("a", None, "")]) == "no figure is available for this council"


def test_interrupted_commit_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill after the log line but before the rename: the next run rolls forward."""
    state = manifest.FolderState.load(tmp_path)
    log = manifest.RunLog(state)
    log.start(executor="test")
    outcome = fake_build(_task(1), tmp_path)

    def killed(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(manifest.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        log.record(outcome.to_dict())
    monkeypatch.undo()
    assert not (tmp_path / "X00000001-aldermoor" / "finance.html").exists()
    executor = FakeExecutor()
    result = run_batch([_task(1)], tmp_path, executor=executor)
    assert executor.built == []  # the staged files were moved into place, then verified
    assert result.outcomes[0].reused
    assert _on_disk(tmp_path) == _recorded(tmp_path) == set(outcome.files)
    assert not list(tmp_path.rglob("*.tmp"))
    runs = _summary(tmp_path)["runs"]
    assert [run["status"] for run in runs] == ["interrupted", "finished"]


def test_partial_files_and_a_cut_log_line_are_cleaned_up(tmp_path: Path) -> None:
    run_batch([_task(1)], tmp_path, executor=FakeExecutor())
    (tmp_path / "X00000001-aldermoor" / ".finance.html.abc123.tmp").write_text("half")
    with (tmp_path / "manifest.jsonl").open("a") as stream:
        stream.write('{"event": "report", "folder": "X0000')  # a write cut short
    executor = FakeExecutor()
    run_batch([_task(1), _task(2)], tmp_path, executor=executor)
    assert executor.built == ["X00000002"]
    assert not list(tmp_path.rglob("*.tmp"))
    # run, report, end twice; the cut line is skipped
    assert [e["event"] for e in manifest.read_log(tmp_path)] == ["run", "report", "end"] * 2


def test_an_earlier_manifest_without_a_log_is_merged(tmp_path: Path) -> None:
    folder = tmp_path / "X00000001-aldermoor"
    folder.mkdir()
    (folder / "finance.html").write_text("old report")
    (folder / "finance.json").write_text("{}")
    old = {"reports": [{**fake_build(_task(1), tmp_path).to_dict(), "files": {}, "staged": {}}]}
    for hidden in folder.glob(".*.tmp"):
        hidden.unlink()
    (tmp_path / "manifest.json").write_text(json.dumps(old))
    run_batch([_task(2)], tmp_path, executor=FakeExecutor())
    summary = _summary(tmp_path)
    assert [r["council"] for r in summary["reports"]] == ["X00000001", "X00000002"]
    assert _on_disk(tmp_path) == _recorded(tmp_path)


def test_two_batches_cannot_write_into_one_folder(tmp_path: Path) -> None:
    with manifest.folder_lock(tmp_path), pytest.raises(BatchError, match="another councilpack"):
        run_batch([_task(1)], tmp_path, executor=FakeExecutor())


def test_the_build_key_follows_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    survey = tmp_path / "survey"
    survey.mkdir()
    (survey / "survey.yml").write_text("kind: staff\n")

    def key(options: dict, data: dict | None = None) -> str:
        return manifest.task_key("workforce", "X00000001", options, data or {"a.csv": "1"})["key"]

    base = key({"survey_dir": "survey"})
    assert key({"survey_dir": "survey"}) == base
    assert key({"survey_dir": "survey", "threshold": 12}) != base
    assert key({"survey_dir": "survey"}, {"a.csv": "2"}) != base
    (survey / "survey.yml").write_text("kind: staff  # edited\n")
    assert key({"survey_dir": "survey"}) != base
    edited = key({"survey_dir": "survey"})
    survey.rename(tmp_path / "moved")
    assert key({"survey_dir": "moved"}) == edited  # content, not location
    parts = manifest.task_key("finance", "X00000001", {}, {"a.csv": "1"})
    assert set(parts) == {
        "key",
        "notebook",
        "library",
        "version",
        "parameters",
        "data",
        "paths",
        "bundle",
    }
    assert parts["parameters"] == {"council": "X00000001"}
    assert parts["bundle"] == "inline"
    shared = manifest.task_key("finance", "X00000001", {}, {"a.csv": "1"}, shared_bundle=True)
    assert shared["bundle"] == "shared"
    assert shared["key"] != parts["key"]
    assert {k: v for k, v in shared.items() if k not in ("key", "bundle")} == {
        k: v for k, v in parts.items() if k not in ("key", "bundle")
    }


def test_switching_the_shared_bundle_rebuilds_and_switching_back_rebuilds_again(
    tmp_path: Path,
) -> None:
    """Resumable runs: a report built inline is not current for a --shared-bundle run."""

    def run(shared: bool) -> list[str]:
        tasks = plan(BatchSpec(councils=["X00000001", "X00000002"], shared_bundle=shared))
        executor = FakeExecutor()
        result = run_batch(tasks, tmp_path, executor=executor)
        assert len(result.outcomes) == 2
        return executor.built

    def keys() -> set[str]:
        return {json.loads(p.read_text())["key"] for p in tmp_path.glob("*/finance.json")}

    assert run(shared=False) == ["X00000001", "X00000002"]
    inline = keys()
    assert run(shared=False) == []  # current: kept
    assert run(shared=True) == ["X00000001", "X00000002"]  # the bundle changed: rebuilt
    assert len(keys()) == 2
    assert not keys() & inline
    assert run(shared=True) == []
    assert run(shared=False) == ["X00000001", "X00000002"]
    assert keys() == inline


def test_a_log_naming_files_outside_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.html"  # what a failed record's stale report would be
    victim.write_text("keep me")
    record = {**fake_build(_task(1), out).to_dict(), "status": "failed", "files": {}}
    record.update(event="report", run="r", folder="..", report="victim")
    manifest.append_event(out, record)
    with pytest.raises(BatchError, match="outside the output folder"):
        run_batch([_task(2)], out, executor=FakeExecutor())
    assert victim.read_text() == "keep me"


class _Rows(HTMLParser):
    """Collect the index table's header cells and each row's cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._scope = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell, self._scope = [], str(dict(attrs).get("scope") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join(" ".join(self._cell).split())
            (self.headers if self._scope == "col" else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_index_shows_type_region_build_date_and_flags(tmp_path: Path) -> None:
    tasks = [_task(1), _task(1, report="outcomes"), _task(2), _task(3)]
    stranger = ReportTask(
        "X99999999", "Nowhere", "X99999999-nowhere", "finance", build_key={"key": "k"}
    )
    run_batch(
        [*tasks, stranger],
        tmp_path,
        executor=FakeExecutor({"X00000002": "empty", "X00000003": "failed"}),
    )
    records = {(r["council"], r["report"]): r for r in _summary(tmp_path)["reports"]}
    # From the demo register: Aldermoor is a metropolitan district in the North West.
    assert records[("X00000001", "finance")]["council_type"] == "Metropolitan district"
    assert records[("X00000001", "finance")]["region"] == "North West"
    built = records[("X00000001", "outcomes")]["at"][:10]  # ISO date of the latest record
    year, month, day = (int(part) for part in built.split("-"))
    build_day = f"{day} {_MONTHS[month - 1]} {year}"
    page = _Rows()
    page.feed((tmp_path / "index.html").read_text(encoding="utf-8"))
    header = ["Council", "ONS code", "Type", "Region", "Built", "Reports", "Flags"]
    assert page.headers == header
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in page.rows if row}
    assert rows["Aldermoor"]["Type"] == "Metropolitan district"
    assert rows["Aldermoor"]["Region"] == "North West"
    assert rows["Aldermoor"]["Built"] == build_day
    assert rows["Aldermoor"]["Flags"] == "None"
    assert rows["Brackenford"]["Flags"] == "Finance briefing has no figures"
    assert rows["Cawdell"]["Region"] == "Yorkshire and The Humber"
    assert rows["Cawdell"]["Flags"] == "Finance briefing failed"
    # A failed report is not a build: no date. A council not in the register: not recorded.
    assert rows["Cawdell"]["Built"] == "not built"
    assert rows["Nowhere"]["Type"] == "not recorded"


def test_index_build_day_follows_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like the report pages, the index gives SOURCE_DATE_EPOCH's day: a rebuild is the same."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(86400 * 45))  # 15 February 1970
    run_batch([_task(1), _task(3)], tmp_path, executor=FakeExecutor({"X00000003": "failed"}))
    page = _Rows()
    page.feed((tmp_path / "index.html").read_text(encoding="utf-8"))
    rows = {row[0]: dict(zip(page.headers, row, strict=True)) for row in page.rows if row}
    assert rows["Aldermoor"]["Built"] == "15 February 1970"
    assert rows["Cawdell"]["Built"] == "not built"


_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
