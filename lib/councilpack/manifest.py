"""The record of an output folder: an append-only log, an atomic summary, and build keys.

Every batch writing into a folder appends to ``manifest.jsonl`` (one JSON
object a line, flushed and fsynced as each report completes) and rewrites
``manifest.json`` and ``index.html`` atomically after each report (in a folder
of more than :data:`SMALL_FOLDER` reports, less often if rewriting them would
take more than a tenth of the run; always at the end). The log is the record a crash or ``kill -9``
cannot corrupt; the summary and the index are derived from it, so both
describe every report in the folder, whichever run built it.

The rule the folder keeps: a report's files are at their final names only when
the latest log record for that council and report says ``ok`` or ``empty`` and
names their SHA-256 hashes. Workers write *staged* files (hidden, ``.tmp``);
the batch process logs the record first and then renames them into place, so a
kill between the two is finished on the next run (roll forward). A failed or
missing report's stale files are removed.

Build keys
----------
A report is rebuilt only when its key changes. The key is the SHA-256 of:

- the notebook file;
- the library source (every file of the installed ``councilpack`` package and
  the ``templates/`` folder) and the package version;
- the report parameters, except the data folder and path parameters, which
  enter through their content (so moving a folder does not force a rebuild);
- the data: the input-file hashes of the opened data (for open data the
  SHA-256 of every raw file the store reads, the same hashes its cache folder
  is keyed by and the report footer lists; for a built store those in its
  ``build.json``; for the demo councils the generator's fingerprint), known
  before any kernel starts;
- every other path parameter (survey folders, tables): the SHA-256 of its
  files' relative names and contents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import math
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from councilpack.atomic import write_text_atomic
from councilpack.provenance import (
    build_date,
    day_words,
    git_revision,
    package_version,
    sha256_file,
)
from councilpack.reports import REPORTS, get_report, validate_parameters
from councilpack.settings import templates_dir
from councilpack.status import RECORD_STATUSES, RecordStatus, ReportError, RunStatus

LOG_NAME = "manifest.jsonl"
SUMMARY_NAME = "manifest.json"
INDEX_NAME = "index.html"
LOCK_NAME = ".councilpack.lock"
#: Statuses whose files are in the folder.
BUILT: tuple[RecordStatus, ...] = ("ok", "empty")
#: Hidden temporary and staged files our writers leave only when interrupted.
_PARTIAL = re.compile(r"^\..+\.tmp$")
#: Longest error message kept in a record (a log line stays one small write).
MAX_MESSAGE = 2000
#: Up to this many reports, the summary and index are rewritten after every report.
SMALL_FOLDER = 1000


class OutputFolderBusy(RuntimeError):
    """Another batch is writing into the same output folder."""


class ManifestError(ValueError):
    """A folder's log cannot be trusted (e.g. it names a file outside the folder)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- keys


@functools.cache
def library_fingerprint() -> str:
    """Return the SHA-256 of the library source and templates (cached per process)."""
    digest = hashlib.sha256()
    roots = [("lib", Path(__file__).resolve().parent), ("templates", templates_dir())]
    for label, root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def path_fingerprint(path: Path) -> str:
    """Return the SHA-256 of a file, or of a folder's relative file names and contents.

    A missing path hashes as ``missing`` (the report then fails with its own
    message; the key only has to differ from a present one).
    """
    if path.is_file():
        return sha256_file(path)
    if not path.is_dir():
        return "missing"
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        if item.is_file():
            digest.update(f"{item.relative_to(path).as_posix()}\0{sha256_file(item)}\n".encode())
    return digest.hexdigest()


