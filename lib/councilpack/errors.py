"""The errors councilpack raises: one base class, a small tree, one-line messages.

Every error the library raises on purpose derives from :class:`CouncilpackError`,
so a caller (the CLI, a batch, a notebook) can catch the base and show the
message as it is: one line naming the file, column, row, parameter or entry
and the bad value. Modelled on papermill's ``exceptions.py`` and pandera's
``errors.py``::

    CouncilpackError
    ├── InputDataError            a file councilpack reads cannot be used (located)
    │   ├── FileFormatError       cannot be parsed: truncated, mis-encoded, empty, renamed column
    │   ├── MissingFileError      an expected input file is absent (also a FileNotFoundError)
    │   ├── DataCheckError        official open data failed a check (data.checks)
    │   ├── StoreVersionError     a built store of another layout (data.store)
    │   ├── CatalogueError        the metric catalogue is inconsistent (catalogue)
    │   ├── FetchError            a download failed: names the file and URL (data.fetch)
    │   └── SurveyDataError       a council survey file, codebook or survey.yml (surveys)
    ├── ParameterError            a report parameter or CLI option is invalid (reports)
    │   ├── CouncilLookupError    no council, or more than one, matches a name or code
    │   └── MissingFolderError    a folder given as a parameter does not exist
    ├── BatchError                a batch definition is invalid (batch)
    ├── OutputError               the output folder cannot be written (also an OSError)
    ├── SettingsError             a folder councilpack needs cannot be found (settings)
    └── ArgumentError             a library function was called with arguments it cannot use
        ├── ArgumentTypeError
        ├── UnknownKeyError       asked for a table, item or wave that does not exist
        └── ChartTooLongTitleError

Classes keep the built-in base they had before (``ValueError``,
``LookupError``, ``RuntimeError``, ``KeyError``), so existing ``except``
clauses keep working. Validators inside pydantic models still raise plain
``ValueError`` (pydantic's protocol); :func:`validation_message` turns the
resulting ``ValidationError`` into one line.

This module imports nothing heavy: the CLI imports it before parsing arguments.
"""

from __future__ import annotations

import difflib
import json
import sys
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError


class CouncilpackError(Exception):
    """Base of every error councilpack raises on purpose.

    ``str(error)`` is always one line: the CLI prints it as it is.
    """

    def __str__(self) -> str:
        return " ".join(Exception.__str__(self).split("\n")).strip()


