"""Synthetic waves with known truth, file formats, findings and charts end to end."""

from __future__ import annotations

import math

import pandas as pd
import pyreadstat
import pytest

from councilpack.charts import ChartResult
from councilpack.workforce import (
    ENGAGEMENT_INDEX_ITEMS,
    StaffCodebook,
    analyse_waves,
    generate_staff_waves,
)
from councilpack.workforce.charts import group_gap_chart, item_trend_chart
from councilpack.workforce.synthetic import (
    CHARACTERISTICS,
    DIRECTORATES,
    EXAMPLE_CODEBOOK,
    ITEMS,
    SyntheticStaffSurvey,
)


@pytest.fixture(scope="module")
def survey() -> SyntheticStaffSurvey:
    return generate_staff_waves(seed=7)


@pytest.fixture(scope="module")
def analysis(survey: SyntheticStaffSurvey):
    return analyse_waves(survey.waves, survey.codebook, survey.invited)


def test_generator_is_deterministic_and_realistic(survey: SyntheticStaffSurvey) -> None:
    again = generate_staff_waves(seed=7)
    for wave, frame in survey.waves.items():
        pd.testing.assert_frame_equal(frame, again.waves[wave])
    assert not generate_staff_waves(seed=8).waves["2024"].equals(survey.waves["2024"])
    assert len(survey.waves) >= 3
    counts = survey.respondents["2024"]
    assert min(counts.values()) < 10  # a small directorate
    rates = {d: counts[d] / survey.invited["2024"].by_group[d] for d in counts}  # type: ignore[index]
    assert max(rates.values()) - min(rates.values()) > 0.2  # response varies by directorate


def test_example_codebook_describes_the_synthetic_files() -> None:
    codebook = StaffCodebook.from_yaml(EXAMPLE_CODEBOOK)
    for item_id, (column, label, theme, statement, _) in ITEMS.items():
        spec = codebook.codebook.items[item_id]
        assert (spec.column, spec.label, spec.theme) == (column, label, theme)
        assert codebook.statement(item_id) == statement
    assert list(codebook.codebook.groups["directorate"].categories or {}) == list(DIRECTORATES)
    for group_id, (column, categories) in CHARACTERISTICS.items():
        spec = codebook.codebook.groups[group_id]
        assert spec.column == column
        assert list(spec.categories or {}) == list(categories)
    assert codebook.workforce.engagement_index == list(ENGAGEMENT_INDEX_ITEMS)


def test_all_staff_estimates_recover_the_truth(survey, analysis) -> None:
    items = analysis.items
    items = items[items["variable"] == "all_staff"]
    truth = survey.truth.set_index(["wave", "item", "variable", "group"])["positive_pct"]
    for _, row in items.iterrows():
        true = truth[(row["wave"], row["item"], "all_staff", "All staff")]
        se = 100 * math.sqrt(true / 100 * (1 - true / 100) / row["base"])
        assert abs(row["positive_pct"] - true) < 4 * se, (row["wave"], row["item"])
    enps = analysis.enps
    for _, row in enps[enps["variable"] == "all_staff"].iterrows():
        true = truth[(row["wave"], "enps", "all_staff", "All staff")]
        assert abs(row["enps"] - true) < 10


def test_big_change_is_found_significant(analysis) -> None:
    # Truth: satisfied overall 57 -> 60 -> 72 per cent (times 0.97 for don't know).
    trends = analysis.trends
    row = trends[
        (trends["variable"] == "all_staff")
        & (trends["wave"] == "2024")
        & (trends["item"] == "satisfied_overall")
    ].iloc[0]
    assert row["direction_vs_first"] == "improved"


def test_no_unsafe_cell_leaves_the_analysis(survey, analysis) -> None:
    responses = analysis.responses
    directorate = responses[
        (responses["variable"] == "directorate") & (responses["group"] == "Public Health")
    ]
    assert not directorate["published"].any()  # under 10 in every wave
    for name in ("responses", "items", "themes", "enps"):
        table = analysis.table(name)
        hidden = table[~table["published"]]
        value_columns = [
            c
            for c in ("respondents", "base", "positive_pct", "enps", "response_rate_pct", "gap_pp")
            if c in table.columns
        ]
        assert hidden[value_columns].isna().all().all(), name
        assert hidden["note"].str.startswith("[c]").all()
    # tables are copies: changing one does not change the analysis
    copy = analysis.items
    copy.loc[:, "positive_pct"] = 0
    assert analysis.items["positive_pct"].max() > 0


