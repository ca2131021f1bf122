"""Prepare a council's briefing: run every registered analysis, choose, ask, list the gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from councilpack.briefing.model import AnalysisResult, Briefing, Finding, MissingAnalysis
from councilpack.briefing.providers import PLANNED, PROVIDERS, BriefingContext, NotSupplied
from councilpack.briefing.questions import questions_for
from councilpack.briefing.select import choose
from councilpack.finance.indicators import unsupported_indicators
from councilpack.provenance import build_date, day_words
from councilpack.session import ReportSession

#: What no analysis here can show, and why (always listed).
NEVER_COVERED: tuple[str, ...] = (
    (
        "Leadership behaviours, relationships with partners and how decisions are made in "
        "practice: these come from the peer team's interviews, visits and documents, not from data."
    ),
    (
        "A single score or ranking of the council: the sector compares councils one indicator "
        "at a time, and so does this pack."
    ),
)


def _missing_sentence(gap: MissingAnalysis) -> str:
    text = gap.reason[0].upper() + gap.reason[1:]
    return f"{text}, so this theme has no evidence from the {gap.title.lower()} here."


def _lower_first(text: str) -> str:
    """Return ``text`` to follow a semicolon: its first letter lower-cased, unless an acronym.

    Examples
    --------
    >>> _lower_first("Borrowing levels are not staged.")
    'borrowing levels are not staged.'
    >>> _lower_first("NNDR1/NNDR3 returns are not staged.")
    'NNDR1/NNDR3 returns are not staged.'
    """
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def prepare(
    session: ReportSession,
    options: Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
) -> Briefing:
    """Run the registered analyses for a council and compose its briefing.

    Parameters
    ----------
    session
        The briefing's report session (council and data).
    options
        The briefing's parameters (survey folders, threshold), passed to providers.
    today
        The date the pack is prepared (default: the build date every report page
        carries, :func:`councilpack.provenance.build_date`: today, UTC, or the day of
        ``SOURCE_DATE_EPOCH`` when it is set).

    Returns
    -------
    Briefing
        Front page facts, findings per theme chosen by
        :func:`councilpack.briefing.select.choose`, questions and what is not covered.
    """
    context = BriefingContext(session, dict(options or {}))
    analyses: list[AnalysisResult] = []
    missing: list[MissingAnalysis] = []
    for provider in PROVIDERS.values():
        try:
            analyses.append(provider.analyse(context))
        except NotSupplied as absent:
            missing.append(
                MissingAnalysis(
                    provider.name,
                    provider.title,
                    str(absent),
                    provider.themes,
                    provider.missing_question,
                    absent.remedy,
                )
            )
    missing.extend(gap for name, gap in PLANNED.items() if name not in PROVIDERS)
    candidates = [c for analysis in analyses for c in analysis.candidates]
    candidates.extend(
        Finding(gap.themes[0], _missing_sentence(gap), "missing_analysis") for gap in missing
    )
    findings = choose(candidates)
    not_covered = [f"{gap.title}: {gap.reason}." for gap in missing]
    if any(a.name == "finance" for a in analyses):
        not_covered.extend(
            f"{u.label}: not in the finance analysis; {_lower_first(u.reason)}"
            for u in unsupported_indicators()
        )
    not_covered.extend(NEVER_COVERED)
    council = session.council
    return Briefing(
        council_code=council.gss_code,
        council_name=council.name,
        council_type=council.council_type,
        region=council.region,
        prepared=day_words(today) if today is not None else build_date(),
        demo=session.is_demo,
        analyses=analyses,
        missing=missing,
        findings=findings,
        questions=questions_for(findings, missing),
        not_covered=not_covered,
    )
