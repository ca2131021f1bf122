"""Dask distributed: the same tasks and manifest on a LocalCluster of two warm workers."""

from __future__ import annotations

import json
from pathlib import Path

import psutil
import pytest

pytest.importorskip("distributed")

from councilpack.batch import BatchSpec, make_executor, plan, run_batch
from councilpack.executors import DaskExecutor

pytestmark = pytest.mark.slow


def _descendants() -> set[int]:
    """Running child processes, except multiprocessing's resource tracker (one per parent).

    A child that has exited but is not yet reaped (a zombie, say a kernel an
    earlier test in this process stopped) holds nothing and is not counted.
    """
    running = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
            command = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # ended while being listed
        if "resource_tracker" not in command:
            running.add(child.pid)
    return running


def test_batch_on_a_local_cluster_of_two_workers(tmp_path: Path) -> None:
    before = _descendants()
    tasks = plan(BatchSpec(councils=["X00000001", "X00000014", "X00000020"]))
    executor = make_executor(2, "dask")
    assert isinstance(executor, DaskExecutor)
    result = run_batch(tasks, tmp_path, executor=executor)
    assert [(o.council, o.status) for o in result.outcomes] == [
        ("X00000001", "ok"),
        ("X00000014", "ok"),
        ("X00000020", "ok"),
    ], result.outcomes
    manifest = json.loads(result.manifest.read_text())
    assert manifest["executor"] == "DaskExecutor"
    assert manifest["reports_ok"] == 3
    for outcome in result.outcomes:
        assert (tmp_path / str(outcome.html)).is_file()
        assert (
            json.loads((tmp_path / str(outcome.sidecar)).read_text())["council"]["gss_code"]
            == outcome.council
        )
    # The cluster, its workers and their kernels are gone when the run returns.
    left = _descendants() - before
    _gone, alive = psutil.wait_procs(
        [psutil.Process(pid) for pid in left if psutil.pid_exists(pid)], timeout=10
    )
    assert not alive, [p.cmdline() for p in alive]