def test_findings_are_backed_by_figures(analysis) -> None:
    ids = [f.id for f in analysis.findings]
    assert len(ids) == len(set(ids))
    for finding in analysis.findings:
        assert finding.sentence.endswith(".")
        assert finding.value is not None
        assert finding.period
        assert finding.source
    engagement = [f for f in analysis.findings if f.label.startswith("Engagement index")]
    assert len(engagement) == len(ENGAGEMENT_INDEX_ITEMS)
    assert not any("Public Health" in f.sentence for f in analysis.findings)


def test_same_results_from_csv_xlsx_and_sav(tmp_path, survey) -> None:
    waves = {}
    for position, (wave, frame) in enumerate(survey.waves.items()):
        suffix = (".csv", ".xlsx", ".sav")[position % 3]
        path = tmp_path / f"staff-{wave}{suffix}"
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        elif suffix == ".xlsx":
            frame.to_excel(path, index=False)
        else:
            pyreadstat.write_sav(frame, str(path))
        waves[wave] = path
    from_files = analyse_waves(waves, EXAMPLE_CODEBOOK, survey.invited)
    in_memory = analyse_waves(survey.waves, survey.codebook, survey.invited)
    pd.testing.assert_frame_equal(from_files.items, in_memory.items)
    assert [f.sentence for f in from_files.findings] == [f.sentence for f in in_memory.findings]


def test_trend_chart_has_description_and_table(analysis) -> None:
    result = item_trend_chart(analysis, items=ENGAGEMENT_INDEX_ITEMS)
    assert isinstance(result, ChartResult)
    assert result.table_caption == "Data for this chart"
    spec = result.chart.to_dict()
    assert spec["mark"]["type"] == "line"
    # no colours chosen here: the theme's palette is left to do its work
    assert "color" not in spec["mark"]
    assert "scale" not in spec["encoding"]["color"]
    assert set(result.table["Wave"]) == set(analysis.waves)
    assert result.table["Item"].nunique() == len(ENGAGEMENT_INDEX_ITEMS)
    assert result.description.startswith("Line chart of the percentage of all staff")
    assert result.description.endswith(".")
    assert len(spec["title"].split()) <= 10


def test_gap_chart_leaves_out_suppressed_groups(analysis) -> None:
    result = group_gap_chart(analysis, "satisfied_overall", "directorate")
    assert isinstance(result, ChartResult)
    assert "Public Health" not in set(result.table["Directorate"])
    assert "withheld to protect small groups" in result.description
    assert result.description.endswith(".")
    spec = result.chart.to_dict()
    assert len(spec["title"].split()) <= 10
    with pytest.raises(ValueError, match="more than 10 words"):
        item_trend_chart(analysis, title="A title that goes on and on for far too many words")


def test_display_tables_mark_suppressed_cells(analysis) -> None:
    engagement = analysis.display("engagement", "positive_pct")
    assert list(engagement.columns) == list(analysis.waves)
    assert len(engagement) == len(ENGAGEMENT_INDEX_ITEMS)
    by_directorate = analysis.display("items", "positive_pct", "directorate")
    assert (by_directorate.xs("Public Health", level="group") == "[c]").all().all()
    responses = analysis.display("responses", "response_rate_pct", "directorate", decimals=1)
    assert responses.loc["Public Health"].tolist() == ["[c]"] * len(analysis.waves)


def test_survey_figures_carry_base_and_95_percent_interval(analysis) -> None:
    import math
    import re

    checked = 0
    for figure in analysis.findings:
        if not figure.id.startswith(("workforce.positive.", "workforce.gap.")):
            continue
        checked += 1
        # The base as the report words it ("base 1,447 respondents"); staff surveys are unweighted.
        stated = int(re.search(r"base ([\d,]+) respondents", figure.note)[1].replace(",", ""))
        assert figure.base == stated
        assert figure.effective_base == pytest.approx(stated)
        # Wilson 95% interval: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
        p, n, z = figure.value / 100, figure.effective_base, 1.959964
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert figure.interval_lower == pytest.approx(100 * (centre - half), abs=1e-4)
        assert figure.interval_upper == pytest.approx(100 * (centre + half), abs=1e-4)
    assert checked > 5
