"""The rules that choose a briefing's findings, stated once, in code.

Candidates (built per analysis by the functions here):

- **Furthest from the comparator median** (finance and outcomes,
  :func:`furthest_from_median`): each indicator's distance
  from its primary comparator group's median in interquartile ranges,
  ``(value - median) / (upper quartile - lower quartile)``; candidates are
  those at least :data:`IQR_THRESHOLD` away and not "similar" (the indicator's
  own tolerance). The sign is read through polarity (better, worse, or just
  different for neutral indicators). Outcome measures (roads, waste, adult
  social care) are read in the like-with-like group the outcomes report uses
  for each, and go under local priorities and outcomes.
- **Reserves position** (finance): unallocated reserves as a share of NRE and
  reserves sustainability are always candidates, whatever their distance.
- **Not available that matters** (finance): a key indicator
  (:data:`KEY_FINANCE`) with no figure, with its reason.
- **Survey change and gap** (residents): an item whose latest wave differs
  significantly from the previous wave or from the national figure (5 per
  cent level); scored by the larger of the two differences in points.
- **Survey change** (staff): an item (or the eNPS) that changed significantly on
  the previous wave; **group gap**: a group significantly different from all
  staff; **comparator gap**: an HR figure beside its comparator.
- **Missing analysis**: an analysis that was not supplied or is not yet part of
  the pack, under the first theme it would inform.

Choice (:func:`choose`): per analysis and rule, the candidates with the
largest score, at most :data:`RULE_LIMITS` of each; then at most
:data:`MAX_PER_THEME` findings per theme. The order within a theme is the
order of the rules above, then score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from councilpack.briefing.model import THEMES, Finding, Rule, ThemeId
from councilpack.data import ComparatorGroup
from councilpack.figures import Figure
from councilpack.finance.analysis import FinanceAnalysis
from councilpack.finance.findings import group_phrase
from councilpack.finance.indicators import NOT_DRAWING_DOWN, IndicatorSpec
from councilpack.finance.position import GroupPosition
from councilpack.outcomes.analysis import OutcomesAnalysis
from councilpack.residents.analysis import ResidentsAnalysis
from councilpack.residents.wording import percent_text
from councilpack.vocabulary import Polarity, Reading
from councilpack.wording import format_value
from councilpack.workforce.analysis import WorkforceAnalysis

#: Distance from the median, in interquartile ranges, from which an indicator is a candidate.
IQR_THRESHOLD = 0.5
#: Finance indicators always reported as the reserves position.
RESERVES_POSITION: tuple[str, ...] = ("unallocated_reserves_pct_nre", "reserves_sustainability")
#: Finance indicators whose absence is itself a finding.
KEY_FINANCE: tuple[str, ...] = (
    "nre",
    "unallocated_reserves_pct_nre",
    "total_reserves_pct_nre",
    "reserves_sustainability",
)
#: Most findings taken per analysis from each rule.
RULE_LIMITS: dict[Rule, int] = {
    "missing_analysis": 1,
    "not_available": 2,
    "reserves_position": 2,
    "furthest_from_median": 3,
    "survey_change": 3,
    "comparator_gap": 2,
    "group_gap": 1,
    "survey_gap": 2,
}
#: Rule order within a theme.
RULE_ORDER: tuple[Rule, ...] = (
    "missing_analysis",
    "not_available",
    "reserves_position",
    "furthest_from_median",
    "survey_change",
    "survey_gap",
    "comparator_gap",
    "group_gap",
)
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
#: Most findings under one theme.
MAX_PER_THEME = 5
#: Question asked of a finance indicator far from the median, per reading.
FINANCE_QUESTIONS: dict[Reading, str] = {"worse": "finance_worse", "different": "finance_different"}
#: Question asked of an outcome worse than the median, per outcomes report theme.
OUTCOME_WORSE_QUESTIONS: dict[str, str] = {
    "Highways": "outcome_worse_highways",
    "Waste and recycling": "outcome_worse_waste",
    "Adult social care": "outcome_worse_asc",
}

#: Residents' items (LGA polling question set) -> theme.
RESIDENT_THEMES: dict[str, ThemeId] = {
    "satisfied_local_area": "priorities",
    "satisfied_council": "priorities",
    "keeps_informed": "leadership",
    "acts_on_concerns": "leadership",
    "trust_council": "governance",
    "value_for_money": "finance",
}
#: Staff codebook item themes -> briefing theme (anything else: capacity for improvement).
STAFF_THEMES: dict[str, ThemeId] = {
    "leadership": "leadership",
    "voice": "governance",
    "culture": "governance",
    "inclusion": "governance",
}


def iqr_distance(value: float, median: float, lower: float, upper: float) -> float | None:
    """Return ``(value - median) / (upper - lower)``, or ``None`` when the IQR is zero.

    Examples
    --------
    >>> iqr_distance(12.0, 8.0, 6.0, 10.0)
    1.0
    >>> iqr_distance(5.0, 5.0, 5.0, 5.0) is None
    True
    """
    spread = upper - lower
    if not spread or math.isnan(spread):
        return None
    return (value - median) / spread


#: Every way a distance from the median reads through polarity.
READINGS: tuple[Reading, ...] = ("better", "worse", "different")


def reading(distance: float, polarity: Polarity) -> Reading:
    """Return 'better', 'worse' or 'different' for a signed distance read through polarity."""
    if polarity == "higher_is_better":
        return "better" if distance > 0 else "worse"
    if polarity == "lower_is_better":
        return "better" if distance < 0 else "worse"
    return "different"


def finance_candidates(analysis: FinanceAnalysis) -> list[Finding]:
    """Return the finance analysis's candidate findings (rules in the module docstring).

    Parameters
    ----------
    analysis
        The council's finance analysis.
    """
    group = analysis.primary
    candidates: list[Finding] = []
    for identifier, result in analysis.results.items():
        figure = result.figures[0]
        spec = result.spec
        if not result.available:
            if identifier in KEY_FINANCE:
                candidates.append(
                    Finding("finance", result.sentence, "not_available", 0.0, "finance", figure)
                )
            continue
        position = result.positions.get(group.kind) if group is not None else None
        if position is None or group is None:
            continue
        distance = iqr_distance(
            position.value, position.median, position.lower_quartile, position.upper_quartile
        )
        values = position_values(spec, position, result.period, group)
        if identifier in RESERVES_POSITION:
            text, question = result.sentence, ""
            if identifier == "reserves_sustainability":
                if result.status == NOT_DRAWING_DOWN:
                    others = int((result.group_values["status"] == NOT_DRAWING_DOWN).sum()) - 1
                    text = (
                        f"In {result.period} the council was not drawing down its reserves "
                        "(unallocated and earmarked reserves were no lower than "
                        f"{_NUMBER_WORDS.get(spec.years, str(spec.years))} years earlier), nor were {others} of the other "
                        f"{position.group_size - 1} councils in {group_phrase(group)}."
                    )
                    question = "reserves_not_drawing"
                elif position.position == "below":
                    # Fewer years than the group's median: rebuilding is the question.
                    question = "reserves_drawdown"
                else:
                    question = "reserves_drawdown_planned"
                values["years"] = format_value(position.value, spec.unit)
            elif position.position == "below":
                question = "reserves_low"
            elif position.position == "above":
                question = "reserves_high"
            score = abs(distance) if distance is not None else 0.0
            candidates.append(
                Finding(
                    "finance", text, "reserves_position", score, "finance", figure, question, values
                )
            )
            continue
        finding = furthest_from_median(
            "finance", "finance", result.sentence, figure, spec, position, values, FINANCE_QUESTIONS
        )
        if finding is not None:
            candidates.append(finding)
    return candidates


def position_values(
    spec: IndicatorSpec, position: GroupPosition, period: str, group: ComparatorGroup
) -> dict[str, str]:
    """Return the values a position's question template is filled with (formatted text)."""
    return {
        "label": spec.label,
        "value": format_value(position.value, spec.unit),
        "median": format_value(position.median, spec.unit),
        "period": period,
        "group": group_phrase(group),
    }


