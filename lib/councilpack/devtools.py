"""Repository checks used by the lint session (``python -m councilpack.devtools``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def notebooks_with_outputs(folder: Path) -> list[str]:
    """Return notebooks under ``folder`` that carry outputs or execution counts."""
    offenders = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell.get("cell_type") == "code" and (
                cell.get("outputs") or cell.get("execution_count")
            ):
                offenders.append(str(path))
                break
    return offenders


def notebooks_without_parameters(folder: Path) -> list[str]:
    """Return notebooks that do not have exactly one cell tagged ``parameters``."""
    offenders = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(tagged) != 1:
            offenders.append(f"{path} ({len(tagged)} parameters cells)")
    return offenders


def main(argv: list[str]) -> int:
    """Run a named check; return the exit code."""
    if len(argv) != 2 or argv[0] != "check-notebooks":
        print("usage: python -m councilpack.devtools check-notebooks FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    problems = [f"{p}: has outputs (run nbstripout)" for p in notebooks_with_outputs(folder)]
    problems += [
        f"{p}: needs exactly one 'parameters' cell" for p in notebooks_without_parameters(folder)
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
