"""benchmarks/same_outputs.py: what it compares, what it normalises, and nothing more."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "same_outputs.py"


@pytest.fixture(scope="module")
def same() -> ModuleType:
    spec = importlib.util.spec_from_file_location("same_outputs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["same_outputs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _side(same: ModuleType, folder: Path, revision: str, files: dict[str, str]) -> object:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return same.Side(folder.name, "REV", folder, revision, revision * 3, [])


def _manifest(status: str, seconds: float, at: str, key: str) -> str:
    record = {
        "council": "X00000001",
        "report": "finance",
        "status": status,
        "seconds": seconds,
        "at": at,
        "build": {"key": key},
        "files": {"x.html": key},
        "git_revision": key,
    }
    return json.dumps({"reports": [record], "updated": at, "runs": [{"pid": 1}]})


def test_same_files_pass_and_each_difference_is_listed(
    same: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    footer = "<p>revision <code>{}</code></p>\n"
    base = _side(
        same,
        tmp_path / "base",
        "aaaa1111",
        {
            "demo/X1/finance.html": "<h1>A</h1>\n" + footer.format("aaaa1111"),
            "demo/X1/finance.json": '{"value": 1.5}\n',
            "demo/manifest.json": _manifest("ok", 3.2, "2026-12-01T10:00:00Z", "k1"),
            "councils/K/outcomes.json": '{"a": 1}\n',
            "councils/K/finance.json": '{"value": 2}\n',
        },
    )
    head = _side(
        same,
        tmp_path / "head",
        "bbbb2222-dirty",
        {
            # Only the stamped revision differs: the same.
            "demo/X1/finance.html": "<h1>A</h1>\n" + footer.format("bbbb2222-dirty"),
            "demo/X1/finance.json": '{"value": 1.5}\n',
            # Timing, build key, output hashes differ: the same.
            "demo/manifest.json": _manifest("ok", 9.9, "2026-12-02T11:00:00Z", "k2"),
            "councils/K/outcomes.json": '{"a": 2}\n',
            "councils/K/briefing.json": "{}\n",
        },
    )
    assert same.compare(base, head, every_file=True) == 3
    table = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert table["demo/X1/finance.html"].split()[1] == "same"
    assert table["demo/X1/finance.json"].split()[1] == "same"
    assert table["demo/manifest.json"].split()[1] == "same"
    assert "line 1 col 7" in table["councils/K/outcomes.json"]
    assert table["councils/K/finance.json"].endswith("only in base")
    assert table["councils/K/briefing.json"].endswith("only in head")
    assert same.compare(base, head) == 3
    short = capsys.readouterr().out
    counts = {line.split()[0]: line.split()[-2] for line in short.splitlines() if "**" in line}
    assert counts == {"demo/**/*.html": "(1", "demo/**/*.json": "(2"}  # a sidecar, a manifest
    assert "demo/X1/finance.html" not in short


def test_a_changed_status_in_the_manifest_is_a_difference(same: ModuleType, tmp_path: Path) -> None:
    base = _side(same, tmp_path / "base", "r1", {"demo/manifest.json": _manifest("ok", 1, "", "")})
    head = _side(
        same, tmp_path / "head", "r1", {"demo/manifest.json": _manifest("failed", 1, "", "")}
    )
    assert same.compare(base, head) == 1


def _sidecar(key: str, library: str, data: str) -> str:
    build = {"data": data, "key": key, "library": library, "notebook": "n" + key, "version": "1"}
    return json.dumps({"build": build, "figures": [{"value": 2.5}]}, indent=2) + "\n"


def test_build_hashes_of_the_code_are_normalised_and_the_data_hash_is_not(
    same: ModuleType, tmp_path: Path
) -> None:
    base = _side(same, tmp_path / "base", "r1", {"demo/a.json": _sidecar("k1", "l1", "d1")})
    head = _side(same, tmp_path / "head", "r2", {"demo/a.json": _sidecar("k2", "l2", "d1")})
    assert same.compare(base, head) == 0
    other = _side(same, tmp_path / "other", "r3", {"demo/a.json": _sidecar("k3", "l3", "d2")})
    assert same.compare(base, other) == 1


def test_first_difference_names_line_and_column(same: ModuleType) -> None:
    assert same.first_difference(b"a\nbcd\n", b"a\nbXd\n").startswith("line 2 col 2: ")
    assert same.first_difference(b"a\n", b"a\nb\n") == "line 2: one side ends (lines 1 vs 2)"


def test_an_intended_build_field_is_left_out_and_nothing_else(
    same: ModuleType, tmp_path: Path
) -> None:
    def sidecar(build: dict[str, str], value: float) -> str:
        return json.dumps({"build": build, "value": value}, indent=4) + "\n"

    old = {"data": "d1", "version": "1"}
    new = {"bundle": "inline", "data": "d1", "version": "1"}
    name = "demo/X00000001-aldermoor/finance.json"
    base = _side(same, tmp_path / "base", "aaaa", {name: sidecar(old, 1.5)})
    head = _side(same, tmp_path / "head", "bbbb", {name: sidecar(new, 1.5)})
    assert same.compare(base, head) == 1
    assert same.compare(base, head, intended=("build.bundle",)) == 0
    changed = _side(same, tmp_path / "changed", "cccc", {name: sidecar(new, 2.5)})
    # Leaving the bundle line out does not hide a change elsewhere in the file.
    assert same.compare(base, changed, intended=("build.bundle",)) == 1
