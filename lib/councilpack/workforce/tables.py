"""Tables of the workforce report for reading: reader-facing headers, text cells, a caption.

Each function takes a :class:`~councilpack.workforce.analysis.WorkforceAnalysis`
(whose tables have been through disclosure control) and returns a
:class:`Table`, or ``None`` where the report says in words that there is
nothing to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from councilpack.charts.core import data_table_html
from councilpack.wording import SURVEY_DECIMALS, format_number, rounded_change
from councilpack.workforce import wording as words
from councilpack.workforce.analysis import WorkforceAnalysis
from councilpack.workforce.measures import ALL_STAFF_VARIABLE

#: Index names of :meth:`WorkforceAnalysis.display` tables, as a reader sees them.
READER_HEADERS: dict[str, str] = {"group": "Group", "label": "Item", "theme": "Theme"}


@dataclass(frozen=True)
class Table:
    """A table for reading, with its caption.

    Attributes
    ----------
    frame
        Reader-facing column names, one row per table row (no index).
    caption
        The table's caption.
    """

    frame: pd.DataFrame
    caption: str

    def html(self) -> str:
        """Return the table as accessible HTML (caption, scoped headers)."""
        return data_table_html(self.frame, self.caption)


@dataclass(frozen=True)
class GroupTable:
    """The latest wave's % positive per item for the groups of one variable.

    Attributes
    ----------
    variable
        The group variable's id (``directorate``).
    name
        Its label (``Directorate``).
    table
        Items down, the variable's groups across.
    """

    variable: str
    name: str
    table: Table


def reader_table(wide: pd.DataFrame, caption: str) -> Table:
    """Return a wide table of :meth:`WorkforceAnalysis.display` with reader-facing headers.

    The index (item, theme or group) becomes the first columns, named
    ``Item``, ``Theme`` or ``Group``.

    Parameters
    ----------
    wide
        A table from :meth:`~councilpack.workforce.analysis.WorkforceAnalysis.display`.
    caption
        The table's caption.

    Returns
    -------
    Table

    Examples
    --------
    >>> wide = pd.DataFrame({"2024": ["61"]}, index=pd.Index(["Satisfied"], name="label"))
    >>> list(reader_table(wide, "Per cent positive").frame.columns)
    ['Item', '2024']
    """
    return Table(wide.reset_index().rename(columns=READER_HEADERS), caption)


def response_tables(analysis: WorkforceAnalysis) -> list[Table]:
    """Return respondents and response rate by wave, and the rate by headcount group if any.

    The rate by group is given for the codebook's ``headcount_group`` (the
    group whose staff invited are known).
    """
    tables = [
        reader_table(analysis.display("responses", "respondents"), "Respondents by wave"),
        reader_table(
            analysis.display("responses", "response_rate_pct"),
            "Response rate by wave (per cent of staff invited)",
        ),
    ]
    group = analysis.codebook.workforce.headcount_group
    if group:
        tables.append(
            reader_table(
                analysis.display("responses", "response_rate_pct", group),
                f"Response rate by {analysis.variable_label(group).lower()} "
                "(per cent of staff invited)",
            )
        )
    return tables


def theme_table(analysis: WorkforceAnalysis) -> Table:
    """Return per cent positive by theme (themes down, waves across)."""
    return reader_table(analysis.display("themes", "positive_pct"), "Per cent positive by theme")


def enps_table(analysis: WorkforceAnalysis) -> Table | None:
    """Return the Employee Net Promoter Score by wave; ``None`` without a 0-10 item.

    Scores are signed (``+1``, ``-9``), as the summary's sentence gives them.
    """
    if analysis.enps.empty:
        return None
    return reader_table(
        analysis.display("enps", "enps", sign=True),
        "Employee Net Promoter Score (% scoring 9-10 minus % scoring 0-6)",
    )


def changes_table(analysis: WorkforceAnalysis) -> Table | None:
    """Return the latest wave's % positive and its changes on earlier waves, for reading.

    Changes are the difference of the rounded figures
    (:func:`councilpack.wording.rounded_change`), the same numbers the summary's
    sentences give; the change on the first wave is shown only when the first
    wave is not the previous one.

    Returns
    -------
    Table or None
        Reader-facing columns, text cells; ``None`` when there is only one wave.
    """
    changes = analysis.trends
    latest = analysis.latest_wave
    if not changes.empty:
        changes = changes[(changes["variable"] == ALL_STAFF_VARIABLE) & (changes["wave"] == latest)]
    if changes.empty or changes["previous_wave"].isna().all():
        return None
    previous, first = changes["previous_wave"].iloc[0], changes["first_wave"].iloc[0]

    def change(column: str) -> pd.Series:
        now = changes["positive_pct"].astype(float)
        before = now - changes[column].astype(float)
        return pd.Series(
            [
                ""
                if pd.isna(b)
                else format_number(
                    rounded_change(n, b, SURVEY_DECIMALS), SURVEY_DECIMALS, sign=True
                )
                for n, b in zip(now, before, strict=True)
            ],
            index=changes.index,
        )

    table = pd.DataFrame(
        {
            "Item": changes["label"],
            f"% positive {latest}": [
                format_number(float(v), SURVEY_DECIMALS) for v in changes["positive_pct"]
            ],
            f"Change on {previous} (points)": change("change_vs_previous_pp"),
            f"Against {previous}": changes["direction_vs_previous"],
        }
    )
    if first != previous:
        table[f"Change on {first} (points)"] = change("change_vs_first_pp")
        table[f"Against {first}"] = changes["direction_vs_first"]
    caption = f"Per cent positive in {latest} and change on earlier waves"
    return Table(table.reset_index(drop=True), caption)


def group_tables(analysis: WorkforceAnalysis) -> list[GroupTable]:
    """Return, per group variable of the codebook, its groups' % positive in the latest wave.

    Variables are in codebook order, groups in the order of the analysis;
    a variable with no rows, or none in the latest wave, is left out. Hidden
    cells read ``[c]``.
    """
    latest = analysis.latest_wave
    analysed = set(analysis.items["variable"])
    tables = []
    for variable in analysis.codebook.codebook.groups:
        if variable not in analysed:
            continue
        wide = analysis.display("items", "positive_pct", variable)
        if latest not in wide.columns:
            continue
        order = list(dict.fromkeys(wide.index.get_level_values("group")))
        table = wide[latest].unstack("group").reindex(columns=order)
        name = analysis.variable_label(variable)
        caption = f"Per cent positive by {name.lower()}, {latest}"
        tables.append(GroupTable(variable, name, reader_table(table, caption)))
    return tables


def hr_table(analysis: WorkforceAnalysis) -> Table | None:
    """Return the HR figures and their comparators; ``None`` when none were supplied.

    Values carry the precision of the HR sentences (days to 2 places, per
    cent to 1); comparator figures their own published precision, as the
    sentences give them (12, 12.9).
    """
    hr = analysis.hr
    if hr.empty:
        return None
    table = pd.DataFrame(
        {
            "Measure": hr["label"],
            "Value": [
                f"{format_number(v, 2)} {u}"
                if u != "percent"
                else f"{format_number(v, 1)} per cent"
                for v, u in zip(hr["value"], hr["unit"], strict=True)
            ],
            "Period": hr["period"],
            "Comparator figure": [
                "" if pd.isna(v) else words.comparator_text(float(v))
                for v in hr["comparator_value"]
            ],
            "Comparator group": hr["comparator_group"],
            "Source": hr["source"],
        }
    )
    return Table(table.reset_index(drop=True), "HR figures and comparators")
