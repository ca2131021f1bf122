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
    LABEL_COLUMN,
    ROW_COLUMN,
    CheckFailure,
    DataCheckError,
    plausible_check,
    read_csv_validated,
    row_failures,
    row_number,
    validate,
)
from councilpack.data.loaders import ONS_POPULATION_FILES, RAW_FILES, raw_path
from councilpack.data.loaders.mysociety import Geography
from councilpack.files import reading

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


def _bands(frame: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """One row per council (``gss_code`` from ``codes``), one column per :data:`AGE_BANDS` metric."""
    bands = pd.DataFrame({"gss_code": codes})
    for metric, (first, last) in AGE_BANDS.items():
        bands[metric] = _band(frame, first, last)
    return bands


def _tidy(wide: pd.DataFrame, period: str, vintage: str) -> pd.DataFrame:
    tidy = wide.melt(id_vars="gss_code", var_name="metric", value_name="value")
    tidy["value"] = tidy["value"].astype(float)
    tidy["period"] = period
    tidy["unit"] = "persons"
    tidy["source"] = SOURCE
    tidy["vintage"] = vintage
    return tidy


def load_population(raw_dir: Path, geography: Geography) -> pd.DataFrame:
    """Load mid-2023 population by age band for every current council.

    Takes ``raw_dir`` and ``geography`` as every loader does
    (:mod:`councilpack.data.loaders`); the register gives each district's county.

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
        lambda i: f"ages sum to {summed[i]}, not {frame['all'][i]}",
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
    bands = _bands(frame, frame["code"])
    county = bands["gss_code"].map(geography.county_of)
    counties = bands[county.notna()].drop(columns="gss_code").groupby(county[county.notna()]).sum()
    counties = counties.reset_index(names="gss_code")
    tidy = _tidy(pd.concat([bands, counties], ignore_index=True), PERIOD, VINTAGE)
    is_county = tidy["gss_code"].isin(counties["gss_code"])
    tidy.loc[is_county, "vintage"] = VINTAGE + "; county = sum of its districts"
    return tidy


# ---------------------------------------------------------------------------
# Population by year: mid-2011 to mid-2024 (for per-head figures by finance year)
# ---------------------------------------------------------------------------

#: Geography labels of the English council rows in the ONS MYE tables.
COUNCIL_GEOGRAPHIES = frozenset(
    {
        "Non-metropolitan District",
        "Unitary Authority",
        "Metropolitan District",
        "London Borough",
        "County",
    }
)
LOWER_TIER_GEOGRAPHIES = COUNCIL_GEOGRAPHIES - {"County"}
YEARS_SCHEMA = pa.DataFrameSchema(
    {
        "Code": pa.Column(str, pa.Check.str_matches(r"^E(0[6-9]|10)\d{6}$"), unique=True),
        "Name": pa.Column(str),
    },
    strict=False,
)


def _number_frame(frame: pd.DataFrame, columns: list[str], file: str) -> pd.DataFrame:
    """Convert count columns (which may carry thousands separators) to integers."""
    out = frame.copy()
    failures = []
    for column in columns:
        text = out[column].astype(str).str.replace(",", "", regex=False).str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        for index in out.index[bad]:
            failures.append(
                CheckFailure(
                    file,
                    column,
                    row_number(out, index, "_row"),
                    str(out.at[index, "Code"]),
                    f"expected a count of people, got {out.at[index, column]!r}",
                )
            )
        out[column] = numbers
    if failures:
        raise DataCheckError(failures)
    return out


def _read_table(path: Path, sheet: str | None) -> pd.DataFrame:
    """Read an ONS MYE table (workbook sheet or CSV) with its header row found by 'Code'."""
    with reading(path):
        if sheet is None:
            raw = pd.read_csv(
                path, dtype=str, header=None, encoding="utf-8-sig", keep_default_na=False
            )
        else:
            raw = pd.read_excel(
                path,
                sheet_name=sheet,
                header=None,
                dtype=object,
                engine="calamine",
                na_filter=False,
                keep_default_na=False,
            )
    first = raw.iloc[:, 0].astype(str).str.strip()
    header = next((i for i, v in enumerate(first[:30]) if v == "Code"), None)
    if header is None:
        raise DataCheckError(
            [
                CheckFailure(
                    path.name, "Code", None, None, f"header row not found ({sheet or 'CSV'})"
                )
            ]
        )
    frame = raw.iloc[header + 1 :].copy()
    frame.columns = [str(c).strip() for c in raw.iloc[header]]
    frame["_row"] = range(header + 2, header + 2 + len(frame))
    frame = frame[frame["Code"].astype(str).str.match(r"^E(0[6-9]|10)\d{6}$")]
    return frame[frame["Geography"].isin(COUNCIL_GEOGRAPHIES)].reset_index(drop=True)


def _check_councils(
    frame: pd.DataFrame, value: str, file: str, geography: Geography, period: str
) -> list[CheckFailure]:
    """Every current council present; each county equals the sum of its districts."""
    failures = []
    register = geography.register
    codes = set(frame["Code"])
    for code in sorted(set(register.table["gss_code"]) - codes):
        failures.append(
            CheckFailure(file, "Code", None, code, f"current council missing ({period})")
        )
    for code in sorted(c for c in codes if c not in register):
        failures.append(CheckFailure(file, "Code", None, code, "not a current English council"))
    lower = frame[frame["Geography"].isin(LOWER_TIER_GEOGRAPHIES)]
    county = lower["Code"].map(geography.county_of)
    summed = lower[value].groupby(county).sum()
    counties = frame[frame["Geography"] == "County"]
    for code, total, row in zip(counties["Code"], counties[value], counties["_row"], strict=True):
        if code in summed.index and abs(float(summed[code]) - float(total)) > 0.5:
            failures.append(
                CheckFailure(
                    file,
                    value,
                    int(row),
                    str(code),
                    f"county total {float(total):,.0f} is not the sum of its districts "
                    f"{float(summed[code]):,.0f} ({period})",
                )
            )
    return failures


def load_population_by_age(raw_dir: Path, geography: Geography, period: str) -> pd.DataFrame:
    """Load one mid-year's population by age band (mid-2022 workbook, mid-2024 CSV).

    Takes ``raw_dir`` and ``geography`` as every loader does
    (:mod:`councilpack.data.loaders`); the register gives each district's county.

    Parameters
    ----------
    period
        ``"mid-2022"`` or ``"mid-2024"``.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (unit ``persons``) for each :data:`AGE_BANDS` metric; counties
        as published (and checked to equal the sum of their districts).

    Raises
    ------
    DataCheckError
        When a count is not a number, ages do not sum to all ages, a current
        council is missing or a county does not equal its districts.
    """
    relative = ONS_POPULATION_FILES[period]
    path = raw_path(raw_dir, relative)
    sheet = None if path.suffix.lower() == ".csv" else "MYE2 - Persons"
    frame = _read_table(path, sheet)
    validate(YEARS_SCHEMA, frame, path.name)
    frame = _number_frame(frame, ["All ages", *AGE_COLUMNS], path.name)
    summed = frame[AGE_COLUMNS].sum(axis=1)
    failures = row_failures(
        frame.rename(columns={"_row": ROW_COLUMN}).assign(**{LABEL_COLUMN: frame["Code"]}),
        path.name,
        "All ages",
        frame.index[(summed - frame["All ages"]).abs() > 0.5],
        lambda i: f"ages sum to {summed[i]:,.0f}, not {frame['All ages'][i]:,.0f}",
    )
    failures += _check_councils(frame, "All ages", path.name, geography, period)
    if failures:
        raise DataCheckError(failures)
    bands = _bands(frame, frame["Code"])
    if period == "mid-2022":
        # The mid-2023 release revised mid-2022; its MYE4 total is the one used
        # (load_population_totals), so only the age bands come from this file.
        bands = bands.drop(columns="population_all")
    year = period.split("-")[1]
    vintage = f"ONS mid-year population estimates, mid-{year} ({path.name}, 2023 boundaries)"
    return _tidy(bands, period, vintage)


def load_population_totals(raw_dir: Path, geography: Geography) -> pd.DataFrame:
    """Load total population mid-2011 to mid-2022 from the MYE4 table (2023 boundaries).

    ONS publishes the series back-cast to the council areas of 2023, so every
    current council (counties included) has a figure for every year. Mid-2023
    comes from the single-year-of-age file; the MYE4 mid-2023 column is checked
    against it and not repeated.

    Takes ``raw_dir`` and ``geography`` as every loader does
    (:mod:`councilpack.data.loaders`); the register gives each district's county.

    Returns
    -------
    pandas.DataFrame
        Tidy ``population_all`` rows, periods ``mid-2011`` to ``mid-2022``.

    Raises
    ------
    DataCheckError
        When a count is not a number, a council is missing, a county does not
        equal its districts, or mid-2023 disagrees with the single-year file.
    """
    path = raw_path(raw_dir, ONS_POPULATION_FILES["mid-2023"])
    frame = _read_table(path, "MYE4")
    validate(YEARS_SCHEMA, frame, path.name)
    years = [c for c in frame.columns if str(c).startswith("Mid-")]
    if "Mid-2023" not in years or "Mid-2011" not in years:
        raise DataCheckError(
            [CheckFailure(path.name, "Mid-2011..Mid-2023", 8, None, "MYE4 year columns missing")]
        )
    frame = _number_frame(frame, years, path.name)
    failures = []
    for column in years:
        failures += _check_councils(frame, column, path.name, geography, column.lower())
    single = pd.read_csv(
        raw_path(raw_dir, RAW_FILES["ons_mye"]), usecols=["code", "all"], dtype={"code": str}
    ).set_index("code")["all"]
    single = single[~single.index.duplicated()]  # duplicates fail load_population's checks
    lower = frame[frame["Code"].isin(single.index)]
    for code, published, row in zip(lower["Code"], lower["Mid-2023"], lower["_row"], strict=True):
        if abs(float(published) - float(single[code])) > 0.5:
            failures.append(
                CheckFailure(
                    path.name,
                    "Mid-2023",
                    int(row),
                    str(code),
                    f"MYE4 mid-2023 {float(published):,.0f} differs from the single-year-of-age "
                    f"file {float(single[code]):,.0f}",
                )
            )
    if failures:
        raise DataCheckError(failures)
    parts = []
    for column in years:
        if column == "Mid-2023":
            continue
        period = column.lower()
        wide = pd.DataFrame({"gss_code": frame["Code"], "population_all": frame[column]})
        vintage = (
            f"ONS mid-year population estimates, {period} (MYE4 series in {path.name}, "
            "2023 boundaries)"
        )
        parts.append(_tidy(wide, period, vintage))
    return pd.concat(parts, ignore_index=True)
