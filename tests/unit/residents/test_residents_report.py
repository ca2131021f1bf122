"""The residents' report glue: the group table printed whole through the one rounding path."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from councilpack.residents import analyse_waves
from councilpack.residents import report as residents_report
from councilpack.residents.synthetic import generate_waves


@pytest.fixture(scope="module")
def analysis():
    synthetic = generate_waves(n_waves=2, respondents_per_wave=[900, 600], seed=7)
    return analyse_waves(synthetic.waves, synthetic.codebook, synthetic.population_margins)


def _whole(value: float) -> str:
    """Whole per cent, halves away from zero, worked from the decimal form (not the library)."""
    return str(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_group_table_keeps_the_unrounded_per_cent(analysis) -> None:
    latest = analysis.waves[-1]
    table = residents_report.group_table(analysis, latest)
    shown = analysis.breakdowns[
        (analysis.breakdowns["wave"] == latest) & analysis.breakdowns["shown"]
    ]
    assert len(table) == len(shown[["group", "category"]].drop_duplicates())
    numbers = pd.Series(table.drop(columns=["group", "category"]).to_numpy().ravel()).dropna()
    assert sorted(numbers) == sorted(shown["percent"])
    assert (numbers != numbers.round()).any()  # not rounded on the way


def test_group_table_html_prints_each_figure_whole(analysis) -> None:
    latest = analysis.waves[-1]
    table = residents_report.group_table(analysis, latest)
    page = residents_report.group_table_html(analysis).data
    assert f"<caption>Per cent positive by group, {latest}</caption>" in page
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1])
    assert len(rows) == len(table)
    for row, (_, expected) in zip(rows, table.iterrows(), strict=True):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        wanted = [
            str(expected["group"]),
            str(expected["category"]),
            *(
                "" if pd.isna(value) else _whole(float(value))
                for value in expected.drop(["group", "category"])
            ),
        ]
        assert cells == wanted
