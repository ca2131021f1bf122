"""The single error type raised for a bad survey file or codebook."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


class SurveyDataError(ValueError):
    """A survey file or codebook cannot be used as it stands.

    The message is one line naming the file, the column and the row (data rows
    are numbered from 1, the header not counted) wherever they are known, e.g.
    ``wave-2024.csv: column 'Q2', row 17: code 9 is not in the codebook for item
    'satisfied_council' (allowed: 1, 2, 3, 4, 5, 6, 7)``.

    Parameters
    ----------
    problem
        What is wrong, in plain words.
    file
        File name (not a full path) or ``None``.
    column
        Column in the file, or ``None``.
    row
        1-based data row number, or ``None``.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.column = column
        self.row = row
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = f"{self.file}: " if self.file else ""
        location = f"{', '.join(where)}: " if where else ""
        return f"{prefix}{location}{self.problem}".replace("\n", " ")


def read_yaml_mapping(path: Path | str, what: str, not_mapping: str = "") -> Mapping[str, Any]:
    """Read a YAML file that must hold a mapping (a codebook, invited counts, HR figures).

    Parameters
    ----------
    path
        The file.
    what
        What the file is, for messages: ``"codebook"``, ``"invited counts"``.
    not_mapping
        Message when the file holds something else; by default
        ``"<what> must be a YAML mapping"``.

    Raises
    ------
    SurveyDataError
        One line naming the file: missing, not valid YAML, or not a mapping.
    """
    path = Path(path)
    if not path.is_file():
        raise SurveyDataError(f"{what} file not found", file=path.name)
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise SurveyDataError(
            f"{what} file is not valid YAML: {first_line}", file=path.name
        ) from None
    if not isinstance(parsed, Mapping):
        raise SurveyDataError(not_mapping or f"{what} must be a YAML mapping", file=path.name)
    return parsed
