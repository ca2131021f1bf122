"""Shared fixtures.

Open data: tests that need the staged official files take the ``open_data_dir``
fixture. It reads ``$COUNCILPACK_DATA_DIR`` (or ``../shared/data/raw`` beside the
checkout) and skips with a visible reason when the folder is absent, unless
``COUNCILPACK_REQUIRE_OPEN_DATA=1``, when the absence is a failure.

Caches: every test session points ``COUNCILPACK_CACHE_DIR`` at a fresh temporary
folder (removed at the end), so no test reads a store or demo survey files left
by an earlier run, or writes into the user's cache. pytest-xdist workers share
the controller's folder (the environment is set before they start; store builds
and demo files are published atomically, so concurrent workers build a store
once between them, or twice at worst, never half). To keep the cache between runs in
an edit-test loop, set ``COUNCILPACK_TEST_CACHE_DIR`` to a folder of your own.

Kernels: ``slow`` marks exactly the tests that start Jupyter kernels, so
``nox -s tests-fast`` (``-m "not slow and not browser"``) starts none. Each
session puts a ``python3`` kernel spec of its own first on ``JUPYTER_PATH``: the
same kernel, started through a two-line wrapper that leaves a mark in
``$COUNCILPACK_TEST_KERNEL_MARKS`` (a folder per pytest process) before it
becomes the kernel. A test not marked ``slow`` during which (setup and teardown
included) a kernel starts, in this process or any child of it, fails. With
``COUNCILPACK_TEST_KERNEL_REPORT=FILE`` each ``slow`` test that started no
kernel itself is listed in ``FILE`` (it may use a module fixture that did).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "COUNCILPACK_CACHE_DIR"
#: A folder the developer keeps between sessions (optional); never removed.
KEEP_CACHE_ENV = "COUNCILPACK_TEST_CACHE_DIR"
_session_cache: list[Path] = []
#: Folder (one per pytest process) where every kernel started leaves a mark.
MARKS_ENV = "COUNCILPACK_TEST_KERNEL_MARKS"
#: File listing the ``slow`` tests that started no kernel (optional).
REPORT_ENV = "COUNCILPACK_TEST_KERNEL_REPORT"
_KERNEL_WRAPPER = """\
import os, sys, tempfile
marks = os.environ.get({marks!r})
if marks and os.path.isdir(marks):
    tempfile.mkstemp(prefix=f"kernel-{{os.getpid()}}-", dir=marks)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])
"""


def _watch_kernels(folder: Path) -> None:
    """Put a marking ``python3`` kernel spec first on ``JUPYTER_PATH`` (see the module doc)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3").to_dict()
    wrapper = folder / "mark_then_start_kernel.py"
    wrapper.write_text(_KERNEL_WRAPPER.format(marks=MARKS_ENV), encoding="utf-8")
    spec["argv"] = ["python", str(wrapper), "-f", "{connection_file}"]
    kernel = folder / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    paths = [str(folder), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)


def pytest_configure(config: pytest.Config) -> None:
    """Point the cache at this session's folder before collection and before workers start."""
    marks = Path(tempfile.mkdtemp(prefix="councilpack-test-kernels-"))
    _session_cache.append(marks)
    os.environ[MARKS_ENV] = str(marks)  # this process's own (an xdist worker sets its own)
    if hasattr(config, "workerinput"):
        return  # an xdist worker: inherits the controller's cache folder and kernel spec
    _watch_kernels(marks)
    kept = os.environ.get(KEEP_CACHE_ENV)
    if kept:
        os.environ[CACHE_ENV] = str(Path(kept).resolve())
        return
    folder = Path(tempfile.mkdtemp(prefix="councilpack-test-cache-"))
    _session_cache.append(folder)
    os.environ[CACHE_ENV] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder (the controller's, after every worker has finished)."""
    while _session_cache:
        shutil.rmtree(_session_cache.pop(), ignore_errors=True)


def _kernel_marks() -> set[str]:
    return set(os.listdir(os.environ[MARKS_ENV]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    """Note the kernels started so far, before the test's setup."""
    item.stash[_MARKS_BEFORE] = _kernel_marks()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """After teardown: fail a test not marked slow that started a kernel (see the module doc)."""
    outcome = yield
    if call.when != "teardown":
        return
    started = _kernel_marks() - item.stash.get(_MARKS_BEFORE, set())
    slow = item.get_closest_marker("slow") is not None
    report = outcome.get_result()
    if started and not slow and report.passed:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} started {len(started)} Jupyter kernel(s) but is not marked "
            "@pytest.mark.slow (tests-fast must start no kernel)"
        )
    listing = os.environ.get(REPORT_ENV)
    if slow and not started and listing:
        with open(listing, "a", encoding="utf-8") as stream:
            stream.write(f"{item.nodeid}\n")


_MARKS_BEFORE = pytest.StashKey[set[str]]()


def _open_data_candidates() -> list[Path]:
    env = os.environ.get("COUNCILPACK_DATA_DIR")
    if env:
        return [Path(env)]
    return [ROOT.parent / "shared" / "data" / "raw"]


@pytest.fixture(scope="session")
def open_data_dir() -> Path:
    """Return the folder of staged open data, or skip (fail when required)."""
    for candidate in _open_data_candidates():
        if (candidate / "SOURCES.md").is_file() or (
            candidate / "mhclg_ro_rs_historic_bbc"
        ).is_dir():
            return candidate.resolve()
    reason = (
        "open data folder not found (set COUNCILPACK_DATA_DIR to the staged raw files; "
        f"looked in {', '.join(str(c) for c in _open_data_candidates())})"
    )
    if os.environ.get("COUNCILPACK_REQUIRE_OPEN_DATA") == "1":
        pytest.fail(f"COUNCILPACK_REQUIRE_OPEN_DATA=1 but {reason}")
    pytest.skip(reason)
