"""The workforce report's tables and sections on hand-made surveys, expected values by hand."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from workforce_fixtures import codebook_mapping, wave_frame

from councilpack import markup
from councilpack.errors import ArgumentError
from councilpack.figures import ComparatorSummary, Figure
from councilpack.surveys.folder import load_survey_folder
from councilpack.workforce import (
    StaffCodebook,
    analyse,
    analyse_waves,
    read_hr_figures,
    report,
    tables,
)
from councilpack.workforce.charts import group_gap_chart

ITEMS = ["Satisfied overall", "Supported by line manager"]


def directorate_frame() -> pd.DataFrame:
    """90 respondents: Adults 24 of 30 positive (80%), Children 15 of 30 (50%), Place 21 of 30 (70%).

    All staff: 60 of 90 positive = 66.7%. Q2 copies Q1.
    """
    rows = []
    for code, positive in ((1, 24), (2, 15), (3, 21)):
        rows += [{"Q1": 1, "DIR": code}] * positive + [{"Q1": 4, "DIR": code}] * (30 - positive)
    frame = pd.DataFrame(rows)
    frame["Q2"] = frame["Q1"]
    return frame[["Q1", "Q2", "DIR"]]


def hr_yaml(folder: Path) -> Path:
    path = folder / "hr.yml"
    path.write_text(
        "period: 2023/24\nsource: Council HR system\nsickness_days: 26290.6\nfte: 1850.1\n"
        "leavers: 245\naverage_headcount: 1810\ncomparators:\n"
        "  sickness_days_per_fte: {value: 12, group: its most similar councils}\n",
        encoding="utf-8",
    )
    return path


def gap(identifier: str, value: float, all_staff: float) -> Figure:
    return Figure(
        id=identifier,
        label=identifier,
        value=value,
        unit="percent",
        period="2024",
        source="survey",
        comparator=ComparatorSummary(group="All staff", value=all_staff),
        sentence=f"{identifier} sentence",
    )


# --- the entry point -------------------------------------------------------------------------


def test_analyse_takes_a_survey_folder_only(codebook: StaffCodebook) -> None:
    with pytest.raises(ArgumentError, match="not dict; analyse_waves takes waves"):
        analyse({"2024": wave_frame(30, 10)})  # type: ignore[arg-type]


def test_analyse_waves_records_the_paths_it_read(tmp_path: Path) -> None:
    (tmp_path / "codebook.yml").write_text(yaml.safe_dump(codebook_mapping()), encoding="utf-8")
    wave_frame(30, 10).to_csv(tmp_path / "staff-2024.csv", index=False)
    analysis = analyse_waves(
        {"2024": tmp_path / "staff-2024.csv"},
        str(tmp_path / "codebook.yml"),
        {"2024": 100},
        hr=hr_yaml(tmp_path),
    )
    assert [path.name for path in analysis.inputs] == ["staff-2024.csv", "codebook.yml", "hr.yml"]
    # in memory: nothing read from a file
    assert (
        analyse_waves({"2024": wave_frame(30, 10)}, analysis.codebook, {"2024": 100}).inputs == ()
    )


def write_folder(root: Path, title: str) -> Path:
    folder = root / "staff"
    folder.mkdir()
    (folder / "codebook.yml").write_text(yaml.safe_dump(codebook_mapping()), encoding="utf-8")
    wave_frame(30, 10).to_csv(folder / "staff-2024.csv", index=False)
    hr_yaml(folder)
    manifest = {
        "survey": "staff",
        "title": title,
        "codebook": "codebook.yml",
        "waves": [
            {"label": "2024", "fieldwork": "2024-03", "file": "staff-2024.csv", "invited": 100}
        ],
        "hr": "hr.yml",
    }
    (folder / "survey.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return folder


def test_a_folder_gives_the_title_inputs_and_hr_figures(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, title="Folder title")
    analysis = analyse(load_survey_folder(folder), threshold=12)
    # The codebook's title (required there), not the folder's.
    assert analysis.title == "Hand-made staff survey"
    assert [path.name for path in analysis.inputs] == [
        "survey.yml",
        "codebook.yml",
        "staff-2024.csv",
        "hr.yml",
    ]
    assert analysis.threshold == 12
    # 40 respondents of 100 invited = 40 per cent
    assert analysis.by_kind.response_rates[0].value == pytest.approx(40.0)
    # The HR figures name their own source.
    assert report.sources(analysis, demo=False) == ["Hand-made staff survey", "Council HR system"]
    assert report.data_vintage(analysis) == "staff survey waves 2024"


# --- findings by kind and the summary --------------------------------------------------------


def test_the_summary_leaves_out_earlier_response_rates_and_group_gaps(
    codebook: StaffCodebook,
) -> None:
    analysis = analyse_waves(
        {
            "2022": wave_frame(171, 129),
            "2023": wave_frame(150, 100),
            "2024": directorate_frame(),
        },
        codebook,
        dict.fromkeys(("2022", "2023", "2024"), 400),
    )
    kinds = analysis.by_kind
    assert [f.id for f in kinds.response_rates] == [
        "workforce.response_rate.2022",
        "workforce.response_rate.2023",
        "workforce.response_rate.2024",
    ]
    # 90 of 400 invited in 2024 = 22.5 per cent
    assert kinds.response_rates[-1].value == pytest.approx(22.5)
    summary_ids = [f.id for f in analysis.summary_findings]
    assert summary_ids[0] == "workforce.response_rate.2024"
    assert summary_ids == [
        "workforce.response_rate.2024",
        *(f.id for f in kinds.items),
        *(f.id for f in kinds.enps),
        *(f.id for f in kinds.hr),
    ]
    assert analysis.findings == kinds.all()


def test_summary_markdown_is_one_bullet_per_summary_sentence(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100})
    lines = report.summary_markdown(analysis).split("\n")
    # One wave, two items, no eNPS column, no HR: response rate + two items.
    assert len(lines) == 3
    assert all(line.startswith("- ") for line in lines)
    # 40 of 100 invited
    assert "40" in lines[0]


# --- gap ranking -----------------------------------------------------------------------------


def test_widest_gaps_are_ranked_by_size_whatever_their_sign() -> None:
    gaps = [gap("a", 60, 55), gap("b", 43, 55), gap("c", 58, 55), gap("d", 67, 55)]
    # sizes: a 5, b 12, c 3, d 12; b and d tie and keep their order
    assert [f.id for f in report.widest_gaps(gaps, 3)] == ["b", "d", "a"]
    assert report.gap_size(gaps[1]) == pytest.approx(12.0)


def test_gap_lines_word_the_widest_and_count_the_rest() -> None:
    gaps = [gap("a", 60, 55), gap("b", 43, 55), gap("c", 58, 55)]
    assert report.gap_lines(gaps, limit=2) == [
        "b sentence",
        "a sentence",
        "1 smaller significant gaps are in the tables below.",
    ]
    assert report.gap_lines(gaps, limit=8) == ["b sentence", "a sentence", "c sentence"]
    assert report.gap_lines([]) == []


def test_a_gap_without_a_comparator_value_is_refused() -> None:
    figure = gap("a", 60, 55).model_copy(update={"comparator": None})
    with pytest.raises(ArgumentError, match="'a'"):
        report.gap_size(figure)


# --- tables ----------------------------------------------------------------------------------


def test_reader_table_names_the_index_for_readers() -> None:
    wide = pd.DataFrame(
        {"2024": ["61", "[c]"]},
        index=pd.MultiIndex.from_tuples(
            [("Satisfied", "Adults"), ("Satisfied", "Children")], names=["label", "group"]
        ),
    )
    table = tables.reader_table(wide, "Caption")
    assert list(table.frame.columns) == ["Item", "Group", "2024"]
    assert table.frame["2024"].tolist() == ["61", "[c]"]
    assert "<caption>Caption</caption>" in table.html()


def test_changes_are_differences_of_the_rounded_figures(codebook: StaffCodebook) -> None:
    analysis = analyse_waves(
        # 151 / 250 = 60.4 % (shown 60); 154 / 250 = 61.6 % (shown 62)
        {"2023": wave_frame(151, 99), "2024": wave_frame(154, 96)},
        codebook,
        {"2023": 400, "2024": 400},
    )
    table = tables.changes_table(analysis)
    assert table is not None
    assert table.caption == "Per cent positive in 2024 and change on earlier waves"
    assert list(table.frame.columns) == [
        "Item",
        "% positive 2024",
        "Change on 2023 (points)",
        "Against 2023",
    ]
    assert table.frame["Item"].tolist() == ITEMS
    assert table.frame["% positive 2024"].tolist() == ["62", "62"]
    # 62 - 60 = +2 (not 61.6 - 60.4 = 1.2 rounded to +1)
    assert table.frame["Change on 2023 (points)"].tolist() == ["+2", "+2"]
    # z = 0.012 / sqrt(0.61 * 0.39 * (2 / 250)) = 0.012 / 0.043627 = 0.28: not significant
    assert table.frame["Against 2023"].tolist() == ["no significant change"] * 2


def test_changes_on_the_first_wave_are_shown_from_three_waves(codebook: StaffCodebook) -> None:
    analysis = analyse_waves(
        # 171 / 300 = 57 %, 150 / 250 = 60 %, 288 / 400 = 72 %
        {"2022": wave_frame(171, 129), "2023": wave_frame(150, 100), "2024": wave_frame(288, 112)},
        codebook,
        dict.fromkeys(("2022", "2023", "2024"), 500),
    )
    table = tables.changes_table(analysis)
    assert table is not None
    row = table.frame.iloc[0].to_dict()
    assert row == {
        "Item": "Satisfied overall",
        "% positive 2024": "72",
        "Change on 2023 (points)": "+12",
        # z = 0.12 / sqrt(0.67385 * 0.32615 * (1/400 + 1/250)) = 0.12 / 0.037796 = 3.17
        "Against 2023": "improved",
        "Change on 2022 (points)": "+15",
        # z = 0.15 / sqrt(0.65571 * 0.34429 * (1/400 + 1/300)) = 0.15 / 0.036289 = 4.13
        "Against 2022": "improved",
    }


def test_one_wave_has_no_changes_table_and_the_section_says_so(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100})
    assert tables.changes_table(analysis) is None
    assert report.changes(analysis) == ["There is only one wave, so no changes can be shown\\."]


def test_group_tables_show_each_group_in_the_latest_wave(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": directorate_frame()}, codebook, {"2024": 100})
    (group,) = tables.group_tables(analysis)
    assert (group.variable, group.name) == ("directorate", "Directorate")
    assert group.table.caption == "Per cent positive by directorate, 2024"
    frame = group.table.frame
    assert list(frame.columns) == ["Item", "Adults", "Children", "Place"]
    # 24/30 = 80, 15/30 = 50, 21/30 = 70
    first = frame.iloc[0]
    assert [first["Item"], first["Adults"], first["Children"], first["Place"]] == [
        "Satisfied overall",
        "80",
        "50",
        "70",
    ]


def test_response_tables_by_wave_and_headcount_group(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": directorate_frame()}, codebook, {"2024": 120})
    respondents, rate, by_group = tables.response_tables(analysis)
    assert respondents.caption == "Respondents by wave"
    assert respondents.frame["2024"].tolist() == ["90"]
    # 90 of 120 invited = 75 per cent
    assert rate.frame["2024"].tolist() == ["75"]
    assert by_group.caption == "Response rate by directorate (per cent of staff invited)"
    assert by_group.frame["Group"].tolist() == ["Adults", "Children", "Place"]


def test_hr_table_carries_the_precision_of_the_sentences(
    tmp_path: Path, codebook: StaffCodebook
) -> None:
    hr = read_hr_figures(hr_yaml(tmp_path))
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100}, hr=hr)
    table = tables.hr_table(analysis)
    assert table is not None
    assert table.caption == "HR figures and comparators"
    by_value = table.frame.set_index("Value")
    # 26,290.6 / 1,850.1 = 14.2104 days per FTE; 245 / 1,810 = 13.5359 per cent
    assert sorted(by_value.index) == ["13.5 per cent", "14.21 days per FTE"]
    # The comparator as published and as the sentence gives it ("against around 12").
    assert by_value.loc["14.21 days per FTE", "Comparator figure"] == "12"
    assert by_value.loc["13.5 per cent", "Comparator figure"] == ""
    assert set(table.frame["Period"]) == {"2023/24"}


def test_without_hr_figures_the_section_says_so(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100})
    assert tables.hr_table(analysis) is None
    assert report.hr_figures(analysis) == ["No HR figures were supplied with this survey\\."]


# --- sections --------------------------------------------------------------------------------


def test_groups_section_orders_words_heading_chart_and_table(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": directorate_frame()}, codebook, {"2024": 100})
    blocks = report.groups(analysis)
    kinds = [type(block).__name__ for block in blocks]
    # gaps in words (or why none), the directorate heading, its gap chart (the headcount
    # group), its table
    assert kinds == ["Markdown", "Markdown", "ChartResult", "Table"]
    assert blocks[1] == "### Directorate"


def test_engagement_section_without_engagement_items(codebook: StaffCodebook) -> None:
    mapping = codebook_mapping()
    mapping["workforce"]["engagement_index"] = []  # type: ignore[index]
    plain = StaffCodebook.from_mapping(mapping, source="staff-codebook.yml")
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, plain, {"2024": 100})
    assert report.engagement_items(analysis) == [
        "The survey does not ask the engagement index items\\."
    ]
    # Every item is then in the other items' chart, followed by the themes table.
    chart, themes = report.items_and_themes(analysis)
    assert set(chart.table["Item"]) >= set(ITEMS)  # type: ignore[union-attr]
    assert themes.caption == "Per cent positive by theme"  # type: ignore[union-attr]


def test_method_names_the_source_waves_and_threshold(codebook: StaffCodebook) -> None:
    analysis = analyse_waves(
        {"2023": wave_frame(30, 10), "2024": wave_frame(30, 10)},
        codebook,
        {"2023": 100, "2024": 100},
        threshold=15,
    )
    method = report.method_markdown(analysis, demo=False)
    lines = method.split("\n")
    assert lines[0] == "- Source: Hand\\-made staff survey; waves 2023, 2024."
    assert "fewer than 15 respondents" in lines[2]
    assert len(lines) == 5


def test_show_displays_markdown_as_markdown_and_tables_as_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    table = tables.Table(pd.DataFrame({"Item": ["Satisfied"], "2024": ["61"]}), "Caption")
    report.show([markup.md("### {}", "Adults & Children"), table])
    heading, html = shown
    assert isinstance(heading, IPython.display.Markdown)
    assert heading.data == "### Adults &amp; Children"
    assert isinstance(html, IPython.display.HTML)
    assert html.data == table.html()


def test_figures_are_every_finding_in_report_order(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": wave_frame(30, 10)}, codebook, {"2024": 100})
    assert [f.id for f in report.figures(analysis)] == [
        "workforce.response_rate.2024",
        "workforce.positive.satisfied_overall",
        "workforce.positive.line_manager_support",
    ]


# --- survey figures read as their sentences ----------------------------------------------


def gap_frame() -> pd.DataFrame:
    """Adults 131 of 200 positive (65.5%), Children 162 of 200 (81.0%); all 293/400 = 73.25%.

    Adults' raw gap -7.75 rounds to -8, but the whole figures shown are 66 and 73: the
    gap reads -7 (66 - 73), as the gap sentence says. Children: 81 - 73 = +8.
    """
    records = (
        [{"Q1": 1, "DIR": 1}] * 131
        + [{"Q1": 4, "DIR": 1}] * 69
        + [{"Q1": 1, "DIR": 2}] * 162
        + [{"Q1": 4, "DIR": 2}] * 38
    )
    frame = pd.DataFrame(records)
    frame["Q2"] = frame["Q1"]
    return frame[["Q1", "Q2", "DIR"]]


def test_a_gap_is_the_difference_of_the_whole_figures_shown(codebook: StaffCodebook) -> None:
    analysis = analyse_waves({"2024": gap_frame()}, codebook, {"2024": 500})
    chart = group_gap_chart(analysis, "satisfied_overall", "directorate")
    head, *body = (
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", chart.table_html())
    )
    cells = {row[0]: dict(zip(head, row, strict=True)) for row in body}
    assert cells["Adults"]["% positive"] == "66"
    assert cells["Adults"]["Gap to all staff (points)"] == "-7"
    assert cells["Children"]["% positive"] == "81"
    assert cells["Children"]["Gap to all staff (points)"] == "8"
    assert "against 73 per cent for all staff" in chart.description
    for finding in analysis.by_kind.gaps:
        if finding.id.endswith("adults.satisfied_overall"):
            assert "(66 per cent against 73 per cent)" in finding.sentence
            assert "gap of 7 percentage points" in finding.sentence
