"""Glue between a report session and the workforce analysis: a survey folder in, figures out."""

from __future__ import annotations

import pandas as pd

from councilpack.markup import Markdown
from councilpack.session import ReportSession
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import MANIFEST, SurveyFolder
from councilpack.surveys.io import read_survey_file
from councilpack.wording import ROUNDING_NOTE, format_number, glossary_markdown, rounded_change
from councilpack.workforce.analysis import WorkforceAnalysis, analyse_workforce
from councilpack.workforce.inputs import Invited, coerce_invited
from councilpack.workforce.measures import ALL_STAFF_VARIABLE


def survey_folder(session: ReportSession, survey_dir: str) -> SurveyFolder:
    """Return the council's staff survey folder (the demo survey when ``survey_dir`` is empty)."""
    return session.survey_folder("staff", survey_dir)


def invited_counts(folder: SurveyFolder) -> dict[str, Invited]:
    """Return wave -> staff invited, as ``survey.yml`` gives them.

    Raises
    ------
    councilpack.surveys.errors.SurveyDataError
        A wave of ``survey.yml`` without ``invited`` (needed for the response
        rate), or with group headcounts adding up to more than it.
    """
    counts: dict[str, dict[str, object]] = {}
    for wave in folder.waves:
        if wave.invited is None:
            raise SurveyDataError(
                f"{folder.folder / MANIFEST}: wave {wave.label!r} has no 'invited' count "
                "(staff invited, needed for the response rate)"
            )
        counts[wave.label] = {"total": wave.invited, "by_group": wave.invited_by_directorate}
    return coerce_invited(counts, source=str(folder.folder / MANIFEST))


def analyse_for_council(folder: SurveyFolder, threshold: int = 10) -> WorkforceAnalysis:
    """Analyse every wave of a staff survey folder, with its HR figures when it names them."""
    waves = {
        wave.label: read_survey_file(folder.path(wave.file), wave.sheet) for wave in folder.waves
    }
    return analyse_workforce(
        waves,
        folder.codebook_path,
        invited_counts(folder),
        threshold=threshold,
        hr=folder.path(folder.hr) if folder.hr else None,
    )


def changes_table(analysis: WorkforceAnalysis) -> tuple[pd.DataFrame, str] | None:
    """Return the latest wave's % positive and its changes on earlier waves, for reading.

    Changes are the difference of the rounded figures
    (:func:`councilpack.wording.rounded_change`), the same numbers the summary's
    sentences give; ``None`` when there is only one wave.

    Returns
    -------
    tuple or None
        The table (reader-facing column names, text cells) and its caption.
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
                "" if pd.isna(b) else format_number(rounded_change(n, b), sign=True)
                for n, b in zip(now, before, strict=True)
            ],
            index=changes.index,
        )

    table = pd.DataFrame(
        {
            "Item": changes["label"],
            f"% positive {latest}": changes["positive_pct"].map(format_number),
            f"Change on {previous} (points)": change("change_vs_previous_pp"),
            f"Against {previous}": changes["direction_vs_previous"],
        }
    )
    if first != previous:
        table[f"Change on {first} (points)"] = change("change_vs_first_pp")
        table[f"Against {first}"] = changes["direction_vs_first"]
    caption = f"Per cent positive in {latest} and change on earlier waves"
    return table.reset_index(drop=True), caption


__all__ = [
    "ROUNDING_NOTE",
    "analyse_for_council",
    "changes_table",
    "glossary",
    "hr_table",
    "invited_counts",
    "survey_folder",
]

#: Terms the workforce report uses, explained in its glossary.
GLOSSARY_TERMS: tuple[str, ...] = (
    "per cent positive",
    "percentage point",
    "statistically significant",
    "employee Net Promoter Score (eNPS)",
)


def hr_table(analysis: WorkforceAnalysis) -> tuple[pd.DataFrame, str]:
    """Return the HR figures and their comparators with reader-facing columns, and a caption."""
    hr = analysis.hr
    table = pd.DataFrame(
        {
            "Measure": hr["label"],
            "Value": [
                # The precision of the HR sentences: days to 2 places, per cent to 1.
                f"{format_number(v, 2)} {u}"
                if u != "percent"
                else f"{format_number(v, 1)} per cent"
                for v, u in zip(hr["value"], hr["unit"], strict=True)
            ],
            "Period": hr["period"],
            "Comparator figure": [
                "" if pd.isna(v) else format_number(float(v), 1) for v in hr["comparator_value"]
            ],
            "Comparator group": hr["comparator_group"],
            "Source": hr["source"],
        }
    )
    return table.reset_index(drop=True), "HR figures and comparators"


def glossary(terms: tuple[str, ...] = GLOSSARY_TERMS) -> Markdown:
    """Return the report's glossary as a Markdown list."""
    return glossary_markdown(terms)
