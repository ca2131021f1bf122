"""Values outside their metric's plausible range are left out of the store, with a reason.

Hand-made tidy rows test the rule; the staged files test that Havant's negative
council tax requirement in the RS 2017-18 return (an error in the return) is
excluded while Spelthorne's negative net revenue expenditure (real: commercial
income) is kept.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from councilpack.catalogue import CatalogueError, load_catalogue, plausible_ranges
from councilpack.data.cli import data_app
from councilpack.data.model import EXCLUDED_COLUMNS, TIDY_COLUMNS, DataContext
from councilpack.data.store import (
    StoreVersionError,
    exclude_implausible,
    open_store,
    range_reason,
)
from councilpack.demo import demo_context

RS_2017 = Path("mhclg_ro_rs_historic_bbc") / "RS_2017-18_data_by_LA.xlsx"
HAVANT, SPELTHORNE = "E07000090", "E07000213"


def _tidy(rows: list[tuple[str, str, str, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*row, "hand-made") for row in rows],
        columns=list(TIDY_COLUMNS),
    )


def test_catalogue_declares_ranges() -> None:
    ranges = plausible_ranges()
    for metric in ("council_tax_requirement", "unallocated_reserves", "earmarked_reserves"):
        assert ranges[metric] == (0.0, math.inf)
    assert ranges["population_all"] == (1.0, math.inf)
    assert ranges["population_0_17"] == (1.0, math.inf)
    # Negative net revenue expenditure is real; schools balances can be in deficit.
    assert "net_revenue_expenditure" not in ranges
    assert "schools_reserves" not in ranges


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ("minimum: zero", "has minimum 'zero', not a number"),
        ("minimum: true", "has minimum True, not a number"),
        ("minimum: 5\n  maximum: 1", "has minimum 5 above maximum 1"),
    ],
)
def test_catalogue_rejects_a_bad_range(tmp_path: Path, bounds: str, message: str) -> None:
    (tmp_path / "bad.yml").write_text(
        "metrics:\n- id: things\n  label: Things\n  unit: count\n  polarity: neutral\n"
        f"  definition: d\n  source: s\n  {bounds}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(tmp_path)


def test_negative_reserve_is_excluded_with_its_reason_and_negative_nre_kept() -> None:
    metrics = _tidy(
        [
            ("A", "unallocated_reserves", "2016-17", -1_300_000.0, "GBP", "mhclg_rs"),
            ("A", "net_revenue_expenditure", "2016-17", -2_757_000.0, "GBP", "mhclg_rs"),
            ("A", "council_tax_requirement", "2016-17", 5_000_000.0, "GBP", "mhclg_rs"),
            ("B", "earmarked_reserves", "2016-17", 0.0, "GBP", "mhclg_rs"),
            ("B", "schools_reserves", "2016-17", -1_862_000.0, "GBP", "mhclg_rs"),
            ("B", "population_all", "mid-2023", 0.0, "persons", "ons_mye"),
        ]
    )
    kept, excluded = exclude_implausible(metrics)
    assert tuple(excluded.columns) == EXCLUDED_COLUMNS
    assert excluded[["gss_code", "metric", "period"]].to_records(index=False).tolist() == [
        ("A", "unallocated_reserves", "2016-17"),
        ("B", "population_all", "mid-2023"),
    ]
    reserve, population = excluded.iloc[0], excluded.iloc[1]
    assert reserve["value"] == -1_300_000.0
    assert reserve["source_file"] == "mhclg_ro_rs_historic_bbc/RS_2016-17_data_by_LA.xlsx"
    assert reserve["reason"] == (
        "negative unallocated reserves (-£1.3m) in the 2016-17 revenue outturn return: "
        "an error in the return"
    )
    assert population["source_file"] == "ons_mye/mye2023_lad_single_year_of_age_england.csv"
    assert population["reason"] == (
        "population (all ages) of 0, below the plausible minimum of 1, "
        "in the mid-2023 ONS population estimate: an error in the estimate"
    )
    assert tuple(kept.columns) == TIDY_COLUMNS
    assert kept["metric"].tolist() == [
        "net_revenue_expenditure",
        "council_tax_requirement",
        "earmarked_reserves",
        "schools_reserves",
    ]
    assert kept["value"].iloc[0] == -2_757_000.0


def test_nothing_excluded_gives_an_empty_table_with_the_columns() -> None:
    metrics = _tidy([("A", "council_tax_requirement", "2016-17", 1.0, "GBP", "mhclg_rs")])
    kept, excluded = exclude_implausible(metrics)
    assert len(kept) == 1
    assert excluded.empty
    assert tuple(excluded.columns) == EXCLUDED_COLUMNS


def test_range_reason_refuses_a_value_in_range() -> None:
    entry = {"label": "Council tax requirement", "unit": "GBP", "minimum": 0}
    with pytest.raises(ValueError, match="within its plausible range"):
        range_reason(entry, 10.0, "2017-18", "mhclg_rs")


def test_demo_context_has_an_empty_excluded_table() -> None:
    data = demo_context()
    assert data.excluded.empty
    assert tuple(data.excluded.columns) == EXCLUDED_COLUMNS
    assert data.council_excluded(data.register.table["gss_code"].iloc[0]).empty


def test_open_store_refuses_a_store_of_an_older_version(tmp_path: Path) -> None:
    (tmp_path / "build.json").write_text(json.dumps({"label": "open data"}), encoding="utf-8")
    with pytest.raises(StoreVersionError, match=r"store version 1, .* rebuild it"):
        open_store(tmp_path)


def _raw_rs_2017(open_data_dir: Path, ons_code: str, line: int) -> float:
    """Read one RS 2017-18 cell (row by ONS code, column by line number), in pounds."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the workbook's print-area definition
        book = openpyxl.load_workbook(open_data_dir / RS_2017, read_only=True, data_only=True)
    rows = list(book["RS LA Data 2017-18"].iter_rows(values_only=True))
    book.close()
    line_row = next(r for r in rows if r[5] == 190)
    columns = [i for i, value in enumerate(line_row) if value == line]
    assert len(columns) == 1, columns
    row = next(r for r in rows if r[1] == ons_code)
    return float(row[columns[0]]) * 1000


