"""ONS mid-2023 population estimates by single year of age (persons), English LADs.

Districts, unitaries, metropolitan districts and London boroughs are published
directly on 2023 geography; county councils (E10) are built by summing their
current districts (mySociety ``county-la``). There is no split by sex.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councilpack.data.checks import (
    CheckFailure,
    DataCheckError,
    plausible_check,
    read_csv_validated,
    row_failures,
)
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders.mysociety import Geography

SOURCE = "ons_mye"
PERIOD = "mid-2023"
VINTAGE = "ONS mid-year population estimates, mid-2023 (LAD, single year of age)"
AGE_COLUMNS = [str(a) for a in range(90)] + ["90+"]

#: Metric id -> (first age, last age inclusive; None = 90+).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "population_all": (0, None),
    "population_0_17": (0, 17),
    "population_18_plus": (18, None),
    "population_65_plus": (65, None),
    "population_age_16_24": (16, 24),
    "population_age_25_34": (25, 34),
    "population_age_35_44": (35, 44),
    "population_age_45_54": (45, 54),
    "population_age_55_64": (55, 64),
    "population_age_16_34": (16, 34),
    "population_age_35_54": (35, 54),
    "population_age_55_plus": (55, None),
}

SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^E0[6-9]\d{6}$"), unique=True),
        "name": pa.Column(str),
        "all": pa.Column(int, [pa.Check.gt(0), plausible_check("persons")]),
        **{
            age: pa.Column(int, [pa.Check.ge(0), plausible_check("persons")]) for age in AGE_COLUMNS
        },
    },
    strict=False,
)


def _band(frame: pd.DataFrame, first: int, last: int | None) -> pd.Series:
    ages = [str(a) for a in range(first, 90 if last is None else last + 1)]
    if last is None:
        ages.append("90+")
    return frame[ages].sum(axis=1)


def load_population(raw_dir: Path, geography: Geography) -> pd.DataFrame:
    """Load mid-2023 population by age band for every current council.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    geography
        Register (county membership of districts).

    Returns
    -------
    pandas.DataFrame
        Tidy rows (unit ``persons``) for each :data:`AGE_BANDS` metric.

    Raises
    ------
    DataCheckError
        When the file fails its schema, ages do not sum to ``all``, a code is
        not a current council, or a current lower-tier council is missing.
    """
    path = raw_path(raw_dir, RAW_FILES["ons_mye"])
    frame = read_csv_validated(path, SCHEMA, ("code", "name"), {"code": str, "name": str})
    summed = frame[AGE_COLUMNS].sum(axis=1)
    failures = row_failures(
        frame,
        path.name,
        "all",
        frame.index[summed != frame["all"]],
        lambda i: f"ages sum to {summed[i]}, not {frame.at[i, 'all']}",
    )
    register = geography.register
    failures += row_failures(
        frame,
        path.name,
        "code",
        frame.index[~frame["code"].map(lambda c: c in register)],
        lambda i: "not a current English council",
    )
    lower = set(register.table.loc[register.table["council_type"] != "County", "gss_code"])
    for code in sorted(lower - set(frame["code"])):
        failures.append(CheckFailure(path.name, "code", None, code, "current council missing"))
    if failures:
        raise DataCheckError(failures)
    bands = pd.DataFrame({"gss_code": frame["code"]})
    for metric, (first, last) in AGE_BANDS.items():
        bands[metric] = _band(frame, first, last)
    county = bands["gss_code"].map(geography.county_of)
    counties = bands[county.notna()].drop(columns="gss_code").groupby(county[county.notna()]).sum()
    counties = counties.reset_index(names="gss_code")
    wide = pd.concat([bands, counties], ignore_index=True)
    tidy = wide.melt(id_vars="gss_code", var_name="metric", value_name="value")
    tidy["value"] = tidy["value"].astype(float)
    tidy["period"] = PERIOD
    tidy["unit"] = "persons"
    tidy["source"] = SOURCE
    tidy["vintage"] = VINTAGE
    is_county = tidy["gss_code"].isin(counties["gss_code"])
    tidy.loc[is_county, "vintage"] = VINTAGE + "; county = sum of its districts"
    return tidy
