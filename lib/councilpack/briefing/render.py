"""The briefing as HTML blocks for the notebook to display.

Every piece of text that came from an input file (council names, survey
titles, group names, sources) is escaped here: it is data, never markup.
"""

from __future__ import annotations

import html

from councilpack.briefing import select
from councilpack.briefing.model import THEMES, Briefing, Finding
from councilpack.briefing.questions import MAX_QUESTIONS

REPORT_TITLES = {
    "finance": "finance report",
    "outcomes": "outcomes report",
    "residents": "residents' survey report",
    "workforce": "staff survey report",
}
#: Id of the briefing's section listing what it does not cover.
NOT_COVERED_ID = "not-covered"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def theme_id(theme: str) -> str:
    """Return the HTML id of a theme's block of findings."""
    return f"theme-{theme}"


def front_page_html(briefing: Briefing) -> str:
    """Return the front page: council, type, region, comparators, data years, date, sources."""
    rows = [
        ("Council", f"{briefing.council_name} ({briefing.council_code})"),
        ("Type", briefing.council_type),
        ("Region", briefing.region),
        ("Comparator groups", briefing.comparator or "none"),
        ("Data years used", briefing.data_years or "none"),
        ("Prepared", briefing.prepared),
    ]
    cells = "".join(f"<tr><th scope='row'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    sources = "".join(
        f"<li><strong>{_e(a.title)}</strong>: {_e(a.source)} "
        f"(<a href='{_e(a.name)}.html'>detailed {_e(REPORT_TITLES.get(a.name, a.name))}</a>)</li>"
        for a in briefing.analyses
    )
    sources += "".join(
        f"<li><strong>{_e(m.title)}</strong>: not included; {_e(m.reason)}."
        f"{' ' + _e(m.remedy) if m.remedy else ''}</li>"
        for m in briefing.missing
    )
    demo = (
        "<p class='cp-briefing-demo'><strong>Fictional demonstration council:</strong> "
        "no figure here describes a real council.</p>"
        if briefing.demo
        else ""
    )
    return (
        f"<div class='cp-briefing-front' id='front-page'>{demo}"
        "<table class='cp-briefing-facts'><caption>About this briefing</caption>"
        f"<tbody>{cells}</tbody></table>"
        f"<p>Where each analysis came from:</p><ul>{sources}</ul></div>"
    )


def _finding_html(finding: Finding) -> str:
    if finding.link:
        label = finding.figure.label if finding.figure is not None else ""
        where = REPORT_TITLES.get(finding.report, finding.report)
        link = (
            f" <a class='cp-evidence' href='{_e(finding.link)}'>"
            f"Evidence: {_e(where)}{', ' + _e(label) if label else ''}</a>"
        )
    else:
        link = f" <a class='cp-evidence' href='#{NOT_COVERED_ID}'>What is not covered</a>"
    return f"<li>{_e(finding.text)}{link}</li>"


def findings_html(briefing: Briefing) -> str:
    """Return the key findings under the five peer challenge themes."""
    blocks = []
    for theme, title in THEMES.items():
        items = briefing.findings.get(theme, [])
        absent = [m.title.lower() for m in briefing.missing if theme in m.themes]
        if items:
            body = f"<ul class='cp-findings'>{''.join(_finding_html(f) for f in items)}</ul>"
        elif absent:
            body = (
                "<p>No finding met the selection rules for this theme; the "
                f"{_e(' and the '.join(absent))}, which would inform it, "
                f"{'is' if len(absent) == 1 else 'are'} not part of this pack.</p>"
            )
        else:
            body = "<p>No finding met the selection rules for this theme.</p>"
        blocks.append(
            f"<div class='cp-theme' id='{theme_id(theme)}'><h3>{_e(title)}</h3>{body}</div>"
        )
    return "".join(blocks)


def questions_html(briefing: Briefing) -> str:
    """Return the questions for the peer team, numbered, with their theme."""
    if not briefing.questions:
        return "<p>No question follows from the findings.</p>"
    items = "".join(
        f"<li>{_e(q.text)} <span class='cp-question-theme'>({_e(THEMES[q.theme])})</span></li>"
        for q in briefing.questions
    )
    return f"<ol class='cp-questions' id='questions'>{items}</ol>"


def not_covered_html(briefing: Briefing) -> str:
    """Return what the pack does not cover and why."""
    items = "".join(f"<li>{_e(line)}</li>" for line in briefing.not_covered)
    return f"<ul class='cp-not-covered' id='{NOT_COVERED_ID}'>{items}</ul>"


def method_html() -> str:
    """Return how findings and questions were chosen (the rules of :mod:`select`)."""
    limits = select.RULE_LIMITS
    lines = [
        (
            "Findings are chosen by fixed rules, not by hand. For finance, each indicator's "
            "distance from the median of the primary comparator group is measured in "
            "interquartile ranges ((value minus median) divided by (upper minus lower quartile)) "
            f"and read through its polarity; indicators at least {select.IQR_THRESHOLD} "
            "interquartile ranges away and outside the indicator's 'similar' tolerance are "
            f"candidates, and the {limits['furthest_from_median']} furthest are shown."
        ),
        (
            "The reserves position (unallocated reserves as a share of net revenue expenditure "
            "and how long reserves would last at the recent rate of drawdown) is always shown, and "
            "a key finance figure that is not available is reported with its reason."
        ),
        (
            "Survey findings are changes on the previous wave and gaps to the national figure that "
            "are statistically significant at the 5 per cent level, largest first "
            f"(at most {limits['survey_change']} changes per survey); for staff, the "
            f"{limits['group_gap']} widest significant gap between a group and all staff, and HR "
            "figures beside their comparator."
        ),
        (
            "An analysis that was not supplied is reported under the theme it would inform. "
            f"At most {select.MAX_PER_THEME} findings are shown per theme."
        ),
        (
            "Each question for the peer team is filled in from a template that follows from a "
            f"finding or a missing analysis; at most {MAX_QUESTIONS}, at least one per theme "
            "that has any before a second for any theme."
        ),
        (
            "Every figure is the same figure, with the same rounding, as in the detailed report "
            "its link opens."
        ),
    ]
    return f"<div class='cp-method'>{''.join(f'<p>{_e(line)}</p>' for line in lines)}</div>"
