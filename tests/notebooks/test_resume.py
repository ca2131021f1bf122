"""kill -9 of a real batch midway, then a re-run that finishes only what is missing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from councilpack import manifest
from councilpack.provenance import sha256_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]
COUNCILS = ["X00000001", "X00000002", "X00000003", "X00000004"]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _descendants(root: int) -> set[int]:
    """Return every living process below ``root`` (workers and their kernels)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {pid for pid in found if _alive(pid)}


def _settled_reports(out: Path) -> int:
    """Return how many reports are logged, when the summary shows them all (else 0)."""
    try:
        summary = json.loads((out / "manifest.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return 0
    logged = sum(e.get("event") == "report" for e in manifest.read_log(out))
    return logged if len(summary["reports"]) == logged else 0


def _check_record_matches_disk(out: Path) -> set[str]:
    summary = json.loads((out / "manifest.json").read_text())
    recorded: dict[str, str] = {}
    for record in summary["reports"]:
        assert record["status"] == "ok", record
        recorded.update(record["files"])
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.glob("*/*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert on_disk == set(recorded)
    for name, digest in recorded.items():
        assert sha256_file(out / name) == digest
    # The log, folded, says the same as the summary.
    folded = manifest.FolderState.load(out)
    assert {n for r in folded.records.values() for n in r["files"]} == set(recorded)
    return set(recorded)


def test_kill_9_midway_then_resume(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "COUNCILPACK_DATA_DIR"}  # demo councils
    command = [
        sys.executable,
        "-m",
        "councilpack",
        "build",
        *COUNCILS,
        "--out",
        str(out),
        "-j",
        "2",
    ]
    with (
        (tmp_path / "first.log").open("w") as log,
        subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env) as batch,
    ):
        deadline = time.monotonic() + 600
        # Kill between two reports' commits (a commit is a few renames; see manifest.RunLog).
        while _settled_reports(out) < 1 and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert batch.poll() is None, (tmp_path / "first.log").read_text()
        below = _descendants(batch.pid)
        assert below, "no worker processes"
        batch.send_signal(signal.SIGKILL)
        batch.wait()
    deadline = time.monotonic() + 30  # kernels notice their parent is gone within a second
    while {pid for pid in below if _alive(pid)} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not {pid for pid in below if _alive(pid)}, "processes outlived the killed batch"

    done = _check_record_matches_disk(out)
    assert 1 <= len(done) // 2 < len(COUNCILS)

    completed = subprocess.run(
        command, check=False, capture_output=True, text=True, env=env, timeout=900
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = [e for e in manifest.read_log(out) if e.get("event") == "run"]
    assert runs[-1]["reused"] == len(done) // 2
    assert runs[-1]["to_build"] == len(COUNCILS) - len(done) // 2
    assert len(_check_record_matches_disk(out)) == 2 * len(COUNCILS)
    assert not list(out.rglob("*.tmp"))
    summary = json.loads((out / "manifest.json").read_text())
    assert [run["status"] for run in summary["runs"]] == ["interrupted", "finished"]
    index = (out / "index.html").read_text()
    assert index.count('/finance.html"') == len(COUNCILS)
