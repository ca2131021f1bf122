"""mySociety register of local authorities: names, codes, types, regions, successions.

Source: ``mysociety_la_codes/uk_local_authorities.csv`` (mySociety
``uk_local_authority_names_and_codes``), plus its two lookup tables. The loader
builds the canonical :class:`~councilpack.data.model.Register` of current English
principal councils and a :class:`Geography` that maps MHCLG E-codes and former
GSS codes to current councils, following ``replaced-by`` chains (Taunton Deane
-> Somerset West and Taunton -> Somerset).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

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
from councilpack.data.model import Register, slugify
from councilpack.files import check_csv_complete, reading

#: mySociety type codes of English principal councils (no combined authorities, no GLA).
PRINCIPAL_TYPES: dict[str, str] = {
    "CTY": "County",
    "NMD": "Non-metropolitan district",
    "UA": "Unitary authority",
    "MD": "Metropolitan district",
    "LBO": "London borough",
    "CC": "City corporation",
}

#: Predecessors whose area was split between successors although mySociety names one.
#: Dorset County Council's area went to Dorset Council *and* (Christchurch) to BCP in 2019.
KNOWN_SPLITS: dict[str, tuple[str, ...]] = {"E10000009": ("E06000059", "E06000058")}

GSS_PATTERN = r"^[EWSN]\d{8}$"

SCHEMA = pa.DataFrameSchema(
    {
        "local-authority-code": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z]{3,5}(-[A-Z])?$"), unique=True
        ),
        "nice-name": pa.Column(str),
        "gss-code": pa.Column(str, pa.Check.str_matches(GSS_PATTERN), nullable=True),
        "nation": pa.Column(str, nullable=True),
        "region": pa.Column(str, nullable=True),
        "local-authority-type": pa.Column(str),
        "local-authority-type-name": pa.Column(str),
        "county-la": pa.Column(str, nullable=True),
        "replaced-by": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z-]{3,6}(,[A-Z-]{3,6})*$"), nullable=True
        ),
        "former-gss-codes": pa.Column(str, nullable=True),
        "current-authority": pa.Column(bool),
        "ecode": pa.Column(str, pa.Check.str_matches(r"^E\d{4}$"), nullable=True),
        "start-date": pa.Column(str, nullable=True),
        "end-date": pa.Column(str, nullable=True),
    },
    strict=False,
)


@dataclass
class Geography:
    """Current councils plus every former English authority and how it was succeeded.

    Attributes
    ----------
    register
        Current English principal councils.
    authorities
        Every English row of the mySociety table (current and former), with
        ``gss_code``, ``name``, ``start``, ``end``, ``successors`` (tuple of
        current GSS codes) and ``type``.
    ecode_to_gss
        MHCLG finance E-code -> GSS code as published (current or former).
    county_of
        Current district GSS code -> current county GSS code.
    """

    register: Register
    authorities: pd.DataFrame
    ecode_to_gss: dict[str, str]
    county_of: dict[str, str]
    successors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    renumbered: dict[str, str] = field(default_factory=dict)

    def successors_of(self, gss_code: str) -> tuple[str, ...]:
        """Return the current council(s) that now cover a current or former code."""
        current = self.register.current_code(gss_code)
        if current is not None:
            return (current,)
        return self.successors.get(gss_code, ())

    def active_in(self, gss_code: str, period: str) -> bool:
        """Return whether an authority existed for the whole financial year ``2016-17``."""
        row = self.authorities.loc[gss_code]
        first = int(period[:4])
        start, end = dt.date(first, 4, 1), dt.date(first + 1, 3, 31)
        starts_ok: bool = pd.isna(row["start"]) or dt.date.fromisoformat(row["start"]) <= start
        ends_ok: bool = pd.isna(row["end"]) or dt.date.fromisoformat(row["end"]) >= end
        return bool(starts_ok and ends_ok)

    def predecessors_active_in(self, successor: str, period: str) -> list[str]:
        """Return the former authorities covering ``successor`` that existed in ``period``."""
        out = []
        for code, succ in self.successors.items():
            if (
                successor in succ
                and code in self.authorities.index
                and self.active_in(code, period)
            ):
                out.append(code)
        return sorted(out)


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if "current-authority" in frame.columns:
        frame["current-authority"] = frame["current-authority"].map({"True": True, "False": False})
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    frame[LABEL_COLUMN] = frame.get(
        "local-authority-code", pd.Series("", index=frame.index)
    ).astype(str)
    return frame


def load_geography(raw_dir: Path) -> Geography:
    """Load the mySociety register and build the current-council geography.

    Takes ``raw_dir`` as every loader does (:mod:`councilpack.data.loaders`).

    Returns
    -------
    Geography
        Register of current English principal councils, former codes and E-codes.

    Raises
    ------
    DataCheckError
        When the file fails its schema or lacks councils the toolkit relies on.
    """
    relative = RAW_FILES["mysociety_register"]
    path = raw_path(raw_dir, relative)
    name = path.name
    with reading(path):
        check_csv_complete(path)
        raw = _read(path)
    frame = validate(SCHEMA, raw, name)
    frame = frame.rename(columns=lambda c: c.replace("-", "_"))
    england = frame[frame["nation"] == "England"].copy()
    by_lacode = england.set_index("local_authority_code")
    current = england[
        england["current_authority"] & england["local_authority_type"].isin(PRINCIPAL_TYPES)
    ].copy()
    failures: list[CheckFailure] = []
    for index in current.index[current["gss_code"].isna()]:
        failures.append(
            CheckFailure(
                name,
                "gss-code",
                row_number(current, index),
                row_label(current, index),
                "value is missing",
            )
        )
    # County regions are blank for some rows; a county's region is its districts' region.
    district_regions = (
        current.dropna(subset=["county_la", "region"]).groupby("county_la")["region"].first()
    )
    current["region"] = current["region"].fillna(
        current["local_authority_code"].map(district_regions)
    )
    for index in current.index[current["region"].isna()]:
        failures.append(
            CheckFailure(
                name,
                "region",
                row_number(current, index),
                row_label(current, index),
                "value is missing",
            )
        )
    if failures:
        raise DataCheckError(failures)
    table = pd.DataFrame(
        {
            "gss_code": current["gss_code"].to_numpy(),
            "name": current["nice_name"].to_numpy(),
            "slug": [slugify(n) for n in current["nice_name"]],
            "council_type": current["local_authority_type"].map(PRINCIPAL_TYPES).to_numpy(),
            "region": current["region"].to_numpy(),
            "local_authority_code": current["local_authority_code"].to_numpy(),
            "official_name": current["official_name"].to_numpy(),
            "county_gss_code": current["county_la"]
            .map(by_lacode["gss_code"])
            .astype(object)
            .where(current["county_la"].notna(), None)
            .to_numpy(),
            "ecode": current["ecode"]
            .astype(object)
            .where(current["ecode"].notna(), None)
            .to_numpy(),
        }
    ).sort_values("gss_code", ignore_index=True)

    def chain(lacode: str, seen: tuple[str, ...] = ()) -> tuple[str, ...]:
        row = by_lacode.loc[lacode]
        if bool(row["current_authority"]):
            return (str(row["gss_code"]),)
        if pd.isna(row["replaced_by"]) or lacode in seen:
            return ()
        out: list[str] = []
        for nxt in str(row["replaced_by"]).split(","):
            out.extend(chain(nxt, (*seen, lacode)))
        return tuple(dict.fromkeys(out))

    successors: dict[str, tuple[str, ...]] = {}
    former_single: dict[str, str] = {}
    renumbered: dict[str, str] = {}
    for lacode, row in by_lacode.iterrows():
        gss = row["gss_code"]
        if pd.isna(gss) or bool(row["current_authority"]):
            continue
        succ = KNOWN_SPLITS.get(str(gss), chain(str(lacode)))
        if succ:
            successors[str(gss)] = succ
            if len(succ) == 1:
                former_single[str(gss)] = succ[0]
    codes = current["gss_code"].astype(str)  # none missing: checked above
    for gss, former in zip(codes, current["former_gss_codes"], strict=True):
        if isinstance(former, str):
            for code in former.split(","):
                former_single[code.strip()] = gss
                renumbered[code.strip()] = gss
                successors[code.strip()] = (gss,)
    aliases: dict[str, str] = {}
    for gss, alt_names, official_name in zip(
        codes, current["alt_names"], current["official_name"], strict=True
    ):
        if isinstance(alt_names, str):
            for alias in alt_names.split(","):
                aliases.setdefault(alias.strip().lower(), gss)
        aliases.setdefault(str(official_name).lower(), gss)
    register = Register(table, former_codes=former_single, aliases=aliases)
    authorities = pd.DataFrame(
        {
            "gss_code": england["gss_code"],
            "name": england["nice_name"],
            "type": england["local_authority_type"],
            "start": england["start_date"],
            "end": england["end_date"],
            "current": england["current_authority"],
            "ecode": england["ecode"],
        }
    ).dropna(subset=["gss_code"])
    authorities["successors"] = [
        (g,) if cur else successors.get(g, ())
        for g, cur in zip(authorities["gss_code"], authorities["current"], strict=True)
    ]
    authorities = authorities.set_index("gss_code", drop=False)
    ecode_to_gss = {
        str(e): str(g)
        for e, g in zip(england["ecode"], england["gss_code"], strict=True)
        if isinstance(e, str) and isinstance(g, str)
    }
    county_of = {
        g: c for g, c in zip(table["gss_code"], table["county_gss_code"], strict=True) if c
    }
    return Geography(register, authorities, ecode_to_gss, county_of, successors, renumbered)
