"""Build one report: validated parameters -> papermill -> our HTML template -> files.

This is the unit of work of every batch. It never raises for a notebook
failure: it returns a :class:`ReportOutcome` whose ``error`` (a
:class:`~councilpack.status.ReportError`) names the cell and message, so one
council's failure never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from papermill.exceptions import PapermillExecutionError

from councilpack import engine, export
from councilpack.atomic import write_text_atomic
from councilpack.figures import Figure, collect
from councilpack.paths import check_folder_name
from councilpack.provenance import build_date, git_revision, package_version
from councilpack.status import ReportError, Status

KERNEL_NAME = engine.KERNEL_NAME


@dataclass(frozen=True)
class ReportTask:
    """One council's report to build, with its parameters already resolved."""

    council: str
    council_name: str
    folder: str
    report: str
    data_dir: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    #: Load the chart bundle from one file at the root of the output folder (a pack)
    #: rather than inline it in the report.
    shared_bundle: bool = False
    #: Build key and its parts (:func:`councilpack.manifest.task_key`), recorded in the sidecar.
    build_key: dict[str, Any] = field(default_factory=dict)
    #: Seconds any one cell may run before the report fails (None: no limit).
    cell_timeout: float | None = engine.CELL_TIMEOUT


@dataclass
class ReportOutcome:
    """What happened to one task; written to the batch manifest."""

    council: str
    council_name: str
    folder: str
    report: str
    status: Status
    seconds: float
    html: str | None = None
    sidecar: str | None = None
    figures: int = 0
    error: ReportError | None = None
    input_hashes: dict[str, str] = field(default_factory=dict)
    #: Kernels the report needed: more than 1 when a kernel failed to start or died
    #: before running any cell (see councilpack.engine.MAX_ATTEMPTS).
    attempts: int = 1
    #: Why a report has status ``empty`` (no figure for the council).
    reason: str = ""
    #: Build key of the inputs (see :mod:`councilpack.manifest`).
    key: str = ""
    #: Output file (relative to the output folder) -> SHA-256 of its bytes.
    files: dict[str, str] = field(default_factory=dict)
    #: Final name -> staged name of files the batch moves into place once recorded.
    staged: dict[str, str] = field(default_factory=dict)
    #: True when an earlier run's report was current and kept (not rebuilt).
    reused: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the error as the manifest has always written it)."""
        record = asdict(self)
        record["error"] = None if self.error is None else self.error.to_dict()
        return record

    @classmethod
    def failure(cls, task: ReportTask, seconds: float, error: ReportError) -> ReportOutcome:
        """Return a failed outcome for ``task`` with its error (stage, type, message ...)."""
        return cls(
            council=task.council,
            council_name=task.council_name,
            folder=task.folder,
            report=task.report,
            status="failed",
            seconds=round(seconds, 3),
            error=error,
            key=str(task.build_key.get("key", "")),
        )


def empty_reason(figures: list[Figure]) -> str | None:
    """Return why a report has no figure for its council, or None when it has one.

    The reason is the note most of the figures give (they usually share one,
    e.g. "the finance data hold no figures for this council"); a report that
    published no figure at all says so.
    """
    if any(figure.value is not None for figure in figures):
        return None
    if not figures:
        return "the report published no headline figure"
    notes = Counter(figure.note.strip().rstrip(".") for figure in figures if figure.note.strip())
    if not notes:
        return "no figure is available for this council"
    return notes.most_common(1)[0][0]


def execute(task: ReportTask) -> Any:
    """Run a report notebook on this process's engine and return the executed notebook.

    See :mod:`councilpack.engine`: a fresh kernel per report unless a batch
    installed a warm engine; kernels that fail to start are retried.
    """
    return engine.execute(task).notebook


def build_report(task: ReportTask, out_dir: Path, *, stage: bool = False) -> ReportOutcome:
    """Build one report into ``out_dir/<gss>-<slug>/<report>.html`` and ``.json``.

    Parameters
    ----------
    task
        The council and report.
    out_dir
        Root of the run's output folder.
    stage
        Write hidden staged files (``.<name>.<token>.tmp``) that the batch
        moves into place once it has recorded them (:mod:`councilpack.manifest`),
        instead of writing the final names.

    Returns
    -------
    ReportOutcome
        Status ``ok``; ``empty`` (with ``reason``) when no figure has a value
        for the council; ``failed`` with the cell and message.
    """
    # The folder name comes from a register (maybe a store's): never write outside out_dir.
    check_folder_name(task.folder, source=f"output folder of {task.council}")
    started = time.perf_counter()

    def failed(error: ReportError) -> ReportOutcome:
        return ReportOutcome.failure(task, time.perf_counter() - started, error)

    try:
        execution = engine.execute(task)
    except engine.KernelStartError as error:
        outcome = failed(ReportError("kernel", "KernelStartError", str(error)))
        outcome.attempts = error.attempts
        return outcome
    except engine.CellTimeout as error:
        outcome = failed(ReportError("timeout", "CellTimeout", str(error), cell=error.cell))
        outcome.attempts = error.attempts
        return outcome
    except PapermillExecutionError as error:
        return failed(
            ReportError(
                "notebook",
                error.ename,
                error.evalue,
                cell=error.cell_index,
                execution_count=error.exec_count,
            )
        )
    nb = execution.notebook
    outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
    figures, meta = collect(outputs)
    if meta is None:
        return failed(
            ReportError("export", "MissingMeta", "the notebook never called ReportSession.publish")
        )
    provenance = {
        "package_version": package_version(),
        "git_revision": git_revision(),
        "build_date": build_date(),
        "data_label": "demonstration data (fictional councils)"
        if meta.data_label == "demo"
        else "official open data",
        "input_hashes": meta.input_hashes,
    }
    reason = empty_reason(figures)
    status: Status = "ok" if reason is None else "empty"
    notice = "" if reason is None else f"No figure is available for {meta.council_name}: {reason}."
    folder = out_dir / task.folder
    bundle_href = None
    if task.shared_bundle:
        bundle = export.write_shared_bundle(out_dir)
        bundle_href = os.path.relpath(bundle, folder).replace(os.sep, "/")
    page = export.to_html(
        nb,
        meta=meta,
        figures=figures,
        provenance=provenance,
        notice=notice,
        bundle_href=bundle_href,
    )
    sidecar = {
        "status": status,
        "status_reason": reason or "",
        "build": dict(task.build_key),
        "council": {"gss_code": meta.council_code, "name": meta.council_name},
        "report": task.report,
        "title": meta.title,
        "data_vintage": meta.data_vintage,
        "sources": list(meta.sources),
        "provenance": provenance,
        "figures": [figure.model_dump(mode="json") for figure in figures],
    }
    texts = {
        folder / f"{task.report}.json": json.dumps(sidecar, indent=2, sort_keys=True) + "\n",
        folder / f"{task.report}.html": page,
    }
    token = uuid.uuid4().hex[:10]
    files: dict[str, str] = {}
    staged: dict[str, str] = {}
    for path, text in texts.items():
        relative = path.relative_to(out_dir).as_posix()
        # write_text_atomic writes UTF-8 with "\n" line ends: these are the file's bytes.
        files[relative] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        target = path
        if stage:
            target = path.with_name(f".{path.name}.{token}.tmp")
            staged[relative] = target.relative_to(out_dir).as_posix()
        write_text_atomic(target, text)
    return ReportOutcome(
        council=task.council,
        council_name=task.council_name,
        folder=task.folder,
        report=task.report,
        status=status,
        seconds=round(time.perf_counter() - started, 3),
        html=f"{task.folder}/{task.report}.html",
        sidecar=f"{task.folder}/{task.report}.json",
        figures=len(figures),
        input_hashes=dict(meta.input_hashes),
        attempts=execution.attempts,
        reason=reason or "",
        key=str(task.build_key.get("key", "")),
        files=files,
        staged=staged,
    )
