"""Residents' satisfaction analysis against the LGA national polling (issue #5).

A notebook needs only::

    from councilpack import residents
    from councilpack.residents import report

    folder = report.survey_folder(session, survey_dir)  # the council's survey.yml folder
    analysis = residents.analyse(session.data, session.council.gss_code, folder)
    analysis.estimates, analysis.changes, analysis.national, analysis.breakdowns
    analysis.findings  # figures.Figure: sentence, value, base, interval, national comparator
    trend_chart(analysis, "satisfied_council")  # a ChartResult: charts.show(...) it

Waves of one's own, without a survey folder, go through
:func:`~councilpack.residents.analysis.analyse_waves` (waves, codebook and
population margins given directly).

The input format is documented in ``data/surveys/README.md``.
"""

from councilpack.residents.analysis import (
    DEFAULT_MINIMUM_BASE,
    ResidentsAnalysis,
    WaveInput,
    analyse,
    analyse_waves,
    example_codebook_path,
    load_codebook,
)
from councilpack.residents.charts import national_comparison_chart, trend_chart
from councilpack.residents.items import AGE_BANDS, LGA_ITEMS
from councilpack.residents.margins import age_margins_from_metrics, age_margins_from_single_year
from councilpack.residents.national import load_national_table, nearest_national_figure
from councilpack.surveys.errors import SurveyDataError

__all__ = [
    "AGE_BANDS",
    "DEFAULT_MINIMUM_BASE",
    "LGA_ITEMS",
    "ResidentsAnalysis",
    "SurveyDataError",
    "WaveInput",
    "age_margins_from_metrics",
    "age_margins_from_single_year",
    "analyse",
    "analyse_waves",
    "example_codebook_path",
    "load_codebook",
    "load_national_table",
    "national_comparison_chart",
    "nearest_national_figure",
    "trend_chart",
]
