"""Data checks that name the file, column and row of every problem.

Loaders validate what they read with pandera schemas (``lazy=True`` so one run
lists every problem) and with the cross-field checks pandera cannot express
(totals that must reconcile, coverage per year). Every problem becomes a
:class:`CheckFailure`, printed as one line such as::

    RS_2016-17_data_by_LA.xlsx: column 'NET REVENUE EXPENDITURE' row 57 (E4301 Knowsley):
    expected a number, got 'n/a'

(on one line). :class:`DataCheckError` carries all failures of a run; its
message is the first failure plus a count of the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeGuard, TypeVar

import numpy as np
import pandas as pd
import pandera.pandas as pa

from councilpack.errors import ArgumentError, InputDataError
from councilpack.files import check_csv_complete, reading

#: Name of the helper column holding the row number a spreadsheet user sees.
ROW_COLUMN = "_row"
#: Name of the helper column holding a readable council label (``E4301 Knowsley``).
LABEL_COLUMN = "_label"

_P = ParamSpec("_P")
_T = TypeVar("_T")


@dataclass(frozen=True)
class CheckFailure:
    """One failed check, located in its file.

    Attributes
    ----------
    file
        File name (never a full machine path).
    column
        Column heading as printed in the file, or ``None`` for whole-file checks.
    row
        Row number as a spreadsheet shows it (1-based), or ``None``.
    council
        Readable council label such as ``E4301 Knowsley``, or ``None``.
    message
        What was wrong, e.g. ``expected a number, got 'n/a'``.
    """

    file: str
    column: str | None
    row: int | None
    council: str | None
    message: str

    def line(self) -> str:
        """Return the failure as one line of text."""
        where = []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.council:
            where.append(f"({self.council})")
        located = f"{self.file}: {' '.join(where)}" if where else self.file
        return f"{located}: {self.message}".replace("\n", " ")

    def __str__(self) -> str:
        return self.line()


class DataCheckError(InputDataError):
    """One or more data checks failed.

    The message is one line: the first failure, then how many more there are.
    ``failures`` holds every failure so a check run can print them all;
    ``file``, ``column`` and ``row`` are those of the first.
    """

    def __init__(self, failures: Sequence[CheckFailure]) -> None:
        if not failures:
            raise ArgumentError("DataCheckError needs at least one failure")
        self.failures: tuple[CheckFailure, ...] = tuple(failures)
        first = self.failures[0]
        more = len(self.failures) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        self.problem = first.message + suffix
        self.file = first.file
        self.column = first.column
        self.row = first.row
        Exception.__init__(self, first.line() + suffix)


@dataclass
class CheckCollector:
    """Collect failures from several checks, then raise them together.

    Examples
    --------
    >>> checks = CheckCollector()
    >>> checks.add(CheckFailure("a.csv", "code", 3, None, "unknown code 'X'"))
    >>> len(checks.failures)
    1
    """

    failures: list[CheckFailure] = field(default_factory=list)

    def add(self, failure: CheckFailure) -> None:
        """Record one failure."""
        self.failures.append(failure)

    def extend(self, failures: Iterable[CheckFailure]) -> None:
        """Record several failures."""
        self.failures.extend(failures)

    def run(self, func: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T | None:
        """Call ``func`` and record its :class:`DataCheckError` failures.

        A missing or unreadable file (any other located
        :class:`~councilpack.errors.InputDataError`) is recorded as one failure,
        so a check run lists it beside the others.

        Returns the function's result, or ``None`` when it failed a check.
        Any other exception propagates: it is a bug, not a data problem.
        """
        try:
            return func(*args, **kwargs)
        except DataCheckError as error:
            self.extend(error.failures)
            return None
        except InputDataError as error:  # a file missing or unreadable: one located failure
            self.add(CheckFailure(error.file or "", error.column, error.row, None, error.problem))
            return None

    def raise_if_failed(self) -> None:
        """Raise :class:`DataCheckError` when any failure was recorded."""
        if self.failures:
            raise DataCheckError(self.failures)


def _clean(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return _whole(value, ROW_COLUMN)


def _whole(value: object, column: str) -> int:
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value)
    raise TypeError(f"row number {value!r} in column {column!r} is not a number")


def row_number(frame: pd.DataFrame, index: Hashable, column: str = ROW_COLUMN) -> int:
    """Return the file row number kept in ``column`` (:data:`ROW_COLUMN`) of row ``index``."""
    return _whole(frame.at[index, column], column)


def row_label(frame: pd.DataFrame, index: Hashable, column: str = LABEL_COLUMN) -> str:
    """Return the council label kept in ``column`` (:data:`LABEL_COLUMN`) of row ``index``."""
    return str(frame.at[index, column])


def failures_from_schema_errors(
    errors: pa.errors.SchemaErrors,
    frame: pd.DataFrame,
    file: str,
    column_labels: dict[str, str] | None = None,
) -> list[CheckFailure]:
    """Convert pandera's lazy failure cases into located :class:`CheckFailure` lines.

    Parameters
    ----------
    errors
        The exception raised by ``schema.validate(frame, lazy=True)``.
    frame
        The frame that was validated; its :data:`ROW_COLUMN` and
        :data:`LABEL_COLUMN` (when present) locate each failing index.
    file
        File name to print.
    column_labels
        Mapping of frame column -> heading printed in the file.

    Returns
    -------
    list of CheckFailure
        One failure per failing cell, missing column or dtype problem.
    """
    labels = column_labels or {}
    out: list[CheckFailure] = []
    cases = errors.failure_cases
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        shown = labels.get(column, column) if column else None
        index = case.index
        row: int | None = None
        council: str | None = None
        located = index is not None and not (isinstance(index, float) and math.isnan(index))
        if located and index in frame.index:
            if ROW_COLUMN in frame.columns:
                row = _clean(frame.at[index, ROW_COLUMN])
            if LABEL_COLUMN in frame.columns:
                council = str(frame.at[index, LABEL_COLUMN])
        check = str(case.check)
        if check == "column_in_dataframe":
            missing = str(case.failure_case)
            out.append(
                CheckFailure(file, labels.get(missing, missing), None, None, "column is missing")
            )
            continue
        if check.startswith(("field_uniqueness", "multiple_fields_uniqueness")):
            message = f"duplicated value {case.failure_case!r}"
        elif check.startswith("not_nullable"):
            message = "value is missing"
        elif check.startswith("dtype"):
            message = f"wrong type ({case.failure_case})"
        else:
            message = f"{check}, got {case.failure_case!r}"
        out.append(CheckFailure(file, shown, row, council, message))
    return out


def validate(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    file: str,
    column_labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Validate ``frame`` lazily and raise :class:`DataCheckError` with located lines.

    Parameters
    ----------
    schema
        The pandera schema.
    frame
        The frame to validate.
    file
        File name for messages.
    column_labels
        Mapping of frame column -> heading printed in the file.

    Returns
    -------
    pandas.DataFrame
        The validated frame.

    Raises
    ------
    DataCheckError
        Listing every failing cell.
    """
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataCheckError(
            failures_from_schema_errors(errors, frame, file, column_labels)
        ) from None


