"""Place and service outcomes (roads, waste, adult social care) against comparators."""

from councilpack.outcomes.analysis import OutcomesAnalysis, analyse

__all__ = ["OutcomesAnalysis", "analyse"]
