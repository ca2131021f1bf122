"""Glue between a report session and the residents' analysis: inputs in, figures out."""

from __future__ import annotations

from pathlib import Path

from councilpack.figures import ComparatorSummary, Figure
from councilpack.residents.analysis import ResidentsAnalysis, WaveInput, analyse_residents
from councilpack.residents.margins import age_margins_from_metrics
from councilpack.session import ReportSession
from councilpack.surveys.folder import SurveyFolder


def survey_folder(session: ReportSession, survey_dir: str) -> SurveyFolder:
    """Return the council's residents' survey folder (the demo survey when ``survey_dir`` is empty)."""
    return session.survey_folder("residents", survey_dir)


def analyse_for_council(
    session: ReportSession, folder: SurveyFolder, national_table: str = "", minimum_base: int = 100
) -> ResidentsAnalysis:
    """Analyse a council's waves, raked to its ONS age margins when unweighted."""
    waves = [
        WaveInput(wave.label, wave.fieldwork, folder.path(wave.file), wave.sheet)
        for wave in folder.waves
    ]
    margins = {"age_band": age_margins_from_metrics(session.data.metrics, session.council.gss_code)}
    return analyse_residents(
        waves,
        folder.codebook_path,
        population_margins=margins,
        national_table=Path(national_table) if national_table else None,
        minimum_base=minimum_base,
    )


def figures(analysis: ResidentsAnalysis) -> list[Figure]:
    """Turn the analysis's findings into headline figures for the sidecar."""
    result = []
    estimates = {(r["wave"], r["label"]): r for r in analysis.estimates.to_dict("records")}
    for finding in analysis.findings:
        estimate = estimates[(finding.period, finding.label)]
        comparator = None
        if finding.comparator is not None:
            comparator = ComparatorSummary(
                group=finding.comparator.label,
                definition=finding.comparator.source,
                vintage=finding.comparator.period,
                value=finding.comparator.value,
            )
        result.append(
            Figure(
                id=finding.id,
                label=finding.label,
                value=finding.value,
                unit=finding.unit,
                period=finding.period,
                source=finding.source,
                comparator=comparator,
                note=finding.base,
                sentence=finding.text,
                base=int(estimate["base_unweighted"]),
                effective_base=float(estimate["base_effective"]),
                interval_lower=float(estimate["lower"]),
                interval_upper=float(estimate["upper"]),
            )
        )
    return result
