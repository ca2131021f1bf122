"""Population margins for raking, from the tidy metric store or the ONS single-year file.

Margins are plain mappings ``{group: {category: population}}`` so they can come
from the open-data store, the demo data or a user's own file.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from councilpack.residents.items import AGE_BAND_METRICS, AGE_BANDS
from councilpack.surveys.errors import SurveyDataError

#: Single years of age (as ONS column names) in each standard band.
_BAND_YEARS: dict[str, tuple[str, ...]] = {
    "16-24": tuple(str(a) for a in range(16, 25)),
    "25-34": tuple(str(a) for a in range(25, 35)),
    "35-44": tuple(str(a) for a in range(35, 45)),
    "45-54": tuple(str(a) for a in range(45, 55)),
    "55-64": tuple(str(a) for a in range(55, 65)),
    "65+": (*(str(a) for a in range(65, 90)), "90+"),
}


def age_margins_from_metrics(
    metrics: pd.DataFrame, gss_code: str, period: str = "mid-2023"
) -> dict[str, float]:
    """Return age-band population margins for one council from the tidy metric table.

    Parameters
    ----------
    metrics
        Tidy metric table (``gss_code, metric, period, value, ...``) holding the
        ``population_age_*`` metrics.
    gss_code
        The council's GSS code.
    period
        Population period, ``mid-2023`` by default.

    Returns
    -------
    dict
        Age band (``"16-24"`` ... ``"65+"``) -> persons.

    Raises
    ------
    SurveyDataError
        When a band's metric is absent for the council and period.
    """
    rows = metrics[(metrics["gss_code"] == gss_code) & (metrics["period"] == period)]
    values = dict(zip(rows["metric"], rows["value"], strict=True))
    margins = {}
    for band in AGE_BANDS:
        metric = AGE_BAND_METRICS[band]
        if metric not in values:
            raise SurveyDataError(
                f"no {metric} for {gss_code} in {period}, so age margins cannot be built",
                column="metric",
            )
        margins[band] = float(values[metric])
    return margins


def age_margins_from_single_year(row: Mapping[str, float]) -> dict[str, float]:
    """Return age-band margins from ONS single-year-of-age counts.

    Parameters
    ----------
    row
        Column -> persons with columns ``"16"`` ... ``"89"`` and ``"90+"`` (the
        layout of the ONS mid-year estimate file by single year of age).

    Returns
    -------
    dict
        Age band -> persons.
    """
    missing = [year for years in _BAND_YEARS.values() for year in years if year not in row]
    if missing:
        raise SurveyDataError(f"single-year population lacks ages {', '.join(missing[:5])}")
    return {band: float(sum(float(row[y]) for y in years)) for band, years in _BAND_YEARS.items()}
