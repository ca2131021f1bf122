"""What a briefing is made of: themes, findings, questions and the analyses behind them.

A briefing reads several analyses of one council. Each analysis is plugged in
by a :class:`~councilpack.briefing.providers.Provider`; what a provider hands
back is an :class:`AnalysisResult` (or the reason it has nothing), and the
briefing chooses its findings from the result's candidates by the rules of
:mod:`councilpack.briefing.select`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from councilpack.figures import Figure

ThemeId = Literal["priorities", "leadership", "governance", "finance", "capacity"]

#: The five themes of an LGA Corporate Peer Challenge feedback report, in report order.
THEMES: dict[ThemeId, str] = {
    "priorities": "Local priorities and outcomes",
    "leadership": "Organisational and place leadership",
    "governance": "Governance and culture",
    "finance": "Financial planning and management",
    "capacity": "Capacity for improvement",
}

#: Selection rules a candidate finding can come from (named in the method notes).
Rule = Literal[
    "furthest_from_median",
    "reserves_position",
    "survey_change",
    "survey_gap",
    "group_gap",
    "comparator_gap",
    "not_available",
    "missing_analysis",
]


@dataclass(frozen=True)
class Finding:
    """One sentence of the briefing, with the figure behind it and where it is backed.

    Attributes
    ----------
    theme
        Which of the five themes it belongs under.
    text
        The sentence (plain text; escaped when rendered).
    rule
        The selection rule that produced it.
    score
        How strongly the rule picked it (larger first within a rule), e.g. the
        distance from the comparator median in interquartile ranges.
    report
        The detailed report that backs it (``finance``), or ``""``.
    figure
        The sidecar figure it states, or ``None`` for a gap in the evidence.
    question
        Key of the question template it prompts (:mod:`councilpack.briefing.questions`).
    values
        Values the question template is filled with (already formatted text).
    """

    theme: ThemeId
    text: str
    rule: Rule
    score: float = 0.0
    report: str = ""
    figure: Figure | None = None
    question: str = ""
    values: dict[str, str] = field(default_factory=dict)

    @property
    def link(self) -> str:
        """Return the relative link to the place in the detailed report, or ``""``."""
        if not self.report:
            return ""
        if self.figure is None:
            return f"{self.report}.html"
        return f"{self.report}.html#{self.figure.anchor}"


@dataclass(frozen=True)
class AnalysisResult:
    """What one analysis contributes to a briefing.

    Attributes
    ----------
    name
        Report name (``finance``), also the provider's name.
    title
        Reader-facing title of the detailed report.
    period
        Data years used, in words (``"2023-24"``, ``"survey waves 2023, 2024"``).
    source
        Where the analysis came from (publisher, file, vintage).
    comparator
        The comparator group or reference the analysis uses, in words.
    figures
        Every figure the analysis publishes (the detailed report's sidecar).
    candidates
        Findings the provider proposes; the briefing selects among them.
    """

    name: str
    title: str
    period: str
    source: str
    comparator: str
    figures: list[Figure]
    candidates: list[Finding]


@dataclass(frozen=True)
class MissingAnalysis:
    """An analysis the briefing could not include, and why."""

    name: str
    title: str
    reason: str
    themes: tuple[ThemeId, ...]
    question: str = ""
    #: What the adviser preparing the pack can do to include it, in plain words.
    remedy: str = ""


@dataclass(frozen=True)
class Question:
    """A question for the peer team, from a template, with the finding it follows."""

    theme: ThemeId
    text: str
    finding: Finding | None = None


@dataclass
class Briefing:
    """A council's briefing: front page facts, findings per theme, questions, gaps."""

    council_code: str
    council_name: str
    council_type: str
    region: str
    prepared: str
    demo: bool
    analyses: list[AnalysisResult]
    missing: list[MissingAnalysis]
    findings: dict[ThemeId, list[Finding]]
    questions: list[Question]
    not_covered: list[str]

    @property
    def figures(self) -> list[Figure]:
        """Return each figure the briefing states, once, in the order first stated."""
        seen: dict[str, Figure] = {}
        for theme in THEMES:
            for finding in self.findings.get(theme, []):
                if finding.figure is not None and finding.figure.id not in seen:
                    seen[finding.figure.id] = finding.figure
        return list(seen.values())

    @property
    def comparator(self) -> str:
        """Return the comparator groups used, one phrase per analysis that has one."""
        return "; ".join(f"{a.title}: {a.comparator}" for a in self.analyses if a.comparator)

    @property
    def sources(self) -> list[str]:
        """Return the sources of every analysis read, for the report footer."""
        return [f"{a.title}: {a.source}" for a in self.analyses]

    @property
    def data_years(self) -> str:
        """Return the data years used, per analysis."""
        return "; ".join(f"{a.title}: {a.period}" for a in self.analyses)
