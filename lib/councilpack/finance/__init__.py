"""Finance analysis: indicators per council and year, positioned against comparators."""
