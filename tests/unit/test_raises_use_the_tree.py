"""Every error the library raises on purpose is from the ``councilpack.errors`` tree.

Read from the source (an AST scan of ``lib/councilpack``), so a new
``raise ValueError(...)`` or a new exception class outside the tree fails here
with its module, function and line. The exceptions that stay outside are listed
below, each with its reason: pydantic validators (pydantic's protocol, turned
into one line by ``errors.validation_message``), Python protocols, internal
invariants a user cannot reach, and signals the library raises and catches
itself.
"""

from __future__ import annotations

import ast
import builtins
import importlib
from pathlib import Path

import councilpack
from councilpack.errors import CouncilpackError

PACKAGE = Path(councilpack.__file__).parent

#: Decorators whose functions raise ``ValueError`` for pydantic to collect.
VALIDATORS = {"field_validator", "model_validator"}

#: (module, function) -> why it may raise a built-in exception.
ALLOWED_BUILTIN_RAISES: dict[tuple[str, str], str] = {
    ("councilpack.surveys.codebook", "_canonical_list"): "called only from pydantic validators",
    ("councilpack.data", "__getattr__"): "the module attribute protocol (AttributeError)",
    ("councilpack.demo", "__getattr__"): "the module attribute protocol (AttributeError)",
    ("councilpack.devtools", "<module>"): "SystemExit of a script",
    ("councilpack.htmlfinish", "<module>"): "ImportError at import: bs4 without html.parser",
    ("councilpack.engine", "run"): (
        "RuntimeError: a warm kernel's reset or warm-up failed; the engine replaces the "
        "kernel, or the runner records the report as failed"
    ),
    ("councilpack.data.store.loading", "_count"): "TypeError: internal invariant (coverage)",
    ("councilpack.data.checks", "_whole"): "TypeError: internal invariant (row numbers)",
    ("councilpack.demo.files", "_write_residents"): "TypeError: internal invariant (generator)",
    ("councilpack.charts.specs", "_column_values"): "TypeError: internal invariant (fast path)",
    ("councilpack.data.loaders.mhclg_ctr", "load_council_tax_levels"): (
        "TypeError: internal invariant (an inconsistent Band D was found from both numbers)"
    ),
}

#: Exception classes defined outside the tree: signals raised and caught inside the library.
INTERNAL_SIGNALS: dict[str, str] = {
    "KernelStartError": "engine; runner records it in the manifest (stage kernel)",
    "CellTimeout": "engine; runner records it in the manifest (stage timeout)",
    "NotSupplied": "briefing providers; the briefing lists the analysis as not covered",
    "OutputFolderBusy": "manifest; batch.run re-raises it as BatchError",
    "ManifestError": "manifest; batch.run re-raises it as BatchError",
    "_Unsupported": "htmlfinish; falls back to nbconvert's own exporter",
    "_SearchTooLarge": "workforce.disclosure; falls back to the greedy search",
}

BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def _raised_name(node: ast.Raise) -> str:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if isinstance(exc, ast.Name):
        return exc.id
    if isinstance(exc, ast.Attribute):
        return exc.attr
    return ""


def _builtin_raises(path: Path) -> list[tuple[str, str, int, str]]:
    """Return (module, function, line, exception) of each built-in exception raised."""
    module = _module_name(path)
    found: list[tuple[str, str, int, str]] = []

    def visit(node: ast.AST, function: str, in_validator: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name, in_validator or bool(_decorator_names(child) & VALIDATORS))
                continue
            if isinstance(child, ast.Raise) and child.exc is not None and not in_validator:
                name = _raised_name(child)
                if name in BUILTIN_EXCEPTIONS and name != "NotImplementedError":
                    found.append((module, function, child.lineno, name))
            visit(child, function, in_validator)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>", False)
    return found


def test_no_builtin_exception_is_raised_outside_the_listed_places() -> None:
    found = [r for path in sorted(PACKAGE.rglob("*.py")) for r in _builtin_raises(path)]
    unlisted = [
        f"{module}.{function} line {line}: raise {name}"
        for module, function, line, name in found
        if (module, function) not in ALLOWED_BUILTIN_RAISES
    ]
    assert unlisted == [], "raise an error from councilpack.errors (or list it here, with why)"
    used = {(module, function) for module, function, _, _ in found}
    assert sorted(set(ALLOWED_BUILTIN_RAISES) - used) == []  # no stale entry


def test_exception_classes_sit_in_the_tree_or_are_internal_signals() -> None:
    outside: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":  # importing it runs the command line
            continue
        module = importlib.import_module(_module_name(path))
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not issubclass(value, CouncilpackError)
            ):
                outside[name] = module.__name__
    assert sorted(outside) == sorted(INTERNAL_SIGNALS)
