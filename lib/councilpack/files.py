"""Reading input files at the edges: located one-line errors for unreadable files.

:func:`reading` wraps the code that opens and parses one file, so that a
truncated workbook, a Windows-1252 CSV, an empty file, a semicolon-separated
file or a renamed column becomes a :class:`~councilpack.errors.FileFormatError`
naming the file instead of a library traceback. :func:`read_yaml_mapping` is
the one reader of the YAML files councilpack takes (codebooks, survey folders,
invited counts, HR figures).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from councilpack.errors import (
    CouncilpackError,
    FileFormatError,
    InputDataError,
    describe_format_error,
    format_error_types,
)


@contextmanager
def reading(path: Path | str, error: type[InputDataError] = FileFormatError) -> Iterator[None]:
    """Turn a file-format error raised inside the block into a located error.

    Parameters
    ----------
    path
        The file being read; its name (not its folder) is named in the message.
    error
        The class to raise (a survey file raises ``SurveyDataError``).

    Raises
    ------
    InputDataError
        ``error`` naming the file, for any of
        :func:`~councilpack.errors.format_error_types`; councilpack's own
        errors and other exceptions (bugs) pass through unchanged.

    Examples
    --------
    >>> with reading("a.csv"):
    ...     {}["gss-code"]
    Traceback (most recent call last):
    ...
    councilpack.errors.FileFormatError: a.csv: 'gss-code' not found (a renamed or missing column or sheet)
    """
    try:
        yield
    except CouncilpackError:
        raise
    except format_error_types() as problem:
        raise error(describe_format_error(problem), file=Path(path).name) from problem


def check_csv_complete(path: Path | str, error: type[InputDataError] = FileFormatError) -> None:
    """Refuse a CSV file that was cut off in the middle of a row.

    A program writing CSV ends every row with a line break; a file whose last
    line has no line break *and* fewer fields than the header was truncated
    (an interrupted download or copy). pandas would fill the missing fields
    with blanks and carry on.

    Raises
    ------
    InputDataError
        ``error`` naming the file and its last line.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as stream:
        header = stream.readline()
        stream.seek(max(0, size - 65536))
        tail = stream.read()
    if tail.endswith((b"\n", b"\r")):
        return
    last = tail.splitlines()[-1] if tail.splitlines() else b""
    if last == header.rstrip(b"\r\n"):
        return
    try:
        fields = [next(csv.reader(io.StringIO(line.decode("utf-8")))) for line in (header, last)]
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return  # the reader itself reports undecodable or unparsable text
    if len(fields[1]) < len(fields[0]):
        raise error(
            f"the last row has {len(fields[1])} of {len(fields[0])} fields and no line end: "
            "the file was cut off (truncated download or copy?)",
            file=path.name,
        )


def read_yaml_mapping(
    path: Path | str,
    what: str,
    not_mapping: str = "",
    error: type[InputDataError] = InputDataError,
) -> Mapping[str, Any]:
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
    error
        The class to raise (survey files raise ``SurveyDataError``).

    Raises
    ------
    InputDataError
        One line naming the file: missing, not UTF-8, not valid YAML, or not a mapping.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} file not found", file=path.name)
    try:
        text = path.read_text(encoding="utf-8")
        parsed = yaml.safe_load(text)
    except UnicodeDecodeError as problem:
        raise error(f"{what} file is {describe_format_error(problem)}", file=path.name) from None
    except yaml.YAMLError as problem:
        first_line = str(problem).splitlines()[0]
        raise error(f"{what} file is not valid YAML: {first_line}", file=path.name) from None
    if not isinstance(parsed, Mapping):
        raise error(not_mapping or f"{what} must be a YAML mapping", file=path.name)
    return parsed


__all__ = ["check_csv_complete", "read_yaml_mapping", "reading"]