def data_fingerprint(input_hashes: Mapping[str, str]) -> str:
    """Return the SHA-256 of a data context's input-file hashes."""
    text = "\n".join(f"{name} {digest}" for name, digest in sorted(input_hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def task_key(
    report: str,
    council: str,
    options: Mapping[str, Any],
    data_hashes: Mapping[str, str],
    *,
    shared_bundle: bool = False,
) -> dict[str, Any]:
    """Return the build key of one report and the parts it was computed from.

    Parameters
    ----------
    report, council
        Which report for which council (GSS code).
    options
        The report's own parameters besides council and data folder.
    data_hashes
        ``input_hashes`` of the opened data context.
    shared_bundle
        Whether the report loads the pack's shared chart bundle rather than
        carrying it inline (another HTML file, so switching rebuilds).

    Returns
    -------
    dict
        ``key`` (SHA-256 hex) and its parts: ``notebook``, ``library``,
        ``version``, ``parameters``, ``data``, ``paths`` and ``bundle``
        (``"shared"`` or ``"inline"``).
    """
    spec = get_report(report)
    parameters = validate_parameters(report, {"council": council, **options})
    fields = spec.parameters.model_fields
    plain: dict[str, Any] = {}
    paths: dict[str, str] = {}
    for name, value in sorted(parameters.items()):
        extra = fields[name].json_schema_extra
        if name == "data_dir":
            continue
        if isinstance(extra, dict) and extra.get("path"):
            paths[name] = path_fingerprint(Path(value).absolute()) if value else ""
        else:
            plain[name] = value
    parts: dict[str, Any] = {
        "notebook": sha256_file(spec.path),
        "library": library_fingerprint(),
        "version": package_version(),
        "parameters": plain,
        "data": data_fingerprint(data_hashes),
        "paths": paths,
        "bundle": "shared" if shared_bundle else "inline",
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return {"key": hashlib.sha256(text.encode()).hexdigest(), **parts}


# --------------------------------------------------------------------------- log


def _record_id(record: Mapping[str, Any]) -> tuple[str, str]:
    return str(record["folder"]), str(record["report"])


def read_log(out: Path) -> list[dict[str, Any]]:
    """Return the events of a folder's log, in order.

    A line that is not JSON is a write a crash cut short (the next append
    starts a fresh line after it): it is skipped.
    """
    path = Path(out) / LOG_NAME
    if not path.is_file():
        return []
    events: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def append_event(out: Path, event: Mapping[str, Any]) -> None:
    """Append one event to the folder's log as a single write, then fsync it."""
    path = Path(out) / LOG_NAME
    line = json.dumps(event, sort_keys=True, default=str) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size:
            with open(path, "rb") as stream:
                stream.seek(size - 1)
                if stream.read(1) != b"\n":  # finish a line a crash cut short
                    line = "\n" + line
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- state


@dataclass
class FolderState:
    """What the log says the folder holds: the latest record per report, and the runs."""

    out: Path
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Reports whose files :func:`reconcile` found hashing as recorded.
    verified: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, out: Path) -> FolderState:
        """Fold the folder's log (or import a manifest written before the log existed)."""
        out = Path(out)
        state = cls(out)
        events = read_log(out)
        if not events and (out / SUMMARY_NAME).is_file():
            events = _legacy_events(out)
            for event in events:
                append_event(out, event)
        for event in events:
            state.apply(event)
        return state

    def apply(self, event: Mapping[str, Any]) -> None:
        """Apply one log event."""
        kind = event.get("event")
        if kind == "report":
            self.records[_record_id(event)] = dict(event)
            self.verified.discard(_record_id(event))
        elif kind == "run":
            interrupted: RunStatus = "interrupted"  # until its end is logged
            self.runs[str(event["run"])] = {**event, "status": interrupted}
        elif kind == "end" and str(event.get("run")) in self.runs:
            self.runs[str(event["run"])].update({"status": "finished", **event})

    def sorted_records(self) -> list[dict[str, Any]]:
        """Return every record, by council folder then report."""
        return [self.records[key] for key in sorted(self.records)]

    def counts(self) -> dict[str, int]:
        """Return how many reports of the folder are in each status."""
        counts: dict[str, int] = dict.fromkeys(RECORD_STATUSES, 0)
        for record in self.records.values():
            counts[record["status"]] = counts.get(record["status"], 0) + 1
        return counts


def _legacy_events(out: Path) -> list[dict[str, Any]]:
    """Turn a manifest written before the log existed into log events."""
    summary = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))
    events: list[dict[str, Any]] = []
    for entry in summary.get("reports", []):
        record = {**entry, "event": "report", "run": "earlier", "files": {}}
        for name in ("html", "sidecar"):
            relative = entry.get(name)
            if relative and (out / relative).is_file():
                record["files"][relative] = sha256_file(out / relative)
        if record.get("status") == "ok" and len(record["files"]) < 2:
            record["status"] = "missing"
            record["error"] = ReportError(
                "verify", "OutputChanged", "the report's files were removed after it was built"
            ).to_dict()
        events.append(record)
    return events


