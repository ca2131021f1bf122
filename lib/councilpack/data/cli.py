"""``councilpack data ...`` and ``councilpack councils``: thin wrappers over the library.

Mount in the main CLI with::

    from councilpack.data.cli import councils, data_app

    app.add_typer(data_app, name="data")
    app.command("councils")(councils)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from councilpack.boundary import boundary
from councilpack.errors import ParameterError
from councilpack.settings import data_dir_from_env

if TYPE_CHECKING:
    from rich.console import Console

# Heavy modules (pandas, the store, pooch) are imported inside the commands so
# that ``councilpack --help`` stays fast; every command sits behind the error boundary.
data_app = typer.Typer(help="Build, check and fetch the official open data.", no_args_is_help=True)


def _console() -> Console:
    # Created per command so the width follows the terminal (and test runners). Lines
    # are never wrapped: each failure stays one line naming its file, column and row.
    from rich.console import Console

    return Console(soft_wrap=True)


@data_app.command("build")
@boundary
def build(
    data_dir: Path = typer.Option(..., "--data-dir", help="Folder of staged raw files."),  # noqa: B008
    store: Path | None = typer.Option(None, "--store", help="Store folder to write."),  # noqa: B008
) -> None:
    """Build the tidy store from the raw files (default: the cache folder)."""
    from councilpack.data.checks import DataCheckError
    from councilpack.data.store import build_store, open_open_data, read_build_info

    console = _console()
    try:
        if store is None:
            context = open_open_data(data_dir)
            console.print(
                f"store ready: {len(context.metrics):,} rows, {len(context.register)} councils, "
                f"{_excluded_count(len(context.excluded))}"
            )
            return
        build_store(data_dir, store)
    except DataCheckError as error:
        for failure in error.failures:
            console.print(failure.line(), markup=False, highlight=False)
        raise typer.Exit(1) from None
    info = read_build_info(store)
    console.print(
        f"built {store.name}: {info['rows']:,} rows in {info['build_seconds']} s, "
        f"{_excluded_count(info['excluded_rows'])} (see excluded.parquet)"
    )


def _excluded_count(count: int) -> str:
    values = "value" if count == 1 else "values"
    return f"{count} implausible {values} left out"


@data_app.command("check")
@boundary
def check(
    data_dir: Path = typer.Option(..., "--data-dir", help="Folder of staged raw files."),  # noqa: B008
) -> None:
    """Run every loader check and print each failure with its file and row."""
    from councilpack.data.checks import DataCheckError
    from councilpack.data.store import load_all

    console = _console()
    try:
        loaded = load_all(data_dir)
    except DataCheckError as error:
        for failure in error.failures:
            console.print(failure.line(), markup=False, highlight=False)
        console.print(f"{len(error.failures)} check(s) failed", style="bold red")
        raise typer.Exit(1) from None
    excluded = loaded.excluded
    console.print("all checks passed", style="green")
    for source, years in loaded.coverage.items():
        if any(isinstance(n, list) for n in years.values()):
            # Lines of text per year (the CTR tables' reconciliation): one per line.
            console.print(f"  {source}:")
            for lines in years.values():
                for line in lines:
                    console.print(f"    {line}", markup=False, highlight=False)
            continue
        console.print(f"  {source}: " + ", ".join(f"{y} {n}" for y, n in years.items()))
    console.print(f"{_excluded_count(len(excluded))} (outside the catalogue's plausible range):")
    for row in excluded.itertuples(index=False):
        console.print(
            f"  {row.gss_code} {row.metric} {row.period}: {row.reason} ({row.source_file})",
            markup=False,
            highlight=False,
        )


@data_app.command("fetch")
@boundary
def fetch(
    cache: Path | None = typer.Option(None, "--cache", help="Download folder."),  # noqa: B008
    base_url: str | None = typer.Option(None, "--base-url", help="Mirror instead of origin URLs."),
) -> None:
    """Download the official files and verify their SHA-256."""
    from councilpack.data.fetch import fetch_all

    console = _console()
    for result in fetch_all(cache, base_url):
        console.print(f"{result.status:8} {result.relative}  {result.detail}", markup=False)


def councils(
    query: str = typer.Argument("", help="Name fragment or GSS code; empty lists all."),
    council_type: str = typer.Option("", "--type", help="mySociety type, e.g. 'London borough'."),
    region: str = typer.Option("", "--region", help="Region, e.g. 'North West'."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help="Raw files or a built store."),  # noqa: B008
) -> None:
    """List or search councils with their type, region and comparator groups."""
    from rich.table import Table

    from councilpack.data.store import open_open_data, open_store

    console = _console()
    folder = data_dir or data_dir_from_env()
    if folder is None:
        raise ParameterError(
            "no open data: give --data-dir or set COUNCILPACK_DATA_DIR to the folder of staged "
            "open data (see data/README.md)"
        )
    if not folder.is_dir():
        raise ParameterError(f"--data-dir {str(folder)!r}: no such folder")
    context = open_store(folder) if (folder / "build.json").is_file() else open_open_data(folder)
    table = context.register.table
    if query:
        code = context.register.current_code(query)
        mask = (
            table["gss_code"].eq(code)
            if code
            else table["name"].str.contains(query, case=False, regex=False)
        )
        table = table[mask]
    if council_type:
        table = table[table["council_type"].str.lower() == council_type.lower()]
    if region:
        table = table[table["region"].str.lower() == region.lower()]
    out = Table("GSS code", "Name", "Type", "Region", "Comparator groups")
    for code in table["gss_code"].astype(str):
        council = context.register.get(code)
        groups = "; ".join(f"{g.label} ({len(g.members)})" for g in context.groups_for(code))
        out.add_row(code, council.name, council.council_type, council.region, groups)
    console.print(out)
    if table.empty:
        raise typer.Exit(1)
