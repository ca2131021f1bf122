"""Bad files fail with one-line errors naming the file, column and row."""

from __future__ import annotations

import pandas as pd
import pytest
from workforce_fixtures import codebook_mapping, wave_frame

from councilpack.surveys.errors import SurveyDataError
from councilpack.workforce import StaffCodebook, analyse_waves, read_invited
from councilpack.workforce.hr import read_hr_figures


def write(tmp_path, name: str, frame: pd.DataFrame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def one_line(error: pytest.ExceptionInfo[SurveyDataError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_unknown_answer_code(tmp_path, codebook) -> None:
    frame = wave_frame(20, 5)
    frame["Q2"] = frame["Q2"].astype(object)
    frame.loc[6, "Q2"] = "Agree strongly"
    path = write(tmp_path, "staff-2024.csv", frame)
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": 100})
    message = one_line(error)
    assert message.startswith("staff-2024.csv: column 'Q2', row 7: code 'Agree strongly'")
    assert "line_manager_support" in message


def test_out_of_range_value(tmp_path, codebook) -> None:
    frame = wave_frame(20, 5)
    frame.loc[11, "Q1"] = 8
    path = write(tmp_path, "staff-2024.csv", frame)
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": 100})
    assert one_line(error).startswith(
        "staff-2024.csv: column 'Q1', row 12: value 8 is out of range"
    )


def test_out_of_range_enps_score(tmp_path, codebook) -> None:
    frame = wave_frame(20, 5, nps=[9, 3])
    frame.loc[2, "NPS"] = 12
    path = write(tmp_path, "staff-2024.csv", frame)
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": 100})
    assert one_line(error).startswith(
        "staff-2024.csv: column 'NPS', row 3: value 12 is out of range"
    )


def test_missing_required_item(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2023.csv", wave_frame(20, 5).drop(columns="Q2"))
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2023": path}, codebook, {"2023": 100})
    message = one_line(error)
    assert message.startswith("staff-2023.csv: column 'Q2': required item 'line_manager_support'")


def test_codebook_names_a_missing_group_column(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2023.csv", wave_frame(20, 5).drop(columns="DIR"))
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2023": path}, codebook, {"2023": 100})
    assert one_line(error).startswith("staff-2023.csv: column 'DIR': group 'directorate'")


def test_empty_wave(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2022.csv", wave_frame(0, 0))
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2022": path}, codebook, {"2022": 100})
    assert one_line(error) == "staff-2022.csv: the file has no respondents (empty wave)"


def test_invited_smaller_than_responses(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2024.csv", wave_frame(20, 5))
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": 24})
    assert one_line(error) == (
        "staff-2024.csv: wave 2024: 24 staff invited is fewer than the 25 responses in the file"
    )


def test_headcount_smaller_than_group_responses(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2024.csv", wave_frame(20, 10, directorates=[1, 2, 3]))
    invited = {"total": 100, "by_group": {"Adults": 10, "Children": 9, "Place": 30}}
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": invited})
    assert one_line(error) == (
        "staff-2024.csv: column 'DIR': wave 2024: headcount 9 for 'Children' is fewer than "
        "its 10 responses"
    )


def test_group_with_responses_but_no_headcount(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2024.csv", wave_frame(20, 10, directorates=[1, 2, 3]))
    invited = {"total": 100, "by_group": {"Adults": 40, "Children": 40}}
    with pytest.raises(SurveyDataError) as error:
        analyse_waves({"2024": path}, codebook, {"2024": invited})
    assert one_line(error) == (
        "staff-2024.csv: column 'DIR', row 3: wave 2024: directorate 'Place' has responses "
        "but no headcount"
    )


def test_wave_without_invited_count(tmp_path, codebook) -> None:
    path = write(tmp_path, "staff-2024.csv", wave_frame(20, 5))
    with pytest.raises(SurveyDataError, match="no invited count for wave '2024'"):
        analyse_waves({"2024": path}, codebook, {"2023": 100})


def test_invited_file_errors(tmp_path) -> None:
    path = tmp_path / "invited.yml"
    path.write_text('"2023": 0\n', encoding="utf-8")
    with pytest.raises(SurveyDataError) as error:
        read_invited(path)
    assert one_line(error).startswith("invited.yml: column 'invited': wave 2023:")
    path.write_text(
        '"2024": {total: 100, by_group: {Adults: 80, Children: 40}}\n', encoding="utf-8"
    )
    with pytest.raises(SurveyDataError, match="more than the 100 invited"):
        read_invited(path)
    path.write_text('"2024": {total: 100, by_group: {Adults: 60}}\n', encoding="utf-8")
    assert read_invited(path)["2024"].by_group == {"Adults": 60}


def test_enps_item_with_wrong_codes() -> None:
    mapping = codebook_mapping()
    mapping["items"]["recommend_0_10"]["codes"] = {  # type: ignore[index]
        "positive": [8, 9, 10],
        "neutral": [7],
        "negative": [0, 1, 2, 3, 4, 5, 6],
    }
    with pytest.raises(SurveyDataError) as error:
        StaffCodebook.from_mapping(mapping, source="cb.yml")
    assert one_line(error) == (
        "cb.yml: codebook key items.recommend_0_10.codes.positive: the 0-10 recommend item "
        "needs positive codes [9, 10]"
    )


def test_engagement_index_names_unknown_item() -> None:
    mapping = codebook_mapping()
    mapping["workforce"]["engagement_index"] = ["happy_here"]  # type: ignore[index]
    with pytest.raises(
        SurveyDataError,
        match=r"^cb.yml: codebook key workforce.engagement_index.0: 'happy_here' is not an item",
    ):
        StaffCodebook.from_mapping(mapping, source="cb.yml")


def test_hr_figures_errors(tmp_path) -> None:
    path = tmp_path / "hr.yml"
    path.write_text("period: 2023/24\nleavers: 300\naverage_headcount: 200\n", encoding="utf-8")
    with pytest.raises(SurveyDataError) as error:
        read_hr_figures(path)
    assert one_line(error) == "hr.yml: leavers (300) exceed the average headcount (200)"
    path.write_text("period: 2023/24\nsickness_days: 100\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="give both sickness_days and fte"):
        read_hr_figures(path)
