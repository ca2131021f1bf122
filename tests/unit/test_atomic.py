from __future__ import annotations

from pathlib import Path

import pytest

from councilpack import atomic
from councilpack.atomic import write_text_atomic


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "report.html"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    write_text_atomic(target, "old")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def _fill(content: str) -> object:
    def write(folder: Path) -> None:
        folder.mkdir()
        (folder / "build.json").write_text(content)

    return write


def test_publish_folder_creates_then_keeps_or_replaces(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "store"
    assert atomic.publish_folder(target, _fill("first"), replace=False, marker="build.json")
    assert (target / "build.json").read_text() == "first"
    # Not replacing: the folder already there is kept, the new copy discarded.
    assert not atomic.publish_folder(target, _fill("second"), replace=False, marker="build.json")
    assert (target / "build.json").read_text() == "first"
    assert atomic.publish_folder(target, _fill("third"), replace=True, marker="build.json")
    assert (target / "build.json").read_text() == "third"
    assert sorted(p.name for p in target.parent.iterdir()) == ["store"]  # no temporary left


def test_publish_folder_leaves_nothing_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "store"

    def failing(folder: Path) -> None:
        folder.mkdir()
        (folder / "half.parquet").write_text("half")
        raise RuntimeError("loader failed")

    with pytest.raises(RuntimeError, match="loader failed"):
        atomic.publish_folder(target, failing, replace=False, marker="build.json")
    assert list(tmp_path.iterdir()) == []


def test_publish_folder_uses_the_winner_of_a_race(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store"
    real_rename = atomic.os.rename

    def rival_first(source: Path, destination: Path) -> None:
        # Another process publishes between our existence check and our rename.
        destination.mkdir()
        (destination / "build.json").write_text("rival")
        (destination / "other").write_text("x")  # a non-empty folder: the rename fails
        real_rename(source, destination)

    monkeypatch.setattr(atomic.os, "rename", rival_first)
    assert not atomic.publish_folder(target, _fill("mine"), replace=False, marker="build.json")
    assert (target / "build.json").read_text() == "rival"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
