"""Developer sessions: tests (default), lint, typecheck, demo, lab, reports.

Run ``nox`` for the tests, ``nox -s demo`` for the demo pack.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs under


def _install(session: nox.Session, extras: str = "") -> None:
    target = f".[{extras}]" if extras else "."
    session.install("-e", target)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (browser tests included when Debian's chromium is installed)."""
    _install(session, "test")
    session.run("pytest", "-n", "2", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff on .py and .ipynb; committed notebooks must carry no outputs."""
    session.install("ruff>=0.6", "nbstripout>=0.7")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "lib/councilpack/devtools.py", "check-notebooks", "notebooks")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy on the library."""
    _install(session, "dev")
    session.run("mypy", "lib")


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Build the demo pack (fictional councils) into reports/demo."""
    _install(session)
    session.run("councilpack", "demo", "--out", "reports/demo", *session.posargs)


@nox.session(python=PYTHON, default=False)
def lab(session: nox.Session) -> None:
    """Open the notebooks in JupyterLab."""
    _install(session, "lab")
    session.run("jupyter", "lab", "notebooks", *session.posargs)


@nox.session(python=PYTHON, default=False)
def reports(session: nox.Session) -> None:
    """Pass arguments to the councilpack CLI, e.g. ``nox -s reports -- build Knowsley``."""
    _install(session)
    session.run("councilpack", *(session.posargs or ["--help"]))
