"""Deterministic generator of the fictional demo councils and their finance figures."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from councilpack.data.model import TIDY_COLUMNS, ComparatorGroup, DataContext, Register, slugify
from councilpack.wording import plural_word

#: Bump when the generated figures change, so cached demo files are rebuilt.
GENERATOR_VERSION = "3"
DEMO_CODE_PREFIX = "X"
DEMO_SOURCE = "demo"
DEMO_VINTAGE = f"councilpack demo generator v{GENERATOR_VERSION} (fictional figures)"
DEMO_YEARS: tuple[str, ...] = ("2012-13", "2013-14", "2014-15", "2015-16", "2016-17", "2017-18")
DEMO_POPULATION_PERIOD = "mid-2023"
SEED = 20261124

# name, type, region: invented place names that are not English local authorities.
_COUNCILS: tuple[tuple[str, str, str], ...] = (
    ("Aldermoor", "Metropolitan district", "North West"),
    ("Brackenford", "Metropolitan district", "North West"),
    ("Caddlestone", "Metropolitan district", "Yorkshire and The Humber"),
    ("Dunmerrow", "Metropolitan district", "West Midlands"),
    ("Eastwold Vale", "Metropolitan district", "North East"),
    ("Fellbrigg Moor", "Metropolitan district", "Yorkshire and The Humber"),
    ("Greywater", "Unitary authority", "South West"),
    ("Hollinsbury", "Unitary authority", "East Midlands"),
    ("Ivystone", "Unitary authority", "South East"),
    ("Kestrelby", "Unitary authority", "North East"),
    ("Larkhampton", "Unitary authority", "East of England"),
    ("Marrowfield", "Unitary authority", "West Midlands"),
    ("Netherwick Sands", "Unitary authority", "South West"),
    ("Oakhaven", "Non-metropolitan district", "South East"),
    ("Pellingford", "Non-metropolitan district", "East of England"),
    ("Quarrydale", "Non-metropolitan district", "East Midlands"),
    ("Rookmere", "Non-metropolitan district", "South East"),
    ("Saltmarsh Levels", "Non-metropolitan district", "East of England"),
    ("Tumbleford", "Non-metropolitan district", "South West"),
    ("Upper Wendling", "Non-metropolitan district", "East Midlands"),
)

_UPPER_TIER = {"Metropolitan district", "Unitary authority"}
_AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("population_age_16_24", 0.135),
    ("population_age_25_34", 0.165),
    ("population_age_35_44", 0.160),
    ("population_age_45_54", 0.165),
    ("population_age_55_64", 0.155),
    ("population_65_plus", 0.220),
)


def _code(index: int) -> str:
    return f"{DEMO_CODE_PREFIX}{index + 1:08d}"


@functools.cache
def demo_register() -> Register:
    """Return the register of the twenty fictional demo councils."""
    table = pd.DataFrame(
        {
            "gss_code": [_code(i) for i in range(len(_COUNCILS))],
            "name": [name for name, _, _ in _COUNCILS],
            "slug": [slugify(name) for name, _, _ in _COUNCILS],
            "council_type": [kind for _, kind, _ in _COUNCILS],
            "region": [region for _, _, region in _COUNCILS],
        }
    )
    return Register(table)


def _rows(code: str, metric: str, period: str, value: float, unit: str) -> dict[str, object]:
    return {
        "gss_code": code,
        "metric": metric,
        "period": period,
        "value": float(value),
        "unit": unit,
        "source": DEMO_SOURCE,
        "vintage": DEMO_VINTAGE,
    }


@functools.cache
def demo_metrics() -> pd.DataFrame:
    """Return the demo councils' tidy metric table (finance by year, population).

    Money is in pounds. Upper-tier councils carry social care spending;
    districts do not, as in the real revenue outturn returns. One council
    (Upper Wendling) has no return for 2013-14, so reports show a gap with its
    reason, as they must for real councils.
    """
    rng = np.random.default_rng(SEED)
    records: list[dict[str, object]] = []
    for index, (_, kind, _) in enumerate(_COUNCILS):
        code = _code(index)
        upper = kind in _UPPER_TIER
        population = round(rng.uniform(180_000, 520_000) if upper else rng.uniform(60_000, 160_000))
        share_0_17 = rng.uniform(0.18, 0.24)
        under_18 = round(population * share_0_17)
        records.append(_rows(code, "population_all", DEMO_POPULATION_PERIOD, population, "persons"))
        records.append(_rows(code, "population_0_17", DEMO_POPULATION_PERIOD, under_18, "persons"))
        records.append(
            _rows(
                code, "population_18_plus", DEMO_POPULATION_PERIOD, population - under_18, "persons"
            )
        )
        adults = population - under_18
        for metric, share in _AGE_BANDS:
            band = round(adults * share * rng.uniform(0.9, 1.1))
            records.append(_rows(code, metric, DEMO_POPULATION_PERIOD, band, "persons"))

        per_head = rng.uniform(780, 1_150) if upper else rng.uniform(130, 210)
        nre = population * per_head
        unallocated_share = rng.uniform(0.025, 0.12)
        earmarked_share = rng.uniform(0.08, 0.45) if upper else rng.uniform(0.3, 1.1)
        drift = rng.uniform(-0.05, 0.04)
        for year_index, year in enumerate(DEMO_YEARS):
            if code == _code(19) and year == "2013-14":
                continue  # a deliberately missing return
            nre *= 1 + rng.normal(0.0, 0.02)
            unallocated_share = max(0.005, unallocated_share * (1 + drift + rng.normal(0, 0.05)))
            earmarked_share = max(0.01, earmarked_share * (1 + drift + rng.normal(0, 0.06)))
            children = nre * rng.uniform(0.13, 0.2) if upper else 0.0
            adults_care = nre * rng.uniform(0.3, 0.38) if upper else 0.0
            ctr = nre * rng.uniform(0.38, 0.5) * (1 + 0.02 * year_index)
            for metric, value in (
                ("net_revenue_expenditure", nre),
                ("council_tax_requirement", ctr),
                ("children_social_care_spend", children),
                ("adult_social_care_spend", adults_care),
                ("unallocated_reserves", nre * unallocated_share),
                ("earmarked_reserves", nre * earmarked_share),
            ):
                if value == 0.0 and not upper:
                    continue  # districts carry no social care lines
                records.append(_rows(code, metric, year, round(value, -3), "GBP"))
    table = pd.DataFrame.from_records(records, columns=list(TIDY_COLUMNS))
    return table.astype({"value": "float64"})


#: Years of the demo outcome measures (roads, waste, adult social care).
DEMO_OUTCOME_YEARS: tuple[str, ...] = ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24")
#: Demo metropolitan districts whose waste is disposed of by a joint authority (as on Merseyside).
_WASTE_COLLECTION_ONLY = frozenset({"Aldermoor", "Brackenford", "Caddlestone"})


@functools.cache
def demo_outcome_metrics() -> pd.DataFrame:
    """Return the demo councils' outcome measures (a separate random stream).

    Highway authorities (metropolitan districts and unitaries) get road
    condition; every council gets household waste figures in its waste role
    (districts and three metropolitan districts collect only; the others are
    unitary waste authorities); upper-tier councils get three adult social care
    measures. One unitary (Greywater) has no B and C road figure for the latest
    year, so the report shows a gap with its reason.
    """
    rng = np.random.default_rng(SEED + 16)
    records: list[dict[str, object]] = []
    for index, (name, kind, _) in enumerate(_COUNCILS):
        code = _code(index)
        upper = kind in _UPPER_TIER
        role = 1.0 if (not upper or name in _WASTE_COLLECTION_ONLY) else 2.0
        principal, minor = rng.uniform(2, 9), rng.uniform(3, 14)
        recycling = rng.uniform(22, 40) if role == 1.0 else rng.uniform(35, 55)
        residual = rng.uniform(420, 640)
        reablement, turnover, information = (
            rng.uniform(65, 88),
            rng.uniform(20, 34),
            rng.uniform(58, 74),
        )
        for year in DEMO_OUTCOME_YEARS:
            rows: list[tuple[str, float, str]] = [
                ("waste_authority_role", role, "code"),
                ("household_waste_reuse_recycling_composting", recycling, "percent"),
                ("residual_household_waste_per_household", residual, "kg per household"),
            ]
            if upper:
                rows += [
                    ("roads_principal_maintenance_pct", round(principal), "percent"),
                    ("roads_non_principal_maintenance_pct", round(minor), "percent"),
                    ("asc_short_term_service_no_further_support", reablement, "percent"),
                    ("asc_workforce_turnover_rate", turnover, "percent"),
                    ("asc_users_finding_information_easy", information, "percent"),
                ]
            for metric, value, unit in rows:
                if (name, metric, year) == (
                    "Greywater",
                    "roads_non_principal_maintenance_pct",
                    DEMO_OUTCOME_YEARS[-1],
                ):
                    continue  # a deliberately missing figure
                records.append(_rows(code, metric, year, round(value, 1), unit))
            principal = min(30.0, max(0.0, principal + rng.normal(0, 0.8)))
            minor = min(40.0, max(0.0, minor + rng.normal(0, 1.0)))
            recycling = min(70.0, max(10.0, recycling + rng.normal(0, 1.2)))
            residual = max(300.0, residual + rng.normal(-5, 12))
            reablement = min(95.0, max(50.0, reablement + rng.normal(0, 2)))
            turnover = min(45.0, max(10.0, turnover + rng.normal(0, 1.5)))
            information = min(90.0, max(40.0, information + rng.normal(0, 2)))
    table = pd.DataFrame.from_records(records, columns=list(TIDY_COLUMNS))
    return table.astype({"value": "float64"})


def _demo_groups(
    register: Register, metrics: pd.DataFrame
) -> dict[str, tuple[ComparatorGroup, ...]]:
    table = register.table
    per_head = (
        metrics[
            (metrics["metric"] == "net_revenue_expenditure") & (metrics["period"] == DEMO_YEARS[-1])
        ]
        .set_index("gss_code")["value"]
        .div(
            metrics[metrics["metric"] == "population_all"].set_index("gss_code")["value"],
        )
    )
    groups: dict[str, tuple[ComparatorGroup, ...]] = {}
    for row in table.itertuples(index=False):
        same_type = table.loc[table["council_type"] == row.council_type, "gss_code"]
        type_group = ComparatorGroup(
            kind="council_type",
            label=f"All demo {plural_word(row.council_type.lower())}",
            definition=f"Every demo council of type '{row.council_type}'",
            vintage=DEMO_VINTAGE,
            members=tuple(same_type),
        )
        distance = (per_head[same_type] - per_head[row.gss_code]).abs().sort_values(kind="stable")
        nearest = tuple(sorted(distance.index[:5]))
        neighbour_group = ComparatorGroup(
            kind="nearest_neighbours",
            label="Demo nearest neighbours",
            definition=(
                "The council and the four demo councils of the same type closest to it in net "
                f"revenue expenditure per head ({DEMO_YEARS[-1]})"
            ),
            vintage=DEMO_VINTAGE,
            members=nearest,
        )
        groups[row.gss_code] = (neighbour_group, type_group)
    return groups


def _fingerprint(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    return digest


def demo_context(surveys_dir: Path | None = None) -> DataContext:
    """Return the demo :class:`~councilpack.data.model.DataContext`.

    Parameters
    ----------
    surveys_dir
        Folder holding the demo survey files, when they have been generated.
    """
    register = demo_register()
    metrics = pd.concat([demo_metrics(), demo_outcome_metrics()], ignore_index=True)
    return DataContext(
        register=register,
        metrics=metrics,
        comparators=_demo_groups(register, metrics),
        label="demo",
        input_hashes={f"demo-generator-v{GENERATOR_VERSION}": _fingerprint(metrics)},
        surveys_dir=surveys_dir,
    )