def furthest_from_median(
    theme: ThemeId,
    report: str,
    sentence: str,
    figure: Figure,
    spec: IndicatorSpec,
    position: GroupPosition,
    values: dict[str, str],
    questions: Mapping[Reading, str],
) -> Finding | None:
    """Return the "furthest from the comparator median" candidate for one figure, or ``None``.

    The rule shared by every analysis positioned in a comparator group (finance,
    outcomes): a candidate when the figure is not "similar" by the indicator's
    own tolerance and at least :data:`IQR_THRESHOLD` interquartile ranges from
    the median; scored by that distance; its question is ``questions[reading]``
    for the distance read through polarity (``better``, ``worse``, ``different``).

    Parameters
    ----------
    theme, report
        The briefing theme and the detailed report that backs the finding.
    sentence, figure
        The finding's sentence and the sidecar figure it states.
    spec, position
        The indicator and its position in the comparator group.
    values
        Values for the question template (:func:`position_values`).
    questions
        Question template key per reading; a reading with none asks nothing.
    """
    distance = iqr_distance(
        position.value, position.median, position.lower_quartile, position.upper_quartile
    )
    if position.position == "similar" or distance is None or abs(distance) < IQR_THRESHOLD:
        return None
    question = questions.get(reading(distance, spec.polarity), "")
    return Finding(
        theme,
        sentence,
        "furthest_from_median",
        abs(distance),
        report,
        figure,
        question,
        values,
    )


