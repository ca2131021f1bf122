"""The import rules of ARCHITECTURE.md, checked with the AST.

Module-level imports follow the layer table; imports inside functions are only
the deliberate deferrals ARCHITECTURE.md lists (:data:`DEFERRED`); the data layer
imports neither the demo nor an analysis anywhere, not even inside a function.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "lib"
PACKAGE = LIB / "councilpack"

FOUNDATION = {
    "councilpack",
    "councilpack.errors",
    "councilpack.files",
    "councilpack.paths",
    "councilpack.atomic",
    "councilpack.settings",
    "councilpack.provenance",
    "councilpack.wording",
    "councilpack.catalogue",
    "councilpack.devtools",
    "councilpack.markup",
    "councilpack.vocabulary",
}
CLI = {"councilpack.cli", "councilpack.boundary", "councilpack.data.cli", "councilpack.__main__"}
ORCHESTRATION = {
    "councilpack.reports",
    "councilpack.session",
    "councilpack.runner",
    "councilpack.engine",
    "councilpack.executors",
    "councilpack.export",
    "councilpack.htmlfinish",
    "councilpack.batch",
    "councilpack.manifest",
    "councilpack.progress",
    "councilpack.workers",
    "councilpack.warmkernel",
    "councilpack.pack",
    "councilpack.pdf",
    "councilpack.status",
}
#: The briefing draws on every analysis: it composes, so it sits with orchestration.
COMPOSITIONS = ("councilpack.briefing",)
ANALYSES = (
    "councilpack.finance",
    "councilpack.residents",
    "councilpack.workforce",
    "councilpack.outcomes",
    "councilpack.explore",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(LIB).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level_imports(path: Path) -> set[str]:
    """Return the modules imported at module level (``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            # ``from councilpack import batch`` imports councilpack.batch
            if node.module == "councilpack":
                found.update(
                    f"councilpack.{alias.name}"
                    for alias in node.names
                    if (PACKAGE / f"{alias.name}.py").is_file() or (PACKAGE / alias.name).is_dir()
                )
        elif isinstance(node, ast.Try):
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found.add(inner.module)
    return found


MODULES = {_module_name(path): _top_level_imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    if module in CLI:
        return "cli"
    if module in ORCHESTRATION or module.startswith(COMPOSITIONS):
        return "orchestration"
    if module in FOUNDATION:
        return "foundation"
    if module.startswith(ANALYSES):
        return "analysis"
    if module.startswith("councilpack.demo"):
        return "demo"
    if module.startswith("councilpack.data"):
        return "data"
    if module.startswith("councilpack.surveys"):
        return "surveys"
    if module.startswith(("councilpack.figures", "councilpack.charts", "councilpack.reporting")):
        return "presentation"
    raise AssertionError(f"{module} is in no layer of ARCHITECTURE.md; add it there and here")


ALLOWED: dict[str, set[str]] = {
    "foundation": {"foundation"},
    "data": {"foundation", "data"},
    "surveys": {"foundation", "surveys"},
    "presentation": {"foundation", "presentation"},
    "analysis": {"foundation", "data", "surveys", "presentation", "analysis"},
    "demo": {"foundation", "data", "surveys", "presentation", "demo"},
    "orchestration": {
        "foundation",
        "data",
        "surveys",
        "presentation",
        "analysis",
        "demo",
        "orchestration",
    },
}


#: Analyses that build on another's machinery: outcomes positions a council with
#: finance's indicator and position code. Residents and workforce stand alone.
BUILDS_ON: dict[str, set[str]] = {"councilpack.outcomes": {"councilpack.finance"}}

#: Module-level crossings ARCHITECTURE.md names: the package root registers the
#: demo as a data provider; the demo's survey files are drawn by the residents
#: and workforce synthetic generators.
EXCEPTIONS: dict[str, set[str]] = {
    "councilpack": {"councilpack.demo"},
    "councilpack.demo.files": {
        "councilpack.residents.analysis",
        "councilpack.residents.margins",
        "councilpack.residents.synthetic",
        "councilpack.workforce.hr",
        "councilpack.workforce.synthetic",
    },
}

#: Every import inside a function in lib/ (module -> modules it imports there):
#: the deliberate deferrals ARCHITECTURE.md lists. A new one fails this test until
#: it is either moved to the top of its module or listed in both places.
DEFERRED: dict[str, set[str]] = {
    # CLI speed: ``councilpack --help`` imports no pandas, rich tables or batch machinery.
    "councilpack.cli": {
        "rich.console",
        "councilpack.batch",
        "councilpack.progress",
        "councilpack.pack",
        "councilpack.reports",
    },
    "councilpack.boundary": {"rich.console", "rich.text"},
    "councilpack.data.cli": {
        "rich.console",
        "rich.table",
        "councilpack.data.checks",
        "councilpack.data.store",
        "councilpack.data.fetch",
    },
    "councilpack.data": {"councilpack.data.model", "councilpack.data.store"},
    "councilpack.demo": {"councilpack.demo.generator"},
    # The errors module imports only the standard library.
    "councilpack.errors": {"pydantic"},
    # Batch worker processes import wording (through figures) and must not load pandas.
    "councilpack.wording": {"pandas"},
    # IPython only where a report is displayed in a kernel.
    "councilpack.charts.core": {"IPython.display"},
    "councilpack.figures": {"IPython.display"},
    "councilpack.markup": {"IPython.display"},
    "councilpack.finance.report": {"IPython.display"},
    "councilpack.outcomes.report": {"IPython.display"},
    "councilpack.residents.report": {"IPython.display"},
    "councilpack.workforce.report": {"IPython.display"},
    # Optional or heavy dependencies, loaded only when used.
    "councilpack.export": {"altair", "vl_convert"},
    "councilpack.pdf": {"playwright.sync_api"},
    "councilpack.pack": {"councilpack.briefing.excel", "councilpack.pdf"},
    "councilpack.batch": {"councilpack.executors"},
    # Unix only (Windows has no fcntl).
    "councilpack.manifest": {"fcntl"},
    # Survey generators only when a demo survey is read (never for finance).
    "councilpack.session": {"councilpack.demo.files"},
    # Batch worker processes import warmkernel (through engine) and must not load pyarrow.
    "councilpack.warmkernel": {"pyarrow"},
}


def _own_package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        _layer(module)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) != "cli"))
def test_module_imports_only_what_its_layer_may(module: str) -> None:
    layer = _layer(module)
    bad = []
    for imported in MODULES[module]:
        if not imported.startswith("councilpack"):
            continue
        target = _layer(imported)
        if imported in EXCEPTIONS.get(module, set()):
            continue
        if target not in ALLOWED[layer]:
            # An analysis's report.py glue may open a ReportSession.
            if (
                layer == "analysis"
                and module.endswith(".report")
                and imported == "councilpack.session"
            ):
                continue
            bad.append(f"{imported} ({target})")
        elif (
            layer == "analysis"
            and target == "analysis"
            and _own_package(imported) != _own_package(module)
            and _own_package(imported) not in BUILDS_ON.get(_own_package(module), set())
        ):
            bad.append(f"{imported} (another analysis)")
    assert not bad, f"{module} ({layer}) imports {', '.join(sorted(bad))}"


