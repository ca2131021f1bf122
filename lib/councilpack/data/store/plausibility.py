"""Plausibility: published values outside their metric's plausible range, left out with a reason.

The ranges are the catalogue's (``minimum``/``maximum``); the reason is a sentence
a reader of ``excluded.parquet`` (and of a report's notes) understands.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from councilpack.catalogue import load_catalogue, plausible_ranges
from councilpack.data.loaders import (
    CTR_FILES,
    ONS_POPULATION_FILES,
    RAW_FILES,
    RO_FORM_FILES,
    RS_FILES,
)
from councilpack.data.model import EXCLUDED_COLUMNS, empty_excluded, source_document
from councilpack.errors import ArgumentError
from councilpack.wording import format_value

#: Raw file (relative to the data folder) of each single-file source.
SOURCE_FILES: dict[str, str] = {
    "mhclg_ra": RAW_FILES["mhclg_ra_2016_17"],
    "ons_mye": RAW_FILES["ons_mye"],
    "mhclg_ct": RAW_FILES["mhclg_ct_receipts"],
    "mhclg_ctr": RAW_FILES["mhclg_ctr_2023_24"],
    "defra_waste": RAW_FILES["defra_recycling"],
    "oflog_asc": RAW_FILES["oflog_asc"],
    "dft_roads": RAW_FILES["dft_road_condition"],
}


def source_file(source: str, period: str) -> str:
    """Return the raw file (relative to the data folder) a tidy row was read from.

    Parameters
    ----------
    source
        Source id of the row (``mhclg_rs``, ``ons_mye``, ...).
    period
        Period of the row; it picks the RS workbook of a financial year.

    Returns
    -------
    str
        The relative path, or ``""`` for a source with no raw file (demo data).
    """
    if source == "mhclg_rs":
        return RS_FILES.get(period, "")
    forms = {"mhclg_rsx": "RSX", "mhclg_ro3": "RO3"}
    if source in forms:
        # The later staged release is listed last (see choose_release).
        return RO_FORM_FILES[forms[source]].get(period, ("",))[-1]
    if source == "mhclg_ctr" and period in CTR_FILES:
        # A year's figure is read from the next table's previous-year column (the later
        # publication wins); 2022-23's next table is CTR Table 9 2023-24.
        later = [p for p in CTR_FILES if p > period]
        return CTR_FILES[later[0]] if later else RAW_FILES["mhclg_ctr_2023_24"]
    if source == "ons_mye" and period in ONS_POPULATION_FILES and period != "mid-2023":
        return ONS_POPULATION_FILES[period]
    return SOURCE_FILES.get(source, "")


def exclude_implausible(
    metrics: pd.DataFrame, catalogue: dict[str, dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split off the values outside their metric's plausible range in the catalogue.

    A negative council tax requirement or reserve level cannot be right: it is
    an error in the published return. Such a value is left out of the metrics
    (so no report ranks or charts it) and kept, with its reason, in the
    excluded table. Metrics with no declared range (net revenue expenditure,
    which commercial income can make negative) are never excluded.

    Parameters
    ----------
    metrics
        Tidy rows (:data:`~councilpack.data.model.TIDY_COLUMNS`).
    catalogue
        A loaded catalogue; defaults to :func:`~councilpack.catalogue.load_catalogue`.

    Returns
    -------
    tuple of pandas.DataFrame
        The rows kept, and the rows excluded
        (:data:`~councilpack.data.model.EXCLUDED_COLUMNS`), both re-indexed.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    ranges = plausible_ranges(catalogue)
    known = metrics["metric"].astype(str)
    lower = known.map({m: low for m, (low, _) in ranges.items()}).fillna(-math.inf)
    upper = known.map({m: high for m, (_, high) in ranges.items()}).fillna(math.inf)
    values = metrics["value"].astype(float)
    outside = ((values < lower) | (values > upper)).to_numpy()
    kept = metrics[~outside].reset_index(drop=True)
    if not outside.any():
        return kept, empty_excluded()
    excluded = metrics[outside].sort_values(["gss_code", "metric", "period"], ignore_index=True)
    excluded["source_file"] = [
        source_file(str(s), str(p))
        for s, p in zip(excluded["source"], excluded["period"], strict=True)
    ]
    excluded["reason"] = [
        range_reason(catalogue[str(metric)], float(value), str(period), str(source))
        for metric, value, period, source in zip(
            excluded["metric"],
            excluded["value"],
            excluded["period"],
            excluded["source"],
            strict=True,
        )
    ]
    return kept, excluded[list(EXCLUDED_COLUMNS)]


def range_reason(entry: dict[str, Any], value: float, period: str, source: str) -> str:
    """Say in words why a value is outside its metric's plausible range.

    Parameters
    ----------
    entry
        The metric's catalogue entry (``label``, ``unit``, ``minimum``/``maximum``).
    value, period, source
        The published value, its period and its source id.

    Raises
    ------
    ValueError
        When the value is within the range (nothing to explain).

    Examples
    --------
    >>> entry = {"label": "Earmarked reserves", "unit": "GBP", "minimum": 0}
    >>> range_reason(entry, -91_000, "2013-14", "mhclg_rs")
    'negative earmarked reserves (-£91,000) in the 2013-14 revenue outturn return: an error in the return'
    """
    label = str(entry["label"])
    what = label[:1].lower() + label[1:]
    unit = str(entry["unit"])
    document = source_document(source)
    where = f"in the {period} {document}: an error in the {document.split()[-1]}"
    minimum, maximum = entry.get("minimum"), entry.get("maximum")
    shown = format_value(value, unit)
    if minimum is not None and value < float(minimum):
        if float(minimum) == 0:
            return f"negative {what} ({shown}) {where}"
        bound = f"below the plausible minimum of {format_value(float(minimum), unit)}"
    elif maximum is not None and value > float(maximum):
        bound = f"above the plausible maximum of {format_value(float(maximum), unit)}"
    else:
        raise ArgumentError(f"{what} of {shown} is within its plausible range")
    return f"{what} of {shown}, {bound}, {where}"
