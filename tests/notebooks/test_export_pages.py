"""Every report's real page takes the fast finish and equals nbconvert's HTMLExporter's own."""

from __future__ import annotations

import copy
from typing import Any

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter

from councilpack import engine, export, htmlfinish
from councilpack.data import open_data
from councilpack.reports import REPORTS
from councilpack.runner import ReportTask

pytestmark = pytest.mark.slow

COUNCIL = "X00000001"


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    council = open_data("").register.get(COUNCIL)
    notebooks = {}
    with engine.using(engine.WarmEngine([""], list(REPORTS))) as warm:
        for report in REPORTS:
            task = ReportTask(COUNCIL, council.name, council.folder, report)
            notebooks[report] = warm.execute(task).notebook
    return notebooks


def _resources() -> dict[str, Any]:
    return {
        "councilpack": {
            "meta": {
                "report": "r",
                "title": "T",
                "council_code": COUNCIL,
                "council_name": "N",
                "sources": ["s"],
                "data_vintage": "v",
                "data_label": "demo",
            },
            "provenance": {"package_version": "1", "git_revision": "g", "input_hashes": {}},
            "figure_count": 1,
            "notice": "",
            "vega_bundle": lambda: "",
            "vega_bundle_href": "b.js",
        }
    }


@pytest.mark.parametrize("report", list(REPORTS))
def test_report_page_is_finished_fast_and_as_nbconvert_does(
    executed: dict[str, nbformat.NotebookNode], report: str
) -> None:
    nb, resources = copy.deepcopy(executed[report]), _resources()
    nb.metadata["title"] = "N: T"
    for preprocessor in export._PREPROCESSORS:
        nb, resources = preprocessor(nb, resources)
    exporter = export._exporter()
    ours, _ = exporter.from_notebook_node(copy.deepcopy(nb), resources=copy.deepcopy(resources))
    theirs, _ = HTMLExporter.from_notebook_node(
        exporter, copy.deepcopy(nb), resources=copy.deepcopy(resources)
    )
    assert ours == theirs
    # ... and not by falling back on nbconvert: the rendered page is within htmlfinish's subset.
    rendered, _ = TemplateExporter.from_notebook_node(
        exporter, copy.deepcopy(nb), resources=exporter._init_resources(copy.deepcopy(resources))
    )
    assert htmlfinish.finish(rendered) == ours