def read_csv_validated(
    path: Path, schema: pa.DataFrameSchema, label: tuple[str, str], dtype: Any = None
) -> pd.DataFrame:
    """Read a one-header-row CSV, number its rows as the file does, label them, and validate.

    Parameters
    ----------
    path
        The CSV file.
    schema
        The pandera schema.
    label
        Two columns whose values, joined, name a row in messages (code and name).
    dtype
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame
        The validated frame, with :data:`ROW_COLUMN` (file line, header = 1) and
        :data:`LABEL_COLUMN`.

    Raises
    ------
    DataCheckError
        Listing every failing cell.
    """
    with reading(path):
        check_csv_complete(path)
        raw = pd.read_csv(path, dtype=dtype)
        require_rows(raw, path.name)
        raw[ROW_COLUMN] = range(2, len(raw) + 2)
        raw[LABEL_COLUMN] = raw[label[0]].astype(str) + " " + raw[label[1]].astype(str)
    return validate(schema, raw, path.name)


def require_rows(frame: pd.DataFrame, file: str) -> None:
    """Raise when a file read as a table has a header but no data rows.

    Raises
    ------
    DataCheckError
        Naming the file.
    """
    if frame.empty:
        raise DataCheckError([CheckFailure(file, None, None, None, "no data rows (only a header)")])


def row_failures(
    frame: pd.DataFrame,
    file: str,
    column: str,
    rows: Iterable[Any],
    message: Callable[[Any], str],
) -> list[CheckFailure]:
    """Return one located failure per row index of ``frame`` (from :func:`read_csv_validated`).

    Parameters
    ----------
    frame
        Frame with :data:`ROW_COLUMN` and :data:`LABEL_COLUMN`.
    file, column
        Where the failure is.
    rows
        Index labels of the failing rows.
    message
        Index label -> what is wrong with that row.
    """
    return [
        CheckFailure(file, column, row_number(frame, i), row_label(frame, i), message(i))
        for i in rows
    ]


def is_number(value: object) -> TypeGuard[int | float]:
    """Return True for an int or float that is not a bool or NaN."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and not math.isnan(value)


#: A pandera check that every cell is a real number (text such as ``'n/a'`` fails).
NUMBER_CHECK = pa.Check(
    lambda s: s.map(is_number).astype(bool), error="expected a number", name="expected a number"
)


#: Hard bounds, per unit, on any one council's published figure. They sit far beyond any
#: real council (England's largest has about 1.6 million residents and a net budget of
#: about £3bn), so only a corrupted or mistyped file trips them; a value past them must
#: fail where it is read, before predecessor councils or districts are summed into it.
UNIT_LIMITS: dict[str, tuple[float, float]] = {
    "persons": (0.0, 20_000_000.0),
    "GBP": (-100e9, 100e9),
}


def plausible_check(unit: str, scale: float = 1.0) -> pa.Check:
    """Return a pandera check that each number is finite and within :data:`UNIT_LIMITS`.

    Cells that are not numbers pass (:data:`NUMBER_CHECK` reports them), so a
    cell fails one check, not two.

    Parameters
    ----------
    unit
        ``persons`` or ``GBP``.
    scale
        What one unit of the file is worth in ``unit`` (1000 for £ thousand).

    Returns
    -------
    pandera.Check
        Named so that the failure reads, for example, ``more than one council could
        have (at most 20,000,000 persons), got 1000000000000``.
    """
    low, high = UNIT_LIMITS[unit]
    shown = f"£{high / 1e9:,.0f}bn either way" if unit == "GBP" else f"at most {high:,.0f} {unit}"
    return range_check(low, high, f"more than one council could have ({shown})", scale)


def range_check(low: float, high: float, name: str, scale: float = 1.0) -> pa.Check:
    """Return a pandera check, named ``name``, that each number is finite and in [low, high].

    Cells that are not numbers pass (:data:`NUMBER_CHECK` reports them). ``scale``
    is what one unit of the file is worth (1000 for £ thousand).
    """

    def within(value: object) -> bool:
        if not is_number(value):
            return True
        amount = float(value) * scale
        return math.isfinite(amount) and low <= amount <= high

    return pa.Check(lambda s: s.map(within).astype(bool), error=name, name=name)
