"""What a batch worker process imports: only what drives a kernel and writes HTML.

The data, pandas and the chart libraries live in the worker's kernel; a worker
that imported them too would hold them twice (``benchmarks/bench_memory.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

#: Modules a worker process must not import (with what each would cost).
HEAVY = {
    "pandas": "about 100 MB with pyarrow and numpy",
    "pyarrow": "imported by papermill only for hdfs:// paths",
    "numpy": "through pyarrow",
    "altair": "only the kernel draws charts",
    "vl_convert": "its JavaScript runtime keeps about 130 MB",
    "rfc3987_syntax": "imported by jsonschema only for formats no schema of ours uses",
}


def test_a_worker_imports_no_data_or_chart_library(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import json, sys
        from councilpack import batch, export, runner, workers  # what a worker unpickles
        path = export.bundle_cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* cached bundle */", encoding="utf-8")
        bundle = export.vega_bundle()  # read from the cache: vl-convert never starts
        modules = sorted(sys.modules)
        import pandas, pyarrow.fs  # left out above, not broken: importable when wanted
        import jsonschema._format
        print(json.dumps({"bundle": bundle, "modules": modules}))
        """
    )
    env = {**os.environ, "COUNCILPACK_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(result.stdout)
    assert found["bundle"] == "/* cached bundle */"
    imported = {name.split(".")[0] for name in found["modules"]}
    assert {name: why for name, why in HEAVY.items() if name in imported} == {}
    assert "papermill" in imported  # the worker does drive kernels
