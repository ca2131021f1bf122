"""Our exporter writes exactly the page nbconvert's HTMLExporter writes, faster.

``export.ReportExporter`` finishes a page without BeautifulSoup (``htmlfinish``)
and ``export.to_html`` runs our preprocessors before the exporter rather than
inside it. Both are checked here against nbconvert's own code on notebooks with
every kind of output a report has (and an image, which takes nbconvert's path).
"""

from __future__ import annotations

import copy
from typing import Any

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from councilpack import export, htmlfinish
from councilpack.figures import Meta
from councilpack.markup import css_string, sanitise_html
from councilpack.settings import templates_dir

VEGALITE = "application/vnd.vegalite.v5+json"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
META = Meta(
    report="finance",
    title="Finance briefing",
    council_code="X00000001",
    council_name="Aldermoor & Vale",
    sources=("Source <one>", "Source two"),
    data_vintage="2023-24",
    data_label="demo",
    input_hashes={"a.csv": "0" * 64},
)
PROVENANCE = {
    "package_version": "1.0",
    "git_revision": "abc",
    "build_date": "2026-01-01",
    "data_label": "demonstration data (fictional councils)",
    "input_hashes": {"a.csv": "0" * 64},
}


def report_notebook(*, image: bool = False) -> nbformat.NotebookNode:
    """A notebook with the outputs a report has: Markdown, tables, charts, streams."""
    chart = {
        "description": "Spending per head: Aldermoor & Vale against 15 comparators",
        "mark": "bar",
        "data": {"values": [{"council": "A <b>", "value": 1.5}]},
    }
    cells = [
        new_markdown_cell("# Notebook title", metadata={"tags": ["remove-cell"]}),
        new_code_cell(
            "setup()",
            outputs=[new_output("stream", name="stderr", text="a warning\n")],
        ),
        new_markdown_cell("## Summary\n\nText with *emphasis* & a [link](#spending).\n"),
        new_code_cell(
            "show()",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/markdown": "- **Reserves** &middot; above the median\n- 10 % < 20 %",
                        "text/plain": "<Markdown>",
                    },
                ),
                new_output(
                    "display_data",
                    data={
                        "text/html": "<table class='cp-table  wide'><caption>Figures</caption>"
                        "<tr><th scope='row'>A &amp; B</th><td>£1.2bn</td></tr></table>",
                        "text/plain": "table",
                    },
                ),
                new_output("display_data", data={VEGALITE: chart, "text/plain": "chart"}),
                new_output("stream", name="stdout", text="printed <text> & more\n"),
                new_output("execute_result", data={"text/plain": "42"}, execution_count=2),
            ],
        ),
        new_markdown_cell("## Spending\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
    ]
    if image:
        cells.append(
            new_code_cell(
                "plot()",
                outputs=[new_output("display_data", data={"image/png": PNG, "text/plain": "f"})],
            )
        )
    nb = new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def resources(chart_count: int | None = None) -> dict[str, Any]:
    councilpack: dict[str, Any] = {
        "meta": META.model_dump(),
        "provenance": PROVENANCE,
        "figure_count": 0,
        "notice": "",
        "vega_bundle": lambda: "/* bundle */",
        "vega_bundle_href": "../councilpack-charts.js",
    }
    if chart_count is not None:
        councilpack["chart_count"] = chart_count
    return {"councilpack": councilpack}


def preprocessed(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    nb, res = copy.deepcopy(nb), resources()
    nb.metadata["title"] = "A title"
    for preprocessor in export._PREPROCESSORS:
        nb, res = preprocessor(nb, res)
    return nb, res


@pytest.mark.parametrize("image", [False, True], ids=["report outputs", "with an image"])
def test_exporter_page_equals_nbconvert_html_exporter(image: bool) -> None:
    nb, res = preprocessed(report_notebook(image=image))
    exporter = export._exporter()
    ours, _ = exporter.from_notebook_node(copy.deepcopy(nb), resources=copy.deepcopy(res))
    # nbconvert's own method, on the same configured exporter: template, then BeautifulSoup.
    theirs, _ = HTMLExporter.from_notebook_node(exporter, copy.deepcopy(nb), copy.deepcopy(res))
    assert ours == theirs
    assert 'tabindex="0"' in ours
    assert ("No description has been provided" in ours) is image


def test_report_pages_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    finished: list[bool] = []
    finish = htmlfinish.finish

    def recording(page: str) -> str | None:
        result = finish(page)
        finished.append(result is not None)
        return result

    monkeypatch.setattr(htmlfinish, "finish", recording)
    nb, res = preprocessed(report_notebook())
    export._exporter().from_notebook_node(nb, resources=res)
    assert finished == [True]


def _nbconvert_order_exporter() -> HTMLExporter:
    """The exporter as it was: our preprocessors registered after nbconvert's own."""
    exporter = HTMLExporter(
        template_name=export.TEMPLATE_NAME,
        extra_template_basedirs=[str(templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={export.REMOVE_TAG}, enabled=True), enabled=True
    )
    exporter.register_preprocessor(export.ChartPreprocessor(), enabled=True)
    exporter.register_filter("cp_sanitise", sanitise_html)
    exporter.register_filter("cp_css_string", css_string)
    return exporter


def test_to_html_equals_nbconvert_with_our_preprocessors_inside_it() -> None:
    nb = report_notebook()
    page = export.to_html(
        copy.deepcopy(nb),
        meta=META,
        figures=[],
        provenance=PROVENANCE,
        bundle_href="../councilpack-charts.js",
    )
    reference = copy.deepcopy(nb)
    reference.metadata["title"] = f"{META.council_name}: {META.title}"
    body, _ = _nbconvert_order_exporter().from_notebook_node(reference, resources=resources())
    assert page == export._with_contents(body)
    assert 'id="cp-chart-1"' in page
    assert "Notebook title" not in page
    assert "a warning" not in page
