"""ONS 2025 nearest neighbours as the primary group, and outcome figures from the raw cells.

Expected values are read here from the published workbooks (pandas with the
calamine engine, rows found by ONS code, columns by heading), never copied from
the code's output.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd
import pytest

from councilpack.data.model import DataContext
from councilpack.finance.analysis import analyse as analyse_finance
from councilpack.finance.report import data_vintage
from councilpack.outcomes import analyse

NN_FILE = Path("ons_nearest_neighbours_2025") / "localauthoritynearestneighboursengland.xlsx"
ROADS_FILE = Path("dft_road_condition") / "road-condition-data.ods"
WASTE_FILE = Path("defra_env18_waste") / "LA_collected_waste_2023-24.ods"
WASTE_OLD = Path("defra_env18_waste") / "LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods"
LIVERPOOL, KNOWSLEY, KENT, CAMBRIDGE = "E08000012", "E08000011", "E10000016", "E07000008"
NORTH_YORKSHIRE = "E06000065"
REORGANISED = {
    "E06000060": "Buckinghamshire",
    "E06000059": "Dorset",
    "E06000058": "Bournemouth, Christchurch and Poole",
    "E06000061": "North Northamptonshire",
    "E06000062": "West Northamptonshire",
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
}
A_ROADS, BC_ROADS = "RDC0120_A_Roads_and_Motorways", "RDC0120_B_and_C_Roads"
RECYCLING = "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"


@pytest.fixture(scope="module")
def ons_tables(open_data_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        sheet: pd.read_excel(
            open_data_dir / NN_FILE, sheet_name=sheet, engine="calamine", header=3, index_col=0
        )
        for sheet in ("Table 1", "Table 3")
    }


@pytest.fixture(scope="module")
def roads(open_data_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        sheet: pd.read_excel(
            open_data_dir / ROADS_FILE, sheet_name=sheet, engine="calamine", header=4
        ).set_index("ONS Area Code")
        for sheet in (A_ROADS, BC_ROADS)
    }


@pytest.fixture(scope="module")
def waste(open_data_dir: Path) -> pd.DataFrame:
    return pd.read_excel(
        open_data_dir / WASTE_FILE, sheet_name="Table_3", engine="calamine", header=3
    )


def _types(context: DataContext) -> dict[str, str]:
    table = context.register.table
    return dict(zip(table["gss_code"], table["council_type"], strict=True))


def _expected_group(table: pd.DataFrame, code: str, allowed: set[str], types: dict) -> list[str]:
    # Walk the ONS ranking (Neighbour 1, 2, ...) and keep the first 15 of the same kind.
    ranked = [c for c in table.loc[code].iloc[1:].tolist() if isinstance(c, str)]
    return [c for c in ranked if types.get(c) in allowed][:15]


SINGLE_TIER = {"Unitary authority", "Metropolitan district", "London borough", "City corporation"}


def test_primary_group_is_ons_like_with_like(context: DataContext, ons_tables: dict) -> None:
    types = _types(context)
    liverpool = context.groups_for(LIVERPOOL)[0]
    assert liverpool.kind == "ons_nn_2025"
    assert "1 October 2025" in liverpool.vintage
    assert "same service responsibilities" in liverpool.definition
    expected = _expected_group(ons_tables["Table 3"], LIVERPOOL, SINGLE_TIER, types)
    assert list(liverpool.members) == [LIVERPOOL, *expected]
    cambridge = context.groups_for(CAMBRIDGE)[0]
    expected = _expected_group(
        ons_tables["Table 1"], CAMBRIDGE, {"Non-metropolitan district"}, types
    )
    assert list(cambridge.members) == [CAMBRIDGE, *expected]
    kent = context.groups_for(KENT)[0]
    assert {types[m] for m in kent.members} == {"County"}
    assert len(kent.members) == 16


@pytest.mark.parametrize("code", sorted(REORGANISED))
def test_reorganised_councils_have_a_like_group(context: DataContext, code: str) -> None:
    types = _types(context)
    groups = context.groups_for(code)
    primary = groups[0]
    assert primary.kind == "ons_nn_2025"
    assert len(primary.members) == 16
    assert {types[m] for m in primary.members} <= SINGLE_TIER
    # No group of a unitary may be mostly shire districts (North Yorkshire had 65 of them).
    for group in groups:
        districts = [m for m in group.members if types[m] == "Non-metropolitan district"]
        assert not districts, (group.kind, len(group.members))


def test_north_yorkshire_finance_uses_the_primary_group(context: DataContext) -> None:
    result = analyse_finance(context, NORTH_YORKSHIRE)
    assert result.primary is not None
    assert result.primary.kind == "ons_nn_2025"
    assert len(result.primary.members) == 16
    assert "ONS nearest neighbours (ONS local authority nearest neighbours" in data_vintage(result)


def test_liverpool_roads_and_recycling_reproduce_the_peer_report(
    context: DataContext, roads: dict, waste: pd.DataFrame
) -> None:
    # "10 per cent (2022/23)" principal roads, "16 per cent" B and C, "17.9 per cent" recycling.
    assert roads[A_ROADS].loc[LIVERPOOL, "FYE 2023"] == 10
    assert roads[BC_ROADS].loc[LIVERPOOL, "FYE 2023"] == 16
    raw = waste[(waste["ONS code"] == LIVERPOOL) & (waste["Year"] == "2022-23")][RECYCLING]
    assert float(raw.iloc[0]) == 0.179
    principal = context.metric("roads_principal_maintenance_pct", "2022-23")
    minor = context.metric("roads_non_principal_maintenance_pct", "2022-23")
    recycled = context.metric("household_waste_reuse_recycling_composting", "2022-23")
    assert principal.set_index("gss_code").at[LIVERPOOL, "value"] == 10
    assert minor.set_index("gss_code").at[LIVERPOOL, "value"] == 16
    assert recycled.set_index("gss_code").at[LIVERPOOL, "value"] / 100 == pytest.approx(0.179)
    # The later Defra release (2023-24) wins for a year both releases hold.
    vintage = recycled.set_index("gss_code").at[LIVERPOOL, "vintage"]
    assert "2023-24 release" in vintage


@pytest.mark.parametrize("code", [LIVERPOOL, KNOWSLEY, KENT])
def test_latest_roads_position_from_raw_cells(context: DataContext, roads: dict, code: str) -> None:
    result = analyse(context, code).results["roads_principal_maintenance_pct"]
    assert result.period == "2024-25"  # FYE 2025
    assert result.value == roads[A_ROADS].loc[code, "FYE 2025"]
    group = result.group
    assert group is not None
    cells = [roads[A_ROADS].loc[m, "FYE 2025"] for m in group.members]
    figures = [float(c) for c in cells if not isinstance(c, str)]  # '[x]' is not a figure
    assert result.position is not None
    assert result.position.median == statistics.median(figures)
    assert result.position.group_size == len(figures)
    better = sum(f < result.value for f in figures)  # lower is better: rank = 1 + count below
    assert result.position.rank == better + 1


@pytest.mark.parametrize("code", [KNOWSLEY, "E07000009"])  # Knowsley, East Cambridgeshire
def test_recycling_from_raw_cells(context: DataContext, waste: pd.DataFrame, code: str) -> None:
    result = analyse(context, code).results["household_waste_reuse_recycling_composting"]
    row = waste[(waste["ONS code"] == code) & (waste["Year"] == "2023-24")]
    assert result.period == "2023-24"
    assert result.value == pytest.approx(100 * float(row[RECYCLING].iloc[0]))
    role = row["Authority type"].iloc[0]
    assert role == "Collection"
    assert result.group is not None
    roles = waste[waste["Year"] == "2023-24"].set_index("ONS code")["Authority type"]
    assert {roles[m] for m in result.group.members} == {"Collection"}  # same waste role only


def test_district_roads_and_markers_are_not_available(context: DataContext) -> None:
    cambridge = analyse(context, CAMBRIDGE).results
    roads_result = cambridge["roads_principal_maintenance_pct"]
    assert roads_result.value is None
    assert roads_result.reason.startswith("not applicable: district councils are not highway")
    assert cambridge["asc_workforce_turnover_rate"].reason.startswith("not applicable")
    bristol = analyse(context, "E06000023").results["household_waste_reuse_recycling_composting"]
    assert bristol.period == "2022-23"  # 2023-24 is ':' in the table
    assert "no figure for 2023-24" in bristol.sentence
    assert "(':')" in bristol.reason
