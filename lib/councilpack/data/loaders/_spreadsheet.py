"""Read one sheet of a published workbook (ODS, XLSX, XLS) with the calamine engine.

calamine reads the staged ODS files 15 to 50 times faster than odfpy or
openpyxl. A missing sheet or a file that is not a workbook becomes a one-line
:class:`~councilpack.data.checks.DataCheckError` naming the file and sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from python_calamine import CalamineError

from councilpack.data.checks import CheckFailure, DataCheckError


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """Return every cell of one sheet as objects, with no header row.

    Parameters
    ----------
    path
        The workbook.
    sheet
        Sheet name as published.

    Raises
    ------
    DataCheckError
        When the sheet is missing or the file cannot be read as a workbook.
    """
    try:
        return pd.read_excel(path, sheet_name=sheet, engine="calamine", header=None, dtype=object)
    except (ValueError, CalamineError) as error:
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        raise DataCheckError(
            [
                CheckFailure(
                    path.name, None, None, None, f"cannot read sheet {sheet!r}: {first_line}"
                )
            ]
        ) from None
