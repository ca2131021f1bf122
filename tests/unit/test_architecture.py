"""The import rules of ARCHITECTURE.md, checked on module-level imports with the AST."""

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
}
CLI = {"councilpack.cli", "councilpack.boundary", "councilpack.data.cli", "councilpack.__main__"}
ORCHESTRATION = {
    "councilpack.reports",
    "councilpack.session",
    "councilpack.runner",
    "councilpack.engine",
    "councilpack.executors",
    "councilpack.export",
    "councilpack.batch",
    "councilpack.manifest",
    "councilpack.progress",
    "councilpack.workers",
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
