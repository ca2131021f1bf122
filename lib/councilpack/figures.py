"""Headline figures: what a report states, with value, period and source.

A notebook publishes its headline figures with :func:`publish`. In JupyterLab
they show as a table; the batch runner reads the same figures from the
executed notebook (a private MIME type) and writes them to the report's JSON
sidecar, so every number in a report can be traced to its source and period.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from councilpack.errors import ArgumentError
from councilpack.vocabulary import Position
from councilpack.wording import format_value

FIGURES_MIME = "application/vnd.councilpack.figures+json"
META_MIME = "application/vnd.councilpack.meta+json"


class ComparatorSummary(BaseModel):
    """Where a figure sits in a comparator group (or against a national figure)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    group: str = Field(description="comparator group label, e.g. 'CIPFA-style nearest neighbours'")
    definition: str = ""
    vintage: str = ""
    median: float | None = None
    lower_quartile: float | None = None
    upper_quartile: float | None = None
    rank: int | None = None
    group_size: int | None = None
    value: float | None = Field(default=None, description="a single reference value, e.g. national")
    position: Position | Literal[""] = Field(
        default="",
        description=(
            "above / below / similar (within tolerance, or not significant for a survey "
            "figure); '' when not stated"
        ),
    )


class Figure(BaseModel):
    """One headline figure of a report: every analysis's findings are these.

    Survey figures (residents' and staff surveys) also fill ``base``,
    ``effective_base`` and the 95 per cent interval (``interval_lower``,
    ``interval_upper``; Wilson on the effective base), and put the base in words
    in ``note``. Whether a survey difference is statistically significant is
    said by ``comparator.position``: ``"similar"`` when it is not (a staff survey
    figure against its earlier wave, a residents' figure against the national
    polling figure, two-sided test at 5 per cent on the effective base).

    ``decimals`` is the precision the report prints the value to when it is the
    figure's own rather than its unit's: survey figures set
    :data:`councilpack.wording.SURVEY_DECIMALS` (whole per cent), so the headline
    figures table, the briefing and the workbook read as the sentence does. The
    sidecar keeps the value unrounded and gives ``decimals`` only when it is set.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    value: float | None
    unit: str
    period: str
    source: str
    comparator: ComparatorSummary | None = None
    note: str = Field(default="", description="why a value is not available, caveats")
    sentence: str = Field(default="", description="the finding as worded in the report")
    base: int | None = Field(default=None, description="survey figures: unweighted base")
    effective_base: float | None = Field(
        default=None, description="survey figures: effective base after weighting (Kish)"
    )
    interval_lower: float | None = Field(
        default=None, description="survey figures: lower end of the 95 per cent interval"
    )
    interval_upper: float | None = Field(
        default=None, description="survey figures: upper end of the 95 per cent interval"
    )
    decimals: int | None = Field(
        default=None,
        ge=0,
        description=(
            "places the report prints the value (and its interval and comparator value) to, "
            "when the figure's own (survey figures: 0); absent: the unit's usual places"
        ),
    )

    @model_serializer(mode="wrap")
    def _without_unset_decimals(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Figures without a precision of their own (finance, outcomes, HR) are written
        # as before: no "decimals" key.
        data: dict[str, Any] = handler(self)
        if data.get("decimals") is None:
            data.pop("decimals", None)
        return data

    @property
    def anchor(self) -> str:
        """Return the HTML id of this figure's row in the report's headline figures table."""
        return figure_anchor(self.id)

    def formatted(self) -> str:
        """Return the value formatted for a reader, or 'not available'."""
        if self.value is None:
            return "not available"
        return format_value(self.value, self.unit, self.decimals)


def figure_anchor(figure_id: str) -> str:
    """Return the stable HTML id of a figure: ``fig-`` and the id with unsafe characters as ``-``.

    Examples
    --------
    >>> figure_anchor("residents.satisfied_council.2024")
    'fig-residents.satisfied_council.2024'
    >>> figure_anchor("workforce.gap.directorate.children's services")
    'fig-workforce.gap.directorate.children-s-services'
    """
    return "fig-" + re.sub(r"[^A-Za-z0-9_.-]", "-", figure_id)


class Meta(BaseModel):
    """Report-level provenance a notebook declares for the footer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: str
    title: str
    council_code: str
    council_name: str
    sources: tuple[str, ...] = ()
    data_vintage: str = ""
    data_label: str = ""
    input_hashes: dict[str, str] = Field(default_factory=dict)


class _Published:
    """Display object carrying figures as a table plus the machine-readable list."""

    def __init__(self, figures: Sequence[Figure], caption: str) -> None:
        self.figures = list(figures)
        self.caption = caption

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        rows = "".join(
            f"<tr id='{html.escape(f.anchor)}'>"
            f"<th scope='row'>{html.escape(f.label)}</th>"
            f"<td>{html.escape(f.formatted())}</td>"
            f"<td>{html.escape(f.period)}</td>"
            f"<td>{html.escape(f.source)}</td>"
            "</tr>"
            for f in self.figures
        )
        table = (
            f"<table class='cp-figures'><caption>{html.escape(self.caption)}</caption>"
            "<thead><tr><th scope='col'>Figure</th><th scope='col'>Value</th>"
            "<th scope='col'>Period</th><th scope='col'>Source</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        text = "\n".join(f"{f.label}: {f.formatted()} ({f.period})" for f in self.figures)
        return {
            FIGURES_MIME: [f.model_dump(mode="json") for f in self.figures],
            "text/html": table,
            "text/plain": text,
        }


class _MetaDisplay:
    def __init__(self, meta: Meta) -> None:
        self.meta = meta

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {META_MIME: self.meta.model_dump(mode="json"), "text/plain": ""}


def publish(figures: Iterable[Figure], caption: str = "Headline figures") -> None:
    """Display headline figures as a table and record them for the sidecar."""
    from IPython.display import display

    display(_Published(list(figures), caption))


def declare(meta: Meta) -> None:
    """Record the report's title and sources for the HTML footer (shows nothing)."""
    from IPython.display import display

    display(_MetaDisplay(meta))


def collect(outputs: Iterable[dict[str, Any]]) -> tuple[list[Figure], Meta | None]:
    """Gather the figures and meta a notebook published, from its cell outputs.

    Parameters
    ----------
    outputs
        Notebook cell outputs (``display_data`` and ``execute_result``).
    """
    figures: list[Figure] = []
    meta: Meta | None = None
    for output in outputs:
        data = output.get("data", {})
        if FIGURES_MIME in data:
            payload = data[FIGURES_MIME]
            if isinstance(payload, str):
                payload = json.loads(payload)
            figures.extend(Figure.model_validate(item) for item in payload)
        if META_MIME in data:
            payload = data[META_MIME]
            meta = Meta.model_validate(json.loads(payload) if isinstance(payload, str) else payload)
    seen: set[str] = set()
    for figure in figures:
        if figure.id in seen:
            raise ArgumentError(f"figure id {figure.id!r} is published twice")
        seen.add(figure.id)
    return figures, meta
