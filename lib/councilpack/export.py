"""Executed notebook -> code-free, offline, accessible HTML through our nbconvert template.

Charts: notebooks emit Vega-Lite JSON (:mod:`councilpack.charts`); the
:class:`ChartPreprocessor` turns each into a ``<figure>`` holding the spec as
inline JSON and the chart's description as its caption. The template inlines
the Vega, Vega-Lite and vega-embed bundle once per file, so the report renders
with tooltips and no network request at all. A pack of many reports may share
one bundle file instead (:func:`write_shared_bundle`): each report then loads
it by a relative path, still offline, and is about 1.2 MB smaller.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import multiprocessing
import re
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from councilpack import htmlfinish
from councilpack.atomic import write_text_atomic
from councilpack.errors import OutputError, SettingsError
from councilpack.figures import FIGURES_MIME, META_MIME, Figure, Meta
from councilpack.markup import css_string, sanitise_html
from councilpack.settings import cache_dir, templates_dir

TEMPLATE_NAME = "councilpack"
#: Cells tagged with this are dropped from the published report (e.g. a notebook's own title).
REMOVE_TAG = "remove-cell"


#: Version of how :func:`vega_bundle` derives the bundle (part of its cache file's name).
_BUNDLE_FORMAT = 1


def bundle_cache_path() -> Path:
    """Return the cache file of the chart bundle for the installed Altair and vl-convert.

    The bundle is a pure function of the two versions (and :data:`_BUNDLE_FORMAT`),
    so the file's name carries them and a new version never reads an old bundle.
    """
    versions = f"altair{version('altair')}-vlconvert{version('vl-convert-python')}"
    return cache_dir() / f"vega-bundle-{versions}-f{_BUNDLE_FORMAT}.js"


@functools.cache
def vega_bundle() -> str:
    """Return the Vega + Vega-Lite + vega-embed JavaScript bundle (built once per machine).

    Built by vl-convert the first time, then read from the cache file
    (:func:`bundle_cache_path`): building it starts vl-convert's JavaScript
    runtime, which keeps about 130 MB in the process, and Altair (40 MB), which
    a batch worker has no other use for.
    """
    path = bundle_cache_path()
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        bundle = _build_vega_bundle()
    try:
        write_text_atomic(path, bundle)
    except OutputError:
        # A read-only cache folder: every process builds the bundle for itself instead.
        return bundle
    return bundle


def prepare_bundle() -> None:
    """Write the bundle's cache file if it is missing, building it in a child process.

    A batch calls this before its workers start, so that vl-convert's runtime
    stays in no long-lived process; the workers then read the file.
    """
    if bundle_cache_path().is_file():
        return
    process = multiprocessing.get_context("spawn").Process(target=vega_bundle)
    process.start()
    process.join()  # on failure each worker builds it (and reports the error) itself


def _build_vega_bundle() -> str:
    """Build the chart bundle with vl-convert (see :func:`vega_bundle`)."""
    import altair as alt
    import vl_convert

    wanted = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    available = vl_convert.get_vegalite_versions()
    if wanted.lstrip("v") not in available:
        raise SettingsError(
            f"vl-convert {version('vl-convert-python')} has no Vega-Lite {wanted} bundle "
            f"(has {', '.join(available)}); upgrade vl-convert-python"
        )
    # The stub makes ``snippet`` required; at run time it defaults to None (the global names).
    bundle = vl_convert.javascript_bundle(vl_version=wanted)  # type: ignore[call-arg]
    # A literal "</script" inside the bundle would end the inline script early.
    return bundle.replace("</script", "<\\/script")


def shared_bundle_name() -> str:
    """Return the file name of the shared bundle: content-addressed, so versions never clash."""
    digest = hashlib.sha256(vega_bundle().encode("utf-8")).hexdigest()[:12]
    return f"councilpack-charts-{digest}.js"


def write_shared_bundle(folder: Path) -> Path:
    """Write the chart bundle once into ``folder`` (a pack's root) and return its path.

    Safe to call from many workers at once: the name is content-addressed and
    the write atomic, so a reader sees the whole file or none.
    """
    path = folder / shared_bundle_name()
    if not path.is_file():
        write_text_atomic(path, vega_bundle())
    return path


def _json_for_script(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ChartPreprocessor(Preprocessor):
    """Replace Vega-Lite outputs by offline figures; drop machine-only outputs."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Walk every output once, numbering charts in document order."""
        count = 0
        for index, cell in enumerate(nb.cells):
            # papermill gives its injected cell a random id; reruns must be byte-identical.
            cell["id"] = f"cell-{index}"
            if cell.cell_type != "code":
                continue
            kept = []
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.get("name") == "stderr":
                    continue  # warnings and logs are for the build log, not for readers
                data = output.get("data")
                if data is None:
                    kept.append(output)
                    continue
                if META_MIME in data:
                    continue
                data.pop(FIGURES_MIME, None)
                vegalite = next((k for k in data if k.startswith("application/vnd.vegalite")), None)
                if vegalite is not None:
                    count += 1
                    spec = data[vegalite]
                    if isinstance(spec, str):
                        spec = json.loads(spec)
                    output["data"] = {"text/html": _figure_html(spec, count)}
                    output["metadata"] = {}
                elif "text/html" in data:
                    # Our own tables escape their text already; this is the second layer, so
                    # that a forgotten escape cannot put a script from an input file on the page.
                    data["text/html"] = sanitise_html(_text(data["text/html"]))
                kept.append(output)
            cell["outputs"] = kept
        nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")]
        resources.setdefault("councilpack", {})["chart_count"] = count
        return nb, resources


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _figure_html(spec: Mapping[str, Any], number: int) -> str:
    description = str(spec.get("description") or "Chart")
    view = f"cp-chart-{number}"
    label = html.escape(description)
    return (
        f'<figure class="cp-chart" aria-labelledby="{view}-caption">'
        f'<div class="cp-chart-view" id="{view}" role="img" aria-label="{label}"></div>'
        f'<script type="application/json" class="cp-chart-spec" data-target="{view}">'
        f"{_json_for_script(spec)}</script>"
        f'<figcaption id="{view}-caption">{label}</figcaption>'
        "</figure>"
    )


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter, finishing a page without BeautifulSoup where that is the same.

    ``HTMLExporter.from_notebook_node`` renders the template, then re-parses the
    whole page with BeautifulSoup to add ``tabindex`` and ``alt`` attributes and
    re-serialise it (about 0.2 CPU-s a report). This exporter does the same
    first half, then :func:`councilpack.htmlfinish.finish` produces the same
    string from the rendered page; for a page outside what that models, it
    runs ``HTMLExporter.from_notebook_node`` itself. ``tests/unit/test_export_finish.py``
    checks the result equals ``HTMLExporter``'s own on report pages.
    """

    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Export ``nb`` to HTML exactly as :class:`~nbconvert.HTMLExporter` would."""
        original = resources
        # As HTMLExporter.from_notebook_node does before it renders the template.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        finished = htmlfinish.finish(page)
        if finished is None:
            return super().from_notebook_node(nb, original, **kw)
        return finished, resources


@functools.cache
def _exporter() -> ReportExporter:
    exporter = ReportExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
        # Validate the notebook once after nbconvert's preprocessors, not after each
        # of them (none of which can make it invalid): same result, 13 fewer passes.
        optimistic_validation=True,
    )
    # The template passes every Markdown output through this allow-list sanitiser.
    exporter.register_filter("cp_sanitise", sanitise_html)
    # ... and every input text it writes into a stylesheet through this escaper.
    exporter.register_filter("cp_css_string", css_string)
    return exporter


