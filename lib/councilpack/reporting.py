"""The contract every analysis's report module meets: summary, sections, method, sources, vintage.

Each analysis has one entry point and one report module::

    result = finance.analyse(data, gss_code, ...)      # -> FinanceAnalysis
    report = councilpack.finance.report                # meets ReportModule[FinanceAnalysis]

The entry point is ``councilpack.<analysis>.analyse(<inputs>, *, <options>) ->
<Analysis>``: an analysis that reads the data context takes ``data, gss_code``
first (finance, outcomes; residents then its survey folder); workforce takes its
staff survey folder alone, ``workforce.analyse(survey, *, threshold)``.
The report module turns that one analysis object into what a report notebook
shows and what its footer and sidecar declare, under the same names in every
analysis, so a notebook, the briefing or a test can read any report alike:

``SECTIONS``
    The report's sections in the order the notebook shows them, each a
    :class:`Section`: its level-2 heading (which is also its anchor, so the
    summary can link to it) and the figure ids it shows.
``summary_markdown(analysis)``
    The headline sentences that open the report, as a Markdown list.
``method_markdown(analysis, *, demo)``
    How the analysis was done (``demo``: the figures are the fictional demo
    councils').
``figures(analysis)``
    The headline figures (:class:`~councilpack.figures.Figure`) published to the
    sidecar.
``sources(analysis, *, demo)``
    The sources named in the report footer.
``data_vintage(analysis)``
    The data vintage line of the footer.

:class:`ReportModule` states this for mypy (a module meets a protocol when it
has those names with those types); :func:`contract_problems` checks it at run
time, names and signatures, for a module mypy does not see.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol, TypeVar

from councilpack.figures import Figure
from councilpack.markup import Markdown

AnalysisT_contra = TypeVar("AnalysisT_contra", contravariant=True)


@dataclass(frozen=True)
class Section:
    """One section of a report, as its notebook shows it.

    Attributes
    ----------
    heading
        The section's level-2 heading (``## Reserves``), word for word; the
        exported HTML gives the heading this id, so ``[Reserves](#Reserves)``
        links to it.
    figures
        Ids of the indicators or measures the section shows, in order (empty
        for a section of text or tables about the whole analysis).
    """

    heading: str
    figures: tuple[str, ...] = ()


class ReportModule(Protocol[AnalysisT_contra]):
    """What an analysis's ``report`` module provides for its analysis object.

    A module meets it structurally: ``report: ReportModule[FinanceAnalysis] =
    councilpack.finance.report`` type-checks when the module defines these
    names with these signatures (``self`` is not part of a module function).
    """

    #: The report's sections, in the order its notebook shows them.
    SECTIONS: tuple[Section, ...]

    def summary_markdown(self, analysis: AnalysisT_contra, /) -> Markdown:
        """Return the headline sentences that open the report, as a Markdown list."""
        ...

    def method_markdown(self, analysis: AnalysisT_contra, /, *, demo: bool) -> Markdown:
        """Return how the analysis was done."""
        ...

    def figures(self, analysis: AnalysisT_contra, /) -> list[Figure]:
        """Return the headline figures published to the sidecar."""
        ...

    def sources(self, analysis: AnalysisT_contra, /, *, demo: bool) -> list[str]:
        """Return the sources named in the report footer."""
        ...

    def data_vintage(self, analysis: AnalysisT_contra, /) -> str:
        """Return the data vintage line of the report footer."""
        ...


#: The functions of the contract: name -> (keyword-only parameters, return type).
CONTRACT_FUNCTIONS: dict[str, tuple[tuple[str, ...], object]] = {
    "summary_markdown": ((), Markdown),
    "method_markdown": (("demo",), Markdown),
    "figures": ((), list[Figure]),
    "sources": (("demo",), list[str]),
    "data_vintage": ((), str),
}


def contract_problems(module: ModuleType, analysis_type: type | None = None) -> list[str]:
    """Return how ``module`` falls short of :class:`ReportModule` (empty when it meets it).

    Checks, at run time, what mypy checks statically: ``SECTIONS`` is a
    non-empty tuple of :class:`Section` with distinct headings, and each
    contract function exists, takes the analysis as its one positional
    parameter (annotated ``analysis_type`` when given) plus exactly the
    contract's keyword-only parameters, and is annotated with the contract's
    return type.

    Parameters
    ----------
    module
        A report module, e.g. :mod:`councilpack.finance.report`.
    analysis_type
        The analysis class its functions must take (the return type of the
        analysis's ``analyse``); not checked when ``None``.

    Returns
    -------
    list of str
        One line per problem, naming the module and the name at fault.
    """
    name = module.__name__
    problems: list[str] = []
    sections = getattr(module, "SECTIONS", None)
    if not isinstance(sections, tuple) or not sections:
        problems.append(f"{name}: SECTIONS is not a non-empty tuple of Section")
    elif not all(isinstance(section, Section) for section in sections):
        problems.append(f"{name}: SECTIONS holds something other than Section")
    else:
        headings = [section.heading for section in sections]
        repeated = sorted({h for h in headings if headings.count(h) > 1})
        if repeated:
            problems.append(f"{name}: SECTIONS repeats heading(s) {repeated}")
    for function_name, (keywords, returns) in CONTRACT_FUNCTIONS.items():
        function = getattr(module, function_name, None)
        where = f"{name}.{function_name}"
        if not callable(function):
            problems.append(f"{where} is missing")
            continue
        problems.extend(_signature_problems(where, function, keywords, returns, analysis_type))
    return problems


def _signature_problems(
    where: str,
    function: typing.Callable[..., object],
    keywords: tuple[str, ...],
    returns: object,
    analysis_type: type | None,
) -> list[str]:
    parameters = list(inspect.signature(function).parameters.values())
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    keyword_only = tuple(p.name for p in parameters if p.kind is p.KEYWORD_ONLY)
    problems: list[str] = []
    if len(positional) != 1 or len(parameters) != 1 + len(keyword_only):
        problems.append(f"{where} must take the analysis as its one positional parameter")
    if keyword_only != keywords:
        wanted = ", ".join(keywords) or "none"
        problems.append(f"{where} takes keyword-only {list(keyword_only)}; the contract: {wanted}")
    try:
        hints = typing.get_type_hints(function)
    except NameError as error:  # an annotation naming something the module does not import
        return [*problems, f"{where}: its annotations cannot be read ({error})"]
    if hints.get("return") != returns:
        problems.append(f"{where} returns {hints.get('return')!r}; the contract: {returns!r}")
    if analysis_type is not None and positional:
        given = hints.get(positional[0].name)
        if given is not analysis_type:
            problems.append(f"{where} takes {given!r}; the analysis is {analysis_type.__name__}")
    return problems


__all__ = ["CONTRACT_FUNCTIONS", "ReportModule", "Section", "contract_problems"]
