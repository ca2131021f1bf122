"""Every registered report's analysis has one entry point and a report module meeting the contract.

The contract is :class:`councilpack.reporting.ReportModule`; mypy checks it
statically in ``councilpack/reports.py``, these tests at run time (names,
signatures, annotations) and against the notebooks (sections).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import types
import typing

import pytest

from councilpack.data.model import DataContext
from councilpack.figures import Figure
from councilpack.markup import Markdown
from councilpack.reporting import CONTRACT_FUNCTIONS, Section, contract_problems
from councilpack.reports import REPORTS

ANALYSED = sorted(name for name, spec in REPORTS.items() if spec.analysis)
#: Reports whose analysis does not meet the contract yet, each with the lane making it.
NOT_YET: dict[str, str] = {}


def _cases() -> list[typing.Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[name]))
        if name in NOT_YET
        else name
        for name in ANALYSED
    ]


def _entry_point(name: str) -> typing.Callable[..., object]:
    package = importlib.import_module(REPORTS[name].analysis)
    analyse = getattr(package, "analyse", None)
    assert callable(analyse), f"{REPORTS[name].analysis} has no analyse()"
    return analyse


def _notebook_headings(name: str) -> list[str]:
    """Return the level-2 headings of a notebook's shown Markdown cells, in order."""
    nb = json.loads(REPORTS[name].path.read_text(encoding="utf-8"))
    headings = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or "remove-cell" in cell["metadata"].get("tags", []):
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("## "):
                headings.append(line[3:].strip())
    return headings


def test_the_analyses_are_the_four_we_know() -> None:
    assert ANALYSED == ["finance", "outcomes", "residents", "workforce"]
    assert REPORTS["briefing"].analysis == ""  # it composes the others


@pytest.mark.parametrize("name", _cases())
def test_entry_point_takes_inputs_then_keyword_options(name: str) -> None:
    """``analyse(data, gss_code, <inputs>, *, <options>) -> <Analysis>``.

    An analysis that reads the data context takes it first as ``data``, then the
    council as ``gss_code``; inputs (a survey folder) follow; every parameter
    with a default is keyword-only.
    """
    analyse = _entry_point(name)
    parameters = list(inspect.signature(analyse).parameters.values())
    hints = typing.get_type_hints(analyse)
    if "data" in hints:
        assert [p.name for p in parameters[:2]] == ["data", "gss_code"]
        assert (hints["data"], hints["gss_code"]) == (DataContext, str)
    required = [p for p in parameters if p.default is p.empty]
    optional = [p for p in parameters if p.default is not p.empty]
    assert required, "the entry point takes its inputs"
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in required), required
    assert all(p.kind is p.KEYWORD_ONLY for p in optional), optional
    assert isinstance(hints["return"], type)


@pytest.mark.parametrize("name", _cases())
def test_report_module_meets_the_contract(name: str) -> None:
    module = importlib.import_module(f"{REPORTS[name].analysis}.report")
    analysis_type = typing.get_type_hints(_entry_point(name))["return"]
    assert contract_problems(module, analysis_type) == []


@pytest.mark.parametrize("name", _cases())
def test_sections_are_the_notebooks_headings(name: str) -> None:
    module = importlib.import_module(f"{REPORTS[name].analysis}.report")
    assert [section.heading for section in module.SECTIONS] == _notebook_headings(name)


class Analysis:
    """An analysis type for the fake report modules below."""


def _notebook_calls(name: str) -> list[ast.Call]:
    nb = json.loads(REPORTS[name].path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    return [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Call)]


def _called(calls: list[ast.Call], owner: str, attribute: str) -> list[ast.Call]:
    return [
        call
        for call in calls
        if isinstance(call.func, ast.Attribute)
        and call.func.attr == attribute
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == owner
    ]


@pytest.mark.parametrize("name", _cases())
def test_notebook_reads_the_analysis_through_its_entry_point_and_report_module(name: str) -> None:
    """The notebook calls ``<analysis>.analyse`` and every contract function of ``report``.

    So its summary, method, published figures, sources and vintage come from the
    report module, never from wording of the notebook's own; ``demo`` is the session's.
    """
    package = REPORTS[name].analysis.rsplit(".", 1)[1]
    calls = _notebook_calls(name)
    assert _called(calls, package, "analyse"), f"{name}.ipynb never calls {package}.analyse"
    for function, (keywords, _) in CONTRACT_FUNCTIONS.items():
        found = _called(calls, "report", function)
        assert found, f"{name}.ipynb never calls report.{function}"
        for call in found:
            given = {k.arg: ast.unparse(k.value) for k in call.keywords}
            assert given == dict.fromkeys(keywords, "session.is_demo"), ast.unparse(call)


def test_contract_problems_names_each_shortfall() -> None:
    module = types.ModuleType("councilpack.fake.report")
    module.SECTIONS = (Section("Summary"), Section("Summary"))  # type: ignore[attr-defined]

    def summary_markdown(analysis: Analysis) -> Markdown:
        return Markdown("")

    def method_markdown(analysis: Analysis) -> Markdown:  # no keyword-only demo
        return Markdown("")

    def figures(analysis: Analysis, extra: int) -> list[Figure]:  # a second positional
        return []

    def sources(analysis: object, *, demo: bool) -> list[str]:  # not the analysis type
        return []

    for function in (summary_markdown, method_markdown, figures, sources):
        setattr(module, function.__name__, function)
    problems = contract_problems(module, Analysis)
    assert problems == [
        "councilpack.fake.report: SECTIONS repeats heading(s) ['Summary']",
        "councilpack.fake.report.method_markdown takes keyword-only []; the contract: demo",
        "councilpack.fake.report.figures must take the analysis as its one positional parameter",
        "councilpack.fake.report.sources takes <class 'object'>; the analysis is Analysis",
        "councilpack.fake.report.data_vintage is missing",
    ]


def test_contract_problems_reads_return_annotations() -> None:
    module = types.ModuleType("councilpack.fake.report")
    module.SECTIONS = (Section("Summary"),)  # type: ignore[attr-defined]

    def data_vintage(analysis: object) -> list[str]:
        return []

    module.data_vintage = data_vintage  # type: ignore[attr-defined]
    problems = contract_problems(module)
    assert (
        "councilpack.fake.report.data_vintage returns list[str]; the contract: <class 'str'>"
        in problems
    )

    def summary_markdown(analysis: NotImported) -> Markdown:  # type: ignore[name-defined]  # noqa: F821
        return Markdown("")

    module.summary_markdown = summary_markdown  # type: ignore[attr-defined]
    assert any(
        p.startswith("councilpack.fake.report.summary_markdown: its annotations cannot be read")
        for p in contract_problems(module)
    )
    assert contract_problems(types.ModuleType("councilpack.empty"))[0] == (
        "councilpack.empty: SECTIONS is not a non-empty tuple of Section"
    )
