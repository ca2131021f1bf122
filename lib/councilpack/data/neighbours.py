"""An open nearest-neighbour model built only from figures held in the store.

Method (also in the catalogue's ``comparator_models``): for every current
council, take the indicators below, standardise each to mean 0 / SD 1 within
its tier, and pick the 15 councils of the same tier with the smallest Euclidean
distance. Tiers: county; district; single-tier (unitary, metropolitan district,
London borough, City of London). A missing indicator is replaced by the tier
median (recorded in the group definition) so every council has a group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from councilpack.data.model import Register

#: Indicator id -> description (all from metrics.parquet).
INDICATORS: dict[str, str] = {
    "log_population": "natural log of population_all (mid-2023)",
    "pct_0_17": "population_0_17 / population_all",
    "pct_65_plus": "population_65_plus / population_all",
    "nre_per_head": "net_revenue_expenditure (latest RS year) / population_all",
    "ctr_per_head": "council_tax_requirement (latest RS year) / population_all",
}
N_NEIGHBOURS = 15
POPULATION_PERIOD = "mid-2023"
MODEL_ID = "open_nn_v1"


def tier(council_type: str) -> str:
    """Return the comparison tier of a mySociety council type."""
    if council_type == "County":
        return "county"
    if council_type == "Non-metropolitan district":
        return "district"
    return "single-tier"


def indicator_table(register: Register, metrics: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return one row per council with the model's indicators, and the RS year used."""
    codes = register.table["gss_code"]

    def pick(metric: str, period: str | None = None) -> pd.Series:
        rows = metrics[metrics["metric"] == metric]
        if period is not None:
            rows = rows[rows["period"] == period]
        return rows.set_index("gss_code")["value"].reindex(codes)

    rs = metrics[
        (metrics["source"] == "mhclg_rs") & (metrics["metric"] == "net_revenue_expenditure")
    ]
    latest = str(rs["period"].max())
    # The store holds populations mid-2011 to mid-2024; the model keeps mid-2023.
    population = pick("population_all", POPULATION_PERIOD)
    table = pd.DataFrame(
        {
            "log_population": np.log(population),
            "pct_0_17": pick("population_0_17", POPULATION_PERIOD) / population,
            "pct_65_plus": pick("population_65_plus", POPULATION_PERIOD) / population,
            "nre_per_head": pick("net_revenue_expenditure", latest) / population,
            "ctr_per_head": pick("council_tax_requirement", latest) / population,
        }
    )
    table.index = codes.to_numpy()
    table["tier"] = register.table["council_type"].map(tier).to_numpy()
    return table, latest


def nearest_neighbours(
    register: Register, metrics: pd.DataFrame, k: int = N_NEIGHBOURS
) -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]], str]:
    """Compute each council's ``k`` nearest same-tier neighbours.

    Parameters
    ----------
    register
        Current councils.
    metrics
        Tidy metrics holding population and RS figures.
    k
        Number of neighbours.

    Returns
    -------
    tuple
        Neighbours (nearest first, self excluded) per council; for each council
        the indicators that were imputed with the tier median; the RS year used.
    """
    table, latest = indicator_table(register, metrics)
    neighbours: dict[str, tuple[str, ...]] = {}
    imputed: dict[str, list[str]] = {}
    for _, group in table.groupby("tier"):
        values = group[list(INDICATORS)].astype(float)
        gaps = values.isna()
        for code in values.index:
            missing = [c for c in INDICATORS if gaps.at[code, c]]
            if missing:
                imputed[code] = missing
        values = values.fillna(values.median())
        spread = values.std(ddof=0).replace(0, 1.0)
        z = ((values - values.mean()) / spread).to_numpy()
        distance = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
        codes = values.index.to_numpy()
        for i, code in enumerate(codes):
            order = [j for j in np.argsort(distance[i], kind="stable") if j != i][:k]
            neighbours[str(code)] = tuple(str(codes[j]) for j in order)
    return neighbours, imputed, latest
