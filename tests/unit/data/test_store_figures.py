"""Store figures checked against values read independently from the raw workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from councilpack.data.model import TIDY_COLUMNS, DataContext

RS = "mhclg_ro_rs_historic_bbc"
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set:UserWarning")


def raw_rs_value(raw: Path, file: str, ecode: str, line: int, group: str | None = None) -> float:
    """Find the row by E-code and the column by line number (row above the header), x1000."""
    book = openpyxl.load_workbook(raw / RS / file, read_only=True, data_only=True)
    sheet = next(book[n] for n in book.sheetnames if n.startswith("RS LA Data"))
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    header = next(i for i, r in enumerate(rows) if r[0] == "E-code")
    groups, current = [], ""
    for cell in rows[header - 2]:
        current = cell if isinstance(cell, str) and cell.strip() else current
        groups.append(current)
    columns = [
        j
        for j, v in enumerate(rows[header - 1])
        if v == line and (group is None or group in groups[j])
    ]
    assert len(columns) == 1, columns
    row = next(r for r in rows[header + 1 :] if r[0] == ecode)
    return float(row[columns[0]]) * 1000


def store_value(context: DataContext, gss: str, metric: str, period: str) -> float:
    rows = context.council_metrics(gss)
    rows = rows[(rows["metric"] == metric) & (rows["period"] == period)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_knowsley_net_revenue_expenditure_2016_17(
    open_data_dir: Path, context: DataContext
) -> None:
    expected = raw_rs_value(open_data_dir, "RS_2016-17_data_by_LA.xlsx", "E4301", 805)
    assert store_value(context, "E08000011", "net_revenue_expenditure", "2016-17") == pytest.approx(
        expected
    )


def test_liverpool_unallocated_reserves_end_of_2015_16(
    open_data_dir: Path, context: DataContext
) -> None:
    expected = raw_rs_value(
        open_data_dir, "RS_2015-16_data_by_LA_-_Revision.xlsx", "E4302", 916, "31 March"
    )
    start = raw_rs_value(
        open_data_dir, "RS_2015-16_data_by_LA_-_Revision.xlsx", "E4302", 916, "1 April"
    )
    assert store_value(context, "E08000012", "unallocated_reserves", "2015-16") == pytest.approx(
        expected
    )
    assert store_value(
        context, "E08000012", "unallocated_reserves_start", "2015-16"
    ) == pytest.approx(start)


def test_buckinghamshire_2017_18_is_sum_of_five_predecessors(
    open_data_dir: Path, context: DataContext
) -> None:
    # Buckinghamshire County + Aylesbury Vale, Chiltern, South Bucks, Wycombe (E-codes).
    ecodes = ["E0421", "E0431", "E0432", "E0434", "E0435"]
    expected = sum(
        raw_rs_value(open_data_dir, "RS_2017-18_data_by_LA.xlsx", e, 805) for e in ecodes
    )
    value = store_value(context, "E06000060", "net_revenue_expenditure", "2017-18")
    assert value == pytest.approx(expected)
    rows = context.council_metrics("E06000060")
    nre = rows[(rows["metric"] == "net_revenue_expenditure") & (rows["period"] == "2017-18")]
    vintage = nre["vintage"].iloc[0]
    assert "summed from 5 predecessor" in vintage


def test_split_county_successors_have_no_pre_vesting_money(context: DataContext) -> None:
    # Cumberland (vested April 2023), North Northamptonshire (2021), Dorset (2019).
    for gss, vested in (
        ("E06000063", "2023-24"),
        ("E06000061", "2021-22"),
        ("E06000059", "2019-20"),
    ):
        rows = context.council_metrics(gss)
        finance = rows[rows["source"] == "mhclg_rs"]
        assert not finance.empty
        assert (finance["period"] >= vested).all()


def test_population_knowsley_and_county_sum(open_data_dir: Path, context: DataContext) -> None:
    assert store_value(context, "E08000011", "population_all", "mid-2023") == 159_243
    text = (open_data_dir / "ons_mye" / "mye2023_lad_single_year_of_age_england.csv").read_text()
    lines = [line.split(",") for line in text.splitlines()[1:]]
    kent_districts = {
        "E07000105",
        "E07000106",
        "E07000107",
        "E07000108",
        "E07000109",
        "E07000110",
        "E07000111",
        "E07000112",
        "E07000113",
        "E07000114",
        "E07000115",
        "E07000116",
    }
    expected = sum(int(row[2]) for row in lines if row[0] in kent_districts)
    assert store_value(context, "E10000016", "population_all", "mid-2023") == expected


def test_tidy_contract_and_coverage(built_store: Path, context: DataContext) -> None:
    metrics = context.metrics
    assert tuple(metrics.columns) == TIDY_COLUMNS
    assert metrics["value"].notna().all()
    assert not metrics.duplicated(["gss_code", "metric", "period"]).any()
    assert set(metrics["gss_code"]) <= set(context.register.table["gss_code"])
    build = json.loads((built_store / "build.json").read_text())
    assert all(n >= 300 for n in build["coverage"]["mhclg_rs"].values())
    assert sorted(build["coverage"]["mhclg_rs"]) == [
        f"{y}-{(y + 1) % 100:02d}" for y in range(2010, 2024)
    ]
    assert sorted(build["coverage"]["mhclg_rsx_releases"]) == ["2022-23", "2023-24", "2024-25"]
    assert "last updated 4 December 2025" in build["coverage"]["mhclg_rsx_releases"]["2024-25"]
    assert all(len(h) == 64 for h in build["inputs"].values())
    assert context.label == "open data"


def test_register_holds_every_principal_council(context: DataContext) -> None:
    table = context.register.table
    assert len(table) == 317
    assert table["council_type"].value_counts()["Metropolitan district"] == 36
    assert not table["gss_code"].str.startswith("E47").any()
    knowsley = context.register.get("E08000011")
    assert (knowsley.council_type, knowsley.region) == ("Metropolitan district", "North West")
