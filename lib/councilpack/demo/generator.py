"""Deterministic generator of the fictional demo councils and their finance figures."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from councilpack.data.model import TIDY_COLUMNS, ComparatorGroup, DataContext, Register, slugify
from councilpack.settings import cache_dir
from councilpack.wording import plural_word

#: Bump when the generated figures change, so cached demo files are rebuilt.
GENERATOR_VERSION = "4"
DEMO_CODE_PREFIX = "X"
DEMO_SOURCE = "demo"
DEMO_VINTAGE = f"councilpack demo generator v{GENERATOR_VERSION} (fictional figures)"
#: Revenue outturn (RS) years, as in the open data: 2010-11 to 2023-24.
DEMO_YEARS: tuple[str, ...] = tuple(f"{y}-{(y + 1) % 100:02d}" for y in range(2010, 2024))
#: Service expenditure (RSX) years: 2022-23 to 2024-25.
DEMO_SERVICE_YEARS: tuple[str, ...] = ("2022-23", "2023-24", "2024-25")
#: Council tax level (CTR) years, as staged.
DEMO_COUNCIL_TAX_YEARS: tuple[str, ...] = ("2022-23", "2023-24")
#: RS lines first printed in 2021-22 (earmarked reserves by purpose, investment property).
DEMO_NEW_LINES_FROM = "2021-22"
#: The DSG adjustment account line is on the return from 2022-23.
DEMO_DSG_FROM = "2022-23"
DEMO_POPULATION_PERIOD = "mid-2023"
#: Mid-year population estimates, as in the open data (mid-2011 to mid-2024).
DEMO_POPULATION_YEARS: tuple[str, ...] = tuple(f"mid-{y}" for y in range(2011, 2025))
#: (council index, year) of returns deliberately missing, so reports show the gap.
DEMO_MISSING_RETURNS: frozenset[tuple[int, str]] = frozenset({(19, "2013-14"), (18, "2023-24")})
#: RSX services (metric suffix, share of upper-tier net current expenditure, district share).
_SERVICES: tuple[tuple[str, float, float], ...] = (
    ("education", 0.05, 0.0),
    ("highways_transport", 0.05, 0.06),
    ("children_social_care", 0.0, 0.0),
    ("adult_social_care", 0.0, 0.0),
    ("public_health", 0.05, 0.0),
    ("housing_gfra", 0.03, 0.15),
    ("cultural", 0.03, 0.12),
    ("environmental_regulatory", 0.09, 0.3),
    ("planning_development", 0.03, 0.12),
    ("central_services", 0.04, 0.15),
)
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
    (Upper Wendling) has no return for 2013-14 and another (Tumbleford) none for
    2023-24, so reports show the gap with its reason, as they must for real
    councils. The years and lines follow the open data: RS 2010-11 to 2023-24
    (earmarked reserves by purpose and investment property from 2021-22, the DSG
    adjustment account from 2022-23), RSX service spending 2022-23 to 2024-25,
    population mid-2011 to mid-2024 (by age for mid-2022 to mid-2024).
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
        growth = rng.uniform(0.002, 0.009)
        for year in DEMO_POPULATION_YEARS:
            if year == DEMO_POPULATION_PERIOD:
                continue
            factor = (1 + growth) ** (int(year[4:]) - 2023)
            records.append(
                _rows(code, "population_all", year, round(population * factor), "persons")
            )
            if year in ("mid-2022", "mid-2024"):  # estimates by age, as staged
                young = round(under_18 * factor)
                records.append(_rows(code, "population_0_17", year, young, "persons"))
                records.append(
                    _rows(
                        code,
                        "population_18_plus",
                        year,
                        round(population * factor) - young,
                        "persons",
                    )
                )

        per_head = rng.uniform(780, 1_150) if upper else rng.uniform(130, 210)
        nre = population * per_head
        unallocated_share = rng.uniform(0.025, 0.12)
        earmarked_share = rng.uniform(0.08, 0.45) if upper else rng.uniform(0.3, 1.1)
        drift = rng.uniform(-0.05, 0.04)
        for year_index, year in enumerate(DEMO_YEARS):
            if (index, year) in DEMO_MISSING_RETURNS:
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
                ("interest_payable_external", nre * rng.uniform(0.01, 0.08)),
            ):
                if value == 0.0 and not upper:
                    continue  # districts carry no social care lines
                records.append(_rows(code, metric, year, round(value, -3), "GBP"))
            unallocated = round(nre * unallocated_share, -3)
            earmarked = round(nre * earmarked_share, -3)
            records.append(
                _rows(
                    code, "unallocated_and_earmarked_reserves", year, unallocated + earmarked, "GBP"
                )
            )
            if year >= DEMO_NEW_LINES_FROM:
                # Earmarked reserves by purpose: shares of the earmarked total.
                shares = rng.dirichlet([2.0, 3.0, 2.5, 2.0, 1.5])
                purposes = (
                    "contractual",
                    "planned_spending",
                    "specific_risks",
                    "budget_stabilisation",
                    "other_purposes",
                )
                for purpose, share in zip(purposes, shares, strict=True):
                    records.append(
                        _rows(
                            code,
                            f"earmarked_reserves_{purpose}",
                            year,
                            round(earmarked * share, -3),
                            "GBP",
                        )
                    )
                net_cost = -nre * rng.uniform(0.0, 0.06) if rng.uniform() < 0.6 else 0.0
                records.append(
                    _rows(code, "investment_property_net_cost", year, round(net_cost, -3), "GBP")
                )
            if upper and year >= DEMO_DSG_FROM:
                deficit = -nre * rng.uniform(0.0, 0.08) if rng.uniform() < 0.5 else 0.0
                records.append(
                    _rows(code, "dsg_adjustment_account", year, round(deficit, -3), "GBP")
                )
        band_d = rng.uniform(1_500, 2_100) if upper else rng.uniform(150, 300)
        for year in DEMO_COUNCIL_TAX_YEARS:
            band_d *= 1 + rng.uniform(0.02, 0.05)
            records.append(_rows(code, "band_d_council_tax", year, round(band_d, 2), "GBP"))
            requirement = round(population * 0.4 * band_d, -3)
            records.append(_rows(code, "council_tax_requirement_ctr", year, requirement, "GBP"))
            if upper and year == DEMO_COUNCIL_TAX_YEARS[-1]:
                precept = round(requirement * rng.uniform(0.0, 0.02), -3)
                records.append(_rows(code, "asc_precept_total", year, precept, "GBP"))
        for year in DEMO_SERVICE_YEARS:
            if (index, year) in DEMO_MISSING_RETURNS:
                continue
            service_nce = nre * (1 + 0.04 * (int(year[:4]) - 2023))
            total = 0.0
            for service, upper_share, district_share in _SERVICES:
                if service == "children_social_care":
                    share = rng.uniform(0.13, 0.2) if upper else 0.0
                elif service == "adult_social_care":
                    share = rng.uniform(0.3, 0.38) if upper else 0.0
                else:
                    share = (upper_share if upper else district_share) * rng.uniform(0.7, 1.3)
                value = round(service_nce * share, -3)
                total += value
                records.append(_rows(code, f"service_nce_{service}", year, value, "GBP"))
            records.append(_rows(code, "service_nce_total", year, total, "GBP"))
            fees = round(total * rng.uniform(0.08, 0.25), -3)
            records.append(_rows(code, "service_sales_fees_charges", year, fees, "GBP"))
            gross = round(total + fees + total * rng.uniform(0.2, 0.5), -3)
            records.append(_rows(code, "service_gross_expenditure", year, gross, "GBP"))
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
    nre = metrics[metrics["metric"] == "net_revenue_expenditure"].sort_values("period")
    per_head = (
        nre.groupby("gss_code")["value"]
        .last()  # each council's latest return (one has none for the latest year)
        .div(
            metrics[
                (metrics["metric"] == "population_all")
                & (metrics["period"] == DEMO_POPULATION_PERIOD)
            ].set_index("gss_code")["value"],
        )
    )
    groups: dict[str, tuple[ComparatorGroup, ...]] = {}
    for council in register:
        same_type = table.loc[table["council_type"] == council.council_type, "gss_code"]
        type_group = ComparatorGroup(
            kind="council_type",
            label=f"All demo {plural_word(council.council_type.lower())}",
            definition=f"Every demo council of type '{council.council_type}'",
            vintage=DEMO_VINTAGE,
            members=tuple(same_type),
        )
        distance = (
            (per_head[same_type] - per_head[council.gss_code]).abs().sort_values(kind="stable")
        )
        nearest = tuple(sorted(distance.index[:5]))
        neighbour_group = ComparatorGroup(
            kind="nearest_neighbours",
            label="Demo nearest neighbours",
            definition=(
                "The council and the four demo councils of the same type closest to it in net "
                f"revenue expenditure per head (latest return, to {DEMO_YEARS[-1]})"
            ),
            vintage=DEMO_VINTAGE,
            members=nearest,
        )
        groups[council.gss_code] = (neighbour_group, type_group)
    return groups


def _fingerprint(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    return digest


def demo_context(surveys_dir: Path | None = None) -> DataContext:
    """Return the demo :class:`~councilpack.data.model.DataContext`.

    Parameters
    ----------
    surveys_dir
        Folder the demo survey files live in (:func:`demo_files_dir`); they are
        generated on first use by :func:`councilpack.demo.files.ensure_demo_files`.
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


def demo_files_dir() -> Path:
    """Return the folder the demo survey files live in (may not exist yet)."""
    return cache_dir() / f"demo-v{GENERATOR_VERSION}"


def open_demo() -> DataContext:
    """Open the demo data set (the provider :mod:`councilpack.demo` registers as ``"demo"``).

    The survey files are not generated here: a finance report never reads them,
    so it never loads the survey generators. :meth:`ReportSession.survey_folder
    <councilpack.session.ReportSession.survey_folder>` generates them on first use.
    """
    return demo_context(surveys_dir=demo_files_dir())
