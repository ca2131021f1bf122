"""Batches: many councils and reports, validated up front, isolated, recorded in a manifest.

A batch is data: a YAML file (or CLI arguments) validated with pydantic before
any kernel starts. Each (council, report) is an isolated task; a failure is
recorded in ``manifest.json`` with its cell and message while the others carry
on. Executors are swappable: serial, a local process pool, and Dask distributed
(:mod:`councilpack.executors`), all implementing the same :class:`Executor`
protocol; each worker keeps one warm kernel (:mod:`councilpack.engine`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from councilpack import engine, export
from councilpack import manifest as manifest_lib
from councilpack.data import CouncilLookupError, open_data
from councilpack.errors import (
    BatchError,
    ParameterError,
    SurveyDataError,
    describe_format_error,
    suggest,
    validation_message,
)
from councilpack.pack import pack_reports
from councilpack.paths import check_folder_name, check_output_folder
from councilpack.reports import (
    REPORTS,
    missing_paths,
    unknown_report_message,
    validate_parameters,
)
from councilpack.runner import ReportOutcome, ReportTask, build_report
from councilpack.status import ReportError, RunStatus, as_status
from councilpack.surveys.folder import load_survey_folder
from councilpack.workers import run_in_pool


class CouncilEntry(BaseModel):
    """One council in a batch, optionally with its own reports and options."""

    model_config = ConfigDict(extra="forbid")

    council: str
    reports: list[str] | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class BatchSpec(BaseModel):
    """A batch: which councils, which reports, where the data is and where to write."""

    model_config = ConfigDict(extra="forbid")

    councils: list[str | CouncilEntry] | Literal["all"]
    reports: list[str] = Field(default_factory=lambda: ["finance"])
    data_dir: str = ""
    out: str = "reports/batch"
    jobs: int = Field(default=1, ge=1, le=64)
    executor: Literal["process", "dask"] = "process"
    scheduler: str = ""
    #: One chart bundle file for the whole pack instead of one inlined in each report.
    shared_bundle: bool = False
    #: Seconds any one notebook cell may run; a report whose cell runs longer fails
    #: (its kernel is stopped, the report never retried) and the batch carries on.
    cell_timeout: float = Field(default=engine.CELL_TIMEOUT, gt=0)
    options: dict[str, Any] = Field(default_factory=dict)
    pack: bool = Field(default=False, description="every available report plus the briefing")
    pdf: bool = Field(default=False, description="with pack: also write briefing.pdf")

    @field_validator("reports")
    @classmethod
    def _known_reports(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in REPORTS]
        if unknown:
            raise ValueError("; ".join(unknown_report_message(name) for name in unknown))
        if not value:
            raise ValueError("at least one report is needed")
        return value


def load_batch(path: Path) -> BatchSpec:
    """Read and validate a batch YAML file.

    Raises
    ------
    BatchError
        Naming the file and each invalid entry.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise BatchError(f"{path}: batch file is {describe_format_error(error)}") from None
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise BatchError(f"{path}: batch file is not valid YAML: {first_line}") from None
    except OSError as error:
        raise BatchError(f"{path}: cannot read batch file: {error.strerror or error}") from None
    if not isinstance(raw, dict):
        raise BatchError(
            f"{path}: a batch file must be a YAML mapping with keys "
            f"{', '.join(BatchSpec.model_fields)}; got {type(raw).__name__}"
        )
    try:
        return BatchSpec.model_validate(raw)
    except ValidationError as error:
        raise BatchError(f"{path}: {validation_message(error, raw, model=BatchSpec)}") from None


def make_spec(**fields: Any) -> BatchSpec:
    """Return a :class:`BatchSpec` from CLI options, or raise one line naming the bad option.

    Raises
    ------
    ParameterError
        Naming the option and its value, with a suggestion for a near miss.
    """
    try:
        return BatchSpec.model_validate(fields)
    except ValidationError as error:
        raise ParameterError(validation_message(error, fields, model=BatchSpec)) from None


def _parameter_names(reports: Iterable[str]) -> set[str]:
    """Return every parameter name the named reports take, plain and as ``report.name``."""
    return {
        key for report in reports if report in REPORTS
        for name in REPORTS[report].parameters.model_fields
        for key in (name, f"{report}.{name}")
    }  # fmt: skip


