"""End-to-end residents analysis on synthetic waves with known truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from councilpack.charts import ChartResult
from councilpack.residents import (
    SurveyDataError,
    WaveInput,
    age_margins_from_metrics,
    age_margins_from_single_year,
    analyse_waves,
    load_national_table,
    national_comparison_chart,
    nearest_national_figure,
    trend_chart,
)
from councilpack.residents.items import AGE_BAND_METRICS
from councilpack.residents.synthetic import generate_waves


@pytest.fixture(scope="module")
def synthetic():
    return generate_waves(n_waves=3, respondents_per_wave=[1200, 1200, 300], seed=42)


@pytest.fixture(scope="module")
def analysis(synthetic):
    return analyse_waves(synthetic.waves, synthetic.codebook, synthetic.population_margins)


def test_generator_is_deterministic() -> None:
    first = generate_waves(seed=8, respondents_per_wave=50)
    second = generate_waves(seed=8, respondents_per_wave=50)
    for a, b in zip(first.waves, second.waves, strict=True):
        pd.testing.assert_frame_equal(a.source, b.source)
    assert (
        not generate_waves(seed=9, respondents_per_wave=50)
        .waves[0]
        .source.equals(first.waves[0].source)
    )


def test_truth_is_computed_from_the_stated_rates(synthetic) -> None:
    # satisfied_council, first wave: 0.55 + sum(share * age effect), by hand
    shares = np.array([0.135, 0.165, 0.158, 0.156, 0.154, 0.232])
    effects = np.array([-0.12, -0.08, -0.03, 0.0, 0.05, 0.12])
    expected = 100 * (0.55 + shares @ effects)
    truth = synthetic.truth.set_index(["wave", "item"])["true_percent"]
    assert truth[("2023", "satisfied_council")] == pytest.approx(expected)
    assert truth[("2024", "satisfied_council")] == pytest.approx(expected + 6)


def test_raked_estimates_are_near_the_truth(synthetic, analysis) -> None:
    merged = analysis.estimates.merge(synthetic.truth, on=["wave", "item"])
    inside = (merged["lower"] <= merged["true_percent"]) & (
        merged["true_percent"] <= merged["upper"]
    )
    assert inside.mean() >= 0.8  # 18 intervals; individual misses are expected at 95%
    assert (merged["percent"] - merged["true_percent"]).abs().max() < 6


def test_weighting_table_reports_effective_base(analysis) -> None:
    weighting = analysis.weighting
    assert list(weighting["wave"]) == ["2023", "2024", "2025"]
    assert (weighting["design_effect"] > 1).all()
    assert np.allclose(
        weighting["respondents"] / weighting["base_effective"], weighting["design_effect"]
    )
    assert weighting["method"].iloc[0] == "raked to population margins for age band"
    assert any("Not weighted by sex" in note for note in analysis.notes)


def test_small_breakdowns_are_suppressed_with_reason(analysis) -> None:
    small = analysis.breakdowns[analysis.breakdowns["base_unweighted"] < 100]
    assert not small.empty
    assert not small["shown"].any()
    assert small["percent"].isna().all()
    assert small["reason"].str.contains("below the minimum of 100").all()
    large = analysis.breakdowns[analysis.breakdowns["base_unweighted"] >= 100]
    assert large["shown"].all()
    assert large["percent"].notna().all()
    assert set(analysis.breakdowns["group"]) == {"area", "age_band", "sex"}


def test_changes_compare_consecutive_waves(analysis) -> None:
    changes = analysis.changes
    assert set(zip(changes["previous_wave"], changes["wave"], strict=True)) == {
        ("2023", "2024"),
        ("2024", "2025"),
    }
    for row in changes.itertuples():
        if row.significant:
            assert row.phrase.startswith("a statistically significant")
        else:
            assert row.phrase.startswith("no significant change")


def test_findings_carry_figures_base_and_comparator(analysis) -> None:
    finding = next(f for f in analysis.findings if f.id == "residents.satisfied_council.2025")
    assert finding.unit == "percent"
    assert finding.period == "2025"
    assert "effective base" in finding.note
    assert finding.comparator is not None
    assert finding.comparator.value == 53
    assert finding.comparator.vintage == "2024-07"
    assert finding.comparator.definition == (
        "LGA Corporate Peer Challenge feedback report, Liverpool City Council, July 2024"
    )
    assert "national figure (53 per cent, July 2024)" in finding.sentence
    assert "since 2024" in finding.sentence
    value = analysis.estimates.query("wave == '2025' and item == 'satisfied_council'")["percent"]
    assert finding.value == pytest.approx(float(value.iloc[0]))


def test_weight_column_is_used_when_given(synthetic) -> None:
    codebook = synthetic.codebook.model_copy(deep=True, update={"weight": "WT"})
    frame = synthetic.waves[0].source.assign(WT=2.0)
    result = analyse_waves([WaveInput("2023", "2023-10", frame)], codebook, None)
    assert result.weighting["method"].iloc[0] == "weight column 'WT' from the file"
    assert result.weighting["design_effect"].iloc[0] == pytest.approx(1.0)


def test_unweighted_without_margins_says_so(synthetic) -> None:
    result = analyse_waves(synthetic.waves[:1], synthetic.codebook, None)
    assert result.weighting["method"].iloc[0].startswith("unweighted")


def test_sex_margin_is_raked_when_supplied(synthetic) -> None:
    margins = {**synthetic.population_margins, "sex": {"Female": 51, "Male": 49}}
    result = analyse_waves(synthetic.waves[:1], synthetic.codebook, margins)
    assert result.weighting["method"].iloc[0] == "raked to population margins for age band, sex"
    assert not any("Not weighted by sex" in note for note in result.notes)


def test_user_national_table_is_used(synthetic, tmp_path: Path) -> None:
    table = tmp_path / "newer.csv"
    table.write_text(
        "item,value_pct,fieldwork,series,source\n"
        "satisfied_council,60,2025-02,LGA resident satisfaction polling,LGA round 40\n"
    )
    result = analyse_waves(
        synthetic.waves[:1], synthetic.codebook, synthetic.population_margins, table
    )
    assert set(result.national["national_source"]) == {"LGA round 40"}


def test_national_table_loader_names_bad_row(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text(
        "item,value_pct,fieldwork,series,source\n"
        "satisfied_council,60,2025-02,LGA,a\n"
        "satisfied_council,160,2025-03,LGA,b\n"
    )
    with pytest.raises(SurveyDataError, match=r"^bad.csv: column 'value_pct', row 2: "):
        load_national_table(table)


def test_shipped_national_table_and_nearest_figure() -> None:
    table = load_national_table()
    assert len(table) == 24
    figure = nearest_national_figure(table, "keeps_informed", "2024-10")
    assert (figure.percent, figure.fieldwork) == (54, "2024-07")
    older = nearest_national_figure(table, "value_for_money", "2019-01")
    assert (older.percent, older.fieldwork) == (45, "2018-06")


def test_margins_helpers() -> None:
    metrics = pd.DataFrame(
        {
            "gss_code": "E08000011",
            "metric": list(AGE_BAND_METRICS.values()),
            "period": "mid-2023",
            "value": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
        }
    )
    assert age_margins_from_metrics(metrics, "E08000011")["65+"] == 60.0
    with pytest.raises(SurveyDataError, match="no population_age_16_24 for E08000012"):
        age_margins_from_metrics(metrics, "E08000012")
    row = {str(age): 1.0 for age in range(90)} | {"90+": 5.0}
    margins = age_margins_from_single_year(row)
    assert margins == {
        "16-24": 9.0,
        "25-34": 10.0,
        "35-44": 10.0,
        "45-54": 10.0,
        "55-64": 10.0,
        "65+": 30.0,
    }


def test_margins_from_staged_ons_file(open_data_dir: Path) -> None:
    ons = pd.read_csv(open_data_dir / "ons_mye" / "mye2023_lad_single_year_of_age_england.csv")
    knowsley = ons[ons["code"] == "E08000011"].iloc[0].to_dict()
    margins = age_margins_from_single_year(knowsley)
    under_16 = sum(knowsley[str(age)] for age in range(16))
    assert sum(margins.values()) == knowsley["all"] - under_16


def test_charts_return_description_and_data(analysis) -> None:
    trend = trend_chart(analysis, "satisfied_council")
    assert isinstance(trend, ChartResult)
    assert trend.title == "Satisfied with the council: trend against national polling"
    assert trend.description.endswith(".")
    assert set(trend.table["series"]) == {
        "Example Council residents' survey",
        "National (LGA polling)",
    }
    spec = trend.chart.to_dict()
    # Colours come from the house helper (charts.trends), fixed by role: the council
    # first (dark blue, solid), national second, whatever their names sort as.
    from councilpack.charts import HIGHLIGHT

    line = spec["layer"][1]["encoding"]
    assert line["color"]["scale"]["domain"][0] == "Example Council residents' survey"
    assert line["color"]["scale"]["range"][0] == HIGHLIGHT
    items = national_comparison_chart(analysis)
    assert isinstance(items, ChartResult)
    assert len(items.table) == 6
    assert "2025" in items.description
    items.chart.to_dict()


def test_sidecar_figures_carry_base_effective_base_and_interval(analysis) -> None:
    import math
    import re

    for figure in analysis.findings:
        # The base stated in the words of the report ("1,080 respondents, effective base 929").
        respondents, effective = re.search(
            r"([\d,]+) respondents, effective base ([\d,]+)", figure.note
        ).groups()
        assert figure.base == int(respondents.replace(",", ""))
        assert round(figure.effective_base) == int(effective.replace(",", ""))
        # Wilson 95% interval on the effective base, worked independently:
        # (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964
        p, n, z = figure.value / 100, figure.effective_base, 1.959964
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert figure.interval_lower == pytest.approx(100 * (centre - half), abs=1e-4)
        assert figure.interval_upper == pytest.approx(100 * (centre + half), abs=1e-4)
