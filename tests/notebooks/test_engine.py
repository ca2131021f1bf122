"""The engine: no kernel port races, bounded retries, warm kernels that isolate reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import nbformat
import pytest

from councilpack import engine
from councilpack.batch import BatchSpec, ProcessExecutor, plan, run_batch
from councilpack.data import open_data
from councilpack.runner import ReportTask, build_report
from councilpack.settings import project_root

pytestmark = pytest.mark.slow


def _task(code: str, report: str = "finance") -> ReportTask:
    council = open_data("").register.get(code)
    return ReportTask(council.gss_code, council.name, council.folder, report)


def _files(out: Path, task: ReportTask) -> tuple[bytes, bytes]:
    folder = out / task.folder
    return (
        (folder / f"{task.report}.html").read_bytes(),
        (folder / f"{task.report}.json").read_bytes(),
    )


def test_a_report_after_another_in_one_warm_kernel_is_identical_to_it_built_cold(
    tmp_path: Path,
) -> None:
    first = _task("X00000002", "residents")  # council A: another report, other imports
    second = _task("X00000001", "finance")  # council B
    with engine.using(engine.ColdEngine()):
        cold = build_report(second, tmp_path / "cold")
    warm_engine = engine.WarmEngine([""], ["residents", "finance"])
    with engine.using(warm_engine):
        before = build_report(first, tmp_path / "warm")
        warm = build_report(second, tmp_path / "warm")
    assert (cold.status, before.status, warm.status) == ("ok", "ok", "ok"), (cold, before, warm)
    assert warm_engine.kernels_started == 1  # B really ran in the kernel that ran A
    html_cold, json_cold = _files(tmp_path / "cold", second)
    html_warm, json_warm = _files(tmp_path / "warm", second)
    assert json_warm == json_cold
    assert html_warm == html_cold
    assert not (tmp_path / "cold" / first.folder).exists()


def _hold_ports() -> subprocess.Popen[bytes]:
    """Start a process that keeps grabbing and releasing free TCP ports on localhost."""
    script = textwrap.dedent(
        """
        import socket, sys, time
        held = []
        print("ready", flush=True)
        while True:
            for _ in range(50):
                s = socket.socket()
                s.bind(("127.0.0.1", 0))
                s.listen()
                held.append(s)
            while len(held) > 400:
                held.pop(0).close()
            time.sleep(0.01)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == b"ready"
    return holder