def test_errors_module_imports_only_the_standard_library() -> None:
    imported = {name.split(".")[0] for name in MODULES["councilpack.errors"]}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


@pytest.mark.parametrize("module", sorted(CLI & set(MODULES)))
def test_command_line_modules_import_nothing_heavy(module: str) -> None:
    heavy = {"pandas", "numpy", "altair", "papermill", "pyarrow", "pandera", "pydantic", "scipy"}
    light_councilpack = {
        "councilpack",
        "councilpack.boundary",
        "councilpack.cli",
        "councilpack.data.cli",
        "councilpack.errors",
        "councilpack.settings",
    }
    imported = MODULES[module]
    assert not {name.split(".")[0] for name in imported} & heavy
    assert {name for name in imported if name.startswith("councilpack")} <= light_councilpack


def _imports_anywhere(path: Path) -> set[str]:
    """Return every module imported anywhere in a file (functions included) and named in strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("councilpack.")
            and " " not in node.value
        ):
            found.add(node.value)  # importlib.import_module("councilpack...") and the like
    return found


PACKAGES = (".data", ".demo", ".finance", ".residents", ".workforce", ".outcomes")


def _in_function_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found.update(alias.name for alias in inner.names)
                elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                    # ``from councilpack.finance import report`` imports councilpack.finance.report
                    if inner.module == "councilpack" or inner.module.endswith(PACKAGES):
                        found.update(f"{inner.module}.{alias.name}" for alias in inner.names)
                    else:
                        found.add(inner.module)
    return found


DATA_FILES = sorted(
    path
    for path in (PACKAGE / "data").rglob("*.py")
    if _module_name(path) != "councilpack.data.cli"
)


@pytest.mark.parametrize("path", DATA_FILES, ids=_module_name)
def test_data_layer_never_imports_the_demo_or_an_analysis(path: Path) -> None:
    forbidden = ("councilpack.demo", *ANALYSES, *sorted(ORCHESTRATION), *COMPOSITIONS)
    bad = sorted(
        name
        for name in _imports_anywhere(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )
    assert not bad, f"{_module_name(path)} imports {', '.join(bad)} (even inside a function)"


def test_the_architecture_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from councilpack.demo import demo_context\n"
        "    importlib.import_module('councilpack.finance.analysis')\n",
        encoding="utf-8",
    )
    assert {"councilpack.demo", "councilpack.finance.analysis"} <= _imports_anywhere(sample)
    assert "councilpack.demo.demo_context" in _in_function_imports(sample)


def test_in_function_imports_are_only_the_listed_deferrals() -> None:
    found = {
        _module_name(path): _in_function_imports(path) for path in sorted(PACKAGE.rglob("*.py"))
    }
    found = {module: names for module, names in found.items() if names}
    unlisted = {
        module: sorted(names - DEFERRED.get(module, set()))
        for module, names in found.items()
        if names - DEFERRED.get(module, set())
    }
    assert not unlisted, f"imports inside functions not listed in ARCHITECTURE.md: {unlisted}"
    stale = {
        module: sorted(names - found.get(module, set()))
        for module, names in DEFERRED.items()
        if names - found.get(module, set())
    }
    assert not stale, f"listed deferrals no longer in the code (remove them): {stale}"
