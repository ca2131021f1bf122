"""What a notebook calls first and last: open the data, resolve the council, publish.

Keeps notebooks thin: a notebook is parameters -> ``ReportSession.open`` ->
analysis calls -> ``session.publish(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from councilpack.data import Council, DataContext, open_data
from councilpack.figures import Figure, Meta, declare, publish
from councilpack.reports import get_report


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
        import councilpack.charts  # noqa: F401  (registers and enables the chart theme)

        get_report(report)
        data = open_data(data_dir)
        return cls(report=report, council=data.register.resolve(council), data=data)

    @property
    def is_demo(self) -> bool:
        """Return whether this report is built on the fictional demo councils."""
        return self.data.label == "demo"

    def publish(
        self,
        figures: Iterable[Figure],
        *,
        sources: Iterable[str],
        data_vintage: str,
        caption: str = "Headline figures",
    ) -> None:
        """Show the headline figures and declare the report's provenance."""
        spec = get_report(self.report)
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
                input_hashes=dict(self.data.input_hashes),
            )
        )
