"""notebooks/explore.ipynb runs top to bottom with its defaults on the demo data."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from councilpack.charts import VEGALITE_MIME
from councilpack.data import open_data
from councilpack.engine import KERNEL_CONFIG, KERNEL_NAME

pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


def test_explore_notebook_puts_councils_side_by_side(tmp_path: Path) -> None:
    nb = papermill.execute_notebook(
        str(NOTEBOOK),
        None,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        log_output=False,
        cwd=str(tmp_path),
        shutdown_kernel="immediate",
        config=KERNEL_CONFIG,
    )
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if VEGALITE_MIME in o.get("data", {})]
    assert len(charts) == 1
    # The default councils' names, read from the register, appear in the figures table.
    register = open_data("").register
    names = [register.get(code).name for code in ("X00000001", "X00000002", "X00000003")]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    for name in names:
        assert name in html
