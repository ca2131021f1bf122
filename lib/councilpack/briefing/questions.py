"""Questions for the peer team: templates filled from the findings they follow.

Each template is keyed; a finding names the key it prompts and carries the
values (already formatted text) the template needs. A key with no template,
or a template whose values are missing, is a programming error and raises.
"""

from __future__ import annotations

from councilpack.briefing.model import THEMES, Finding, MissingAnalysis, Question, ThemeId

#: Question templates, keyed by the finding's ``question`` key.
TEMPLATES: dict[str, str] = {
    "reserves_drawdown": (
        "Reserves would last {years} at the recent rate of drawdown: "
        "what is the plan to rebuild them?"
    ),
    "reserves_drawdown_planned": (
        "Reserves are being drawn down and would last {years} at the recent rate: how does "
        "the medium-term financial plan use them, and when does the drawdown stop?"
    ),
    "reserves_not_drawing": (
        "Reserves were not drawn down in the three years to {period}: what are they held "
        "for, and how does the council decide how much to keep?"
    ),
    "reserves_low": (
        "Unallocated reserves were {value} of net revenue expenditure in {period}, below the "
        "median of {group} ({median}): what level does the council judge prudent, and why?"
    ),
    "reserves_high": (
        "Reserves were {value} of net revenue expenditure in {period}, above the median of "
        "{group} ({median}): what are they held for, and over what period will they be used?"
    ),
    "finance_worse": (
        "{label} was {value} in {period} against a median of {median} for {group}: what "
        "explains the difference, and how does the medium-term financial plan respond?"
    ),
    "finance_different": (
        "{label} was {value} in {period} against a median of {median} for {group}: is the "
        "difference a deliberate choice, and what does it buy?"
    ),
    "outcome_worse_highways": (
        "{label} was {value} in {period} against a median of {median} for {group}: what is "
        "the plan for the condition of the network, and how is maintenance prioritised and funded?"
    ),
    "outcome_worse_waste": (
        "{label} was {value} in {period} against a median of {median} for {group}: what is "
        "the plan to improve it, and what do the council's collection arrangements allow?"
    ),
    "outcome_worse_asc": (
        "{label} was {value} in {period} against a median of {median} for {group}: what "
        "explains it, and what is the plan to improve outcomes for the people concerned?"
    ),
    "outcome_worse": (
        "{label} was {value} in {period} against a median of {median} for {group}: what "
        "explains the difference, and what is the plan to improve it?"
    ),
    "outcome_different": (
        "{label} was {value} in {period} against a median of {median} for {group}: what "
        "explains the difference, and is it what the council intends?"
    ),
    "residents_fall": (
        "Fewer residents said '{label}' in {period} than in {previous} ({value} against "
        "{before}): what does the council know about why, and what is it doing?"
    ),
    "residents_below_national": (
        "{value} of residents said '{label}' in {period}, below the national figure of "
        "{national}: how does the council read the gap?"
    ),
    "staff_fall": (
        "Fewer staff said '{label}' in the {period} survey than in {previous} ({value} against "
        "{before}): what is behind the fall, and what is being done?"
    ),
    "staff_gap": (
        "{who} were less positive than staff overall on '{label}' ({value} against "
        "{overall}): how are managers responding?"
    ),
    "hr_worse": (
        "{label} was {value} in {period} against {comparator} for {group}: what is driving "
        "it, and what is the plan?"
    ),
    "missing_residents": (
        "No residents' survey was supplied: how does the council know what residents think "
        "of it and its services?"
    ),
    "missing_staff": (
        "No staff survey was supplied: how does the council hear from its staff, and what "
        "has it heard?"
    ),
    "missing_outcomes": (
        "How does the council track the outcomes of its main services against its "
        "priorities, and which are off track?"
    ),
}

#: Most questions a briefing asks (it must fit on four pages).
MAX_QUESTIONS = 8


def fill(key: str, values: dict[str, str]) -> str:
    """Return the question of template ``key`` filled with ``values``.

    Examples
    --------
    >>> fill("reserves_drawdown", {"years": "3.5 years"})
    'Reserves would last 3.5 years at the recent rate of drawdown: what is the plan to rebuild them?'

    Raises
    ------
    KeyError
        An unknown template key or a value the template needs and did not get.
    """
    return TEMPLATES[key].format(**values)


def questions_for(
    findings: dict[ThemeId, list[Finding]], missing: list[MissingAnalysis]
) -> list[Question]:
    """Return the questions that follow from the chosen findings and the missing analyses.

    Rules: one question per finding that names a template, in theme order and,
    within a theme, in the order the findings are shown; then one per missing
    analysis with a question; at most :data:`MAX_QUESTIONS`, keeping at least
    one per theme that has any before a second for any theme.
    """
    per_theme: dict[ThemeId, list[Question]] = {theme: [] for theme in THEMES}
    for theme in THEMES:
        for finding in findings.get(theme, []):
            if finding.question:
                text = fill(finding.question, finding.values)
                per_theme[theme].append(Question(finding.theme, text, finding))
    for gap in missing:
        if gap.question:
            per_theme[gap.themes[0]].append(Question(gap.themes[0], fill(gap.question, {})))
    chosen: list[Question] = []
    depth = 0
    while len(chosen) < MAX_QUESTIONS and any(len(q) > depth for q in per_theme.values()):
        for theme in THEMES:
            if len(per_theme[theme]) > depth and len(chosen) < MAX_QUESTIONS:
                chosen.append(per_theme[theme][depth])
        depth += 1
    order = list(THEMES)
    return sorted(chosen, key=lambda q: order.index(q.theme))
