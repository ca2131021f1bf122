"""A survey figure reads the same in its sentence, chart tables, section tables and headline table.

The residents' report once said "65 per cent" in a sentence above a table reading
"65.5" (which reads as 66); the staff survey's gap chart read "-7.6" beside a
sentence giving a gap of 8 points. Every survey percentage is now whole per cent
(``wording.SURVEY_DECIMALS``), changes and gaps the difference of the whole figures.
Expected values below are worked by hand, or read from the sentence and compared with
the table: never computed by the code under test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from councilpack import residents, workforce
from councilpack.briefing.excel import number_format
from councilpack.charts import ChartResult, data_table_html
from councilpack.demo import demo_context
from councilpack.demo.files import demo_survey_dir, ensure_demo_files
from councilpack.figures import Figure
from councilpack.residents.charts import national_comparison_chart, trend_chart
from councilpack.surveys.folder import load_survey_folder
from councilpack.wording import (
    SURVEY_DECIMALS,
    format_number,
    format_value,
    survey_percent,
)
from councilpack.workforce import tables
from councilpack.workforce.charts import group_gap_chart, item_trend_chart
from councilpack.workforce.measures import ALL_STAFF

COUNCIL = "X00000001"


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows(table_html: str) -> list[dict[str, str]]:
    """Return an HTML table's body rows as {header: cell text}."""
    parser = _Cells()
    parser.feed(table_html)
    head, *body = parser.rows
    return [dict(zip(head, row, strict=True)) for row in body]


# --- hand-worked edge cases ------------------------------------------------------------------


def test_halves_round_up_in_every_survey_form() -> None:
    assert SURVEY_DECIMALS == 0
    # 65.5 -> 66 (half up), 65.4934 -> 65: the sentence, the cell and the headline agree.
    assert survey_percent(65.5) == "66 per cent"
    assert survey_percent(65.4934) == "65 per cent"
    table = pd.DataFrame(
        {
            "item": ["Satisfied"],
            "percent": [65.5],
            "lower": [47.5],
            "upper": [53.9],
            "national_percent": [87.0],
        }
    )
    (row,) = rows(data_table_html(table, "Data"))
    assert row == {
        "Item": "Satisfied",
        "Per cent positive": "66",
        "Lower 95% limit": "48",
        "Upper 95% limit": "54",
        "National figure (per cent)": "87",  # not "87.0"
    }


def test_a_figure_of_its_own_precision_reads_as_its_sentence() -> None:
    survey = Figure(
        id="residents.x.2024", label="x", value=65.4934, unit="percent", period="2024",
        source="s", decimals=SURVEY_DECIMALS,
    )  # fmt: skip
    assert survey.formatted() == "65 per cent"
    assert survey.model_copy(update={"value": 65.5}).formatted() == "66 per cent"
    # eNPS 0.8978 is "+1" in its sentence: the headline reads "+1 point".
    enps = survey.model_copy(update={"value": 0.8978, "unit": "points"})
    assert enps.formatted() == "+1 point"
    assert enps.model_copy(update={"value": -19.2}).formatted() == "-19 points"
    # The sidecar keeps the raw value and says how it is printed.
    assert survey.model_dump(mode="json")["value"] == 65.4934
    assert survey.model_dump(mode="json")["decimals"] == 0


def test_published_statistics_keep_their_own_precision() -> None:
    # Finance, outcomes and HR figures: no "decimals", one place as before, and no new
    # key in their sidecars (their JSON stays byte-identical).
    turnover = Figure(
        id="workforce.hr.turnover_pct", label="Staff turnover", value=16.54, unit="percent",
        period="2023/24", source="HR",
    )  # fmt: skip
    assert turnover.formatted() == "16.5 per cent"
    assert "decimals" not in turnover.model_dump(mode="json")
    assert format_value(12.8249, "days per FTE") == "12.82 days per FTE"
    assert format_value(0.8978, "points") == "0.90 points"  # a score with no precision given


def test_workbook_formats_follow_the_figures_precision() -> None:
    assert number_format("percent") == '0.0"%"'
    assert number_format("percent", SURVEY_DECIMALS) == '0"%"'
    assert number_format("points", SURVEY_DECIMALS) == "+0;-0;0"
    assert number_format("percentage points") == "+0.0;-0.0;0.0"


# --- the demo residents' report --------------------------------------------------------------


