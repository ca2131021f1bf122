"""Do two git revisions build the same reports? HTML and JSON sidecars compared byte for byte.

Usage::

    python benchmarks/same_outputs.py [--base REV] [--head REV] [--jobs 2]
        [--data-dir DIR] [--out DIR] [--base-outputs DIR] [--head-outputs DIR]

For each revision it makes a temporary ``git worktree`` (``--head WORKTREE`` uses
this checkout as it is, uncommitted changes included), and runs that revision's
own code (``PYTHONPATH=<worktree>/lib``, so its notebooks and templates too) with
this interpreter, a cache folder of its own (``COUNCILPACK_CACHE_DIR``: no store or
demo data is shared between revisions) and the same ``SOURCE_DATE_EPOCH``:

1. ``councilpack demo``: the demo pack, every report for the twenty fictional councils;
2. ``councilpack pack`` for five real councils from the open data at ``--data-dir``
   (default ``$COUNCILPACK_DATA_DIR``), every report open data allows (finance,
   outcomes, briefing): Liverpool and Knowsley (metropolitan districts), Kent
   (a county), Cambridge (a district with no 2023-24 revenue outturn) and North
   Yorkshire (a unitary made in 2023 from a county and its districts).

It then compares every ``.html``, ``.json`` and ``.js`` file of the two output
folders byte for byte, and ``figures.xlsx`` by its sheets and cell values, and
prints a table (file, same/different, first differing line). Exit status: 0 when
every file is the same, 1 when any differs or exists on one side only, 2 when a
build command failed.

Normalised (inherently volatile), and only these:

* **git revision**: the ``git describe`` string each revision stamps on its report
  footers, index and sidecars differs between two revisions by construction; each
  side's own string is replaced by ``<git revision>`` before comparing.
* **build key hashes in the sidecars** (``build.key``, ``build.library``,
  ``build.notebook``): SHA-256 of the library source and of the notebook, so any
  change to the code changes them; each value is replaced by ``<build.FIELD>``
  (the data hash, parameters, paths and package version in ``build`` are compared).
* **manifest.json / manifest.jsonl** are compared as JSON without their timing and
  run fields (``at``, ``started``, ``finished``, ``updated``, ``seconds``, ``run``,
  ``runs``, ``pid``, ``attempts``: kernel start retries under load), the build key
  (``key``, ``build``: as above), and the SHA-256 values of output files
  (``files``, ``staged``: the files themselves are compared here).
* **figures.xlsx** is compared by sheet names and cell values (its zip holds write times).

The build date is not normalised: both sides run with the same ``SOURCE_DATE_EPOCH``.

``--intended build.FIELD`` (repeatable) names a scalar field of a sidecar's ``build``
block that a change adds or alters on purpose (for example ``build.bundle``, which
records whether the chart bundle is shared): that one line is left out of both
sides, the output says so, and everything else in the file is still compared byte
for byte.

``--out DIR`` keeps the outputs (``DIR/base``, ``DIR/head``); ``--base-outputs DIR``
reuses a base side kept by an earlier run (``DIR`` is that run's ``DIR/base``), so a
final comparison need not rebuild the base. Runs in a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: The commit before the issue 15 refactors: the default revision to compare against.
DEFAULT_BASE = "ec41d87"
#: This checkout as it is, uncommitted changes included.
WORKTREE = "WORKTREE"
#: Real councils, one of each kind that matters (see the module docstring).
COUNCILS = ("Liverpool", "Knowsley", "Kent", "Cambridge", "North Yorkshire")
#: Fixed build date (1 December 2026) for both sides: the report pages print the day.
SOURCE_DATE_EPOCH = "1796083200"
#: Written into each side's output folder by the build, read back by the comparison.
REVISION_FILE = "revision.json"
GIT_REVISION_PLACEHOLDER = "<git revision>"
#: Manifest keys left out of the comparison (timing, run identity, build keys, output hashes).
MANIFEST_VOLATILE = (
    "key",
    "at",
    "started",
    "finished",
    "updated",
    "seconds",
    "run",
    "runs",
    "pid",
    "attempts",
    "build",
    "files",
    "staged",
    "git_revision",
)
#: Sidecar ``build`` fields that hash the code (the library source, the notebook).
BUILD_HASHES = ("key", "library", "notebook")
COMPARED_SUFFIXES = (".html", ".json", ".jsonl", ".js", ".xlsx")


@dataclass
class Side:
    """One revision's built outputs."""

    label: str
    rev: str
    folder: Path
    revision: str  # what its reports stamp as their git revision
    commit: str
    failed: list[str]


