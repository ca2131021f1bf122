"""Staff (workforce) survey trends for LGA Corporate Peer Challenge briefings.

A notebook is parameters -> these calls -> display::

    from councilpack.charts import show
    from councilpack.figures import publish
    from councilpack.surveys.folder import load_survey_folder
    from councilpack.workforce import analyse, analyse_waves
    from councilpack.workforce.charts import group_gap_chart, item_trend_chart

    analysis = analyse_waves(
        {"2022": "staff-2022.csv", "2023": "staff-2023.xlsx", "2024": "staff-2024.sav"},
        codebook="staff-codebook.yml",      # see example_codebook.yml in this package
        invited="staff-invited.yml",        # or {"2024": 1980, ...}
        threshold=10,                       # never below 10
        hr="hr-figures.yml",                # optional
    )
    # or, from a survey folder whose survey.yml names all of these:
    analysis = analyse(load_survey_folder("staff-survey"), threshold=10)
    publish(analysis.findings, caption="Staff survey")   # sentences backed by figures
    analysis.display("engagement", "positive_pct")       # waves across, [c] marked
    trend = item_trend_chart(analysis, items=analysis.codebook.workforce.engagement_index)
    show(trend)
    gaps = group_gap_chart(analysis, "satisfied_overall", "directorate")
    show(gaps)

The report's sections (:mod:`councilpack.workforce.report`) and reader
tables (:mod:`councilpack.workforce.tables`) are built from the analysis.

Tables (``analysis.responses``, ``items``, ``themes``, ``engagement``, ``enps``,
``trends``, ``enps_trends``, ``gaps``, ``hr``) are tidy DataFrames; each
finding is a :class:`councilpack.figures.Figure` with ``id, label, value,
unit, period, source, comparator, sentence``.

Every table leaving :class:`WorkforceAnalysis` has been through disclosure
control (:mod:`councilpack.workforce.disclosure`). Input formats and the
disclosure rules are described in ``data/surveys/STAFF.md``.
"""

from councilpack.workforce.analysis import (
    TABLE_NAMES,
    WorkforceAnalysis,
    WorkforceFindings,
    analyse,
    analyse_waves,
)
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
    "WorkforceFindings",
    "analyse",
    "analyse_waves",
    "generate_staff_waves",
    "read_hr_figures",
    "read_invited",
    "suppression_pattern",
]