def test_havant_negative_council_tax_requirement_is_excluded(
    open_data_dir: Path, built_store: Path, context: DataContext
) -> None:
    raw = _raw_rs_2017(open_data_dir, HAVANT, 890)
    assert raw == pytest.approx(-6_411_228.96)
    excluded = context.excluded
    havant = excluded[
        (excluded["gss_code"] == HAVANT)
        & (excluded["metric"] == "council_tax_requirement")
        & (excluded["period"] == "2017-18")
    ]
    assert len(havant) == 1
    row = havant.iloc[0]
    assert row["value"] == pytest.approx(raw)
    assert row["source_file"] == str(RS_2017)
    assert row["reason"].startswith("negative council tax requirement (-£6.4m) in the 2017-18")
    mine = context.council_metrics(HAVANT)
    requirement = mine[mine["metric"] == "council_tax_requirement"]
    assert "2017-18" not in set(requirement["period"])
    assert "2016-17" in set(requirement["period"])  # the other years stay
    build = json.loads((built_store / "build.json").read_text())
    assert build["excluded_rows"] == len(excluded) >= 1
    assert (built_store / "excluded.parquet").is_file()


def test_negative_net_revenue_expenditure_is_kept(
    open_data_dir: Path, context: DataContext
) -> None:
    raw = _raw_rs_2017(open_data_dir, SPELTHORNE, 805)
    assert raw < 0
    mine = context.council_metrics(SPELTHORNE)
    nre = mine[(mine["metric"] == "net_revenue_expenditure") & (mine["period"] == "2017-18")]
    assert nre["value"].tolist() == [pytest.approx(raw)]
    assert not (context.excluded["metric"] == "net_revenue_expenditure").any()


def test_no_value_left_in_metrics_is_outside_its_range(context: DataContext) -> None:
    for metric, (low, high) in plausible_ranges().items():
        values = context.metric(metric)["value"]
        assert values.between(low, high).all(), metric
    for row in context.excluded.itertuples(index=False):
        if row.metric not in plausible_ranges():
            # Left out because the publication's own cells disagree (RSX C7 != C3 - C6).
            assert "does not equal the net current expenditure" in row.reason
            continue
        low, high = plausible_ranges()[row.metric]
        assert not low <= row.value <= high


def test_cli_check_and_build_mention_the_excluded_values(
    open_data_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    wide = {"COLUMNS": "300"}
    checked = runner.invoke(data_app, ["check", "--data-dir", str(open_data_dir)], env=wide)
    assert checked.exit_code == 0, checked.output
    assert "implausible values left out" in checked.output
    assert (
        "E07000090 council_tax_requirement 2017-18: negative council tax requirement (-£6.4m)"
        in checked.output
    )
    store = tmp_path / "store"
    built = runner.invoke(
        data_app,
        ["build", "--data-dir", str(open_data_dir), "--store", str(store)],
        env=wide,
    )
    assert built.exit_code == 0, built.output
    count = json.loads((store / "build.json").read_text())["excluded_rows"]
    assert f"{count} implausible values left out (see excluded.parquet)" in built.output