def git(*args: str, cwd: Path = REPO) -> str:
    """Run git and return its stripped standard output."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@contextlib.contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """Yield a folder holding ``rev``: a temporary detached worktree, or this checkout."""
    if rev == WORKTREE:
        yield REPO
        return
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    folder = Path(tempfile.mkdtemp(prefix=f"same-outputs-{rev.replace('/', '-')}-"))
    git("worktree", "add", "--detach", "--quiet", str(folder), commit)
    try:
        yield folder
    finally:
        git("worktree", "remove", "--force", str(folder))


def build(rev: str, out: Path, *, label: str, data_dir: str, jobs: int) -> Side:
    """Build the demo pack and the real councils' packs at ``rev`` into ``out``."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    failed = []
    with checkout(rev) as tree:
        commit = git("rev-parse", "HEAD", cwd=tree)
        # The same command provenance.git_revision runs, in the same folder.
        revision = git("describe", "--always", "--dirty", "--abbrev=12", cwd=tree)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("COUNCILPACK_") and key != "PYTHONPATH"
        }
        env.update(
            PYTHONPATH=str(tree / "lib"),
            COUNCILPACK_CACHE_DIR=str(out / "cache"),
            SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        )
        commands = {
            "demo": ["demo", "--out", str(out / "demo"), "--jobs", str(jobs)],
            "councils": [
                "pack",
                *COUNCILS,
                "--data-dir",
                data_dir,
                "--out",
                str(out / "councils"),
                "--jobs",
                str(jobs),
            ],
        }
        for name, arguments in commands.items():
            started = time.perf_counter()
            completed = subprocess.run(
                [sys.executable, "-m", "councilpack", *arguments],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - started
            (out / f"{name}.log").write_text(completed.stdout + completed.stderr)
            status = "ok" if completed.returncode == 0 else f"exit {completed.returncode}"
            print(f"{label} {rev} ({commit[:12]}): {name} {status} in {seconds:.0f} s", flush=True)
            if completed.returncode != 0:
                failed.append(name)
                print(completed.stderr[-2000:], file=sys.stderr)
    shutil.rmtree(out / "cache", ignore_errors=True)
    info = {"rev": rev, "commit": commit, "revision": revision, "failed": failed}
    (out / REVISION_FILE).write_text(json.dumps(info, indent=1) + "\n")
    return Side(label, rev, out, revision, commit, failed)


def load_side(label: str, folder: Path) -> Side:
    """Read a side built earlier (``--base-outputs``)."""
    info = json.loads((folder / REVISION_FILE).read_text())
    return Side(label, info["rev"], folder, info["revision"], info["commit"], info["failed"])


def _drop_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_volatile(v) for k, v in value.items() if k not in MANIFEST_VOLATILE}
    if isinstance(value, list):
        return [_drop_volatile(v) for v in value]
    return value


def manifest_text(path: Path) -> bytes:
    """A manifest without its volatile fields, as sorted JSON lines."""
    text = path.read_text()
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        # The log's order is the order reports finished in, which two workers decide.
        lines = sorted(json.dumps(_drop_volatile(r), sort_keys=True) for r in records)
        return ("\n".join(lines) + "\n").encode()
    return (json.dumps(_drop_volatile(json.loads(text)), indent=1, sort_keys=True) + "\n").encode()


def workbook_text(path: Path) -> bytes:
    """A workbook's sheet names and cell values as text."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title}")
        lines.extend(repr(row) for row in sheet.iter_rows(values_only=True))
    book.close()
    return ("\n".join(lines) + "\n").encode()


def _without_build_field(data: bytes, build: dict[str, Any], name: str) -> bytes:
    """Drop the line ``"name": value`` of a sidecar's build block (a scalar value)."""
    if name not in build or isinstance(build[name], dict | list):
        return data
    line = re.compile(
        rb'\n[ \t]*"'
        + re.escape(name.encode())
        + rb'": '
        + re.escape(json.dumps(build[name]).encode())
        + rb",?(?=\n)"
    )
    return line.sub(b"", data, count=1)


def comparable(path: Path, side: Side, intended: tuple[str, ...] = ()) -> bytes:
    """The bytes compared for one output file (normalised only as the docstring says)."""
    if path.name in ("manifest.json", "manifest.jsonl"):
        return manifest_text(path)
    if path.suffix == ".xlsx":
        return workbook_text(path)
    data = path.read_bytes().replace(side.revision.encode(), GIT_REVISION_PLACEHOLDER.encode())
    if path.suffix == ".json":
        build = json.loads(data).get("build")
        if isinstance(build, dict):
            for name in BUILD_HASHES:
                value = build.get(name)
                if isinstance(value, str) and value:
                    data = data.replace(f'"{value}"'.encode(), f'"<build.{name}>"'.encode())
            for field in intended:
                data = _without_build_field(data, build, field.removeprefix("build."))
    return data


def outputs(side: Side) -> set[str]:
    """Relative paths of the output files compared."""
    found = set()
    for part in ("demo", "councils"):
        root = side.folder / part
        for path in root.rglob("*"):
            if (
                path.is_file()
                and path.suffix in COMPARED_SUFFIXES
                and not path.name.startswith(".")
            ):
                found.add(str(path.relative_to(side.folder)))
    return found


