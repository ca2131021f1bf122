"""National LGA polling figures: loading the reference table and picking a comparator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing import Series

from councilpack.files import reading
from councilpack.residents.items import LGA_ITEM_BY_ID
from councilpack.settings import project_root
from councilpack.surveys.errors import SurveyDataError

#: Name of the shipped table in ``data/reference``.
NATIONAL_TABLE_NAME = "lga_national_polling.csv"


class NationalPollingSchema(pa.DataFrameModel):
    """One published national figure per row."""

    item: Series[str] = pa.Field(isin=list(LGA_ITEM_BY_ID))
    value_pct: Series[float] = pa.Field(ge=0, le=100, coerce=True)
    fieldwork: Series[str] = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    series: Series[str]
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        """Keep extra columns (round, source_url, date_note)."""

        strict = False


@dataclass(frozen=True)
class NationalFigure:
    """A national comparator figure.

    Attributes
    ----------
    item
        Standard item id.
    percent
        Published per cent positive.
    fieldwork
        Fieldwork month ``YYYY-MM``.
    source
        Citation for the figure.
    """

    item: str
    percent: float
    fieldwork: str
    source: str

    @property
    def fieldwork_text(self) -> str:
        """Return the fieldwork month in words, e.g. ``July 2024``."""
        return pd.Timestamp(f"{self.fieldwork}-01").strftime("%B %Y")


def default_national_table_path() -> Path:
    """Return the path of the shipped table ``data/reference/lga_national_polling.csv``."""
    return project_root() / "data" / "reference" / NATIONAL_TABLE_NAME


def load_national_table(path: Path | str | None = None) -> pd.DataFrame:
    """Load and validate a table of national LGA polling figures.

    Parameters
    ----------
    path
        A CSV with columns ``item, value_pct, fieldwork, series, source`` (and
        optionally ``round, source_url, date_note``); the shipped table when
        ``None``. See ``data/reference/README.md``.

    Returns
    -------
    pandas.DataFrame
        The validated table.

    Raises
    ------
    SurveyDataError
        Naming the file, and the first failing column and row (1-based data row).
    """
    path = Path(path) if path is not None else default_national_table_path()
    if not path.is_file():
        raise SurveyDataError("national polling table not found", file=path.name)
    with reading(path, SurveyDataError):
        table = pd.read_csv(
            path, dtype={"item": str, "fieldwork": str, "series": str, "source": str}
        )
    missing = [c for c in ("item", "value_pct", "fieldwork", "series", "source") if c not in table]
    if missing:
        raise SurveyDataError(
            f"national polling table lacks column(s) {', '.join(missing)}",
            file=path.name,
            column=missing[0],
        )
    try:
        validated = NationalPollingSchema.validate(table, lazy=True)
    except SchemaErrors as error:
        cases = error.failure_cases
        first = cases.iloc[0]
        row = first["index"]
        raise SurveyDataError(
            f"{first['check']} failed for value {first['failure_case']!r} "
            f"({len(cases)} problem(s) in all)",
            file=path.name,
            column=str(first["column"]),
            row=None if pd.isna(row) else int(row) + 1,
        ) from None
    duplicated = validated.duplicated(["item", "fieldwork", "series"])
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise SurveyDataError(
            "the same item, fieldwork month and series appear twice",
            file=path.name,
            column="item",
            row=row + 1,
        )
    return validated.reset_index(drop=True)


def nearest_national_figure(
    table: pd.DataFrame, item: str, fieldwork: str
) -> NationalFigure | None:
    """Return the national figure for an item nearest in time to a fieldwork month.

    Parameters
    ----------
    table
        From :func:`load_national_table`.
    item
        Standard item id.
    fieldwork
        The council survey's fieldwork month ``YYYY-MM``.

    Returns
    -------
    NationalFigure or None
        ``None`` when the table has no figure for the item. On a tie the later
        figure is used.
    """
    rows = table[table["item"] == item]
    if rows.empty:
        return None
    target = pd.Period(fieldwork, freq="M")
    months = rows["fieldwork"].map(lambda m: pd.Period(m, freq="M"))
    distance = months.map(lambda m: abs((m - target).n))
    order = pd.DataFrame({"distance": distance, "later": -months.map(lambda m: m.ordinal)})
    best = rows.loc[order.sort_values(["distance", "later"]).index[0]]
    return NationalFigure(
        item=item,
        percent=float(best["value_pct"]),
        fieldwork=str(best["fieldwork"]),
        source=str(best["source"]),
    )
