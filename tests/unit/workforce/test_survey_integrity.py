"""Integrity of a survey folder's waves and respondents (issue 14, item 2).

Each problem is a one-line error naming the file, the key or column, the row and the value;
an order that merely differs from the expected one is put right, never read as it stands.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from workforce_fixtures import codebook_mapping, wave_frame

from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import load_survey_folder
from councilpack.workforce import analyse


def staff_folder(tmp_path: Path, waves: list[tuple[str, str, pd.DataFrame]]) -> Path:
    """Write a staff survey folder listing ``waves`` (label, fieldwork, data) in that order."""
    (tmp_path / "codebook.yml").write_text(yaml.safe_dump(codebook_mapping()), encoding="utf-8")
    entries = []
    for number, (label, fieldwork, frame) in enumerate(waves):
        name = f"wave-{number}.csv"
        frame.to_csv(tmp_path / name, index=False)
        entries.append({"label": label, "fieldwork": fieldwork, "file": name, "invited": 500})
    manifest = {"survey": "staff", "codebook": "codebook.yml", "waves": entries}
    (tmp_path / "survey.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return tmp_path


def test_waves_listed_newest_first_still_show_a_rise(tmp_path: Path) -> None:
    # 2023: 20 of 100 positive; 2024: 37 of 100. Change = 37 - 20 = +17 points, a rise.
    older, newer = wave_frame(20, 80), wave_frame(37, 63)
    folder = load_survey_folder(
        staff_folder(tmp_path, [("2024", "2024-03", newer), ("2023", "2023-03", older)])
    )
    assert [wave.label for wave in folder.waves] == ["2023", "2024"]
    analysis = analyse(folder)
    assert analysis.latest_wave == "2024"
    trends = analysis.trends
    row = trends[
        (trends["variable"] == "all_staff")
        & (trends["wave"] == "2024")
        & (trends["item"] == "satisfied_overall")
    ].iloc[0]
    assert row["previous_wave"] == "2023"
    assert row["change_vs_previous_pp"] == pytest.approx(17.0)
    assert row["direction_vs_previous"] == "improved"


def test_fieldwork_months_order_numerically(tmp_path: Path) -> None:
    # "2024-3" is March: before "2024-10" although it sorts after it as text.
    frame = wave_frame(20, 80)
    folder = load_survey_folder(
        staff_folder(tmp_path, [("autumn", "2024-10", frame), ("spring", "2024-3", frame)])
    )
    assert [wave.label for wave in folder.waves] == ["spring", "autumn"]


@pytest.mark.parametrize(
    ("waves", "expected"),
    [
        (
            [("2022", "2022-03"), ("2022", "2023-03")],
            "waves: 1.label: '2022' is also wave 0's label; each wave needs its own label",
        ),
        (
            [("2022", "2022-03"), ("2023", "2022-03")],
            (
                "waves: 1.fieldwork: '2022-03' is also wave 0's fieldwork; "
                "each wave needs its own fieldwork"
            ),
        ),
    ],
)
def test_repeated_wave_labels_or_months_are_refused(
    tmp_path: Path, waves: list[tuple[str, str]], expected: str
) -> None:
    frame = wave_frame(20, 80)
    folder = staff_folder(tmp_path, [(label, month, frame) for label, month in waves])
    with pytest.raises(SurveyDataError) as error:
        load_survey_folder(folder)
    assert str(error.value) == f"{folder / 'survey.yml'}: {expected}"


def test_a_question_nobody_answered_is_not_shown_as_suppressed(codebook) -> None:
    from councilpack.workforce import analyse_waves
    from councilpack.workforce.disclosure import NO_ANSWERS, SUPPRESSED_MARKER

    # 60 respondents in three directorates of 20; nobody answered Q2 (all -9, "missing").
    frame = wave_frame(30, 30, directorates=[1, 2, 3])
    frame["Q2"] = -9
    analysis = analyse_waves({"2024": frame}, codebook, {"2024": 100})
    shown = analysis.display("items", "positive_pct")["2024"]
    assert shown["Satisfied overall"] == "50"  # 30 / 60
    assert shown["Supported by line manager"] == NO_ANSWERS
    by_group = analysis.display("items", "positive_pct", "directorate")["2024"]
    unanswered = by_group.loc["Supported by line manager"]
    assert set(unanswered) == {NO_ANSWERS}
    assert SUPPRESSED_MARKER not in set(by_group)
