"""Read respondent-level survey files (CSV, XLSX, SPSS ``.sav``).

One row per respondent, one column per question or demographic. Answer codes
are kept as they are in the file; :func:`canonical_code` makes codes compare
equal across formats (``1`` in a CSV, ``1.0`` in a ``.sav`` and ``"1"`` in a
spreadsheet text cell are all the code ``1``), which is what lets the same
survey give identical results whichever format it arrives in.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyreadstat

from councilpack.files import check_csv_complete, reading
from councilpack.surveys.errors import SurveyDataError

#: File suffixes :func:`read_survey_file` understands.
SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".sav")

Code = int | str


@dataclass(frozen=True)
class SurveyFile:
    """A respondent-level survey file as read.

    Attributes
    ----------
    data
        One row per respondent, columns as in the file; data row ``i`` (1-based,
        header not counted) is ``data.iloc[i - 1]``.
    file_name
        The file's name (no folders), used in every error message.
    value_labels
        Column -> {code: label} from an SPSS file; empty for CSV/XLSX.
    column_labels
        Column -> question text from an SPSS file; empty for CSV/XLSX.
    """

    data: pd.DataFrame
    file_name: str
    value_labels: Mapping[str, Mapping[Code, str]] = field(default_factory=dict)
    column_labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, data: pd.DataFrame, file_name: str = "<data frame>") -> SurveyFile:
        """Wrap an in-memory DataFrame (synthetic data, tests) as a survey file.

        Parameters
        ----------
        data
            One row per respondent.
        file_name
            Name used in error messages.

        Returns
        -------
        SurveyFile
            With no value or column labels.
        """
        return cls(data=data.reset_index(drop=True), file_name=file_name)


def canonical_code(value: object) -> Code | None:
    """Return an answer code in a form that compares equal across file formats.

    Parameters
    ----------
    value
        A cell value: number, string, or missing.

    Returns
    -------
    int, str or None
        ``None`` for a missing or blank cell; an ``int`` for a whole number
        (``1``, ``1.0``, ``"1"``, ``" 01 "``); otherwise the stripped,
        case-folded text (``"Very satisfied"`` -> ``"very satisfied"``).
        Non-whole numbers such as ``2.5`` are returned as text (``"2.5"``) so
        that they never match a whole-number code.

    Examples
    --------
    >>> canonical_code(1.0), canonical_code(" 2 "), canonical_code("Don't know")
    (1, 2, "don't know")
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        if number.is_integer():
            return int(number)
        return repr(number)
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return text.casefold()
    if math.isfinite(number) and number.is_integer():
        return int(number)
    return text.casefold()


def _label_key(code: object) -> Code:
    key = canonical_code(code)
    return str(code) if key is None else key


def read_survey_file(path: Path | str, sheet: str | int | None = None) -> SurveyFile:
    """Read a respondent-level survey file.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, header row), ``.xlsx`` (header row on the sheet)
        or SPSS ``.sav`` file.
    sheet
        XLSX only: sheet name or 0-based index; the first sheet when ``None``.

    Returns
    -------
    SurveyFile
        The data with SPSS value and column labels where the file has them.
        SPSS codes are kept as numbers (value labels are not applied), so a
        codebook written for the codes works for every format.

    Raises
    ------
    SurveyDataError
        The file is missing, of an unsupported type, empty of columns, has
        repeated column names, or the sheet does not exist.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise SurveyDataError("file not found", file=name)
    suffix = path.suffix.lower()
    value_labels: dict[str, dict[Code, str]] = {}
    column_labels: dict[str, str] = {}
    if suffix == ".csv":
        check_csv_complete(path, SurveyDataError)
        try:
            data = pd.read_csv(path, dtype=object, keep_default_na=True, skipinitialspace=True)
        except pd.errors.EmptyDataError:
            raise SurveyDataError("the file is empty (no header row)", file=name) from None
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            first_line = str(error).splitlines()[0]
            raise SurveyDataError(f"cannot parse as CSV: {first_line}", file=name) from None
    elif suffix == ".xlsx":
        try:
            with reading(path, SurveyDataError):
                data = pd.read_excel(
                    path, sheet_name=0 if sheet is None else sheet, dtype=object, engine="calamine"
                )
        except SurveyDataError:
            raise
        except ValueError as error:
            first_line = str(error).splitlines()[0]
            raise SurveyDataError(f"cannot read sheet {sheet!r}: {first_line}", file=name) from None
    elif suffix == ".sav":
        try:
            data, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
        except pyreadstat.ReadstatError as error:
            raise SurveyDataError(f"cannot read as SPSS: {error}", file=name) from None
        value_labels = {
            column: {_label_key(code): label for code, label in labels.items()}
            for column, labels in meta.variable_value_labels.items()
        }
        column_labels = {
            column: label
            for column, label in meta.column_names_to_labels.items()
            if label is not None
        }
    else:
        raise SurveyDataError(
            f"unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}",
            file=name,
        )
    if data.shape[1] == 0:
        raise SurveyDataError("the file has no columns", file=name)
    data.columns = [str(column).strip() for column in data.columns]
    repeated = sorted({c for c in data.columns if list(data.columns).count(c) > 1})
    if repeated:
        raise SurveyDataError(f"column names repeated: {', '.join(repeated)}", file=name)
    return SurveyFile(
        data=data.reset_index(drop=True),
        file_name=name,
        value_labels=value_labels,
        column_labels=column_labels,
    )
