"""Finance analysis: indicators per council and year, positioned against comparators."""

from councilpack.finance.analysis import FinanceAnalysis, analyse

__all__ = ["FinanceAnalysis", "analyse"]