@pytest.fixture(scope="module")
def residents_analysis() -> residents.ResidentsAnalysis:
    folder = load_survey_folder(
        demo_survey_dir(ensure_demo_files(), "residents", COUNCIL), expected="residents"
    )
    return residents.analyse(demo_context(), COUNCIL, folder)


RESIDENT_SENTENCE = re.compile(r"^In (?P<wave>\S+), (?P<percent>\d+) per cent of residents")
NATIONAL = re.compile(r"national figure \((?P<national>\d+) per cent")
CHANGE = re.compile(
    r"statistically significant (?P<kind>increase|fall) of (?P<points>\d+) percentage points? "
    r"since (?P<since>[^\s.;]+)"
)


def test_residents_sentences_agree_with_the_national_comparison_table(
    residents_analysis: residents.ResidentsAnalysis,
) -> None:
    latest = residents_analysis.waves[-1]
    table = {
        row["Item"]: row for row in rows(national_comparison_chart(residents_analysis).table_html())
    }
    checked = 0
    for finding in residents_analysis.findings:
        if finding.period != latest:
            continue
        said = RESIDENT_SENTENCE.match(finding.sentence)
        national = NATIONAL.search(finding.sentence)
        assert said is not None, finding.sentence
        assert national is not None, finding.sentence
        row = table[finding.label]
        assert row["Per cent positive"] == said["percent"]
        assert row["National figure (per cent)"] == national["national"]
        assert int(row["Lower 95% limit"]) <= int(said["percent"]) <= int(row["Upper 95% limit"])
        assert finding.formatted() == f"{said['percent']} per cent"  # the headline table
        checked += 1
    assert checked == 6


def test_residents_sentences_agree_with_the_trend_tables(
    residents_analysis: residents.ResidentsAnalysis,
) -> None:
    council = residents_analysis.survey_title
    changes_checked = 0
    for item in residents_analysis.estimates["item"].unique():
        result = trend_chart(residents_analysis, item)
        by_wave = {
            row["Wave"]: row for row in rows(result.table_html()) if row["Series"] == council
        }
        for finding in residents_analysis.findings:
            if not finding.id.startswith(f"residents.{item}."):
                continue
            said = RESIDENT_SENTENCE.match(finding.sentence)
            assert said is not None
            assert by_wave[said["wave"]]["Per cent positive"] == said["percent"]
            if finding.period == residents_analysis.waves[-1]:
                assert f"is {said['percent']} per cent." in result.description
            change = CHANGE.search(finding.sentence)
            if change is not None:
                before = int(by_wave[change["since"]]["Per cent positive"])
                now = int(said["percent"])
                sign = 1 if change["kind"] == "increase" else -1
                assert now - before == sign * int(change["points"]), finding.sentence
                changes_checked += 1
    assert changes_checked >= 3  # the demo survey has significant changes to check


# --- the demo staff survey report ------------------------------------------------------------


@pytest.fixture(scope="module")
def staff_analysis() -> workforce.WorkforceAnalysis:
    folder = load_survey_folder(
        demo_survey_dir(ensure_demo_files(), "staff", COUNCIL), expected="staff"
    )
    return workforce.analyse(folder)


ITEM_SENTENCE = re.compile(r"^(?P<percent>\d+) per cent ")
STAFF_CHANGE = re.compile(
    r"a statistically significant (?P<points>\d+) percentage point (?P<kind>increase|decrease) "
    r"on (?P<wave>\S+?)(?: and|\.)"
)
STAFF_SAME = re.compile(r"no significant change on (?P<wave>\S+) \((?P<percent>\d+) per cent\)")
GAP = re.compile(
    r"\((?P<group>\d+) per cent against (?P<all>\d+) per cent\), a statistically significant "
    r"gap of (?P<points>\d+) percentage points?"
)


def plain(label: str) -> str:
    return label.removeprefix("Engagement index: ").removesuffix(" (% positive)")


