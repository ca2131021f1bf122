"""A council's pack: every report its inputs allow, its briefing, ``figures.xlsx`` and a PDF.

:func:`pack_reports` decides which reports a council gets (finance and outcomes always; the
residents' and staff survey reports when the council is a demo council or its
survey folder is given; the briefing last) and :func:`finish_pack` writes what
is made from the built reports: ``figures.xlsx`` and, when asked,
``briefing.pdf``. ``councilpack pack`` and a batch file with ``pack: true``
both go through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from councilpack.errors import ParameterError
from councilpack.runner import ReportOutcome

#: Pack options: the briefing's parameters, also handed to the survey reports.
PACK_OPTIONS = ("residents_survey_dir", "staff_survey_dir", "threshold")


def pack_reports(*, demo: bool, options: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return one council's pack: (report, its own options) for each available report, briefing last.

    Parameters
    ----------
    demo
        Whether the data are the demo councils (each has synthetic surveys).
    options
        ``residents_survey_dir``, ``staff_survey_dir`` and ``threshold``; the
        survey folders reach the survey reports as their ``survey_dir``.
        :func:`councilpack.batch.plan` validates every report's parameters.

    Raises
    ------
    councilpack.reports.ParameterError
        An option that is not a pack option, naming it.
    """
    unknown = sorted(set(options) - set(PACK_OPTIONS))
    if unknown:
        raise ParameterError(
            f"pack option {', '.join(map(repr, unknown))} is not one of {', '.join(PACK_OPTIONS)}"
        )
    residents_dir = str(options.get("residents_survey_dir", "") or "")
    staff_dir = str(options.get("staff_survey_dir", "") or "")
    threshold = options.get("threshold")
    # Finance and outcomes need only open data (or the demo data), so every council gets them.
    reports: list[tuple[str, dict[str, Any]]] = [("finance", {}), ("outcomes", {})]
    if demo or residents_dir:
        reports.append(("residents", {"survey_dir": residents_dir} if residents_dir else {}))
    if demo or staff_dir:
        own: dict[str, Any] = {"survey_dir": staff_dir} if staff_dir else {}
        if threshold is not None:
            own["threshold"] = threshold
        reports.append(("workforce", own))
    reports.append(("briefing", {k: v for k, v in options.items() if v not in ("", None)}))
    return reports


@dataclass(frozen=True)
class PackFiles:
    """What :func:`finish_pack` wrote for one council."""

    folder: str
    workbook: str | None
    pdf: str | None = None
    pdf_pages: int | None = None
    problem: str = ""


def finish_pack(
    outcomes: Iterable[ReportOutcome], out: Path, *, pdf: bool = False
) -> list[PackFiles]:
    """Write ``figures.xlsx`` (and ``briefing.pdf`` when ``pdf``) for each council built.

    A council whose briefing failed gets no PDF; a PDF that cannot be made
    (no Chromium) is reported in :attr:`PackFiles.problem`, not raised, so the
    other councils' files are still written.
    """
    from councilpack.briefing.excel import write_figures_workbook
    from councilpack.pdf import PdfError, write_pdf

    by_folder: dict[str, list[ReportOutcome]] = {}
    for outcome in outcomes:
        by_folder.setdefault(outcome.folder, []).append(outcome)
    written = []
    for folder, items in by_folder.items():
        path = out / folder
        workbook = write_figures_workbook(path) if path.is_dir() else None
        pdf_path = pages = None
        problem = ""
        briefing = next((o for o in items if o.report == "briefing" and o.status == "ok"), None)
        if pdf and briefing is not None and briefing.html:
            target = path / "briefing.pdf"
            try:
                pages = write_pdf(out / briefing.html, target)
                pdf_path = str(target.relative_to(out))
            except PdfError as error:
                problem = str(error)
        written.append(
            PackFiles(
                folder,
                str(workbook.relative_to(out)) if workbook else None,
                pdf_path,
                pages,
                problem,
            )
        )
    return written