def first_difference(a: bytes, b: bytes) -> str:
    """Describe where two texts first differ: line, column and a short excerpt of each."""
    lines_a = a.decode(errors="replace").splitlines()
    lines_b = b.decode(errors="replace").splitlines()
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=False), start=1):
        if line_a != line_b:
            column = 0
            while column < min(len(line_a), len(line_b)) and line_a[column] == line_b[column]:
                column += 1
            start = max(0, column - 20)
            return (
                f"line {number} col {column + 1}: "
                f"{line_a[start : column + 40]!r} | {line_b[start : column + 40]!r}"
            )
    shorter = min(len(lines_a), len(lines_b))
    return f"line {shorter + 1}: one side ends (lines {len(lines_a)} vs {len(lines_b)})"


def compare(
    base: Side, head: Side, *, every_file: bool = False, intended: tuple[str, ...] = ()
) -> int:
    """Print the table and return the number of files that differ.

    A file that is the same is listed only with ``every_file``; otherwise the
    same files are counted by folder and kind.
    """
    names = sorted(outputs(base) | outputs(head))
    width = max((len(name) for name in names), default=10)
    print()
    for side in (base, head):
        print(f"{side.label} {side.rev}: commit {side.commit[:12]}, stamped {side.revision}")
    print(
        f"normalised: git revision -> {GIT_REVISION_PLACEHOLDER!r}; manifest fields "
        f"{', '.join(MANIFEST_VOLATILE)}; sidecar build.{', build.'.join(BUILD_HASHES)} "
        "-> '<build.FIELD>'; figures.xlsx read as cell values"
    )
    if intended:
        print(f"intended changes left out (sidecar lines): {', '.join(intended)}")
    print()
    print(f"{'file':<{width}}  result     first differing line")
    differ = 0
    same = 0
    same_by_kind: dict[str, int] = {}
    for name in names:
        path_a, path_b = base.folder / name, head.folder / name
        if not path_a.exists() or not path_b.exists():
            differ += 1
            where = "base" if path_a.exists() else "head"
            print(f"{name:<{width}}  different  only in {where}")
            continue
        a, b = comparable(path_a, base, intended), comparable(path_b, head, intended)
        if a == b:
            same += 1
            kind = f"{name.split('/')[0]}/**/*{Path(name).suffix}"
            same_by_kind[kind] = same_by_kind.get(kind, 0) + 1
            if every_file:
                print(f"{name:<{width}}  same")
        else:
            differ += 1
            print(f"{name:<{width}}  different  {first_difference(a, b)}")
    if not every_file:
        for kind, count in sorted(same_by_kind.items()):
            print(f"{kind:<{width}}  same       ({count} files)")
    print()
    print(f"{same} same, {differ} different, of {len(names)} files")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"default {DEFAULT_BASE}")
    parser.add_argument("--head", default="HEAD", help=f"a revision, or {WORKTREE} (this checkout)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--intended",
        action="append",
        default=[],
        metavar="build.FIELD",
        help="a sidecar build field changed on purpose, left out of both sides (repeatable)",
    )
    parser.add_argument("--data-dir", default=os.environ.get("COUNCILPACK_DATA_DIR", ""))
    parser.add_argument("--out", help="keep outputs here (default: a temporary folder, removed)")
    parser.add_argument("--base-outputs", help="reuse the base side an earlier --out kept")
    parser.add_argument("--head-outputs", help="reuse a head side an earlier --out kept")
    parser.add_argument("--all", action="store_true", help="list every file, not only differences")
    args = parser.parse_args()
    if not args.data_dir and not (args.base_outputs and args.head_outputs):
        parser.error("--data-dir (or $COUNCILPACK_DATA_DIR) is needed for the real councils")
    data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else ""

    scratch = None
    if args.out:
        out = Path(args.out).resolve()
    else:
        scratch = tempfile.mkdtemp(prefix="same-outputs-")
        out = Path(scratch)
    try:
        if args.base_outputs:
            base = load_side("base", Path(args.base_outputs).resolve())
        else:
            base = build(args.base, out / "base", label="base", data_dir=data_dir, jobs=args.jobs)
        if args.head_outputs:
            head = load_side("head", Path(args.head_outputs).resolve())
        else:
            head = build(args.head, out / "head", label="head", data_dir=data_dir, jobs=args.jobs)
        bad = [f for f in args.intended if not f.startswith("build.") or f.count(".") != 1]
        if bad:
            parser.error(f"--intended takes build.FIELD, not {bad[0]!r}")
        differ = compare(base, head, every_file=args.all, intended=tuple(args.intended))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    if base.failed or head.failed:
        print(f"build commands failed: base {base.failed or 'none'}, head {head.failed or 'none'}")
        return 2
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
