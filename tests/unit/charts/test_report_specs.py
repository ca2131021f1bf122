"""Every chart a demo finance or outcomes report shows is valid Vega-Lite.

Report builds do not check chart specs against the Vega-Lite schema
(:class:`councilpack.charts.core._ChartDisplay`: the check cost about a third of
a finance report's chart time); this test does, on the charts the reports'
own notebook code shows. The notebooks' code cells run in this process with
``IPython.display.display`` captured, so no kernel is needed.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import IPython.display
import jsonschema
import nbformat
import pandas as pd
import pytest
from altair.vegalite.v5.schema.core import Root

from councilpack.charts import VEGALITE_MIME, comparator_bar
from councilpack.reports import get_report

#: Demo councils: a full return, one with years missing, a district and a county.
COUNCILS = ("X00000001", "X00000004", "X00000013", "X00000020")


def _shown_specs(report: str, council: str, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Run ``report``'s notebook code for ``council`` and return the chart specs it shows."""
    shown: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects, **_: shown.extend(objects))
    namespace: dict[str, Any] = {"council": council, "data_dir": ""}
    notebook = nbformat.read(get_report(report).path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        exec(compile(cell.source, f"<{report} cell {number}>", "exec"), namespace)  # noqa: S102
    bundles = [o._repr_mimebundle_() for o in shown if hasattr(o, "_repr_mimebundle_")]
    return [bundle[VEGALITE_MIME] for bundle in bundles if VEGALITE_MIME in bundle]


def _schema_errors(spec: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(Root._schema)
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(spec)]


@pytest.mark.parametrize("report", ["finance", "outcomes"])
def test_every_chart_spec_a_demo_report_shows_is_valid_vega_lite(
    report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    # Finance shows the same chart kinds for every council: two councils are enough.
    for council in COUNCILS[:2] if report == "finance" else COUNCILS:
        for number, spec in enumerate(_shown_specs(report, council, monkeypatch), start=1):
            errors = _schema_errors(spec)
            assert not errors, f"{report} {council} chart {number}: {errors[:3]}"
            assert spec["$schema"] == alt.SCHEMA_URL
            checked += 1
    # Finance shows a bar and a trend chart for most indicators of every council.
    assert checked >= (50 if report == "finance" else 4)


def test_the_check_catches_an_invalid_spec() -> None:
    frame = pd.DataFrame({"gss_code": ["A", "B"], "name": ["Alpha", "Beta"], "value": [1.0, 2.0]})
    chart = comparator_bar(frame, council_code="A", value="value", title="T", unit="percent")
    spec = chart.to_dict(validate=False)
    assert not _schema_errors(spec)
    broken = {**spec, "layer": [{**spec["layer"][0], "mark": {"type": "bars"}}]}
    assert _schema_errors(broken)
