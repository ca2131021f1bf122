"""The error a bad survey file or codebook raises (kept here for existing imports).

:class:`SurveyDataError` lives in :mod:`councilpack.errors` (the survey branch of
the one error tree) and the YAML reader in :mod:`councilpack.files`; both are
re-exported here so ``from councilpack.surveys.errors import ...`` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from councilpack import files
from councilpack.errors import InputDataError, LocatedError, SurveyDataError


def read_yaml_mapping(
    path: Path | str,
    what: str,
    not_mapping: str = "",
    error: type[InputDataError] = SurveyDataError,
) -> Mapping[str, Any]:
    """Read a YAML mapping, raising :class:`SurveyDataError` (see :func:`councilpack.files.read_yaml_mapping`)."""
    return files.read_yaml_mapping(path, what, not_mapping, error)


__all__ = ["LocatedError", "SurveyDataError", "read_yaml_mapping"]
