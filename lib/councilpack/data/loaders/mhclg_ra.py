"""MHCLG Revenue Account (RA) budget 2016-17, individual authority data.

Same layout as the RS ``.xlsx`` editions but RA form line numbers: service
totals 190..698, total service expenditure 799, revenue expenditure 900, net
revenue expenditure 905, council tax requirement 990, appropriations 911..916
and estimated reserve levels 1011..1016. Metric ids carry the ``_budget`` suffix.
Checks match :mod:`councilpack.data.loaders.mhclg_rs`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councilpack.data.boundaries import to_current
from councilpack.data.loaders import RAW_FILES, raw_path
from councilpack.data.loaders.mhclg_rs import (
    LineSpec,
    add_appropriations_total,
    read_checked,
    tidy_from_wide,
)
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import TIDY_COLUMNS

SOURCE = "mhclg_ra"
PERIOD = "2016-17"

RA_SPECS: tuple[LineSpec, ...] = (
    LineSpec("education_spend_budget", (190,), r"education"),
    LineSpec("highways_transport_spend_budget", (290,), r"highways"),
    LineSpec("children_social_care_spend_budget", (330,), r"children"),
    LineSpec("adult_social_care_spend_budget", (360,), r"adult social care"),
    LineSpec("public_health_spend_budget", (390,), r"public health"),
    LineSpec("housing_gfra_spend_budget", (490,), r"housing services"),
    LineSpec("cultural_spend_budget", (509,), r"cultural"),
    LineSpec("environmental_regulatory_spend_budget", (590,), r"environmental"),
    LineSpec("planning_development_spend_budget", (599,), r"planning"),
    LineSpec("central_services_spend_budget", (690,), r"central services"),
    LineSpec("total_service_expenditure_budget", (799,), r"total service expenditure"),
    LineSpec("revenue_expenditure_budget", (900,), r"^revenue expenditure"),
    LineSpec("net_revenue_expenditure_budget", (905,), r"^net revenue expenditure"),
    LineSpec("council_tax_requirement_budget", (990,), r"council tax requirement"),
    LineSpec("appropriations_schools_reserves_budget", (911,), r"schools"),
    LineSpec("appropriations_public_health_reserves_budget", (914,), r"public health"),
    LineSpec("appropriations_earmarked_reserves_budget", (915,), r"other earmarked"),
    LineSpec("appropriations_unallocated_reserves_budget", (916,), r"unallocated"),
    LineSpec("schools_reserves_budget", (1011,), r"schools", "end"),
    LineSpec("public_health_reserves_budget", (1014,), r"public health", "end"),
    LineSpec("earmarked_reserves_budget", (1015,), r"other earmarked", "end"),
    LineSpec("unallocated_reserves_budget", (1016,), r"unallocated", "end"),
    LineSpec("schools_reserves_start_budget", (1011,), r"schools", "start"),
    LineSpec("public_health_reserves_start_budget", (1014,), r"public health", "start"),
    LineSpec("earmarked_reserves_start_budget", (1015,), r"other earmarked", "start"),
    LineSpec("unallocated_reserves_start_budget", (1016,), r"unallocated", "start"),
)


def load_ra(raw_dir: Path, geography: Geography, notes: list[str] | None = None) -> pd.DataFrame:
    """Load the RA 2016-17 budget as tidy rows (pounds) for current councils.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    pandas.DataFrame
        Tidy rows with ``_budget`` metric ids, source ``mhclg_ra``.

    Raises
    ------
    DataCheckError
        Listing every failed check in the workbook.
    """
    path = raw_path(raw_dir, RAW_FILES["mhclg_ra_2016_17"])
    frame, gss, metrics = read_checked(
        path,
        RA_SPECS,
        geography,
        (
            "net_revenue_expenditure_budget",
            "revenue_expenditure_budget",
            "total_service_expenditure_budget",
        ),
    )
    tidy = tidy_from_wide(
        frame, gss, metrics, PERIOD, SOURCE, f"MHCLG RA budget {PERIOD} ({path.name})"
    )
    tidy = add_appropriations_total(tidy, "appropriations_to_from_reserves_budget")
    return to_current(tidy, geography, additive=True, notes=notes)[list(TIDY_COLUMNS)]
