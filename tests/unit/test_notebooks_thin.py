"""Every notebook stays thin: a cell calls library functions and shows their results.

Logic in a notebook is out of reach of the unit tests and of mypy, so a loop,
a branch, a function, a comprehension or a sentence written into a cell belongs
in the library (``councilpack.<analysis>.report``), where it is tested. This
reads each committed notebook's code cells as Python and fails naming the
notebook, the cell and what it found.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from councilpack.settings import notebooks_dir

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))

#: Statements and expressions that are logic rather than a call and its display.
LOGIC: dict[type[ast.AST], str] = {
    ast.For: "a for loop",
    ast.While: "a while loop",
    ast.If: "an if statement",
    ast.IfExp: "a conditional expression",
    ast.Try: "a try statement",
    ast.With: "a with statement",
    ast.FunctionDef: "a function definition",
    ast.AsyncFunctionDef: "a function definition",
    ast.ClassDef: "a class definition",
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string (wording belongs in the library)",
}

#: A string constant this long (with a space) is wording, which belongs in the library.
LONGEST_TEXT = 40


def _problems(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    problems = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        where = f"{path.name} cell {number}"
        for node in ast.walk(ast.parse(cell.source)):
            found = LOGIC.get(type(node))
            if found is not None:
                problems.append(f"{where} line {getattr(node, 'lineno', '?')}: {found}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and " " in node.value
                and len(node.value) > LONGEST_TEXT
            ):
                problems.append(f"{where} line {node.lineno}: text {node.value[:30]!r}...")
    return problems


def test_every_notebook_is_read() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {"briefing", "explore", "finance", "outcomes", "residents", "workforce"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_cells_hold_no_logic_or_wording(path: Path) -> None:
    assert _problems(path) == []


def test_the_check_finds_a_loop_a_definition_and_wording(tmp_path: Path) -> None:
    """The check can fail: a notebook with each kind of logic is reported cell by cell."""
    cells = [
        nbformat.v4.new_code_cell("council = 'X'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("for item in items:\n    show(item)"),
        nbformat.v4.new_code_cell("def helper(x):\n    return x"),
        nbformat.v4.new_code_cell("show('The survey was weighted to the ONS age margins.')"),
        nbformat.v4.new_code_cell("show([row for row in rows])"),
        nbformat.v4.new_code_cell("report.show_themes(result)"),
    ]
    path = tmp_path / "made.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert _problems(path) == [
        "made.ipynb cell 1 line 1: a for loop",
        "made.ipynb cell 2 line 1: a function definition",
        "made.ipynb cell 3 line 1: text 'The survey was weighted to the'...",
        "made.ipynb cell 4 line 1: a list comprehension",
    ]
