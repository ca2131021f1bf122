"""Register resolution, comparator groups, the data CLI and fetch via a loopback server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from councilpack.data.cli import councils, data_app
from councilpack.data.fetch import fetch_all, load_registry
from councilpack.data.loaders.mysociety import load_geography
from councilpack.data.model import DataContext

WIDE = {"COLUMNS": "300"}


def test_former_codes_resolve_to_successor(open_data_dir: Path) -> None:
    geography = load_geography(open_data_dir)
    register = geography.register
    assert register.resolve("E07000004").gss_code == "E06000060"  # Aylesbury Vale -> Bucks
    assert register.resolve("E07000190").gss_code == "E06000066"  # Taunton Deane -> Somerset
    assert register.resolve("E08000020").gss_code == "E08000037"  # Gateshead renumbered
    assert register.current_code("E10000006") is None  # Cumbria split: no single successor
    assert geography.successors_of("E10000006") == ("E06000063", "E06000064")
    assert geography.predecessors_active_in("E06000065", "2017-18")[-1] == "E10000023"


def test_every_council_has_groups(context: DataContext) -> None:
    for council in context.register:
        kinds = [g.kind for g in context.groups_for(council.gss_code)]
        assert {"tier", "type", "region", "open_nn"} <= set(kinds)
        open_nn = next(g for g in context.groups_for(council.gss_code) if g.kind == "open_nn")
        assert open_nn.members[0] == council.gss_code
        assert (
            len(open_nn.others(council.gss_code)) == 15
            or council.council_type == "City corporation"
            or (
                len(open_nn.members)
                == len(
                    next(
                        g for g in context.groups_for(council.gss_code) if g.kind == "tier"
                    ).members
                )
            )
        )


def test_groups_are_same_tier_and_deduplicated(context: DataContext) -> None:
    types = dict(
        zip(context.register.table["gss_code"], context.register.table["council_type"], strict=True)
    )
    knowsley = {g.kind: g for g in context.groups_for("E08000011")}
    assert knowsley["type"].label == "All English metropolitan districts"
    assert len(knowsley["type"].members) == 36
    assert all(types[m] == "Metropolitan district" for m in knowsley["type"].members)
    for group in knowsley.values():
        assert len(set(group.members)) == len(group.members)
        assert group.definition
        assert group.vintage
    assert (
        "model and vintage undocumented; codes mapped to 2023 geography"
        in knowsley["oflog_nn"].definition
    )
    # Folkestone and Hythe's published list is duplicated; ours is not.
    folkestone = {g.kind: g for g in context.groups_for("E07000112")}["oflog_nn"]
    assert len(folkestone.members) == len(set(folkestone.members)) <= 17
    assert all(m in types for m in folkestone.members)


def test_cli_councils_and_check(built_store: Path) -> None:
    import typer

    app = typer.Typer()
    app.add_typer(data_app, name="data")
    app.command("councils")(councils)
    runner = CliRunner()
    result = runner.invoke(app, ["councils", "Knowsley", "--data-dir", str(built_store)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "E08000011" in result.output
    assert "Metropolitan district" in result.output
    result = runner.invoke(
        app,
        [
            "councils",
            "--region",
            "North East",
            "--type",
            "Unitary authority",
            "--data-dir",
            str(built_store),
        ],
        env=WIDE,
    )
    assert result.exit_code == 0
    assert "Hartlepool" in result.output


def test_cli_check_reports_failures(tmp_path: Path) -> None:
    (tmp_path / "mysociety_la_codes").mkdir()
    (tmp_path / "mysociety_la_codes" / "uk_local_authorities.csv").write_text(
        "local-authority-code,nice-name\nAAA,Somewhere\n"
    )
    result = CliRunner().invoke(data_app, ["check", "--data-dir", str(tmp_path)], env=WIDE)
    assert result.exit_code == 1
    assert "uk_local_authorities.csv: column 'gss-code': column is missing" in result.output


def test_cli_check_prints_each_failure_on_one_line_however_narrow(tmp_path: Path) -> None:
    (tmp_path / "mysociety_la_codes").mkdir()
    (tmp_path / "mysociety_la_codes" / "uk_local_authorities.csv").write_text(
        "local-authority-code,nice-name\nAAA,Somewhere\n"
    )
    narrow = {"COLUMNS": "40"}
    result = CliRunner().invoke(data_app, ["check", "--data-dir", str(tmp_path)], env=narrow)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "uk_local_authorities.csv: column 'gss-code': column is missing" in lines


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a random port; yield its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def loopback(open_data_dir: Path, tmp_path: Path) -> Iterator[str]:
    """Serve a temporary copy of the staged files on 127.0.0.1 at a random port."""
    served = tmp_path / "served"
    for relative in load_registry():
        (served / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(open_data_dir / relative, served / relative)
    with _serve(served) as url:
        yield url


def test_fetch_from_loopback_verifies_hashes(loopback: str, tmp_path: Path) -> None:
    results = fetch_all(tmp_path / "cache", base_url=loopback)
    assert all(r.status == "fetched" for r in results)
    assert (tmp_path / "cache" / "ons_mye" / "mye2023_lad_single_year_of_age_england.csv").is_file()
    result = CliRunner().invoke(
        data_app, ["fetch", "--cache", str(tmp_path / "c2"), "--base-url", loopback]
    )
    assert result.exit_code == 0, result.output


def test_fetch_rejects_wrong_bytes(loopback: str, tmp_path: Path, open_data_dir: Path) -> None:
    registry = load_registry()
    first = next(iter(registry))
    bad = tmp_path / "bad"
    (bad / first).parent.mkdir(parents=True)
    (bad / first).write_text("not the file\n")
    with _serve(bad) as url, pytest.raises(ValueError, match="SHA256 hash"):
        fetch_all(tmp_path / "cache", base_url=url)