def _own_options(options: dict[str, Any], report: str) -> dict[str, Any]:
    """Return the options that reach ``report``: those it takes, ``report.name`` ones winning.

    ``threshold`` reaches only workforce; ``workforce.survey_dir`` only
    workforce, so residents and workforce can each be given their own folder.
    """
    fields = REPORTS[report].parameters.model_fields
    own = {k: v for k, v in options.items() if k in fields}
    prefix = f"{report}."
    own.update({k[len(prefix) :]: v for k, v in options.items() if k.startswith(prefix)})
    return own


def _check_survey_folder(report: str, options: dict[str, Any], *, demo: bool) -> None:
    """Read a report's survey folder before any kernel starts (raises SurveyDataError).

    A demo council without ``survey_dir`` uses its synthetic survey; a real
    council must be given its folder.
    """
    kind = REPORTS[report].survey
    folder = options.get("survey_dir")
    if kind is None:
        return
    if not folder:
        if demo:
            return
        raise SurveyDataError(
            f"no {kind} survey folder given: add -p {report}.survey_dir=FOLDER "
            f"(a folder with survey.yml; see data/surveys/)"
        )
    # survey.yml, then every file it names (codebook, waves, HR figures): present and inside.
    _ = load_survey_folder(Path(str(folder)), expected=kind).files  # raises for a bad one


_DEMO_HINT = (
    " (these are the fictional demo councils: no data folder was given; point --data-dir "
    "or COUNCILPACK_DATA_DIR at the staged open data, see data/README.md)"
)


def plan(spec: BatchSpec) -> list[ReportTask]:
    """Resolve every council and check every report before any kernel starts.

    Checks the output folder, resolves every council, validates every
    report's parameters and reads every survey folder, and reports every
    problem at once.

    Raises
    ------
    OutputError
        When ``spec.out`` cannot be the output folder.
    BatchError
        Listing every council that is unknown or ambiguous (with candidates),
        every bad option and every unusable survey folder.
    """
    check_output_folder(spec.out)
    data = open_data(spec.data_dir)
    # Tasks carry an absolute data folder: kernels and warm workers run in
    # ``notebooks/`` (or on another machine's worker), not the caller's folder.
    data_dir = str(Path(spec.data_dir).absolute()) if spec.data_dir else ""
    demo = data.label == "demo"
    entries: Iterable[str | CouncilEntry]
    if spec.councils == "all":
        entries = [council.gss_code for council in data.register]
    else:
        entries = spec.councils
    tasks: list[ReportTask] = []
    problems: list[str] = []
    for entry in entries:
        item = entry if isinstance(entry, CouncilEntry) else CouncilEntry(council=entry)
        try:
            council = data.register.resolve(item.council)
        except CouncilLookupError as error:
            problems.append(str(error) + (_DEMO_HINT if demo else ""))
            continue
        options = {**spec.options, **item.options}
        if spec.pack:
            # Every report the council's inputs allow, then its briefing (see councilpack.pack).
            try:
                chosen = pack_reports(demo=demo, options=options)
            except ParameterError as error:
                problems.append(f"{item.council}: {error}")
                continue
        else:
            reports = item.reports or spec.reports
            unknown = sorted(set(options) - _parameter_names(reports))
            if unknown:
                takes = _parameter_names(reports)
                problems.append(
                    f"{item.council}: option "
                    + ", ".join(f"{name!r}{suggest(name, takes)}" for name in unknown)
                    + f" is not a parameter of {', '.join(reports)}"
                )
            # An option reaches only the reports that take it (threshold: workforce only).
            # (An unknown report is reported in the loop below.)
            chosen = [(r, _own_options(options, r) if r in REPORTS else {}) for r in reports]
        for report, own in chosen:
            if report not in REPORTS:
                problems.append(f"{item.council}: {unknown_report_message(report)}")
                continue
            try:
                validate_parameters(
                    report, {"council": council.gss_code, "data_dir": spec.data_dir, **own}
                )
            except ParameterError as error:
                problems.append(f"{item.council}: {error}")
                continue
            absent = missing_paths(report, {k: v for k, v in own.items() if k != "survey_dir"})
            if absent:
                problems.append(f"{item.council}: report {report!r}: {'; '.join(absent)}")
                continue
            try:
                _check_survey_folder(report, own, demo=demo)
            except SurveyDataError as error:
                problems.append(f"{item.council}: report {report!r}: {error}")
                continue
            tasks.append(
                ReportTask(
                    council=council.gss_code,
                    council_name=council.name,
                    folder=check_folder_name(council.folder, source=f"register ({data.label})"),
                    report=report,
                    data_dir=data_dir,
                    options=own,
                    shared_bundle=spec.shared_bundle,
                    cell_timeout=spec.cell_timeout,
                )
            )
    if problems:
        raise BatchError("; ".join(problems))
    return tasks