def test_staff_item_sentences_agree_with_the_changes_and_trend_tables(
    staff_analysis: workforce.WorkforceAnalysis,
) -> None:
    latest = staff_analysis.latest_wave
    changes_table = tables.changes_table(staff_analysis)
    assert changes_table is not None
    changes = {row["Item"]: row for row in rows(changes_table.html())}
    trends: dict[tuple[str, str], str] = {}
    engagement = staff_analysis.codebook.workforce.engagement_index
    others = [i for i in staff_analysis.codebook.item_ids if i not in engagement]
    for items in (engagement, others):
        for row in rows(item_trend_chart(staff_analysis, items=items).table_html()):
            trends[(row["Item"], row["Wave"])] = row["% positive"]
            # The method says the chart tables give the 95 per cent intervals: whole too.
            low, high = int(row["Lower 95% limit"]), int(row["Upper 95% limit"])
            assert low <= int(row["% positive"]) <= high
    checked = 0
    for finding in staff_analysis.by_kind.items:
        label = plain(finding.label)
        said = ITEM_SENTENCE.match(finding.sentence)
        assert said is not None, finding.sentence
        assert changes[label][f"% positive {latest}"] == said["percent"]
        assert trends[(label, latest)] == said["percent"]
        assert finding.formatted() == f"{said['percent']} per cent"
        for change in STAFF_CHANGE.finditer(finding.sentence):
            sign = "+" if change["kind"] == "increase" else "-"
            assert changes[label][f"Change on {change['wave']} (points)"] == sign + change["points"]
            checked += 1
        for same in STAFF_SAME.finditer(finding.sentence):
            assert trends[(label, same["wave"])] == same["percent"]
            checked += 1
    assert checked >= 10


def test_staff_gap_sentences_agree_with_the_group_tables_and_gap_chart(
    staff_analysis: workforce.WorkforceAnalysis,
) -> None:
    group_tables = {
        group.variable: {row["Item"]: row for row in rows(group.table.html())}
        for group in tables.group_tables(staff_analysis)
    }
    headline = staff_analysis.codebook.item_ids[0]
    gap_chart = group_gap_chart(
        staff_analysis, headline, staff_analysis.codebook.workforce.headcount_group or ""
    )
    gap_rows = rows(gap_chart.table_html())
    all_staff = re.search(r"against (\d+) per cent for all staff", gap_chart.description)
    assert all_staff is not None
    for row in gap_rows:  # every gap is the difference of the whole figures shown
        shown = int(row["% positive"]) - int(all_staff[1])
        assert row["Gap to all staff (points)"] == format_number(shown)
    gap_cells = {row[next(iter(row))]: row for row in gap_rows}
    for finding in staff_analysis.by_kind.gaps:
        said = GAP.search(finding.sentence)
        assert said is not None, finding.sentence
        assert abs(int(said["group"]) - int(said["all"])) == int(said["points"])
        assert finding.formatted() == f"{said['group']} per cent"
        _, _, variable, *_ = finding.id.split(".")
        label = plain(finding.label).split(": ", 1)[0]
        table = group_tables[variable][label]
        group_cells = [cell for header, cell in table.items() if header != "Item"]
        assert said["group"] in group_cells
        if finding.id.endswith(f".{headline}") and variable == (
            staff_analysis.codebook.workforce.headcount_group
        ):
            matching = [row for row in gap_cells.values() if row["% positive"] == said["group"]]
            assert matching, finding.sentence


def test_staff_response_rate_and_enps_read_as_their_sentences(
    staff_analysis: workforce.WorkforceAnalysis,
) -> None:
    latest = staff_analysis.latest_wave
    rate = staff_analysis.by_kind.response_rates[-1]
    said = re.search(r"\((\d+) per cent\)", rate.sentence)
    assert said is not None
    by_group = {row["Group"]: row for row in rows(tables.response_tables(staff_analysis)[1].html())}
    assert by_group[ALL_STAFF][latest] == said[1]
    assert rate.formatted() == f"{said[1]} per cent"
    (enps,) = staff_analysis.by_kind.enps
    score = re.search(r"Net Promoter Score is ([-+]?\d+)", enps.sentence)
    assert score is not None
    enps_table = tables.enps_table(staff_analysis)
    assert enps_table is not None
    (row,) = rows(enps_table.html())
    assert row[latest] == score[1]
    assert enps.formatted().split()[0] == score[1]


def test_chart_result_table_is_what_show_displays() -> None:
    result = ChartResult(
        chart=None,  # type: ignore[arg-type]
        description="d",
        table=pd.DataFrame({"Group": ["A"], "% positive": [65.5]}),
        decimals={"% positive": SURVEY_DECIMALS},
    )
    assert rows(result.table_html()) == [{"Group": "A", "% positive": "66"}]
