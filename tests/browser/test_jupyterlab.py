"""Charts are drawn in JupyterLab, not only in the exported HTML.

JupyterLab 4 draws Vega-Lite v3 to v5 with its built-in renderer; a chart in any
other MIME type shows as its text line ("Chart: ..."). This test starts a real
``jupyter lab`` (headless, no token, a free loopback port, a temporary copy of the
notebooks), opens the finance notebook, runs every cell through Lab's own command
and counts the charts Lab has drawn.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "finance.ipynb"
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 180_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyter lab exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}api/status", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer in {START_TIMEOUT_S} s: {log.read_text()[-2000:]}")


@pytest.fixture
def lab_server(tmp_path: Path) -> Iterator[str]:
    """Start ``jupyter lab`` on a copy of the notebooks; yield its base URL."""
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (the test extra has it)")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    home = tmp_path / "home"
    env = {
        **os.environ,
        # Isolate Lab's settings, workspaces and runtime files from the user's.
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    port = _free_port()
    log = tmp_path / "lab.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                "--IdentityProvider.token=",
                "--ServerApp.password=",
                "--ServerApp.disable_check_xsrf=True",
                f"--ServerApp.root_dir={notebooks}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--ServerApp.terminals_enabled=False",
                "--allow-root",  # CI containers run as root
            ],
            cwd=notebooks,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_finance_notebook_charts_are_drawn_in_jupyterlab(browser: Any, lab_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{lab_server}lab/tree/{NOTEBOOK}")
        page.wait_for_function(
            "() => window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
            timeout=60_000,
        )
        # Wait for the kernel, then run every cell with Lab's own command.
        page.wait_for_function(
            """() => {
                const panel = window.jupyterapp.shell.currentWidget;
                const kernel = panel && panel.sessionContext && panel.sessionContext.session
                    && panel.sessionContext.session.kernel;
                return kernel && kernel.status === 'idle';
            }""",
            timeout=60_000,
        )
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Every code cell has run once its prompt holds a number (not "*" or blank).
        page.wait_for_function(
            """() => {
                const panel = window.jupyterapp.shell.currentWidget;
                const cells = panel.content.widgets.filter(c => c.model.type === 'code');
                return cells.every(c => typeof c.model.executionCount === 'number')
                    && panel.sessionContext.session.kernel.status === 'idle';
            }""",
            timeout=RUN_TIMEOUT_MS,
        )
        errored = page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        assert errored == 0, page.locator(".jp-RenderedText").all_inner_texts()[-1:]
        # Drawn charts: Lab's Vega renderer puts a canvas or svg inside .vega-embed.
        page.wait_for_function(
            "() => document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length > 0",
            timeout=30_000,
        )
        drawn = page.locator(".vega-embed").count()
        text_only = page.locator(".jp-OutputArea-output", has_text="Chart: ").count()
        assert drawn > 0
        assert text_only == 0, f"{text_only} charts shown as their text line only"
        # Each chart is drawn, not just a container: one canvas or svg per embed.
        with_marks = page.evaluate(
            """() => Array.from(document.querySelectorAll('.vega-embed'))
                 .filter(e => e.querySelector('canvas, svg')).length"""
        )
        assert with_marks == drawn
        assert not errors, errors
    finally:
        context.close()
