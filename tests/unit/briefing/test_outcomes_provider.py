"""Outcome findings in the briefing: selected by the finance rule, linked to the outcomes report."""

from __future__ import annotations

import numpy as np
import pytest

from councilpack.briefing import prepare
from councilpack.briefing.providers import PROVIDERS, BriefingContext
from councilpack.briefing.questions import TEMPLATES, fill
from councilpack.briefing.select import IQR_THRESHOLD, OUTCOME_WORSE_QUESTIONS, outcomes_candidates
from councilpack.demo import demo_context
from councilpack.demo.generator import demo_outcome_metrics
from councilpack.figures import figure_anchor
from councilpack.outcomes import analyse
from councilpack.outcomes.analysis import outcome_specs
from councilpack.session import ReportSession

ALDERMOOR = "X00000001"
DEMO = ("X00000001", "X00000002", "X00000003")


def _raw(metric: str, period: str, codes: tuple[str, ...]) -> dict[str, float]:
    """Demo generator rows for one metric and year, by council (not the data context)."""
    rows = demo_outcome_metrics()
    hit = rows[(rows["metric"] == metric) & (rows["period"] == period)]
    return {c: float(v) for c, v in zip(hit["gss_code"], hit["value"], strict=True) if c in codes}


def test_aldermoor_information_finding_by_hand() -> None:
    result = analyse(demo_context(), ALDERMOOR)
    found = {f.figure.id: f for f in outcomes_candidates(result) if f.figure is not None}
    # Aldermoor's demo nearest neighbours, ASC3 2023-24, sorted: 57.1 (Aldermoor), 60.1, 64.6,
    # 66.0, 86.9. Linear quartiles of five values sit on the 2nd, 3rd and 4th: 60.1, 64.6, 66.0.
    # Distance = (57.1 - 64.6) / (66.0 - 60.1) = -7.5 / 5.9 = -1.271 interquartile ranges;
    # higher is better, so worse than the group.
    finding = found["asc_users_finding_information_easy"]
    assert finding.score == pytest.approx(7.5 / 5.9)
    assert finding.theme == "priorities"
    assert finding.rule == "furthest_from_median"
    assert finding.question == "outcome_worse_asc"
    assert finding.values["value"] == "57.1 per cent"
    assert finding.values["median"] == "64.6 per cent"
    # "(%)" of the catalogue label is dropped inside the question's sentence.
    assert fill(finding.question, finding.values).startswith(
        "Service users finding information easy to find was 57.1 per cent in 2023-24"
    )


@pytest.mark.parametrize("code", DEMO)
def test_every_outcome_candidate_is_recomputed_from_the_group_values(code: str) -> None:
    result = analyse(demo_context(), code)
    found = {f.figure.id: f for f in outcomes_candidates(result) if f.figure is not None}
    checked = 0
    for identifier, outcome in result.results.items():
        if outcome.value is None or outcome.group is None or outcome.position is None:
            assert identifier not in found
            continue
        values = _raw(identifier, outcome.period, outcome.group.members)
        # numpy's default percentile is linear interpolation, as the report states.
        lower, median, upper = np.percentile(list(values.values()), [25, 50, 75])
        distance = (values[code] - median) / (upper - lower) if upper > lower else None
        far = distance is not None and abs(distance) >= IQR_THRESHOLD
        if outcome.position.position == "similar" or not far:
            assert identifier not in found, identifier
            continue
        assert distance is not None
        finding = found[identifier]
        assert finding.score == pytest.approx(abs(distance))
        polarity = outcome.spec.indicator.polarity
        worse = (distance < 0) if polarity == "higher_is_better" else (distance > 0)
        if polarity == "neutral":
            assert finding.question == "outcome_different"
        elif worse:
            expected = OUTCOME_WORSE_QUESTIONS.get(outcome.spec.theme, "outcome_worse")
            assert finding.question == expected
        else:
            assert finding.question == ""
        checked += 1
    assert checked == len(found)


def test_every_outcome_theme_worse_has_a_question_template() -> None:
    themes = {spec.theme for spec in outcome_specs().values()}
    assert themes <= set(OUTCOME_WORSE_QUESTIONS)
    for key in (*OUTCOME_WORSE_QUESTIONS.values(), "outcome_worse", "outcome_different"):
        assert key in TEMPLATES


@pytest.mark.parametrize("code", DEMO)
def test_briefing_outcome_findings_are_the_outcomes_sidecar_figures(code: str) -> None:
    session = ReportSession.open("briefing", council=code)
    brief = prepare(session)
    outcomes = next(a for a in brief.analyses if a.name == "outcomes")
    # What the outcomes notebook publishes (its sidecar and its fig- anchored table rows).
    published = analyse(session.data, code).figures
    assert outcomes.figures == published
    chosen = [f for f in brief.findings["priorities"] if f.report == "outcomes"]
    assert chosen, "the demo council has outcome findings"
    anchors = {figure_anchor(f.id) for f in published}
    for finding in chosen:
        assert finding.figure in published
        assert finding.text == finding.figure.sentence
        assert finding.link == f"outcomes.html#{finding.figure.anchor}"
        assert finding.figure.anchor in anchors


def test_outcomes_provider_is_registered_for_priorities() -> None:
    provider = PROVIDERS["outcomes"]
    assert provider.themes == ("priorities",)
    result = provider.analyse(BriefingContext(ReportSession.open("briefing", council=ALDERMOOR)))
    # Aldermoor's latest figure for every outcome measure is for 2023-24 (demo generator).
    rows = demo_outcome_metrics()
    mine = rows[(rows["gss_code"] == ALDERMOOR) & rows["metric"].isin(list(outcome_specs()))]
    latest = mine.groupby("metric")["period"].max()
    assert set(latest) == {"2023-24"}
    assert result.period == "2023-24"
    assert "limited to councils that run each service" in result.comparator
