"""The statuses of a report build and of a batch run, and the record of why a report failed.

Light on purpose (standard library only): the command line's progress display
and the manifest read these without importing the engine.

A report's outcome (:class:`councilpack.runner.ReportOutcome`) has a
:data:`Status`; the folder's manifest keeps the latest record of each report,
whose :data:`RecordStatus` can also be ``missing`` (its files were changed or
removed after it was built). A run in the manifest has a :data:`RunStatus`. A
failure carries a :class:`ReportError`, written to the manifest as the same
JSON object it has always been (``stage``, ``type``, ``message``, and for a
notebook error ``cell`` and ``execution_count``), so old manifests still read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from councilpack.errors import ArgumentError

#: A report built with a figure for its council (``ok``), built with none (``empty``,
#: with the reason), or not built (``failed``, with a :class:`ReportError`).
Status = Literal["ok", "empty", "failed"]
#: A report's latest record in an output folder: a :data:`Status`, or ``missing``
#: when its files were changed or removed after it was built.
RecordStatus = Literal["ok", "empty", "failed", "missing"]
#: A batch run in the manifest: ``running`` (this run, so far), ``finished``,
#: ``stopped`` (ended by an exception or Ctrl-C) or ``interrupted`` (killed: no end logged).
RunStatus = Literal["running", "finished", "stopped", "interrupted"]
#: Where a report failed: its kernel would not start, a notebook cell raised, a cell ran
#: past the time limit, the export found no published figures, the build raised, its worker
#: process died, or (on a later run) its files no longer hash as recorded.
Stage = Literal["kernel", "notebook", "timeout", "export", "build", "worker", "verify"]

STATUSES: tuple[Status, ...] = get_args(Status)
RECORD_STATUSES: tuple[RecordStatus, ...] = get_args(RecordStatus)


def as_status(value: object) -> Status:
    """Return ``value`` as a report :data:`Status`, or raise naming it.

    >>> as_status("empty")
    'empty'

    Raises
    ------
    ArgumentError
        ``value`` is not a report status (``missing`` is a record's, not a report's).
    """
    if value not in STATUSES:
        raise ArgumentError(f"report status {value!r} is not one of {', '.join(STATUSES)}")
    return value


@dataclass(frozen=True)
class ReportError:
    """Why a report failed.

    Attributes
    ----------
    stage
        Where it failed (see :data:`Stage`).
    type
        The exception's type name (``KernelStartError``, ``ValueError`` ...).
    message
        The exception's message.
    cell, execution_count
        For a notebook error: the index of the cell that raised and its
        execution count (a timeout names its cell only).
    """

    stage: Stage
    type: str
    message: str
    cell: int | None = None
    execution_count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest's JSON object: ``cell`` and ``execution_count`` only where known.

        A notebook error always has both keys (``execution_count`` may be
        ``None``); another stage's has neither unless it was given one.

        >>> ReportError("worker", "BrokenProcessPool", "died").to_dict()
        {'stage': 'worker', 'type': 'BrokenProcessPool', 'message': 'died'}
        >>> ReportError("notebook", "ValueError", "bad", cell=3).to_dict()["execution_count"] is None
        True
        """
        record: dict[str, Any] = {"stage": self.stage, "type": self.type, "message": self.message}
        if self.stage == "notebook" or self.cell is not None:
            record["cell"] = self.cell
        if self.stage == "notebook" or self.execution_count is not None:
            record["execution_count"] = self.execution_count
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> ReportError:
        """Return the error a manifest record holds (the inverse of :meth:`to_dict`).

        Keys beyond the known ones are ignored; a missing ``type`` or ``message``
        reads as ``""``.
        """
        return cls(
            stage=cast(Stage, str(record.get("stage", ""))),
            type=str(record.get("type", "")),
            message=str(record.get("message", "")),
            cell=record.get("cell"),
            execution_count=record.get("execution_count"),
        )


__all__ = [
    "RECORD_STATUSES",
    "STATUSES",
    "RecordStatus",
    "ReportError",
    "RunStatus",
    "Stage",
    "Status",
    "as_status",
]
