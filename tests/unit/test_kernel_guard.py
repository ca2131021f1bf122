"""The guard behind ``slow`` marks (``tests/conftest.py``) is engaged: kernels start marked.

Every kernel a test starts, in the pytest process or a child of it, is launched
through the session's own ``python3`` kernel spec, which leaves a mark before it
becomes the kernel; a test not marked ``slow`` that leaves a mark fails at
teardown. These tests start no kernel: they check that the spec councilpack's
engine would launch is the marking one, and run its wrapper on ``--version``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from councilpack import engine

#: tests/conftest.py's folder of kernel marks.
MARKS_ENV = "COUNCILPACK_TEST_KERNEL_MARKS"


def test_the_engine_kernel_spec_is_the_marking_one() -> None:
    spec = KernelSpecManager().get_kernel_spec(engine.KERNEL_NAME)
    assert spec.argv[0] == "python"
    assert Path(spec.argv[1]).name == "mark_then_start_kernel.py"
    assert spec.argv[2:] == ["-f", "{connection_file}"]


def test_the_wrapper_leaves_a_mark_then_runs_ipykernel(tmp_path: Path) -> None:
    spec = KernelSpecManager().get_kernel_spec(engine.KERNEL_NAME)
    env = {**os.environ, MARKS_ENV: str(tmp_path)}
    run = subprocess.run(
        [sys.executable, spec.argv[1], "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    direct = subprocess.run(
        [sys.executable, "-m", "ipykernel_launcher", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout == direct.stdout  # the wrapper became ipykernel_launcher
    (mark,) = tmp_path.iterdir()
    assert mark.name.startswith("kernel-")
