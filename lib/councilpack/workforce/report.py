"""Glue between a report session and the workforce analysis: a survey folder in, figures out."""

from __future__ import annotations

from councilpack.session import ReportSession
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import MANIFEST, SurveyFolder
from councilpack.surveys.io import read_survey_file
from councilpack.workforce.analysis import WorkforceAnalysis, analyse_workforce
from councilpack.workforce.inputs import Invited, coerce_invited


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