TaskFunction = Callable[[ReportTask, Path], ReportOutcome]


class Executor(Protocol):
    """Runs tasks and yields outcomes as they complete (in any order)."""

    def run(
        self, function: TaskFunction, tasks: list[ReportTask], out: Path
    ) -> Iterator[ReportOutcome]:
        """Run ``function(task, out)`` for each task."""
        ...


def isolated(task: ReportTask, out: Path) -> ReportOutcome:
    """Build one report, turning any exception into a recorded failure.

    This is the batch's isolation boundary: whatever goes wrong for one
    council (bad data, a library error) is recorded with its type and message
    in the manifest and never stops the other councils.
    """
    started = time.perf_counter()
    try:
        return build_report(task, out, stage=True)
    except Exception as error:  # noqa: BLE001  (recorded in the manifest, never hidden)
        return ReportOutcome.failure(
            task,
            time.perf_counter() - started,
            ReportError("build", type(error).__name__, str(error)),
        )


def _data_dirs(tasks: Iterable[ReportTask]) -> list[str]:
    """Return the data folders the tasks read, in order (a warm kernel opens each once)."""
    return list(dict.fromkeys(task.data_dir for task in tasks))


def _reports(tasks: Iterable[ReportTask]) -> list[str]:
    """Return the reports the tasks build, in order (a warm kernel imports what they import)."""
    return list(dict.fromkeys(task.report for task in tasks))


class SerialExecutor:
    """Runs tasks one after another in this process, on one warm kernel.

    Parameters
    ----------
    warm
        Reuse one kernel for every report (reset between reports); ``False``
        starts a fresh kernel per report.
    """

    def __init__(self, *, warm: bool = True) -> None:
        self.warm = warm

    def run(
        self, function: TaskFunction, tasks: list[ReportTask], out: Path
    ) -> Iterator[ReportOutcome]:
        """Run each task in turn."""
        chosen = (
            engine.WarmEngine(_data_dirs(tasks), _reports(tasks))
            if self.warm
            else engine.ColdEngine()
        )
        with engine.using(chosen):
            for task in tasks:
                yield function(task, out)


def warm_worker(data_dirs: list[str], reports: list[str], warm: bool = True) -> None:
    """Prepare a worker process: chart bundle and exporter built, a warm kernel started.

    The kernel starts in the background while the worker waits for its first
    task, and is stopped when the worker process exits.
    """
    export.vega_bundle()
    export._exporter()
    if warm:
        chosen = engine.WarmEngine(data_dirs, reports, prestart=True)
        engine.install(chosen)
        Finalize(chosen, chosen.close, exitpriority=10)


class ProcessExecutor:
    """Runs tasks in a pool of worker processes that die with the batch, each with a warm kernel.

    A worker that dies fails only the task it was running; the pool is rebuilt
    for the rest (:func:`councilpack.workers.run_in_pool`).

    Parameters
    ----------
    jobs
        Worker processes.
    warm
        Give each worker one kernel reused across its reports; ``False``
        starts a fresh kernel per report.
    """

    def __init__(self, jobs: int, *, warm: bool = True) -> None:
        self.jobs = jobs
        self.warm = warm

    def run(
        self, function: TaskFunction, tasks: list[ReportTask], out: Path
    ) -> Iterator[ReportOutcome]:
        """Submit every task and yield outcomes as workers finish them."""
        export.prepare_bundle()
        initializer = functools.partial(warm_worker, _data_dirs(tasks), _reports(tasks), self.warm)
        yield from run_in_pool(function, tasks, out, jobs=self.jobs, initializer=initializer)