def _final_files(folder: str, report: str) -> list[str]:
    return [f"{folder}/{report}.html", f"{folder}/{report}.json"]


def _verifies(out: Path, files: Mapping[str, str]) -> bool:
    return bool(files) and all(
        _inside(out, name).is_file() and sha256_file(out / name) == digest
        for name, digest in files.items()
    )


def _inside(out: Path, name: str) -> Path:
    """Return ``out / name``, refusing a name from the log that leads out of the folder."""
    path = out / name
    if not path.resolve().is_relative_to(out.resolve()) or Path(name).is_absolute():
        raise ManifestError(f"{out / LOG_NAME}: file name {name!r} is outside the output folder")
    return path


def _remove(out: Path, names: Iterable[str]) -> list[str]:
    removed = []
    for name in names:
        path = _inside(out, name)
        if path.is_file():
            path.unlink()
            removed.append(name)
    return removed


def reconcile(state: FolderState, run: str) -> None:
    """Make the folder match its log after an interrupted run.

    Staged files a record names are moved into place when they hash as
    recorded (a kill between logging and renaming); a record whose files
    neither verify nor can be finished becomes ``missing``; stale files of
    failed and missing reports and every partial (hidden ``.tmp``) file are
    removed.
    """
    out = state.out
    for key, record in list(state.records.items()):
        files: dict[str, str] = dict(record.get("files") or {})
        if record["status"] in BUILT:
            for final, staged in (record.get("staged") or {}).items():
                staged_path = _inside(out, staged)
                if (
                    final in files
                    and staged_path.is_file()
                    and not _verifies(out, {final: files[final]})
                    and sha256_file(staged_path) == files[final]
                ):
                    os.replace(staged_path, _inside(out, final))
            if _verifies(out, files):
                state.verified.add(key)
                continue
            removed = _remove(out, files)
            event = {
                **{k: v for k, v in record.items() if k not in ("files", "staged")},
                "event": "report",
                "run": run,
                "at": _now(),
                "status": "missing",
                "files": {},
                "staged": {},
                "removed": removed,
                "error": ReportError(
                    "verify",
                    "OutputChanged",
                    "the report's files were changed or removed after it was built",
                ).to_dict(),
            }
            append_event(out, event)
            state.apply(event)
        else:
            _remove(out, _final_files(*key))
    remove_partial_files(out)


