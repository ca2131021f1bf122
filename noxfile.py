"""Developer sessions: tests (default), tests-fast, lint, typecheck, demo, lab, reports.

Run ``nox`` for the tests, ``nox -s demo`` for the demo pack. Developer tools come
from the ``[dependency-groups]`` of ``pyproject.toml`` (PEP 735), read by nox itself,
so any pip will do.
"""

from __future__ import annotations

import nox

nox.needs_version = ">=2025.2.9"  # nox.project.dependency_groups
nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs under
PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str, extras: str = "") -> None:
    """Install the package (editable) and the named dependency groups."""
    target = f".[{extras}]" if extras else "."
    session.install("-e", target, *nox.project.dependency_groups(PYPROJECT, *groups))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (browser tests included when Debian's chromium is installed)."""
    _install(session, "test")
    session.run("pytest", "-n", "2", "--dist", "loadscope", "--durations=25", *session.posargs)


@nox.session(python=PYTHON, name="tests-fast")
def tests_fast(session: nox.Session) -> None:
    """Tests that start no kernel and no browser: the edit-test loop."""
    _install(session, "test")
    session.run("pytest", "-n", "2", "-m", "not slow and not browser", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff on .py and .ipynb; committed notebooks must carry no outputs."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "lib/councilpack/devtools.py", "check-notebooks", "notebooks")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy on the library (settings and files in pyproject.toml; pinned version and stubs)."""
    _install(session, "typecheck", extras="pdf")  # pdf.py imports playwright
    session.run("mypy", *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Build the demo pack (fictional councils) into reports/demo."""
    _install(session)
    session.run("councilpack", "demo", "--out", "reports/demo", *session.posargs)


@nox.session(python=PYTHON, default=False)
def lab(session: nox.Session) -> None:
    """Open the notebooks in JupyterLab."""
    _install(session, extras="lab")
    session.run("jupyter", "lab", "notebooks", *session.posargs)


@nox.session(python=PYTHON, default=False)
def reports(session: nox.Session) -> None:
    """Pass arguments to the councilpack CLI, e.g. ``nox -s reports -- build Knowsley``."""
    _install(session)
    session.run("councilpack", *(session.posargs or ["--help"]))
