"""The chart MIME type is one JupyterLab 4 draws, and the HTML bundle matches the specs."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pytest

from councilpack.charts import VEGALITE_MIME


def test_chart_mimetype_is_vega_lite_v3_to_v5() -> None:
    # JupyterLab 4's built-in renderer (@jupyterlab/vega5-extension) registers
    # application/vnd.vegalite.v3+json, v4 and v5; anything else shows as text.
    match = re.fullmatch(r"application/vnd\.vegalite\.v(\d+)\+json", VEGALITE_MIME)
    assert match, VEGALITE_MIME
    assert int(match.group(1)) in (3, 4, 5)
    assert alt.SCHEMA_VERSION.startswith(f"v{match.group(1)}.")


def test_installed_jupyterlab_registers_the_chart_mimetype() -> None:
    jupyterlab = pytest.importorskip("jupyterlab", reason="JupyterLab is not installed")
    from jupyterlab.commands import get_app_dir

    static = Path(get_app_dir()) / "static"
    if not static.is_dir():
        static = Path(jupyterlab.__file__).parent / "static"
    bundles = list(static.glob("*.js"))
    assert bundles, f"no JupyterLab static bundle under {static}"
    assert any(
        VEGALITE_MIME in path.read_text(encoding="utf-8", errors="replace") for path in bundles
    )


def test_html_bundle_is_the_vega_lite_version_of_the_specs() -> None:
    import vl_convert

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    assert wanted in vl_convert.get_vegalite_versions()