def remove_partial_files(out: Path) -> list[Path]:
    """Remove the hidden ``.tmp`` files interrupted writers left in the folder."""
    removed = []
    for folder in [out, *(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        for path in folder.iterdir():
            if path.is_file() and _PARTIAL.match(path.name):
                path.unlink()
                removed.append(path)
    return removed


def is_current(state: FolderState, folder: str, report: str, key: str) -> bool:
    """Return whether a report is built with this key and its files hash as recorded."""
    record = state.records.get((folder, report))
    return (
        record is not None
        and record["status"] in BUILT
        and record.get("key") == key
        and (
            (folder, report) in state.verified  # hashed by reconcile() in this run
            or _verifies(state.out, record.get("files") or {})
        )
    )


@contextlib.contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder (released even by ``kill -9``).

    Raises
    ------
    OutputFolderBusy
        When another batch holds it.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, one run per folder is then the user's care
        yield
        return
    fd = os.open(Path(out) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputFolderBusy(
                f"{out}: another councilpack batch is writing into this folder"
            ) from None
        yield
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- a run


@dataclass
class RunLog:
    """One run's writer: logs each report, commits its files, keeps summary and index current."""

    state: FolderState
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    info: dict[str, Any] = field(default_factory=dict)
    #: When the summary was last written and how long rendering it took (monotonic seconds).
    _written_at: float = field(default=-math.inf, repr=False)
    _render_seconds: float = field(default=0.0, repr=False)

    @property
    def out(self) -> Path:
        """Return the output folder."""
        return self.state.out

    def start(self, **info: Any) -> None:
        """Log the start of this run (what it was asked to do)."""
        event = {
            "event": "run",
            "run": self.run,
            "started": _now(),
            "pid": os.getpid(),
            "councilpack_version": package_version(),
            "git_revision": git_revision(),
            **info,
        }
        self.info = dict(event)
        append_event(self.out, event)
        self.state.apply(event)
        self.write_summary()

    def record(self, outcome: Mapping[str, Any]) -> dict[str, Any]:
        """Log one report's outcome, then move its files into place or remove stale ones.

        Returns the record as logged (with final file names).
        """
        out = self.out
        folder, report = str(outcome["folder"]), str(outcome["report"])
        record: dict[str, Any] = {
            **outcome,
            "event": "report",
            "run": self.run,
            "at": _now(),
            "data": self.info.get("data", ""),
        }
        error = record.get("error")
        if isinstance(error, dict) and len(str(error.get("message", ""))) > MAX_MESSAGE:
            record["error"] = {**error, "message": str(error["message"])[:MAX_MESSAGE] + " ..."}
        stale: list[str] = []
        if record["status"] in BUILT:
            files = dict(record.get("files") or {})
            for name in (record.get("html"), record.get("sidecar")):
                if name and name not in files and (out / name).is_file():
                    files[name] = sha256_file(out / name)  # written in place, not staged
            record["files"] = files
        else:
            stale = [name for name in _final_files(folder, report) if (out / name).is_file()]
            record.update(files={}, staged={}, removed=stale)
        self.state.apply(record)
        # Render the summary first, so that between the log line and the summary on disk
        # there are only renames: a kill almost never finds the summary behind the files.
        texts = self._render() if self._summary_due() else None
        append_event(out, record)
        for final, staged in (record.get("staged") or {}).items():
            os.replace(_inside(out, staged), _inside(out, final))
        _remove(out, stale)
        if record["status"] not in BUILT:
            _remove(out, (outcome.get("staged") or {}).values())
        if texts is not None:
            self._write(texts)
        return record

    def finish(self, *, status: RunStatus, **info: Any) -> None:
        """Log the end of this run (``finished`` or ``stopped``) and write the summary and index."""
        event = {"event": "end", "run": self.run, "finished": _now(), "status": status, **info}
        append_event(self.out, event)
        self.state.apply(event)
        self.write_summary()

    def _run_summary(self, run: Mapping[str, Any]) -> dict[str, Any]:
        summary = {k: v for k, v in run.items() if k != "event"}
        if run.get("run") == self.run and summary.get("status") == "interrupted":
            running: RunStatus = "running"  # a kill leaves this; the next run reads "interrupted"
            summary["status"] = running
        return summary

    def _summary_due(self) -> bool:
        """Return whether to rewrite the summary now.

        Always in a folder of up to :data:`SMALL_FOLDER` reports; in a larger
        one only while rendering it takes under a tenth of the time since the
        last rewrite (the log is exact regardless, and the run's end and the
        next run rewrite the summary from it).
        """
        return (
            len(self.state.records) <= SMALL_FOLDER
            or time.monotonic() - self._written_at >= 10 * self._render_seconds
        )

    def _render(self) -> tuple[str, str]:
        """Return the text of ``manifest.json`` and ``index.html`` from the folded log."""
        began = time.monotonic()
        records = self.state.sorted_records()
        counts = self.state.counts()
        latest = self.state.runs.get(self.run, self.info)
        summary = {
            "councilpack_version": package_version(),
            "git_revision": git_revision(),
            "log": LOG_NAME,
            "updated": _now(),
            "data": latest.get("data", ""),
            "executor": latest.get("executor", ""),
            "seconds": latest.get("seconds"),
            "reports_ok": counts["ok"],
            "reports_empty": counts["empty"],
            "reports_failed": counts["failed"],
            "reports_missing": counts["missing"],
            "reports": [_public(record) for record in records],
            "runs": [self._run_summary(run) for run in self.state.runs.values()],
        }
        texts = (
            json.dumps(summary, indent=2, sort_keys=True) + "\n",
            render_index(records, counts),
        )
        self._render_seconds = time.monotonic() - began
        return texts

    def _write(self, texts: tuple[str, str]) -> None:
        # Derived from the fsynced log, so no fsync of their own: that keeps the step short.
        write_text_atomic(self.out / SUMMARY_NAME, texts[0], fsync=False)
        write_text_atomic(self.out / INDEX_NAME, texts[1], fsync=False)
        self._written_at = time.monotonic()

    def write_summary(self) -> None:
        """Rewrite ``manifest.json`` and ``index.html`` from the folded log, atomically."""
        self._write(self._render())


def _public(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("event", "staged")}


def _build_day(stamp: str) -> str:
    """Return the day a report was built, for a reader (``"1 December 2026"``), or ``""``.

    With ``SOURCE_DATE_EPOCH`` set, its day, as on the report pages
    (:func:`~councilpack.provenance.build_date`), so a rebuild gives the same index.

    Examples
    --------
    >>> _build_day("2026-12-01T15:45:21Z"), _build_day("")
    ('1 December 2026', '')
    """
    if not stamp:
        return ""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return build_date()
    return day_words(dt.date.fromisoformat(stamp[:10]))


def render_index(
    records: Sequence[Mapping[str, Any]], counts: Mapping[str, int] | None = None
) -> str:
    """Render the folder's index page (Jinja2 with autoescaping) from our template.

    Parameters
    ----------
    records
        One mapping per report (a manifest record or ``ReportOutcome.to_dict()``).
    counts
        Reports per status; counted from ``records`` when not given.
    """
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    if counts is None:
        tally: dict[str, int] = {}
        for record in records:
            tally[str(record["status"])] = tally.get(str(record["status"]), 0) + 1
        counts = tally
    councils: dict[str, dict[str, Any]] = {}
    for record in records:
        entry = councils.setdefault(
            str(record["folder"]),
            {
                "name": record["council_name"],
                "code": record["council"],
                "type": "",
                "region": "",
                "built": "",
                "reports": [],
                "failed": [],
                "empty": [],
            },
        )
        entry["reports"].append(record)
        # The latest record's type and region (records before they were logged have none).
        entry["type"] = str(record.get("council_type") or entry["type"])
        entry["region"] = str(record.get("region") or entry["region"])
        if record["status"] in BUILT and str(record.get("at") or "") > entry["built"]:
            entry["built"] = str(record["at"])
        if record["status"] == "empty":
            entry["empty"].append(record)
        elif record["status"] not in BUILT:
            entry["failed"].append(record)
    for entry in councils.values():
        entry["built"] = _build_day(entry["built"])
    return environment.get_template("index.html.j2").render(
        councils=sorted(councils.values(), key=lambda c: (c["name"], c["code"])),
        reports={name: spec.title for name, spec in REPORTS.items()},
        version=package_version(),
        revision=git_revision(),
        ok=counts.get("ok", 0),
        empty=counts.get("empty", 0),
        failed=counts.get("failed", 0),
        missing=counts.get("missing", 0),
    )


__all__ = [
    "BUILT",
    "INDEX_NAME",
    "LOG_NAME",
    "SUMMARY_NAME",
    "FolderState",
    "ManifestError",
    "OutputFolderBusy",
    "RunLog",
    "append_event",
    "data_fingerprint",
    "folder_lock",
    "is_current",
    "library_fingerprint",
    "path_fingerprint",
    "read_log",
    "reconcile",
    "remove_partial_files",
    "render_index",
    "task_key",
]