def test_many_kernels_start_at_once_while_another_process_holds_ports(tmp_path: Path) -> None:
    holder = _hold_ports()
    try:
        started: list[int] = []
        failures: list[BaseException] = []

        def start_one() -> None:
            try:
                kernel, attempts = engine.start_kernel()
                try:
                    kernel.run("assert 6 * 7 == 42")
                    started.append(attempts)
                finally:
                    kernel.shutdown()
            except engine.KernelStartError as error:
                failures.append(error)
            finally:
                engine.close_thread_loop()

        threads = [threading.Thread(target=start_one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures
        assert len(started) == 8
        # And whole reports, a fresh kernel each, from two worker processes at once.
        tasks = plan(BatchSpec(councils=["X00000001", "X00000003", "X00000014", "X00000020"]))
        result = run_batch(tasks, tmp_path / "out", executor=ProcessExecutor(2, warm=False))
        assert [o.status for o in result.outcomes] == ["ok"] * 4, result.outcomes
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


@pytest.fixture
def flaky_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kernel spec whose first launches exit at once; returns its launch-count file.

    ``fail`` beside the count file holds how many launches fail (0 by default).
    """
    folder = tmp_path / "jupyter" / "kernels" / "flaky"
    folder.mkdir(parents=True)
    count = tmp_path / "launches"
    count.write_text("0")
    (tmp_path / "fail").write_text("0")
    launcher = tmp_path / "flaky.py"
    launcher.write_text(
        textwrap.dedent(
            f"""
            import runpy, sys
            from pathlib import Path
            count = Path({str(count)!r})
            launches = int(count.read_text()) + 1
            count.write_text(str(launches))
            if launches <= int(Path({str(tmp_path / "fail")!r}).read_text()):
                sys.exit(1)  # dies before replying to kernel_info, as under port clashes
            sys.argv = ["ipykernel_launcher", *sys.argv[1:]]
            runpy.run_module("ipykernel_launcher", run_name="__main__")
            """
        )
    )
    spec = {
        "argv": [sys.executable, str(launcher), "-f", "{connection_file}"],
        "display_name": "flaky",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return count


def test_a_kernel_that_fails_to_start_is_retried_and_the_attempts_recorded(
    flaky_kernel: Path, tmp_path: Path
) -> None:
    (flaky_kernel.parent / "fail").write_text("2")
    with engine.using(engine.ColdEngine("flaky")):
        outcome = build_report(_task("X00000001"), tmp_path / "out")
    assert outcome.status == "ok", outcome.error
    assert outcome.attempts == 3
    assert flaky_kernel.read_text() == "3"


def test_a_kernel_that_never_starts_fails_the_report_after_bounded_attempts(
    flaky_kernel: Path, tmp_path: Path
) -> None:
    (flaky_kernel.parent / "fail").write_text("99")
    with engine.using(engine.WarmEngine([""], ["finance"], kernel_name="flaky")):
        outcome = build_report(_task("X00000001"), tmp_path / "out")
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.stage == "kernel"
    assert "failed to start after 3 attempts" in outcome.error.message
    assert outcome.attempts == engine.MAX_ATTEMPTS == 3
    assert flaky_kernel.read_text() == "3"
    assert not (tmp_path / "out" / "X00000001-aldermoor").exists()


def test_a_notebook_error_is_never_retried(
    flaky_kernel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(project_root() / "notebooks", root / "notebooks")
    shutil.copytree(project_root() / "templates", root / "templates")
    path = root / "notebooks" / "finance.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise ValueError("broken on purpose")'))
    nbformat.write(nb, path)
    monkeypatch.setenv("COUNCILPACK_HOME", str(root))
    with engine.using(engine.WarmEngine([""], ["finance"], kernel_name="flaky")) as warm:
        outcome = build_report(_task("X00000001"), tmp_path / "out")
        assert outcome.status == "failed"
        assert outcome.error is not None
        assert outcome.error.stage == "notebook"
        assert outcome.error.message == "broken on purpose"
        assert outcome.attempts == 1
        assert flaky_kernel.read_text() == "1"
        # The failed report took its kernel with it; the next report gets a fresh one.
        assert warm.kernel is None


def test_kernel_sockets_are_private_files_not_tcp_ports() -> None:
    if not engine.use_ipc():
        pytest.skip("libzmq without IPC on this platform: kernels use TCP and retries")
    kernel, attempts = engine.start_kernel()
    try:
        assert attempts == 1
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc"
        assert kernel.folder is not None
        assert str(info["ip"]).startswith(kernel.folder)
        assert os.stat(kernel.folder).st_mode & 0o077 == 0  # mkdtemp: owner only
    finally:
        kernel.shutdown()
    assert not Path(kernel.folder).exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_warm_kernel_that_grew_past_its_memory_limit_is_replaced(tmp_path: Path) -> None:
    warm = engine.WarmEngine([""], ["finance"])
    with engine.using(warm):
        assert build_report(_task("X00000001"), tmp_path).status == "ok"
        assert warm.kernel is not None
        assert warm.warm_bytes is not None
        assert warm.warm_bytes > 50 * 2**20  # a warm kernel holds pandas, Altair and the data
        # Memory a report leaves behind where the reset cannot reach it (a module's cache).
        warm.kernel.run("import councilpack.warmkernel as w\nw._ballast = b'x' * (80 * 2**20)")
        grown = warm.kernel.resident_bytes()
        assert grown is not None
        assert grown > warm.warm_bytes + 60 * 2**20
        warm.recycle_above = warm.warm_bytes + 40 * 2**20
        assert build_report(_task("X00000002"), tmp_path).status == "ok"
        assert (warm.kernels_started, warm.recycled_for_memory) == (2, 1)
        # The new kernel is below the limit again: kept for the next report.
        assert build_report(_task("X00000003"), tmp_path).status == "ok"
        assert (warm.kernels_started, warm.recycled_for_memory) == (2, 1)
