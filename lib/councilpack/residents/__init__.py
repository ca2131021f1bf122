"""Residents' satisfaction analysis against the LGA national polling (issue #5).

A notebook needs only::

    from councilpack.residents import WaveInput, analyse_residents, load_codebook

    analysis = analyse_residents(
        waves=[WaveInput("2023", "2023-10", "wave-2023.csv"),
               WaveInput("2024", "2024-10", "wave-2024.xlsx")],
        codebook=load_codebook("codebook.yml"),
        population_margins={"age_band": age_margins_from_metrics(metrics, gss_code)},
    )
    analysis.estimates, analysis.changes, analysis.national, analysis.breakdowns
    analysis.findings  # figures.Figure: sentence, value, base, interval, national comparator
    trend_chart(analysis, "satisfied_council")  # a ChartResult: charts.show(...) it

The input format is documented in ``data/surveys/README.md``.
"""

from councilpack.residents.analysis import (
    DEFAULT_MINIMUM_BASE,
    ResidentsAnalysis,
    WaveInput,
    analyse_residents,
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
    "analyse_residents",
    "example_codebook_path",
    "load_codebook",
    "load_national_table",
    "national_comparison_chart",
    "nearest_national_figure",
    "trend_chart",
]
