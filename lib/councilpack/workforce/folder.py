"""What a staff survey folder's ``survey.yml`` says beyond the waves: staff invited per wave."""

from __future__ import annotations

from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import MANIFEST, SurveyFolder
from councilpack.workforce.inputs import Invited, coerce_invited


def invited_counts(folder: SurveyFolder) -> dict[str, Invited]:
    """Return wave -> staff invited, as ``survey.yml`` gives them.

    Parameters
    ----------
    folder
        A staff survey folder.

    Returns
    -------
    dict
        Wave label -> :class:`~councilpack.workforce.inputs.Invited`.

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