class LocatedError(CouncilpackError):
    """An error located in a file: ``file: column 'Q2', row 17: problem``.

    Parameters
    ----------
    problem
        What is wrong, in plain words (naming the bad value).
    file
        File name or path as the user gave it, or ``None``.
    column
        Column (or key) in the file, or ``None``.
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


class InputDataError(LocatedError, ValueError):
    """A file councilpack reads (open data, survey, catalogue, store) cannot be used."""


class FileFormatError(InputDataError):
    """A file cannot be parsed: truncated, mis-encoded, empty, wrong format or renamed column."""


class MissingFileError(InputDataError, FileNotFoundError):
    """An input file councilpack expects is not there."""


class SurveyDataError(InputDataError):
    """A council survey file, codebook or ``survey.yml`` cannot be used as it stands.

    The message is one line naming the file, the column and the row (data rows
    are numbered from 1, the header not counted) wherever they are known, e.g.
    ``wave-2024.csv: column 'Q2', row 17: code 9 is not in the codebook for item
    'satisfied_council' (allowed: 1, 2, 3, 4, 5, 6, 7)``.
    """


class ParameterError(CouncilpackError, ValueError):
    """A report parameter or CLI option failed validation; the message names it and its value."""


class CouncilLookupError(ParameterError, LookupError):
    """A council name or code matched no council, or more than one."""


class MissingFolderError(ParameterError, FileNotFoundError):
    """A folder given as a parameter (``data_dir``, ``--data-dir``) does not exist."""


class BatchError(CouncilpackError, ValueError):
    """A batch definition is invalid; the message names the file, entry and value."""


class OutputError(CouncilpackError, OSError):
    """The output folder cannot be used (a file, inside a file, not writable, outside ``--out``)."""


class SettingsError(CouncilpackError, RuntimeError):
    """A folder councilpack needs cannot be found."""


class ArgumentError(CouncilpackError, ValueError):
    """A library function was called with an argument it cannot use (a caller's mistake)."""


class ArgumentTypeError(ArgumentError, TypeError):
    """A library function was called with an argument of the wrong type."""


class UnknownKeyError(ArgumentError, KeyError):
    """A table, item, wave or measure was asked for that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return CouncilpackError.__str__(self)


def suggest(value: str, choices: Iterable[str], *, limit: int = 3) -> str:
    """Return ``" (did you mean 'x'?)"`` for near misses of ``value``, else ``""``.

    Examples
    --------
    >>> suggest("finanse", ["finance", "residents", "workforce"])
    " (did you mean 'finance'?)"
    >>> suggest("zzz", ["finance"])
    ''
    """
    options = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(value).lower(), list(options), n=limit, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(options[c]) for c in close)}?)"


def _field_names(model: type[BaseModel]) -> set[str]:
    """Return every field name of ``model`` and of the models nested in it."""
    from pydantic import BaseModel

    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    pending: list[Any] = [model]
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in seen:
                continue
            seen.add(item)
            for name, field in item.model_fields.items():
                names.add(name)
                pending.append(field.annotation)
        else:
            pending.extend(getattr(item, "__args__", ()))
    return names


def _walk(data: Any, loc: Sequence[int | str], *, missing: bool = False) -> tuple[list[str], Any]:
    """Follow ``loc`` into ``data``, dropping union-branch tags; return the path and value."""
    path: list[str] = []
    current = data
    for position, key in enumerate(loc):
        last = position == len(loc) - 1
        in_mapping = isinstance(current, Mapping) and key in current
        in_list = isinstance(current, list | tuple) and isinstance(key, int) and key < len(current)
        if in_mapping or in_list:
            current = current[key]
            path.append(str(key))
        elif not isinstance(key, int) and not (last and missing):
            # A union branch tag such as 'str' or 'CouncilEntry': a key the input does
            # not have (a missing required key, the last one, is kept).
            continue
        else:
            path.append(str(key))
    return path, current


def validation_message(
    error: ValidationError,
    data: Any = None,
    *,
    model: type[BaseModel] | None = None,
    prefix: str = "",
) -> str:
    """Turn a pydantic ``ValidationError`` into one line: ``key: problem (got value)``.

    Union-branch internals are dropped (a mapping is not reported as "not a
    string" when it could be a model), each problem names its key path and
    the value given, and an unknown key gets a suggestion when it is a near
    miss of a known one.

    Parameters
    ----------
    error
        The validation error.
    data
        The input that was validated (to drop union tags from key paths).
    model
        The model validated against (to suggest known keys).
    prefix
        Put before each key path, e.g. ``"parameter "``.

    Returns
    -------
    str
        Problems joined by ``"; "``.
    """
    known = _field_names(model) if model is not None else set()
    items = error.errors()
    # A value that could be one of several types fails once per branch: keep
    # the branch that matches the kind of value given (a mapping -> a model).
    by_path: dict[tuple[str, ...], list[tuple[Mapping[str, Any], Any]]] = {}
    for detail in items:
        walked, value = (
            _walk(data, detail["loc"], missing=detail.get("type") == "missing")
            if data is not None
            else ([str(p) for p in detail["loc"]], detail.get("input"))
        )
        by_path.setdefault(tuple(walked), []).append((detail, value))
    # A value checked against one branch as a whole ("not a string") when another
    # branch got further into it ("councils.0.reprts: unknown key") is noise.
    deeper = {path[:n] for path in by_path for n in range(len(path))}
    by_path = {
        path: kept
        for path, entries in by_path.items()
        if (kept := [e for e in entries if not (_is_type_error(e[0]) and path in deeper)])
    }
    problems: list[str] = []
    for path, entries in by_path.items():
        typed = [e for e in entries if not str(e[0].get("type", "")).endswith("_type")]
        if typed and len(typed) < len(entries):
            entries = typed
        # Union branches on one key can still repeat the same message.
        shown: set[str] = set()
        for entry, _ in entries:
            message = _problem(entry, path, known, prefix)
            if message not in shown:
                shown.add(message)
                problems.append(message)
    return "; ".join(problems)


def _is_type_error(item: Mapping[str, Any]) -> bool:
    kind = str(item.get("type", ""))
    return kind.endswith("_type") or kind.startswith("literal_")


def _problem(item: Mapping[str, Any], path: Sequence[str], known: set[str], prefix: str) -> str:
    kind = str(item.get("type", ""))
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    if not path:  # a check across fields (a model validator): its message says it all
        return message
    where = prefix + ".".join(path)
    if kind == "extra_forbidden":
        return f"{where}: unknown key{suggest(path[-1], known) if path else ''}"
    if kind == "missing":
        return f"{where}: missing"
    shown = item.get("input")
    if isinstance(shown, Mapping | list):
        return f"{where}: {message}"
    return f"{where}: {message} (got {shown!r})"


def format_error_types() -> tuple[type[BaseException], ...]:
    """Return the exception types a reader raises for a file it cannot parse.

    Only libraries already imported are consulted (this module stays light):
    ``UnicodeDecodeError``, ``zipfile.BadZipFile``, ``json.JSONDecodeError``,
    ``KeyError`` (a renamed column), pandas' ``EmptyDataError`` and
    ``ParserError``, ``xlrd.XLRDError``, pyreadstat's ``ReadstatError``,
    pyarrow's ``ArrowInvalid`` and YAML errors.
    """
    types: list[type[BaseException]] = [
        UnicodeDecodeError,
        zipfile.BadZipFile,
        json.JSONDecodeError,
        KeyError,
        EOFError,
    ]
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        types += [pandas.errors.EmptyDataError, pandas.errors.ParserError]
    for module, name in (
        ("xlrd", "XLRDError"),
        ("xlrd.compdoc", "CompDocError"),
        ("pyreadstat", "ReadstatError"),
        ("pyarrow", "ArrowInvalid"),
        ("yaml", "YAMLError"),
        ("openpyxl.utils.exceptions", "InvalidFileException"),
        ("python_calamine", "CalamineError"),
    ):
        found = getattr(sys.modules.get(module), name, None)
        if isinstance(found, type) and issubclass(found, BaseException):
            types.append(found)
    return tuple(types)


def describe_format_error(error: BaseException) -> str:
    """Return a short reader-facing description of a file-format error.

    Examples
    --------
    >>> describe_format_error(KeyError("gss-code"))
    "'gss-code' not found (a renamed or missing column or sheet)"
    """
    if isinstance(error, UnicodeDecodeError):
        return (
            f"not UTF-8 text (byte {error.object[error.start : error.start + 1]!r} "
            f"at position {error.start}); save it as UTF-8"
        )
    if isinstance(error, KeyError) and not isinstance(error, CouncilpackError):
        missing = error.args[0] if error.args else "?"
        return f"{missing!r} not found (a renamed or missing column or sheet)"
    if isinstance(error, zipfile.BadZipFile):
        return "not a valid spreadsheet (truncated or not an .xlsx file)"
    if isinstance(error, EOFError):
        return "the file ends early (truncated)"
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    kind = type(error).__name__
    if kind == "EmptyDataError":
        return "the file is empty"
    return f"cannot be read ({kind}: {first})"


__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "BatchError",
    "CouncilLookupError",
    "CouncilpackError",
    "FileFormatError",
    "InputDataError",
    "LocatedError",
    "MissingFileError",
    "MissingFolderError",
    "OutputError",
    "ParameterError",
    "SettingsError",
    "SurveyDataError",
    "UnknownKeyError",
    "describe_format_error",
    "format_error_types",
    "suggest",
    "validation_message",
]
