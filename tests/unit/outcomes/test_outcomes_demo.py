"""Outcome analysis on the fictional demo councils and on a catalogue with one more entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from councilpack.catalogue import CATALOGUE_DIR, load_catalogue
from councilpack.demo import demo_context
from councilpack.demo.generator import demo_outcome_metrics
from councilpack.outcomes import analyse
from councilpack.outcomes.analysis import outcome_specs

GREYWATER, ALDERMOOR, OAKHAVEN = "X00000007", "X00000001", "X00000014"


def _value(code: str, metric: str, period: str) -> float:
    rows = demo_outcome_metrics()
    hit = rows[(rows["gss_code"] == code) & (rows["metric"] == metric) & (rows["period"] == period)]
    return float(hit["value"].iloc[0])


def test_roads_against_the_demo_neighbours() -> None:
    data = demo_context()
    result = analyse(data, GREYWATER).results["roads_principal_maintenance_pct"]
    group = next(g for g in data.groups_for(GREYWATER) if g.kind == "nearest_neighbours")
    values = [_value(m, "roads_principal_maintenance_pct", "2023-24") for m in group.members]
    assert result.value == _value(GREYWATER, "roads_principal_maintenance_pct", "2023-24")
    assert result.position is not None
    assert result.position.median == pd.Series(values).median()
    # Lower is better: the rank counts the councils with a lower share, plus one.
    assert result.position.rank == 1 + sum(v < result.value for v in values)


def test_missing_year_is_said_with_its_reason() -> None:
    result = analyse(demo_context(), GREYWATER).results["roads_non_principal_maintenance_pct"]
    assert result.period == "2022-23"
    assert "There is no figure for 2023-24" in result.sentence
    assert result.figures[0].sentence == result.sentence  # the sidecar says it too
    assert result.figures[0].note.startswith("no figure for 2023-24")


def test_waste_is_compared_within_the_same_role() -> None:
    data = demo_context()
    result = analyse(data, ALDERMOOR).results["household_waste_reuse_recycling_composting"]
    assert result.group is not None
    roles = data.metric("waste_authority_role", "2023-24").set_index("gss_code")["value"]
    assert {roles[m] for m in result.group.members} == {1.0}  # collection authorities only
    assert "waste collection authorities" in result.group.label


def test_district_has_no_roads_or_social_care() -> None:
    results = analyse(demo_context(), OAKHAVEN).results
    assert results["roads_principal_maintenance_pct"].reason.startswith("not applicable")
    assert results["asc_workforce_turnover_rate"].reason.startswith("not applicable")
    assert results["household_waste_reuse_recycling_composting"].available


def test_a_new_outcome_needs_only_a_catalogue_entry(tmp_path: Path) -> None:
    for path in Path(CATALOGUE_DIR).glob("*.yml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "extra.yml").write_text(
        "metrics:\n"
        "- id: fly_tipping_per_1000\n"
        "  label: Fly-tipping incidents per 1,000 people\n"
        "  unit: count\n"
        "  polarity: lower_is_better\n"
        "  definition: A test entry.\n"
        "  source: demo\n"
        "  outcome:\n"
        "    theme: Environment\n"
        "    applies_to: [Non-metropolitan district]\n"
        "    not_applicable_reason: collection authorities only\n",
        encoding="utf-8",
    )
    specs = outcome_specs(load_catalogue(tmp_path))
    assert "fly_tipping_per_1000" in specs
    assert specs["fly_tipping_per_1000"].theme == "Environment"
    assert specs["fly_tipping_per_1000"].indicator.polarity == "lower_is_better"


@pytest.mark.parametrize("code", [ALDERMOOR, OAKHAVEN])
def test_every_figure_has_a_sentence(code: str) -> None:
    analysis = analyse(demo_context(), code)
    assert all(f.sentence for f in analysis.figures)
    assert len(analysis.table()) == len(outcome_specs())


def test_findings_frame_reads_position_through_polarity() -> None:
    frame = analyse(demo_context(), GREYWATER).findings_frame()
    roads = frame.set_index("id").loc["roads_principal_maintenance_pct"]
    # Lower is better: below the median reads as better.
    expected = {"below": "better", "above": "worse", "similar": "similar"}
    result = analyse(demo_context(), GREYWATER).results["roads_principal_maintenance_pct"]
    assert result.position is not None
    assert roads["reading"] == expected[result.position.position]
    assert roads["outside_middle_half"] == (
        not result.position.lower_quartile <= result.value <= result.position.upper_quartile
    )
    assert set(frame["theme"]) >= {"Highways", "Waste and recycling", "Adult social care"}


def test_charts_are_chart_results_with_their_table() -> None:
    from councilpack.charts import ChartResult
    from councilpack.outcomes import report

    analysis = analyse(demo_context(), GREYWATER)
    identifier = "roads_principal_maintenance_pct"
    comparator = report.comparator_chart(analysis, identifier)
    trend = report.trend_chart(analysis, identifier)
    assert isinstance(comparator, ChartResult)
    assert isinstance(trend, ChartResult)
    group = analysis.results[identifier].group
    assert group is not None
    # One row per council of the group with a figure; the council is marked in words.
    assert len(comparator.table) == len(analysis.results[identifier].group_values)
    assert sum(comparator.table["Council"].str.endswith("(this council)")) == 1
    assert comparator.table_caption.endswith("(alphabetical)")
    assert trend.table_caption.endswith(group.label)
