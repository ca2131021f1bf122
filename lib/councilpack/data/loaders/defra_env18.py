"""Defra ENV18 local authority collected waste: Table 3, selected waste indicators.

Two releases are staged: the 2022-23 publication (revised March 2024, years
2010-11 to 2022-23) and the 2023-24 publication (March 2025, 2010-11 to
2023-24). Sheet ``Table_3``, header on the fourth row: ``Year``, ``Region``,
``ONS code``, ``Jpp Order``, ``Authority``, ``Authority type``, residual household
waste per household (kg, ex NI191), percentage of household waste sent for
reuse, recycling or composting (ex NI192, a fraction such as 0.179), municipal
waste to landfill, collected household waste per person. Where both releases
hold a year for an authority, the **later release wins** (it carries Defra's
revisions); each row's vintage names the release it came from.

Authorities report in one of three waste roles (``Authority type``):
``Collection`` (shire districts, and metropolitan and London boroughs whose
disposal is done by a joint waste authority, e.g. Liverpool and Merseyside),
``Unitary`` (collection and disposal) and ``Disposal`` (counties and joint waste
disposal authorities; their figures cover the whole county area). Figures of
different roles measure different things (a collection authority's recycling
excludes household waste recycling centres), so the role is kept as the metric
``waste_authority_role`` (1 collection, 2 unitary, 3 disposal) and comparisons
are made within a role. Joint waste authorities and partnerships (``E50`` codes)
and shared services reporting under joined codes are not one council's area
and are left out. Rates are not additive: a former authority's
figure is carried to its successor only when it is the successor's only
predecessor with a figure and reported in the successor's current role.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    LABEL_COLUMN,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    row_label,
    row_number,
    validate,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders._spreadsheet import read_sheet
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import UNAVAILABLE_COLUMNS

SOURCE = "defra_env18"
SHEET = "Table_3"
HEADER_ROW = 3  # 0-based
#: Staged releases, oldest first (the later one wins for a year both hold).
RELEASES: tuple[tuple[str, str], ...] = (
    (
        "defra_env18_2022_23",
        "Defra ENV18 local authority collected waste, 2022-23 release (31 January 2024, "
        + "revised March 2024), Table 3",
    ),
    (
        "defra_env18_2023_24",
        "Defra ENV18 local authority collected waste, 2023-24 release (27 March 2025), Table 3",
    ),
)
RESIDUAL = "Residual household waste per household (kg/household) (Ex NI191)"
RECYCLING = "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"
#: Column -> (metric id, unit, multiplier).
MEASURES: dict[str, tuple[str, str, float]] = {
    RECYCLING: ("household_waste_reuse_recycling_composting", "percent", 100.0),
    RESIDUAL: ("residual_household_waste_per_household", "kg per household", 1.0),
}
ROLE_METRIC = "waste_authority_role"
ROLES: dict[str, int] = {"Collection": 1, "Unitary": 2, "Disposal": 3}
ROLE_NAMES: dict[int, str] = {
    1: "waste collection authorities",
    2: "unitary waste authorities (collection and disposal)",
    3: "waste disposal authorities",
}
NOT_AVAILABLE = {":": "Defra's table marks the figure as not available (':')"}
YEAR = r"^\d{4}-\d{2}$"


def _is_figure(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not pd.isna(value)
    return str(value).strip() in NOT_AVAILABLE


SCHEMA = pa.DataFrameSchema(
    {
        "Year": pa.Column(str, pa.Check.str_matches(YEAR)),
        "ONS code": pa.Column(
            str, pa.Check.str_matches(r"^E(06|07|08|09|10|50)\d{6}( / E(06|07|08|09|10)\d{6})*$")
        ),
        "Authority type": pa.Column(str, pa.Check.isin(sorted(ROLES))),
        **{
            column: pa.Column(
                object,
                pa.Check(
                    lambda s: s.map(_is_figure).astype(bool),
                    error="expected a number or ':'",
                    name="expected a number or ':'",
                ),
            )
            for column in MEASURES
        },
    },
    unique=["Year", "ONS code"],
    strict=False,
)


def _read_release(path: Path) -> pd.DataFrame:
    raw = read_sheet(path, SHEET)
    header = [str(c).strip() if pd.notna(c) else "" for c in raw.iloc[HEADER_ROW]]
    body = raw.iloc[HEADER_ROW + 1 :].copy()
    body.columns = header
    body[ROW_COLUMN] = [i + 1 for i in body.index]
    if "Year" not in body.columns:
        raise DataCheckError(
            [
                CheckFailure(
                    f"{path.name} ({SHEET})", "Year", HEADER_ROW + 1, None, "column is missing"
                )
            ]
        )
    # Data rows carry a year; the notes below the table do not. Regional and England
    # totals have the authority type "Total".
    body = body[body["Year"].astype(str).str.match(YEAR)]
    if "Authority type" in body.columns:
        body = body[body["Authority type"].astype(str).str.strip() != "Total"]
    label = pd.Series("", index=body.index, dtype=object)
    for column in ("Year", "ONS code", "Authority"):
        if column in body.columns:
            label = label + " " + body[column].astype(str)
    body[LABEL_COLUMN] = label.str.strip()
    for column in ("Year", "ONS code", "Authority type"):
        if column in body.columns:
            body[column] = body[column].astype(str).str.strip()
    return validate(SCHEMA, body, f"{path.name} ({SHEET})")


def load_waste(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load household waste indicators for current councils, later release first.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    tuple of pandas.DataFrame
        Tidy rows (the two measures and ``waste_authority_role``) and the cells
        Defra marks ``:`` with their reason
        (:data:`~councilpack.data.model.UNAVAILABLE_COLUMNS`).

    Raises
    ------
    DataCheckError
        When a column is missing, a code or authority type is malformed, a
        (year, code) repeats within a release, or a figure is out of range.
    """
    log = notes if notes is not None else []
    failures: list[CheckFailure] = []
    frames: list[pd.DataFrame] = []
    for order, (key, vintage) in enumerate(RELEASES):
        path = raw_path(raw_dir, RAW_FILES[key])
        try:
            frame = _read_release(path)
        except DataCheckError as error:
            failures.extend(error.failures)
            continue
        rate = pd.to_numeric(frame[RECYCLING], errors="coerce")
        bad = frame.index[(rate < 0) | (rate > 1)]
        failures.extend(
            CheckFailure(
                f"{path.name} ({SHEET})",
                RECYCLING,
                row_number(frame, i),
                row_label(frame, i),
                f"fraction {frame.at[i, RECYCLING]!r} is outside 0 to 1",
            )
            for i in bad
        )
        frames.append(frame.assign(_release=order, _vintage=vintage))
    if failures:
        raise DataCheckError(failures)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.sort_values("_release").drop_duplicates(["Year", "ONS code"], keep="last")
    # Joint waste authorities (E50) and shared services ("E07000150 / E07000153") are not
    # one council's area.
    rows = rows[~rows["ONS code"].str.startswith("E50") & ~rows["ONS code"].str.contains("/")]
    tidy_parts = [
        pd.DataFrame(
            {
                "gss_code": rows["ONS code"],
                "metric": ROLE_METRIC,
                "period": rows["Year"],
                "value": rows["Authority type"].map(ROLES).astype(float),
                "unit": "code",
                "source": SOURCE,
                "vintage": rows["_vintage"],
            }
        )
    ]
    marked: list[dict[str, object]] = []
    for column, (metric, unit, scale) in MEASURES.items():
        numbers = pd.to_numeric(rows[column], errors="coerce")
        tidy_parts.append(
            pd.DataFrame(
                {
                    "gss_code": rows["ONS code"],
                    "metric": metric,
                    "period": rows["Year"],
                    "value": numbers * scale,
                    "unit": unit,
                    "source": SOURCE,
                    "vintage": rows["_vintage"],
                }
            )[numbers.notna().to_numpy()]
        )
        for code, year, cell in zip(rows["ONS code"], rows["Year"], rows[column], strict=True):
            if str(cell).strip() in NOT_AVAILABLE:
                marked.append(
                    {
                        "gss_code": code,
                        "metric": metric,
                        "period": year,
                        "source": SOURCE,
                        "reason": NOT_AVAILABLE[str(cell).strip()],
                    }
                )
    published = pd.concat(tidy_parts, ignore_index=True)
    current = to_current(published, geography, additive=False, notes=log)
    current = _same_role_only(current, geography, log)
    unavailable = pd.DataFrame.from_records(marked, columns=list(UNAVAILABLE_COLUMNS))
    unavailable = unavailable[
        unavailable["gss_code"].isin(list(geography.register.table["gss_code"]))
    ]
    return current.reset_index(drop=True), unavailable.reset_index(drop=True)


def _same_role_only(frame: pd.DataFrame, geography: Geography, log: list[str]) -> pd.DataFrame:
    """Drop a council's years reported in a waste role other than its latest one.

    A figure a former county published as a disposal authority (Buckinghamshire
    County Council before 2020) measures the county area's waste, not what the
    unitary now collects and disposes of; it does not continue the series.
    """
    roles = frame[frame["metric"] == ROLE_METRIC].sort_values("period")
    latest = roles.groupby("gss_code")["value"].last()
    role_of = roles.set_index(["gss_code", "period"])["value"]
    keys = pd.MultiIndex.from_arrays([frame["gss_code"], frame["period"]])
    year_role = role_of.reindex(keys).to_numpy()
    now = latest.reindex(frame["gss_code"]).to_numpy()
    keep = (year_role == now) | pd.isna(year_role)
    for code, period in sorted(
        set(zip(frame["gss_code"][~keep], frame["period"][~keep], strict=True))
    ):
        name = geography.register.get(code).name
        log.append(
            f"{name} ({code}) waste {period}: not used, reported in a different waste role "
            "from the council's current one"
        )
    return frame[keep & ~pd.isna(year_role)]
