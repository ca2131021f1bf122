"""The briefing's selection rules, questions, provider registry and escaping (demo data)."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest

from councilpack.briefing import prepare, render
from councilpack.briefing.model import AnalysisResult, Briefing, Finding, MissingAnalysis
from councilpack.briefing.providers import PLANNED, PROVIDERS, Provider, register
from councilpack.briefing.questions import MAX_QUESTIONS, TEMPLATES, fill
from councilpack.briefing.select import (
    IQR_THRESHOLD,
    MAX_PER_THEME,
    RULE_LIMITS,
    choose,
    finance_candidates,
    iqr_distance,
    reading,
)
from councilpack.data import open_data
from councilpack.figures import Figure
from councilpack.finance.analysis import analyse
from councilpack.session import ReportSession

COUNCIL = "X00000001"


@pytest.fixture(scope="module")
def session() -> ReportSession:
    return ReportSession.open("briefing", council=COUNCIL)


@pytest.fixture(scope="module")
def brief(session: ReportSession) -> Briefing:
    """The demo council's briefing, prepared once (tests must not change it)."""
    return prepare(session)


def test_iqr_distance_and_polarity() -> None:
    # (3.1 - 6.2) / (8.0 - 4.0) = -0.775 interquartile ranges
    assert iqr_distance(3.1, 6.2, 4.0, 8.0) == pytest.approx(-0.775)
    assert iqr_distance(1.0, 1.0, 2.0, 2.0) is None
    assert reading(-0.775, "higher_is_better") == "worse"
    assert reading(-0.775, "lower_is_better") == "better"
    assert reading(2.0, "neutral") == "different"


def test_choose_keeps_the_furthest_within_each_rule_limit() -> None:
    limit = RULE_LIMITS["furthest_from_median"]
    candidates = [
        Finding("finance", f"F{i}.", "furthest_from_median", float(i), "finance")
        for i in range(limit + 2)
    ]
    chosen = choose(candidates)["finance"]
    # The `limit` largest scores, largest first.
    assert [f.text for f in chosen] == [f"F{i}." for i in range(limit + 1, 1, -1)]


def test_choose_caps_each_theme() -> None:
    candidates = [
        Finding("capacity", f"{report}{i}.", "survey_change", float(i), report)
        for report in ("a", "b", "c")
        for i in range(3)
    ]
    assert len(choose(candidates)["capacity"]) == MAX_PER_THEME


def test_finance_candidates_follow_the_iqr_rule_recomputed_from_group_values() -> None:
    result = analyse(open_data(""), COUNCIL)
    candidates = {f.figure.id: f for f in finance_candidates(result) if f.figure is not None}
    for identifier, indicator in result.results.items():
        if indicator.value is None or identifier.startswith("reserves_"):
            continue
        if identifier == "unallocated_reserves_pct_nre":
            continue
        values = indicator.group_values["value"].astype(float).to_numpy()
        median = float(np.median(values))
        lower, upper = np.quantile(values, [0.25, 0.75])  # linear interpolation, as documented
        distance = (indicator.value - median) / (upper - lower) if upper > lower else math.nan
        position = indicator.positions[result.primary.kind]
        expected = (
            not math.isnan(distance)
            and abs(distance) >= IQR_THRESHOLD
            and position.position != "similar"
        )
        assert (identifier in candidates) == expected, identifier
        if expected:
            assert candidates[identifier].score == pytest.approx(abs(distance))
            # The finding is the detailed report's own sentence for the figure.
            assert candidates[identifier].text == indicator.sentence
    # The reserves position is always a candidate.
    assert {"unallocated_reserves_pct_nre", "reserves_sustainability"} <= set(candidates)


def test_demo_briefing_has_every_theme_links_and_questions(brief: Briefing) -> None:
    assert {a.name for a in brief.analyses} == {"finance", "outcomes", "residents", "workforce"}
    assert sum(len(v) for v in brief.findings.values()) > 5
    for findings in brief.findings.values():
        assert len(findings) <= MAX_PER_THEME
        for finding in findings:
            if finding.figure is not None:
                assert finding.link == f"{finding.report}.html#fig-{finding.figure.id}"
                # Figures are the analyses' own Figure objects (same values as the sidecars).
                source = next(a for a in brief.analyses if a.name == finding.report)
                assert finding.figure in source.figures
    assert 0 < len(brief.questions) <= MAX_QUESTIONS
    # Every planned analysis is registered: nothing is "not yet covered".
    assert brief.missing == []
    assert not any("not yet covered" in line for line in brief.not_covered)


