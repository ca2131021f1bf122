"""The ``councilpack`` command: a thin shell over the library.

Every command validates its inputs, then calls a library function; nothing
here computes a figure. Two rules keep it quick and its errors readable:

* Heavy libraries (pandas, altair, papermill, the data layer) are imported
  inside command bodies, so ``councilpack --help`` and argument errors answer
  at once (``benchmarks/bench_cli.py``).
* One error boundary (:func:`councilpack.boundary.boundary` on every command):
  any :class:`~councilpack.errors.CouncilpackError` becomes one line on stderr
  and exit code 2; a traceback only with ``--debug``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import typer

from councilpack.boundary import OneLineUsageGroup, boundary, state
from councilpack.data.cli import councils, data_app
from councilpack.errors import ParameterError
from councilpack.settings import data_dir_from_env

if TYPE_CHECKING:
    from rich.console import Console

    from councilpack import batch as batch_lib

app = typer.Typer(
    cls=OneLineUsageGroup,
    help="Council briefing packs: finance, residents and workforce analyses as HTML reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """Council briefing packs: finance, residents and workforce analyses as HTML reports."""
    state["debug"] = debug


app.add_typer(data_app, name="data", help="Build, check and fetch the official open data.")
app.command("councils")(boundary(councils))

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of staged open data (default: $COUNCILPACK_DATA_DIR, else the demo councils).",
        file_okay=False,
    ),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")]
ExecutorOption = Annotated[
    str | None,
    typer.Option(
        "--executor",
        help="process (local worker processes, the default) or dask (a Dask cluster).",
    ),
]
SharedBundleOption = Annotated[
    bool | None,
    typer.Option(
        "--shared-bundle/--inline-bundle",
        help="Charts load one bundle file at the root of the output folder (a pack; each "
        "report ~1.2 MB smaller) or carry it inline (each report stands alone).",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster "
        "of --jobs workers).",
    ),
]
CellTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--cell-timeout",
        min=0.001,
        help="Seconds one notebook cell may run before its report fails (default 600); "
        "the batch carries on.",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Rebuild every report, even one already built with the same inputs."
    ),
]


def _data_dir(option: Path | None) -> str:
    chosen = option if option is not None else data_dir_from_env()
    return str(chosen) if chosen is not None else ""


def _parameters(pairs: list[str]) -> dict[str, str]:
    """Parse ``NAME=VALUE`` pairs (the report models convert and check the values)."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {pair!r}: expected NAME=VALUE")
        result[name.strip()] = value
    return result


def _run(spec: batch_lib.BatchSpec, *, force: bool = False) -> None:
    from councilpack import batch as batch_lib
    from councilpack.progress import BatchProgress

    console = _stderr()
    tasks = batch_lib.plan(spec)
    with BatchProgress(console, jobs=spec.jobs) as progress:
        result = batch_lib.run_batch(
            tasks,
            Path(spec.out),
            executor=batch_lib.make_executor(spec.jobs, spec.executor, scheduler=spec.scheduler),
            on_outcome=progress.outcome,
            on_plan=progress.plan,
            data_dir=spec.data_dir,
            force=force,
        )
    pack_problems = 0
    if spec.pack:
        from councilpack.pack import finish_pack

        for files in finish_pack(result.outcomes, Path(spec.out), pdf=spec.pdf):
            written = [f for f in (files.workbook, files.pdf) if f]
            pages = f" ({files.pdf_pages} pages)" if files.pdf_pages else ""
            console.print(
                f"{files.folder}: {', '.join(written) or 'nothing'}{pages}", highlight=False
            )
            if files.problem:
                pack_problems += 1
                console.print(f"[red]error:[/red] {files.folder}: {files.problem}", highlight=False)
    ok = len(result.outcomes) - len(result.failed)
    kept = f", {len(result.reused)} kept from earlier runs" if result.reused else ""
    empty = f", {len(result.empty)} with no figure for the council" if result.empty else ""
    console.print(
        f"{ok} of {len(result.outcomes)} reports ready ({len(result.outcomes) - len(result.reused)}"
        f" built now{kept}{empty}) in {result.seconds:.1f} s; "
        f"index: {result.index}; manifest: {result.manifest}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    if result.failed or pack_problems:
        raise typer.Exit(1)


@app.command()
@boundary
def build(
    councils: Annotated[list[str], typer.Argument(help="GSS codes or unambiguous council names.")],
    report: Annotated[
        str,
        typer.Option(
            "--report", "-r", help="Comma-separated reports, e.g. finance,residents,workforce."
        ),
    ] = "finance",
    data_dir: DataDirOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "reports/build"
    ),
    jobs: JobsOption = 1,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="Report parameter NAME=VALUE, e.g. -p survey_dir=staff-survey -p threshold=15 "
            "(repeatable; each reaches the reports that take it; REPORT.NAME=VALUE reaches "
            "one report, e.g. -p workforce.survey_dir=staff-survey).",
        ),
    ] = None,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    shared_bundle: SharedBundleOption = None,
    cell_timeout: CellTimeoutOption = None,
    force: ForceOption = False,
) -> None:
    """Build reports for one or more councils."""
    from councilpack.reports import check_report_names

    # Checked before the batch machinery (pandas, papermill) is imported: a typo answers at once.
    reports = check_report_names(name.strip() for name in report.split(",") if name.strip())
    options = _parameters(param or [])
    from councilpack import batch as batch_lib

    spec = batch_lib.make_spec(
        councils=list(councils),
        reports=reports,
        data_dir=_data_dir(data_dir),
        out=str(out),
        jobs=jobs,
        options=options,
        executor=executor or "process",
        scheduler=scheduler or "",
        shared_bundle=bool(shared_bundle),
        **({} if cell_timeout is None else {"cell_timeout": cell_timeout}),
    )
    _run(spec, force=force)