#: Executors by name (``--executor``).
EXECUTORS = ("process", "dask")


def make_executor(
    jobs: int, executor: str = "process", *, scheduler: str = "", warm: bool = True
) -> Executor:
    """Return the executor for ``jobs`` workers.

    Parameters
    ----------
    jobs
        Workers: local processes, or the workers of a new Dask LocalCluster.
    executor
        ``"process"`` (serial when ``jobs`` is 1) or ``"dask"``.
    scheduler
        Address of a running Dask scheduler; empty starts a LocalCluster.
    warm
        Reuse a kernel per worker (the default) rather than one per report.
    """
    if executor == "dask":
        from councilpack.executors import DaskExecutor

        return DaskExecutor(jobs, scheduler=scheduler, warm=warm)
    if executor != "process":
        raise BatchError(f"unknown executor {executor!r}; known: {', '.join(EXECUTORS)}")
    if scheduler:
        raise BatchError("--scheduler needs --executor dask")
    return SerialExecutor(warm=warm) if jobs <= 1 else ProcessExecutor(jobs, warm=warm)


@dataclass
class BatchResult:
    """The outcomes of a batch and where its manifest and index were written.

    ``outcomes`` holds one outcome per requested task, in task order: built in
    this run, or kept from an earlier run (``reused``).
    """

    outcomes: list[ReportOutcome]
    manifest: Path
    index: Path
    seconds: float

    @property
    def failed(self) -> list[ReportOutcome]:
        """Return the outcomes that failed."""
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def empty(self) -> list[ReportOutcome]:
        """Return the reports built with no figure for their council."""
        return [outcome for outcome in self.outcomes if outcome.status == "empty"]

    @property
    def reused(self) -> list[ReportOutcome]:
        """Return the reports kept from an earlier run."""
        return [outcome for outcome in self.outcomes if outcome.reused]


_OUTCOME_FIELDS = {f.name for f in dataclasses.fields(ReportOutcome)}


def _from_record(record: dict[str, Any]) -> ReportOutcome:
    """Return the outcome a current report's manifest record describes (kept, not rebuilt)."""
    values = {k: v for k, v in record.items() if k in _OUTCOME_FIELDS}
    error = values.get("error")
    values["error"] = ReportError.from_dict(error) if isinstance(error, dict) else None
    values["status"] = as_status(values["status"])
    return ReportOutcome(**{**values, "staged": {}, "reused": True})


def with_keys(tasks: list[ReportTask]) -> list[ReportTask]:
    """Return the tasks with their build keys (:func:`councilpack.manifest.task_key`)."""
    hashes: dict[str, dict[str, str]] = {}
    keyed = []
    for task in tasks:
        if task.build_key:
            keyed.append(task)
            continue
        if task.data_dir not in hashes:
            hashes[task.data_dir] = dict(open_data(task.data_dir).input_hashes)
        key = manifest_lib.task_key(
            task.report,
            task.council,
            task.options,
            hashes[task.data_dir],
            shared_bundle=task.shared_bundle,
        )
        keyed.append(dataclasses.replace(task, build_key=key))
    return keyed


def council_facts(tasks: Iterable[ReportTask]) -> dict[str, dict[str, str]]:
    """Return each task council's type and region from its data's register, for the index.

    A council the register does not hold (a task made by hand) has no entry.
    """
    registers: dict[str, Any] = {}
    facts: dict[str, dict[str, str]] = {}
    for task in tasks:
        if task.council in facts:
            continue
        if task.data_dir not in registers:
            registers[task.data_dir] = open_data(task.data_dir).register
        try:
            council = registers[task.data_dir].get(task.council)
        except CouncilLookupError:
            continue
        facts[task.council] = {"council_type": council.council_type, "region": council.region}
    return facts


