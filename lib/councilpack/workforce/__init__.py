"""Staff (workforce) survey trends for LGA Corporate Peer Challenge briefings.

A notebook needs four calls::

    from councilpack.workforce import analyse_workforce, read_invited
    from councilpack.workforce.charts import item_trend_chart, group_gap_chart

    analysis = analyse_workforce(
        waves={"2022": "staff-2022.csv", "2023": "staff-2023.xlsx", "2024": "staff-2024.sav"},
        codebook="staff-codebook.yml",
        invited=read_invited("staff-invited.yml"),
        threshold=10,
        hr="hr-figures.yml",
    )
    analysis.findings             # sentences backed by figures
    analysis.items                # % positive tables, disclosure-controlled
    item_trend_chart(analysis)    # chart, description, data table

Every table leaving :class:`WorkforceAnalysis` has been through disclosure
control (:mod:`councilpack.workforce.disclosure`). Input formats and the
disclosure rules are described in ``data/surveys/STAFF.md``.
"""

from councilpack.workforce.analysis import TABLE_NAMES, WorkforceAnalysis, analyse_workforce
from councilpack.workforce.disclosure import (
    MINIMUM_THRESHOLD,
    SUPPRESSED_MARKER,
    SuppressionPattern,
    suppression_pattern,
)
from councilpack.workforce.hr import HRFigures, read_hr_figures
from councilpack.workforce.inputs import (
    ENGAGEMENT_INDEX_ITEMS,
    Invited,
    StaffCodebook,
    read_invited,
)
from councilpack.workforce.synthetic import generate_staff_waves

__all__ = [
    "ENGAGEMENT_INDEX_ITEMS",
    "MINIMUM_THRESHOLD",
    "SUPPRESSED_MARKER",
    "TABLE_NAMES",
    "HRFigures",
    "Invited",
    "StaffCodebook",
    "SuppressionPattern",
    "WorkforceAnalysis",
    "analyse_workforce",
    "generate_staff_waves",
    "read_hr_figures",
    "read_invited",
    "suppression_pattern",
]