#: Our preprocessors, in order, run on the notebook before the exporter's own (see
#: :func:`to_html`). They work on the notebook alone, so they need not run inside it.
_PREPROCESSORS: tuple[Preprocessor, ...] = (
    TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True),
    ChartPreprocessor(enabled=True),
)


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _with_contents(body: str) -> str:
    """Fill the template's contents list from the report's second-level headings."""
    items = [
        f'<li><a href="#{anchor}">{_TAG.sub("", heading).strip()}</a></li>'
        for anchor, heading in _H2.findall(body)
    ]
    return body.replace("<!--cp-toc-->", "".join(items), 1)


def to_html(
    nb: nbformat.NotebookNode,
    *,
    meta: Meta,
    figures: list[Figure],
    provenance: Mapping[str, Any],
    bundle_href: str | None = None,
    notice: str = "",
) -> str:
    """Export an executed notebook to a finished HTML report.

    Parameters
    ----------
    nb
        The executed notebook (it is modified: outputs are rewritten).
    meta
        Title, council and sources the notebook declared.
    figures
        Headline figures the notebook published (listed in the footer's count).
    provenance
        Package version, git revision, data label and input hashes.
    bundle_href
        Relative URL of a shared chart bundle (:func:`write_shared_bundle`);
        ``None`` inlines the bundle, so that the file stands alone.
    notice
        Plain text shown once at the top of the report (escaped), e.g. that
        no figure is available for the council and why.
    """
    resources: dict[str, Any] = {
        "councilpack": {
            "meta": meta.model_dump(),
            "provenance": dict(provenance),
            "figure_count": len(figures),
            "notice": notice,
        }
    }
    nb.metadata["title"] = f"{meta.council_name}: {meta.title}"
    exporter = _exporter()
    # The bundle is only inlined when the preprocessors found a chart.
    resources["councilpack"]["vega_bundle"] = vega_bundle
    resources["councilpack"]["vega_bundle_href"] = bundle_href
    # Our preprocessors run first, on the notebook itself: the exporter deep-copies the
    # notebook twice before its own preprocessors run, and the copies are far cheaper
    # once every chart's Vega-Lite spec (a deep tree of dicts) is a string of HTML.
    # nbconvert's own preprocessors (highlighting cell magics, the CSS header) neither
    # read nor change what ours do, so the order makes no difference to the page.
    for preprocessor in _PREPROCESSORS:
        nb, resources = preprocessor(nb, resources)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _with_contents(body)
