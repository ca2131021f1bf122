"""The ``councilpack`` command: a thin shell over the library.

Every command validates its inputs, then calls a library function; nothing
here computes a figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from councilpack import batch as batch_lib
from councilpack import pack as pack_lib
from councilpack.data import CouncilLookupError
from councilpack.data.cli import councils, data_app
from councilpack.reports import REPORTS, ParameterError
from councilpack.runner import ReportOutcome
from councilpack.settings import data_dir_from_env

app = typer.Typer(
    help="Council briefing packs: finance, residents and workforce analyses as HTML reports.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)
app.add_typer(data_app, name="data", help="Build, check and fetch the official open data.")
app.command("councils")(councils)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of staged open data (default: $COUNCILPACK_DATA_DIR, else the demo councils).",
        file_okay=False,
    ),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")]


def _data_dir(option: Path | None) -> str:
    chosen = option if option is not None else data_dir_from_env()
    return str(chosen) if chosen is not None else ""


def _parameters(pairs: list[str]) -> dict[str, str]:
    """Parse ``NAME=VALUE`` pairs (the report models convert and check the values)."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        result[name.strip()] = value
    return result


def _run(spec: batch_lib.BatchSpec) -> None:
    try:
        tasks = batch_lib.plan(spec)
    except (batch_lib.BatchError, CouncilLookupError, ParameterError, FileNotFoundError) as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    out = Path(spec.out)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        bar = progress.add_task("Building reports", total=len(tasks))

        def advance(outcome: ReportOutcome) -> None:
            progress.advance(bar)
            if outcome.status != "ok" and outcome.error is not None:
                where = f" cell {outcome.error['cell']}" if "cell" in outcome.error else ""
                progress.console.print(
                    f"[red]failed[/red] {outcome.council_name} ({outcome.council}) "
                    f"{outcome.report}{where}: {outcome.error['type']}: {outcome.error['message']}",
                    highlight=False,
                )

        result = batch_lib.run_batch(
            tasks,
            out,
            executor=batch_lib.make_executor(spec.jobs),
            on_outcome=advance,
            data_dir=spec.data_dir,
        )
    pack_problems = 0
    if spec.pack:
        for files in pack_lib.finish_pack(result.outcomes, out, pdf=spec.pdf):
            written = [f for f in (files.workbook, files.pdf) if f]
            pages = f" ({files.pdf_pages} pages)" if files.pdf_pages else ""
            console.print(
                f"{files.folder}: {', '.join(written) or 'nothing'}{pages}", highlight=False
            )
            if files.problem:
                pack_problems += 1
                console.print(f"[red]error:[/red] {files.folder}: {files.problem}", highlight=False)
    ok = len(result.outcomes) - len(result.failed)
    console.print(
        f"{ok} of {len(result.outcomes)} reports built in {result.seconds:.1f} s; "
        f"index: {result.index}; manifest: {result.manifest}",
        highlight=False,
    )
    if result.failed or pack_problems:
        raise typer.Exit(1)


@app.command()
def build(
    councils: Annotated[list[str], typer.Argument(help="GSS codes or unambiguous council names.")],
    report: Annotated[
        str, typer.Option("--report", "-r", help=f"Comma-separated reports: {', '.join(REPORTS)}.")
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
            "(repeatable; each reaches the reports that take it).",
        ),
    ] = None,
) -> None:
    """Build reports for one or more councils."""
    try:
        spec = batch_lib.BatchSpec(
            councils=list(councils),
            reports=[name.strip() for name in report.split(",") if name.strip()],
            data_dir=_data_dir(data_dir),
            out=str(out),
            jobs=jobs,
            options=_parameters(param or []),
        )
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    _run(spec)


@app.command("pack")
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
    options = {
        name: str(folder)
        for name, folder in (
            ("residents_survey_dir", residents_survey),
            ("staff_survey_dir", staff_survey),
        )
        if folder is not None
    }
    spec = batch_lib.BatchSpec(
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
def batch_command(
    file: Annotated[
        Path, typer.Argument(help="Batch YAML: councils, reports, data_dir, out, jobs.")
    ],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Override jobs.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Override out.")] = None,
) -> None:
    """Build a batch of reports described by a YAML file."""
    try:
        spec = batch_lib.load_batch(file)
    except batch_lib.BatchError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    if jobs is not None:
        spec.jobs = jobs
    if out is not None:
        spec.out = str(out)
    _run(spec)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("reports/demo"),
    jobs: JobsOption = 2,
) -> None:
    """Build the demo pack: every report, briefing and figures.xlsx for every fictional council."""
    _run(batch_lib.BatchSpec(councils="all", pack=True, out=str(out), jobs=jobs))


def main() -> None:
    """Entry point for ``python -m councilpack``."""
    app()
