"""The disclosure rules on small hand-made breakdowns."""

from __future__ import annotations

import pandas as pd
import pytest
from workforce_fixtures import wave_frame

from councilpack.workforce import analyse_waves, suppression_pattern
from councilpack.workforce.disclosure import suppression_note, validate_threshold


def bases(**groups: int) -> pd.DataFrame:
    return pd.DataFrame({"respondents": groups})


def test_single_small_group_takes_the_next_smallest_with_it() -> None:
    # All staff 86 = 50 + 20 + 12 + 4: hiding only D would give it away (86 - 82 = 4).
    pattern = suppression_pattern(bases(A=50, B=20, C=12, D=4))
    assert dict(pattern.reasons) == {"D": "primary", "C": "secondary"}
    assert pattern.note("D") == "[c] fewer than 10 responses"
    assert pattern.note("C") == "[c] suppressed to protect a small group"
    assert pattern.note("A") == ""


def test_two_small_groups_adding_to_less_than_ten_take_a_third() -> None:
    # B + C = 7: their sum would be a figure for 7 people, so D (the next smallest) goes too.
    pattern = suppression_pattern(bases(A=50, B=3, C=4, D=20))
    assert dict(pattern.reasons) == {"B": "primary", "C": "primary", "D": "secondary"}


def test_two_small_groups_adding_to_ten_are_enough() -> None:
    pattern = suppression_pattern(bases(A=50, B=4, C=6))
    assert dict(pattern.reasons) == {"B": "primary", "C": "primary"}


def test_a_small_base_on_one_question_hides_the_group_in_every_column() -> None:
    table = pd.DataFrame(
        {"respondents": {"A": 40, "B": 15, "C": 30}, "q1": {"A": 38, "B": 8, "C": 29}}
    )
    pattern = suppression_pattern(table)
    assert set(pattern.suppressed) == {"B", "C"}
    assert not pattern.is_published("B", "respondents")


def test_question_with_too_few_answers_is_withheld_for_everyone() -> None:
    table = pd.DataFrame({"respondents": {"A": 40, "B": 15}, "q1": {"A": 5, "B": 3}})
    pattern = suppression_pattern(table)
    assert pattern.hidden_columns == {"q1"}
    assert pattern.suppressed == frozenset()
    assert pattern.note("A", "q1") == "[c] fewer than 10 responses"


def test_threshold_floor_and_raise() -> None:
    with pytest.raises(ValueError, match="below the minimum of 10"):
        validate_threshold(9)
    with pytest.raises(ValueError, match="below the minimum of 10"):
        suppression_pattern(bases(A=50, B=4), threshold=3)
    with pytest.raises(TypeError):
        validate_threshold(10.5)  # type: ignore[arg-type]
    # A raised threshold hides more.
    assert set(suppression_pattern(bases(A=50, B=12, C=14), threshold=15).suppressed) == {
        "B",
        "C",
    }
    assert suppression_note("primary", 15) == "[c] fewer than 15 responses"


def test_group_shown_in_one_wave_and_hidden_in_another(codebook) -> None:
    # 2023: directorates cycle Adults, Children, Place over 36 -> 12 each (all shown).
    # 2024: 36 in cycles of 9 (Adults x7, Children, Place) -> 28, 4, 4 (two small, sum 8
    # -> Adults hidden as well; nothing by directorate is shown in 2024).
    waves = {
        "2023": wave_frame(24, 12, directorates=[1, 2, 3]),
        "2024": wave_frame(24, 12, directorates=[1, 1, 1, 1, 1, 1, 1, 2, 3]),
    }
    analysis = analyse_waves(waves, codebook, {"2023": 100, "2024": 100})
    items = analysis.items
    directorate = items[items["variable"] == "directorate"]
    shown = directorate.groupby("wave")["published"].any()
    assert shown["2023"]
    assert not shown["2024"]
    trends = analysis.trends
    group_trends = trends[trends["variable"] == "directorate"]
    # changes are never computed against a hidden wave
    assert set(group_trends["wave"]) == {"2023"}
    assert group_trends["change_vs_previous_pp"].isna().all()


def test_small_wave_shows_nothing(codebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(5, 3)}, codebook, {"2024": 40})
    for name in ("responses", "items", "themes"):
        assert not analysis.table(name)["published"].any(), name
    assert not [f for f in analysis.findings if f.id.startswith("workforce.positive")]
    assert not [f for f in analysis.findings if f.id.startswith("workforce.response_rate")]
