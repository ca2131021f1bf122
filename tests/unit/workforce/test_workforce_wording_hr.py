"""Wording of findings and the optional HR figures."""

from __future__ import annotations

import pytest
from workforce_fixtures import wave_frame

from councilpack.workforce import analyse_waves, read_hr_figures
from councilpack.workforce.wording import (
    approximate_count,
    change_phrase,
    gap_sentence,
    group_phrase,
    hr_sentence,
    item_sentence,
    whole_percent,
)


def test_whole_percent_rounds_halves_up() -> None:
    assert whole_percent(71.5) == "72 per cent"
    assert whole_percent(30.7) == "31 per cent"


def test_approximate_count() -> None:
    assert approximate_count(1980) == "2,000"
    assert approximate_count(2050) == "2,100"
    assert approximate_count(845) == "850"
    assert approximate_count(64) == "64"
    assert approximate_count(12_400) == "12,000"


def test_change_phrases() -> None:
    assert change_phrase(72.2, 57.4, True) == (
        "a statistically significant 15 percentage point increase"
    )
    assert change_phrase(55.0, 61.0, True) == (
        "a statistically significant 6 percentage point decrease"
    )
    assert change_phrase(72.0, 70.0, False) == "no significant change"


def test_item_sentence_without_significant_change() -> None:
    assert item_sentence(
        "feel supported by their line manager", 79.4, ("2023", 78.0, False)
    ) == ("79 per cent feel supported by their line manager, no significant change on 2023 "
          "(78 per cent).")  # fmt: skip


def test_item_sentence_first_wave_only() -> None:
    assert item_sentence("say senior leaders are visible", 38.2) == (
        "38 per cent say senior leaders are visible."
    )


def test_group_phrases() -> None:
    assert group_phrase("directorate", "Directorate", "Adult Social Care") == (
        "Staff in Adult Social Care"
    )
    assert group_phrase("working_carer", "Working carer", "Yes") == "Staff who are working carers"
    assert group_phrase("disability", "Disability", "Yes") == "Disabled staff"
    assert group_phrase("age_band", "Age band", "25-34") == "Staff aged 25-34"
    assert group_phrase("sex", "Sex", "Not stated") == "Staff who did not state their sex"


def test_gap_sentence() -> None:
    assert gap_sentence("Disabled staff", "Satisfied with rewards", 19.2, 29.4, True) == (
        "Disabled staff were less positive than staff overall on 'Satisfied with rewards' "
        "(19 per cent against 29 per cent), a statistically significant gap of 10 percentage "
        "points."
    )


def test_hr_sentences() -> None:
    assert hr_sentence(
        "sickness_days_per_fte", 14.21, "2023/24", 12, "its most similar councils"
    ) == (
        "In 2023/24 the council recorded sickness absence of 14.21 days per FTE, against "
        "around 12 in its most similar councils."
    )
    assert hr_sentence("turnover_pct", 13.54, "2023/24", None, "") == (
        "In 2023/24 staff turnover was 13.5 per cent."
    )


def test_hr_figures_from_yaml_and_csv(tmp_path, codebook) -> None:
    yaml_path = tmp_path / "hr.yml"
    yaml_path.write_text(
        "period: 2023/24\nsource: Council HR system\nsickness_days: 26290.6\nfte: 1850.1\n"
        "leavers: 245\naverage_headcount: 1810\ncomparators:\n"
        "  sickness_days_per_fte: {value: 12, group: its most similar councils}\n",
        encoding="utf-8",
    )
    hr = read_hr_figures(yaml_path)
    # 26,290.6 / 1,850.1 = 14.21 days per FTE; 245 / 1,810 = 13.54 %
    assert hr.values()["sickness_days_per_fte"] == pytest.approx(14.21, abs=0.005)
    assert hr.values()["turnover_pct"] == pytest.approx(13.54, abs=0.005)
    csv_path = tmp_path / "hr.csv"
    csv_path.write_text(
        "period,sickness_days_per_fte,turnover_pct,comparator_turnover_pct\n2023/24,9.5,11.0,15\n",
        encoding="utf-8",
    )
    from_csv = read_hr_figures(csv_path)
    assert from_csv.comparators["turnover_pct"].value == 15

    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100}, hr=hr)
    sickness = next(f for f in analysis.findings if f.id == "workforce.hr.sickness_days_per_fte")
    assert sickness.sentence == (
        "In 2023/24 the council recorded sickness absence of 14.21 days per FTE, against "
        "around 12 in its most similar councils."
    )
    assert sickness.comparator is not None
    assert sickness.comparator.position == "above"
    assert set(analysis.hr["measure"]) == {"sickness_days_per_fte", "turnover_pct"}