@app.command("pack")
@boundary
def pack_command(
    councils: Annotated[list[str], typer.Argument(help="GSS codes or unambiguous council names.")],
    data_dir: DataDirOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "reports/packs"
    ),
    jobs: JobsOption = 1,
    residents_survey: Annotated[
        Path | None, typer.Option("--residents-survey", help="Residents' survey folder.")
    ] = None,
    staff_survey: Annotated[
        Path | None, typer.Option("--staff-survey", help="Staff survey folder.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print briefing.pdf (Chromium).")] = False,
) -> None:
    """Build each council's pack: every available report, its briefing and figures.xlsx."""
    from councilpack import batch as batch_lib

    options = {
        name: str(folder)
        for name, folder in (
            ("residents_survey_dir", residents_survey),
            ("staff_survey_dir", staff_survey),
        )
        if folder is not None
    }
    spec = batch_lib.make_spec(
        councils=list(councils),
        data_dir=_data_dir(data_dir),
        out=str(out),
        jobs=jobs,
        options=options,
        pack=True,
        pdf=pdf,
    )
    _run(spec)


@app.command("batch")
@boundary
def batch_command(
    file: Annotated[
        Path, typer.Argument(help="Batch YAML: councils, reports, data_dir, out, jobs.")
    ],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Override jobs.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Override out.")] = None,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    shared_bundle: SharedBundleOption = None,
    cell_timeout: CellTimeoutOption = None,
    force: ForceOption = False,
) -> None:
    """Build a batch of reports described by a YAML file."""
    from councilpack import batch as batch_lib

    spec = batch_lib.load_batch(file)
    if jobs is not None:
        spec.jobs = jobs
    if out is not None:
        spec.out = str(out)
    if executor is not None:
        # Checked with the other options by make_executor (an unknown name is one line).
        spec.executor = cast(Literal["process", "dask"], executor)
    if scheduler is not None:
        spec.scheduler = scheduler
    if shared_bundle is not None:
        spec.shared_bundle = shared_bundle
    if cell_timeout is not None:
        spec.cell_timeout = cell_timeout
    _run(spec, force=force)


@app.command()
@boundary
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("reports/demo"),
    jobs: JobsOption = 2,
    shared_bundle: SharedBundleOption = True,
    force: ForceOption = False,
) -> None:
    """Build the demo pack: every report, briefing and figures.xlsx for every fictional council."""
    from councilpack import batch as batch_lib

    _run(
        batch_lib.make_spec(
            councils="all",
            pack=True,
            out=str(out),
            jobs=jobs,
            shared_bundle=bool(shared_bundle),
        ),
        force=force,
    )


def main() -> None:
    """Entry point for ``python -m councilpack``."""
    app()
