"""One rounding path, plain-English labels, dates, caps and units (issue 13 items 3 and 7)."""

from __future__ import annotations

import pandas as pd
import pytest

from councilpack.charts import data_table_html
from councilpack.residents.wording import change_phrase as residents_change
from councilpack.residents.wording import percent_text
from councilpack.wording import (
    format_money,
    format_number,
    format_value,
    natural_key,
    plain_label,
    plural_word,
    round_half_up,
    rounded_change,
    years_text,
)
from councilpack.workforce.wording import change_phrase as workforce_change
from councilpack.workforce.wording import whole_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (65.5, 0, 66.0),  # half up, not to even (Python's round gives 66 here by luck)
        (64.5, 0, 65.0),  # round(64.5) == 64 in Python: half to even
        (0.125, 2, 0.13),  # round(0.125, 2) == 0.12
        (2.675, 2, 2.68),  # stored as 2.67499..., read as written
        (-0.5, 0, -1.0),  # away from zero
        (-0.04, 1, 0.0),
    ],
)
def test_round_half_up(value: float, decimals: int, expected: float) -> None:
    assert round_half_up(value, decimals) == expected


def test_every_percent_formatter_agrees_on_halves() -> None:
    # The residents summary and the chart caption said 65 and 66 for one figure;
    # every formatter now goes through round_half_up.
    for value in (64.5, 65.5, 71.5):
        whole = int(round_half_up(value))
        assert percent_text(value) == f"{whole} per cent"
        assert whole_percent(value) == f"{whole} per cent"
        assert format_value(value, "percent") == f"{format_number(value, 1)} per cent"


def test_changes_are_the_difference_of_the_printed_figures() -> None:
    # 56.62 -> 57 and 52.14 -> 52: the sentence and the table both say 5 (4.48 rounds to 4).
    assert rounded_change(56.62, 52.14) == 5
    assert workforce_change(56.62, 52.14, True) == (
        "a statistically significant 5 percentage point increase"
    )
    assert residents_change(rounded_change(56.62, 52.14), True, "2023").endswith(
        "increase of 5 percentage points since 2023"
    )


def test_no_negative_zero() -> None:
    assert format_value(-0.02, "percentage points") == "0.0 percentage points"
    assert format_number(-0.4) == "0"
    assert format_number(3.0, 1, sign=True) == "+3.0"


def test_money_reads_in_one_unit() -> None:
    assert format_money(292_813) == "£0.3m"
    assert format_money(2_040_000) == "£2.0m"
    assert format_money(12_400) == "£12,400"


def test_capped_years_read_as_more_than() -> None:
    assert format_value(100.0, "years") == "more than 100 years"
    assert years_text(8.64) == "8.6 years"


def test_plain_labels_and_plurals() -> None:
    for raw in ("base_effective", "design_effect", "age_band", "comparator_value"):
        label = plain_label(raw)
        assert "_" not in label
        assert label[0].isupper()
    assert plural_word("unitary authority") == "unitary authorities"
    assert sorted(["Grades 10-13", "Grades 6-9", "Grades 1-5"], key=natural_key) == [
        "Grades 1-5",
        "Grades 6-9",
        "Grades 10-13",
    ]


def test_tables_show_plain_headers_dates_and_blanks() -> None:
    table = pd.DataFrame(
        {
            "month": [pd.Timestamp("2023-10-01")],
            "base_effective": [927.44],
            "design_effect": [1.186],
            "lower": [float("nan")],
        }
    )
    page = data_table_html(table, "caption")
    assert "October 2023" in page
    assert "00:00:00" not in page
    assert "base_effective" not in page
    assert "Effective base" in page
    assert "<td>927</td>" in page  # effective base to the whole respondent
    assert "<td>1.19</td>" in page
    assert "nan" not in page


def test_a_comparator_group_is_listed_once() -> None:
    from councilpack.data import ComparatorGroup
    from councilpack.finance.analysis import distinct_groups

    # Hart: all district councils and all non-metropolitan districts are the same 164.
    members = tuple(f"E07{n:06d}" for n in range(164))
    tier = ComparatorGroup("tier", "All English district councils", "", "", members)
    kind = ComparatorGroup("type", "All English non-metropolitan districts", "", "", members)
    region = ComparatorGroup("region", "District councils in South East", "", "", members[:51])
    assert distinct_groups([tier, kind, region]) == (tier, region)


def test_ratios_above_100_per_cent_are_explained_where_they_occur() -> None:
    from types import SimpleNamespace

    from councilpack.finance.report import ratio_note

    def analysis(value: float) -> SimpleNamespace:
        spec = SimpleNamespace(unit="percent")
        result = SimpleNamespace(spec=spec, value=value)
        return SimpleNamespace(results={"council_tax_requirement_pct_nre": result})

    # Hart 2017-18: council tax requirement 126.8 per cent of NRE.
    assert "can be right" in ratio_note(analysis(126.8), "council_tax_requirement_pct_nre")
    assert ratio_note(analysis(84.5), "council_tax_requirement_pct_nre") == ""
