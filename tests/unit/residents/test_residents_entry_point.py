"""``residents.analyse``: a council's survey folder and data context in, one analysis out."""

from __future__ import annotations

import pandas as pd
import pytest

from councilpack import residents
from councilpack.demo import demo_context
from councilpack.demo.files import demo_survey_dir, ensure_demo_files
from councilpack.markup import bullets
from councilpack.residents import WaveInput, analyse_waves, report
from councilpack.residents.items import AGE_BAND_METRICS
from councilpack.surveys.folder import SurveyFolder, load_survey_folder

COUNCIL = "X00000001"


@pytest.fixture(scope="module")
def folder() -> SurveyFolder:
    path = demo_survey_dir(ensure_demo_files(), "residents", COUNCIL)
    return load_survey_folder(path, expected="residents")


@pytest.fixture(scope="module")
def analysis(folder: SurveyFolder) -> residents.ResidentsAnalysis:
    return residents.analyse(demo_context(), COUNCIL, folder)


def test_waves_are_raked_to_the_councils_own_age_margins(
    folder: SurveyFolder, analysis: residents.ResidentsAnalysis
) -> None:
    # The margins, read straight from the tidy metrics: the council's mid-2023 persons by band.
    metrics = demo_context().metrics
    mine = metrics[(metrics["gss_code"] == COUNCIL) & (metrics["period"] == "mid-2023")]
    by_metric = dict(zip(mine["metric"], mine["value"], strict=True))
    margins = {"age_band": {band: by_metric[m] for band, m in AGE_BAND_METRICS.items()}}
    waves = [WaveInput(w.label, w.fieldwork, folder.path(w.file), w.sheet) for w in folder.waves]
    by_hand = analyse_waves(waves, folder.codebook_path, population_margins=margins)
    pd.testing.assert_frame_equal(analysis.estimates, by_hand.estimates)
    pd.testing.assert_frame_equal(analysis.weighting, by_hand.weighting)
    assert analysis.waves == [w.label for w in folder.waves]
    assert analysis.folder is folder


def test_an_empty_national_table_parameter_means_the_shipped_table(
    folder: SurveyFolder, analysis: residents.ResidentsAnalysis
) -> None:
    empty = residents.analyse(demo_context(), COUNCIL, folder, national_table="")
    pd.testing.assert_frame_equal(empty.national, analysis.national)
    assert not analysis.national.empty


def test_report_blocks_read_the_analysis(analysis: residents.ResidentsAnalysis) -> None:
    latest = analysis.waves[-1]
    sentences = [f.sentence for f in analysis.findings if f.period == latest]
    assert sentences
    assert report.summary_markdown(analysis) == bullets(sentences)
    assert report.data_vintage(analysis) == f"survey waves {', '.join(analysis.waves)}"
    sources = report.sources(analysis, demo=True)
    assert sources[0] == analysis.survey_title
    assert sources[0]
    assert report.sources(analysis, demo=False) == sources


def test_sources_fall_back_to_the_folders_title(
    folder: SurveyFolder, analysis: residents.ResidentsAnalysis
) -> None:
    untitled = residents.ResidentsAnalysis(**{**analysis.__dict__, "survey_title": ""})
    assert folder.title
    assert report.sources(untitled, demo=True)[0] == folder.title


def test_a_national_comparison_states_its_position_only_when_significant(
    analysis: residents.ResidentsAnalysis,
) -> None:
    # The sidecar says above / below only for a difference significant at 5 per cent
    # (two-sided), otherwise similar: the same rule as the staff survey's figures.
    national = analysis.national.set_index(["wave", "item"])
    compared = [f for f in analysis.findings if f.comparator is not None]
    assert compared
    seen = set()
    for figure in compared:
        wave = figure.period
        item = figure.id.removeprefix("residents.").removesuffix(f".{wave}")
        row = national.loc[(wave, item)]
        assert figure.comparator is not None
        if row["p_value"] >= 0.05:
            expected = "similar"
        else:
            expected = "above" if figure.value > figure.comparator.value else "below"
        assert figure.comparator.position == expected, figure.id
        seen.add(expected)
    assert len(seen) >= 2  # the demo survey has both kinds of difference