def _run_locked(
    tasks: list[ReportTask],
    out: Path,
    executor: Executor,
    on_outcome: Callable[[ReportOutcome], None] | None,
    on_plan: Callable[[list[ReportTask], list[ReportOutcome]], None] | None,
    *,
    data_dir: str,
    force: bool,
) -> tuple[dict[int, ReportOutcome], list[ReportOutcome], float]:
    """Run a batch while holding the folder's lock (see :func:`run_batch`)."""
    started = time.perf_counter()
    state = manifest_lib.FolderState.load(out)
    log = manifest_lib.RunLog(state)
    manifest_lib.reconcile(state, log.run)
    kept: dict[int, ReportOutcome] = {}
    to_build: list[ReportTask] = []
    for number, task in enumerate(tasks):
        record = state.records.get((task.folder, task.report))
        if (
            not force
            and record is not None
            and manifest_lib.is_current(state, task.folder, task.report, task.build_key["key"])
        ):
            kept[number] = _from_record(record)
        else:
            to_build.append(task)
    log.start(
        executor=type(executor).__name__,
        data="demo" if not data_dir else os.path.basename(os.path.normpath(data_dir)),
        requested=len(tasks),
        to_build=len(to_build),
        reused=len(kept),
        force=force,
    )
    if on_plan is not None:
        on_plan(to_build, list(kept.values()))
    built: list[ReportOutcome] = []
    status: RunStatus = "stopped"
    facts = council_facts(to_build)
    try:
        for outcome in executor.run(isolated, to_build, out):
            # The council's type and region go into its record, for the index.
            log.record({**outcome.to_dict(), **facts.get(outcome.council, {})})
            outcome.staged = {}
            built.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        status = "finished"
    finally:
        seconds = round(time.perf_counter() - started, 3)
        log.finish(
            status=status,
            seconds=seconds,
            built=len(built),
            failed=sum(o.status == "failed" for o in built),
        )
    return kept, built, seconds


def run_batch(
    tasks: list[ReportTask],
    out: Path,
    *,
    executor: Executor | None = None,
    on_outcome: Callable[[ReportOutcome], None] | None = None,
    data_dir: str = "",
    force: bool = False,
    on_plan: Callable[[list[ReportTask], list[ReportOutcome]], None] | None = None,
) -> BatchResult:
    """Build every task that is not already built with the same inputs; record everything.

    The folder's log (``manifest.jsonl``) gets a line as each report completes;
    ``manifest.json`` and ``index.html`` are rewritten atomically after each
    one and describe every report in the folder, from this run and earlier
    ones (:mod:`councilpack.manifest`). A report whose files exist, hash as
    recorded and were built with the same key is kept, unless ``force``.

    Parameters
    ----------
    tasks
        From :func:`plan`.
    out
        Output folder (earlier runs' reports in it are kept and listed).
    executor
        How to run the tasks; serial by default.
    on_outcome
        Called after each report is recorded (progress display).
    data_dir
        Recorded in the manifest.
    force
        Rebuild every task, even one that is current.
    on_plan
        Called once before building with the tasks to build and the outcomes
        kept from earlier runs.

    Raises
    ------
    BatchError
        When another batch is writing into ``out``.
    """
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Opens the data once (building caches before workers race for them) and keys each task.
    tasks = with_keys(tasks)
    executor = executor or SerialExecutor()
    try:
        with manifest_lib.folder_lock(out):
            kept, built, seconds = _run_locked(
                tasks, out, executor, on_outcome, on_plan, data_dir=data_dir, force=force
            )
    except (manifest_lib.OutputFolderBusy, manifest_lib.ManifestError) as error:
        raise BatchError(str(error)) from None
    order = {(task.council, task.report): number for number, task in enumerate(tasks)}
    outcomes = [*kept.values(), *built]
    outcomes.sort(key=lambda o: order[(o.council, o.report)])
    return BatchResult(
        outcomes, out / manifest_lib.SUMMARY_NAME, out / manifest_lib.INDEX_NAME, seconds
    )


def render_index(outcomes: list[ReportOutcome]) -> str:
    """Render an index page listing ``outcomes`` (see :func:`councilpack.manifest.render_index`)."""
    return manifest_lib.render_index([outcome.to_dict() for outcome in outcomes])


__all__ = [
    "EXECUTORS",
    "BatchError",
    "BatchResult",
    "BatchSpec",
    "CouncilEntry",
    "Executor",
    "ParameterError",
    "ProcessExecutor",
    "SerialExecutor",
    "isolated",
    "load_batch",
    "make_executor",
    "plan",
    "run_batch",
    "warm_worker",
    "with_keys",
]