def outcome_question(theme: str, read: Reading) -> str:
    """Return the question key for an outcome figure of a report theme read as ``read``.

    Examples
    --------
    >>> outcome_question("Highways", "worse")
    'outcome_worse_highways'
    >>> outcome_question("Libraries", "worse")
    'outcome_worse'
    >>> outcome_question("Highways", "better")
    ''
    """
    if read == "worse":
        return OUTCOME_WORSE_QUESTIONS.get(theme, "outcome_worse")
    if read == "different":
        return "outcome_different"
    return ""


def outcomes_candidates(analysis: OutcomesAnalysis) -> list[Finding]:
    """Return the outcomes analysis's candidate findings, all under local priorities and outcomes.

    The same rule as finance (:func:`furthest_from_median`), applied to each
    measure's position in the like-with-like group the outcomes report names
    for it; the finding is the report's own sentence and sidecar figure.

    Parameters
    ----------
    analysis
        The council's outcomes analysis.
    """
    candidates: list[Finding] = []
    for result in analysis.results.values():
        position, group = result.position, result.group
        if not result.available or position is None or group is None:
            continue
        spec = result.spec.indicator
        questions: dict[Reading, str] = {
            read: outcome_question(result.spec.theme, read) for read in READINGS
        }
        finding = furthest_from_median(
            "priorities",
            "outcomes",
            result.sentence,
            result.figures[0],
            spec,
            position,
            # "(%)" in a catalogue label reads badly inside a question's sentence.
            position_values(spec, position, result.period, group)
            | {"label": spec.label.removesuffix(" (%)")},
            questions,
        )
        if finding is not None:
            candidates.append(finding)
    return candidates


def _without_base(figure: Figure) -> str:
    """Return a residents' figure's sentence without its base (kept in the detailed report)."""
    return figure.sentence.replace(f" ({figure.note})", "", 1) if figure.note else figure.sentence


def residents_candidates(analysis: ResidentsAnalysis) -> list[Finding]:
    """Return the residents' survey's candidate findings for its latest wave.

    Parameters
    ----------
    analysis
        The council's residents' survey analysis; its findings are the figures
        the residents' report publishes.
    """
    latest = analysis.waves[-1]
    by_id = {f.id: f for f in analysis.findings}
    changes = analysis.changes[analysis.changes["wave"] == latest].set_index("item")
    national = analysis.national[analysis.national["wave"] == latest].set_index("item")
    candidates = []
    for item in analysis.estimates.loc[analysis.estimates["wave"] == latest, "item"]:
        figure = by_id.get(f"residents.{item}.{latest}")
        if figure is None or figure.value is None:
            continue
        values = {
            "label": figure.label,
            "value": percent_text(figure.value),
            "period": latest,
        }
        # Change on the previous wave and gap to the national figure, in points (0 if none).
        change_points = gap_points = 0.0
        changed = differs = False
        if item in changes.index:
            change = changes.loc[item]
            changed = bool(change["significant"])
            change_points = float(change["change_points"]) if changed else 0.0
        if item in national.index:
            gap = national.loc[item]
            differs = gap["direction"] != "similar"
            gap_points = float(gap["difference_points"]) if differs else 0.0
        if not (changed or differs):
            continue
        question = ""
        if change_points < 0:
            question = "residents_fall"
            values |= {
                "previous": str(change["previous_wave"]),
                "before": percent_text(float(change["previous_percent"])),
            }
        elif gap_points < 0:
            question = "residents_below_national"
            values["national"] = percent_text(float(gap["national_percent"]))
        score = max(abs(change_points), abs(gap_points))
        candidates.append(
            Finding(
                RESIDENT_THEMES.get(str(item), "priorities"),
                _without_base(figure),
                "survey_change" if changed else "survey_gap",
                score,
                "residents",
                figure,
                question,
                values,
            )
        )
    return candidates


