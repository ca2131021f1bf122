"""What runs inside a warm kernel: the warm-up, the reset between reports, the memory check.

:class:`councilpack.engine.WarmEngine` calls these through the kernel; notebooks
never do. This module imports no more than the kernel needs anyway (the data layer's
entry point and the report list), so that warming a kernel does not also load
the engine's own machinery (papermill, nbclient, the Jupyter client: about 20 MB
the kernel never uses).
"""

from __future__ import annotations

import ast
import ctypes
import gc
import importlib
import json
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from councilpack import data
from councilpack.reports import REPORTS

#: What a warm kernel restores before each report (set by :func:`warm_up_kernel`).
_baseline: dict[str, Any] = {}

#: Optional imports of our dependencies that no report uses, left out to save
#: memory: pyarrow (and numpy), about 50 MB, which papermill imports only to offer
#: hdfs:// paths (a batch worker has no other use for them), and rfc3987_syntax,
#: about 25 MB and seconds of start-up (it builds a parser), which jsonschema
#: imports only to check the "iri" formats that neither the Vega-Lite nor the
#: notebook schema uses.
UNUSED_OPTIONAL = {"papermill": ("pyarrow",), "jsonschema": ("rfc3987_syntax",)}


@contextmanager
def without(*modules: str) -> Iterator[None]:
    """Within the block, importing any of ``modules`` fails with ImportError.

    For importing a library whose optional import we do not want (see
    :data:`UNUSED_OPTIONAL`); a module already imported is left alone. After
    the block the modules can be imported again.
    """
    blocked = [name for name in modules if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # the import system's "absent"
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def notebook_imports(path: Path) -> list[str]:
    """Return the modules a notebook's code cells import (top-level statements, in order).

    ``from package import name`` yields ``package.name`` too, since ``name`` may be
    a submodule (``from councilpack.finance import charts``).
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    modules: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
        except SyntaxError:
            continue  # IPython magics: not Python, and nothing to import ahead of time
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
                modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return list(dict.fromkeys(modules))


def warm_up_kernel(data_dirs: list[str], reports: list[str]) -> None:
    """Inside a kernel: import what the reports import, keep their data open.

    It also notes what :func:`reset_kernel` restores before each report.
    """
    with without(*UNUSED_OPTIONAL["jsonschema"]):
        importlib.import_module("jsonschema")  # Altair's validator
    for name in reports or REPORTS:
        for module in notebook_imports(REPORTS[name].path):
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as error:
                # ``from package import function``: package.function is not a module.
                if error.name != module:
                    raise
    use_system_allocator()
    data.keep_open(True)
    for data_dir in data_dirs:
        data.open_data(data_dir)
    _baseline.update(cwd=os.getcwd(), filters=list(warnings.filters))
    release_memory()
    # What the warm-up made lives as long as the kernel: out of the cyclic collector's
    # sight, a collection (every reset, and Python's own) walks only a report's objects
    # (about 0.16 CPU-s a collection otherwise, twice per report).
    gc.freeze()


def use_system_allocator() -> None:
    """Inside a kernel: Arrow takes its memory from the C library's heap from now on.

    Arrow's own allocator (mimalloc) keeps pages it has freed: opening the England
    store left about 20 MB more resident with it than with the C library's heap,
    which :func:`release_memory` trims after every report. Only where a kernel
    is warmed; allocation speed barely matters there (reports read the store).
    """
    # Deferred: the worker process imports this module and no pyarrow (about 50 MB).
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def reset_kernel(shell: Any) -> None:
    """Inside a warm kernel: a fresh namespace, the start folder and warning filters back.

    Imported modules, the opened data and library caches stay (reports only read
    them; the isolation test checks that a report built after another one is
    byte-identical to the same report built on a fresh kernel). Memory the last
    report freed goes back to the system (:func:`release_memory`).
    """
    shell.run_line_magic("reset", "-f")
    os.chdir(_baseline["cwd"])
    # typeshed calls warnings.filters a Sequence; it is a list, changed in place here.
    warnings.filters[:] = _baseline["filters"]  # type: ignore[index]
    # A warning shown in one report shows again in the next (per-module registries).
    warnings._filters_mutated()  # type: ignore[attr-defined]
    release_memory()


def release_memory() -> None:
    """Collect garbage and hand freed memory back to the system.

    Python's collector first; then Arrow's memory pool (pandas keeps string
    columns in Arrow buffers) and the C library's heap keep pages they have
    freed for reuse, which a long-lived kernel would otherwise hold at its
    largest report's size.
    """
    gc.collect()
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; musl has none
        if trim is not None:
            trim(0)


__all__ = [
    "UNUSED_OPTIONAL",
    "notebook_imports",
    "release_memory",
    "reset_kernel",
    "use_system_allocator",
    "warm_up_kernel",
    "without",
]
