"""Trends, significance, eNPS and response rates against hand-worked figures.

Expected values are worked by hand from the formulas in the comments, never
taken from the code's output.
"""

from __future__ import annotations

import math

import pytest
from workforce_fixtures import wave_frame

from councilpack.workforce import analyse_waves
from councilpack.workforce.measures import enps_difference_test, enps_score
from councilpack.workforce.wording import response_sentence


def trend_row(analysis, wave: str, item: str = "satisfied_overall"):
    trends = analysis.trends
    rows = trends[
        (trends["variable"] == "all_staff") & (trends["wave"] == wave) & (trends["item"] == item)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_non_significant_change_matches_hand_worked_z_test(codebook) -> None:
    # 2023: 120 of 200 positive (60 %); 2024: 170 of 250 (68 %).
    # pooled p = 290 / 450 = 0.644444
    # se = sqrt(0.644444 * 0.355556 * (1/200 + 1/250)) = sqrt(0.229136 * 0.009) = 0.045412
    # z = 0.08 / 0.045412 = 1.7617; two-sided p = 0.0781 -> not significant at 5 %
    analysis = analyse_waves(
        {"2023": wave_frame(120, 80), "2024": wave_frame(170, 80)},
        codebook,
        {"2023": 400, "2024": 400},
    )
    row = trend_row(analysis, "2024")
    assert row["change_vs_previous_pp"] == pytest.approx(8.0)
    assert row["p_value_vs_previous"] == pytest.approx(0.0781, abs=5e-4)
    assert not row["significant_vs_previous"]
    assert row["direction_vs_previous"] == "no significant change"


def test_significant_change_matches_hand_worked_z_test(codebook) -> None:
    # 2022: 171 of 300 (57 %); 2023: 150 of 250 (60 %); 2024: 288 of 400 (72 %).
    # 2024 vs 2022: pooled p = 459 / 700 = 0.655714
    # se = sqrt(0.655714 * 0.344286 * (1/400 + 1/300)) = sqrt(0.225755 * 0.0058333) = 0.036289
    # z = 0.15 / 0.036289 = 4.1335; p = 3.57e-5 -> significant increase
    # 2024 vs 2023: pooled p = 438 / 650 = 0.673846
    # se = sqrt(0.673846 * 0.326154 * (1/400 + 1/250)) = sqrt(0.219777 * 0.0065) = 0.037797
    # z = 0.12 / 0.037797 = 3.1749; p = 0.0015 -> significant increase
    analysis = analyse_waves(
        {
            "2022": wave_frame(171, 129),
            "2023": wave_frame(150, 100),
            "2024": wave_frame(288, 112),
        },
        codebook,
        {"2022": 1000, "2023": 1000, "2024": 1000},
    )
    row = trend_row(analysis, "2024")
    assert row["change_vs_first_pp"] == pytest.approx(15.0)
    assert row["p_value_vs_first"] == pytest.approx(3.57e-5, rel=0.01)
    assert row["significant_vs_first"]
    assert row["direction_vs_first"] == "improved"
    assert row["change_vs_previous_pp"] == pytest.approx(12.0)
    assert row["p_value_vs_previous"] == pytest.approx(0.0015, abs=1e-4)
    assert row["direction_vs_previous"] == "improved"
    finding = next(f for f in analysis.findings if f.id == "workforce.positive.satisfied_overall")
    assert finding.sentence == (
        "72 per cent are satisfied overall with the experience of working for the council, "
        "a statistically significant 12 percentage point increase on 2023 and a statistically "
        "significant 15 percentage point increase on 2022."
    )
    assert finding.value == pytest.approx(72.0)
    assert finding.comparator is not None
    assert finding.comparator.value == pytest.approx(60.0)
    assert finding.comparator.position == "above"


def test_decline_is_worded_as_decline(codebook) -> None:
    # 2023: 160 of 200 (80 %); 2024: 140 of 200 (70 %)
    # pooled p = 0.75; se = sqrt(0.75 * 0.25 * (2/200)) = 0.043301; z = -2.309; p = 0.0209
    analysis = analyse_waves(
        {"2023": wave_frame(160, 40), "2024": wave_frame(140, 60)},
        codebook,
        {"2023": 500, "2024": 500},
    )
    row = trend_row(analysis, "2024")
    assert row["p_value_vs_previous"] == pytest.approx(0.0209, abs=2e-4)
    assert row["direction_vs_previous"] == "declined"


def test_enps_score_by_hand() -> None:
    # promoters 10, 9, 9, 10 = 4 of 10; detractors 6, 5, 0, 3 = 4 of 10 -> eNPS 0
    assert enps_score([10, 9, 9, 8, 7, 6, 5, 0, 10, 3]) == pytest.approx(0.0)
    # 3 promoters, 1 detractor of 5 -> 60 - 20 = +40; missing answers ignored
    assert enps_score([9, 10, 10, 2, 7, math.nan]) == pytest.approx(40.0)
    assert math.isnan(enps_score([]))
    with pytest.raises(ValueError, match="0 to 10"):
        enps_score([11])


def test_enps_difference_test_by_hand() -> None:
    # later: 36 % promoters, 30 % detractors, n 500 (net +0.06)
    # earlier: 28 %, 37 %, n 400 (net -0.09)
    # var = (0.66 - 0.0036)/500 + (0.65 - 0.0081)/400 = 0.0013128 + 0.00160475 = 0.00291755
    # z = 0.15 / sqrt(0.00291755) = 0.15 / 0.054014 = 2.777; p = 0.0055
    z, p_value, significant = enps_difference_test(0.36, 0.30, 500, 0.28, 0.37, 400)
    assert z == pytest.approx(2.777, abs=1e-3)
    assert p_value == pytest.approx(0.0055, abs=1e-4)
    assert significant


def test_enps_table_from_answers(codebook) -> None:
    # 20 respondents cycling through 10, 9, 8, 6: 10 promoters, 5 passives, 5 detractors
    # -> 50 % - 25 % = +25
    frame = wave_frame(10, 10, nps=[10, 9, 8, 6])
    analysis = analyse_waves(
        {"2022": frame, "2023": frame, "2024": frame},
        codebook,
        dict.fromkeys(("2022", "2023", "2024"), 50),
    )
    enps = analysis.enps
    row = enps[(enps["variable"] == "all_staff") & (enps["wave"] == "2024")].iloc[0]
    assert row["enps"] == pytest.approx(25.0)
    assert row["promoters_pct"] == pytest.approx(50.0)
    assert row["detractors_pct"] == pytest.approx(25.0)
    finding = next(f for f in analysis.findings if f.id == "workforce.enps")
    assert finding.sentence.startswith("The employee Net Promoter Score is +25 (50 per cent")
    assert "no significant change on 2023 (+25)" in finding.sentence


def test_response_rate_overall_and_by_directorate(codebook) -> None:
    # 614 responses: directorates cycle 1, 2, 3 -> 205 Adults, 205 Children, 204 Place
    frame = wave_frame(400, 214, directorates=[1, 2, 3])
    invited = {"total": 2000, "by_group": {"Adults": 820, "Children": 500, "Place": 680}}
    analysis = analyse_waves(
        {"2023": frame, "2024": frame}, codebook, {"2023": invited, "2024": invited}
    )
    responses = analysis.responses
    overall = responses[(responses["variable"] == "all_staff") & (responses["wave"] == "2024")]
    assert overall["respondents"].iloc[0] == 614
    assert overall["response_rate_pct"].iloc[0] == pytest.approx(30.7)  # 614 / 2000
    by_directorate = responses[
        (responses["variable"] == "directorate") & (responses["wave"] == "2024")
    ].set_index("group")
    assert by_directorate.loc["Adults", "response_rate_pct"] == pytest.approx(25.0)  # 205/820
    assert by_directorate.loc["Children", "response_rate_pct"] == pytest.approx(41.0)  # 205/500
    assert by_directorate.loc["Place", "response_rate_pct"] == pytest.approx(30.0)  # 204/680
    finding = next(f for f in analysis.findings if f.id == "workforce.response_rate.2024")
    assert finding.sentence == (
        "The 2024 staff survey had 614 responses from c. 2,000 staff (31 per cent)."
    )


def test_response_sentence_rounds_invited() -> None:
    assert response_sentence("2024", 614, 1980) == (
        "The 2024 staff survey had 614 responses from c. 2,000 staff (31 per cent)."
    )
    assert response_sentence("2023", 212, 845) == (
        "The 2023 staff survey had 212 responses from c. 850 staff (25 per cent)."
    )


def test_threshold_floor(codebook) -> None:
    waves = {"2024": wave_frame(30, 10)}
    with pytest.raises(ValueError, match="below the minimum of 10"):
        analyse_waves(waves, codebook, {"2024": 100}, threshold=5)
    analysis = analyse_waves(waves, codebook, {"2024": 100}, threshold=15)
    assert analysis.threshold == 15


def test_small_directorate_is_hidden_everywhere(codebook) -> None:
    frame = wave_frame(25, 15, directorates=[1, 1, 1, 2, 1, 1, 1, 3])
    analysis = analyse_waves({"2024": frame}, codebook, {"2024": 100})
    # 40 respondents in cycles of 8: 30 Adults, 5 Children, 5 Place. Both small groups are
    # hidden; together they hold 10, so Adults can be shown. (No eNPS item in this file.)
    assert analysis.enps.empty
    for name in ("responses", "items", "themes"):
        table = analysis.table(name)
        rows = table[table["variable"] == "directorate"]
        shown = rows.groupby("group")["published"].all()
        assert not rows[rows["group"].isin(["Place", "Children"])]["published"].any(), name
        assert shown["Adults"], name
    display = analysis.display("responses", "respondents", "directorate")
    assert display.loc["Place", "2024"] == "[c]"
    items = analysis.items
    hidden = items[~items["published"]]
    assert hidden["positive_pct"].isna().all()
    assert hidden["base"].isna().all()
    assert hidden["note"].str.startswith("[c]").all()


def test_engagement_items_reported_without_composite(codebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100})
    engagement = analysis.engagement
    assert set(engagement["item"]) == {"line_manager_support"}
    assert not any("index" in column or "score" in column for column in engagement.columns)