def test_open_data_only_briefing_names_the_missing_surveys(
    session: ReportSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real council without survey folders: no residents' or staff survey.
    monkeypatch.setattr(ReportSession, "is_demo", property(lambda self: False))
    brief = prepare(session)
    assert [a.name for a in brief.analyses] == ["finance", "outcomes"]
    texts = [f.text for findings in brief.findings.values() for f in findings]
    assert any(t.startswith("No staff survey was supplied") for t in texts)
    assert any(t.startswith("No residents' survey was supplied") for t in texts)
    questions = [q.text for q in brief.questions]
    assert fill("missing_staff", {}) in questions
    html = render.front_page_html(brief)
    assert "Staff survey</strong>: not included; no staff survey was supplied." in html
    # The adviser's remedy in plain words, on the front page only.
    assert "Add the council&#x27;s staff survey folder to the pack to include it." in html
    # The peer team reads the briefing: no parameter names or other internal names in it.
    shown = [re.sub(r"<[^>]+>", " ", html), *texts, *questions, *brief.not_covered]
    for text in shown:
        assert "survey_dir" not in text
        assert "parameter" not in text
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
    assert "No staff survey was supplied, so this theme has no evidence" in " ".join(texts)
    # Every detailed report is named as a reader knows it.
    outcome = next(f for fs in brief.findings.values() for f in fs if f.report == "outcomes")
    assert "Evidence: outcomes report, " in render.findings_html(replace(brief, findings={
        outcome.theme: [outcome]}))  # fmt: skip
    # A reason after a semicolon reads on in lower case ("; borrowing levels ...").
    assert any("; borrowing levels" in line for line in brief.not_covered)
    assert not any(re.search(r"; [A-Z][a-z]", line) for line in brief.not_covered)


def test_another_analysis_plugs_in_with_one_registration(
    session: ReportSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    figure = Figure(
        id="outcomes.roads_red", label="Roads in poor condition", value=7.0, unit="percent",
        period="2023-24", source="DfT RDC0120",
    )  # fmt: skip
    finding = Finding("priorities", "Seven per cent of roads were red.", "furthest_from_median",
                      1.0, "outcomes", figure)  # fmt: skip

    def analyse_outcomes(context: object) -> AnalysisResult:
        return AnalysisResult("outcomes", "Service outcomes", "2023-24", "DfT", "", [figure],
                              [finding])  # fmt: skip

    # setitem is undone after the test; register() is the same one-line call. An analysis
    # listed as planned is reported as "not yet covered" until it is registered.
    monkeypatch.delitem(PROVIDERS, "outcomes")
    monkeypatch.setitem(PLANNED, "outcomes", MissingAnalysis(
        "outcomes", "Service outcomes", "service outcomes are not yet covered by this pack",
        ("priorities",), "missing_outcomes"))  # fmt: skip
    assert any("not yet covered" in line for line in prepare(session).not_covered)
    monkeypatch.setitem(PROVIDERS, "outcomes", Provider(
        "outcomes", "Service outcomes", ("priorities",), analyse_outcomes))  # fmt: skip
    brief = prepare(session)
    assert "outcomes" not in [m.name for m in brief.missing]
    assert not any("not yet covered" in line for line in brief.not_covered)
    assert finding in brief.findings["priorities"]
    assert figure in brief.figures
    assert finding.link == "outcomes.html#fig-outcomes.roads_red"


def test_register_adds_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("councilpack.briefing.providers.PROVIDERS", providers := {})
    provider = Provider("extra", "Extra", ("capacity",), lambda context: None)  # type: ignore[arg-type,return-value]
    assert register(provider) is provider
    assert providers == {"extra": provider}


def test_text_from_inputs_is_escaped(brief: Briefing) -> None:
    hostile = Finding("governance", "Staff in <script>alert(1)</script> & co.", "group_gap")
    html = render.findings_html(replace(brief, findings={"governance": [hostile]}))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in html


def test_every_template_fills_from_the_values_findings_give(brief: Briefing) -> None:
    for findings in brief.findings.values():
        for finding in findings:
            if finding.question:
                assert finding.question in TEMPLATES
                assert "{" not in fill(finding.question, finding.values)
    with pytest.raises(KeyError):
        fill("reserves_drawdown", {})


@pytest.mark.parametrize("council", ["X00000001", "X00000004", "X00000009", "X00000016"])
def test_the_rebuild_question_is_asked_only_below_the_median(council: str) -> None:
    """'What is the plan to rebuild them?' fits fewer years of reserves than the group's median.

    Knowsley's reserves would last 9.8 years against a median of 5.3 and were asked how it
    would rebuild them; above the median the question asks how the drawdown is planned.
    """
    briefing = prepare(ReportSession.open("briefing", council=council))
    asked = [
        f
        for findings in briefing.findings.values()
        for f in findings
        if f.question in ("reserves_drawdown", "reserves_drawdown_planned")
    ]
    for finding in asked:
        assert finding.figure is not None
        assert finding.figure.comparator is not None
        median = finding.figure.comparator.median
        assert median is not None
        assert finding.figure.value is not None
        below = finding.figure.value < median
        assert (finding.question == "reserves_drawdown") == below, (council, finding.text)


def test_prepared_date_is_the_build_date_of_every_page(
    session: ReportSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SOURCE_DATE_EPOCH fixes it as it fixes the footers' build date (byte-identical rebuilds)."""
    import datetime as dt

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(20_000 * 86_400))  # day 20,000 of 1970
    assert prepare(session).prepared == "4 October 2024"
    assert prepare(session, today=dt.date(2025, 3, 2)).prepared == "2 March 2025"
