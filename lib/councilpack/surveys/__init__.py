"""Shared survey core: reading respondent files, codebooks, weighting and statistics.

Used by the residents' satisfaction analysis (:mod:`councilpack.residents`) and
the staff survey analysis. Nothing in here knows which survey it is reading:
the codebook maps a council's columns and answer codes to standard items and
response categories.

Modules
-------
io
    :func:`~councilpack.surveys.io.read_survey_file` for CSV, XLSX and SPSS ``.sav``.
codebook
    :class:`~councilpack.surveys.codebook.Codebook` (YAML) and
    :func:`~councilpack.surveys.codebook.apply_codebook`.
stats
    Weighted proportions with Wilson intervals on the Kish effective base,
    two-proportion and one-sample tests.
weighting
    Raking (iterative proportional fitting) to population margins.
errors
    :class:`~councilpack.surveys.errors.SurveyDataError`, the one error a bad
    file or codebook raises.
"""

from councilpack.surveys.errors import SurveyDataError

__all__ = ["SurveyDataError"]
