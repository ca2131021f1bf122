"""What a notebook calls first and last: open the data, resolve the council, publish.

Keeps notebooks thin: a notebook is parameters -> ``ReportSession.open`` ->
analysis calls -> ``session.publish(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import councilpack.charts  # noqa: F401  (registers and enables the chart theme)
from councilpack.data import Council, DataContext, open_data
from councilpack.figures import Figure, Meta, declare, publish
from councilpack.provenance import sha256_file
from councilpack.reports import get_report
from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.folder import SurveyFolder, load_survey_folder


@dataclass
class ReportSession:
    """One report for one council: its data context and what it has published."""

    report: str
    council: Council
    data: DataContext
    sources: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, report: str, *, council: str, data_dir: str = "") -> ReportSession:
        """Open the data and resolve ``council`` (a GSS code or an unambiguous name)."""
        get_report(report)
        data = open_data(data_dir)
        return cls(report=report, council=data.register.resolve(council), data=data)

    @property
    def is_demo(self) -> bool:
        """Return whether this report is built on the fictional demo councils."""
        return self.data.label == "demo"

    def survey_folder(
        self, kind: Literal["residents", "staff"], survey_dir: str = ""
    ) -> SurveyFolder:
        """Return the council's survey folder of the given kind.

        An empty ``survey_dir`` means the demo council's synthetic survey; a
        real council's survey folder must be given (parameter ``survey_dir``).

        Raises
        ------
        SurveyDataError
            No folder for a real council, or a folder whose ``survey.yml`` is
            missing, invalid or of another kind.
        """
        if survey_dir:
            return load_survey_folder(Path(survey_dir), expected=kind)
        if self.is_demo and self.data.surveys_dir is not None:
            # Deferred: demo.files imports the survey generators, which a finance
            # report never needs.
            from councilpack.demo.files import demo_survey_dir, ensure_demo_files

            root = ensure_demo_files(Path(str(self.data.surveys_dir)))
            folder = demo_survey_dir(root, kind, self.council.gss_code)
            return load_survey_folder(folder, expected=kind)
        raise SurveyDataError(
            f"no {kind} survey for {self.council.name} ({self.council.gss_code}): "
            "give its folder (parameter survey_dir)"
        )

    def publish(
        self,
        figures: Iterable[Figure],
        *,
        sources: Iterable[str],
        data_vintage: str,
        caption: str = "Headline figures",
        inputs: Iterable[Path] = (),
    ) -> None:
        """Show the headline figures and declare the report's provenance.

        ``inputs`` are files read besides the open data (a council's survey
        files); their SHA-256 hashes join the report's input hashes, keyed by
        file name so that reports do not depend on where the files were.
        """
        spec = get_report(self.report)
        hashes = dict(self.data.input_hashes)
        hashes.update({path.name: sha256_file(path) for path in inputs})
        publish(list(figures), caption=caption)
        declare(
            Meta(
                report=self.report,
                title=spec.title,
                council_code=self.council.gss_code,
                council_name=self.council.name,
                sources=tuple(sources),
                data_vintage=data_vintage,
                data_label=self.data.label,
                input_hashes=hashes,
            )
        )