def _staff_sentence(figure: Figure) -> str:
    text = figure.sentence
    return f"In the {figure.period} staff survey, {text[0].lower()}{text[1:]}"


def workforce_candidates(analysis: WorkforceAnalysis) -> list[Finding]:
    """Return the staff survey's candidate findings (latest wave).

    Parameters
    ----------
    analysis
        The council's staff survey analysis.
    """
    codebook = analysis.codebook
    candidates = []
    for figure in analysis.findings:
        comparator = figure.comparator
        if figure.value is None or comparator is None or comparator.value is None:
            continue
        difference = figure.value - comparator.value

        def text(value: float, figure: Figure = figure) -> str:
            # At the figure's own precision: survey percentages read as the staff survey
            # report words them (whole per cent), HR figures as published.
            return format_value(value, figure.unit, figure.decimals)

        values = {
            "label": figure.label.removesuffix(" (% positive)").removeprefix("Engagement index: "),
            "value": text(figure.value),
            "period": figure.period,
        }
        if figure.id.startswith(("workforce.positive.", "workforce.enps")):
            if comparator.position not in ("above", "below"):
                continue
            item = figure.id.removeprefix("workforce.positive.")
            theme: ThemeId = "capacity"
            if item in codebook.codebook.items:
                theme = STAFF_THEMES.get(codebook.theme(item) or "", "capacity")
            question = ""
            if comparator.position == "below" and figure.unit == "percent":
                question = "staff_fall"
                values |= {
                    "previous": comparator.group.removesuffix(" staff survey"),
                    "before": text(comparator.value),
                }
            candidates.append(
                Finding(
                    theme,
                    _staff_sentence(figure),
                    "survey_change",
                    abs(difference),
                    "workforce",
                    figure,
                    question,
                    values,
                )
            )
        elif figure.id.startswith("workforce.gap."):
            question = "staff_gap" if difference < 0 else ""
            values |= {
                "label": figure.label.split(": ", 1)[0],
                # "Staff in Adult Social Care", as the gap sentence names the group.
                "who": figure.sentence.split(" were ", 1)[0],
                "overall": text(comparator.value),
            }
            candidates.append(
                Finding(
                    "governance",
                    _staff_sentence(figure),
                    "group_gap",
                    abs(difference),
                    "workforce",
                    figure,
                    question,
                    values,
                )
            )
        elif figure.id.startswith("workforce.hr."):
            values |= {
                "comparator": format_value(comparator.value, figure.unit),
                "group": comparator.group,
            }
            # Sickness absence and turnover: higher is the concern.
            question = "hr_worse" if difference > 0 else ""
            candidates.append(
                Finding(
                    "capacity",
                    figure.sentence,
                    "comparator_gap",
                    abs(difference) / abs(comparator.value) if comparator.value else 0.0,
                    "workforce",
                    figure,
                    question,
                    values,
                )
            )
    return candidates


def choose(candidates: Iterable[Finding]) -> dict[ThemeId, list[Finding]]:
    """Return the chosen findings per theme (rules in the module docstring).

    Examples
    --------
    >>> a = Finding("finance", "A.", "furthest_from_median", 2.0, "finance")
    >>> b = Finding("finance", "B.", "furthest_from_median", 0.7, "finance")
    >>> c = Finding("finance", "C.", "reserves_position", 0.1, "finance")
    >>> [f.text for f in choose([b, a, c])["finance"]]
    ['C.', 'A.', 'B.']
    """
    grouped: dict[tuple[str, Rule], list[Finding]] = {}
    for finding in candidates:
        # Limits are per analysis; a missing analysis has no report, so is its own group.
        source = finding.report or finding.text
        grouped.setdefault((source, finding.rule), []).append(finding)
    kept: list[Finding] = []
    for (_, rule), items in grouped.items():
        items.sort(key=lambda f: -f.score)
        kept.extend(items[: RULE_LIMITS[rule]])
    kept.sort(key=lambda f: (RULE_ORDER.index(f.rule), -f.score))
    chosen: dict[ThemeId, list[Finding]] = {theme: [] for theme in THEMES}
    for finding in kept:
        if len(chosen[finding.theme]) < MAX_PER_THEME:
            chosen[finding.theme].append(finding)
    return chosen
