"""Respondent-level demo survey files, written once into the cache and reused.

Each demo council gets a residents' survey folder (two waves) and a staff
survey folder (three waves, staff invited per wave and by directorate, and a
year of HR figures), in the same format a council supplies (``survey.yml`` +
codebook + wave files; see :mod:`councilpack.surveys.folder`), plus
``truth.csv`` with the true values the synthetic waves were drawn from.

This module imports the residents and workforce synthetic generators, so only
what reads a demo survey imports it (:meth:`councilpack.session.ReportSession.survey_folder`
does, on first use): opening the demo data for a finance report does not.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from councilpack.atomic import publish_folder
from councilpack.demo.generator import (
    DEMO_POPULATION_PERIOD,
    GENERATOR_VERSION,
    SEED,
    demo_files_dir,
    demo_metrics,
    demo_register,
)
from councilpack.residents.analysis import example_codebook_path
from councilpack.residents.margins import age_margins_from_metrics
from councilpack.residents.synthetic import generate_waves
from councilpack.surveys.folder import MANIFEST
from councilpack.workforce.hr import HRFigures
from councilpack.workforce.synthetic import EXAMPLE_CODEBOOK, generate_staff_waves

RESIDENT_WAVES = (("2023", "2023-10"), ("2024", "2024-10"))
RESPONDENTS_PER_WAVE = 1100
STAFF_WAVES = (("2022", "2022-03"), ("2023", "2023-03"), ("2024", "2024-03"))
HR_PERIOD = "2023/24"


def residents_dir(root: Path, gss_code: str) -> Path:
    """Return a demo council's residents' survey folder under ``root``."""
    return root / "residents" / gss_code


def staff_dir(root: Path, gss_code: str) -> Path:
    """Return a demo council's staff survey folder under ``root``."""
    return root / "staff" / gss_code


def demo_survey_dir(root: Path, kind: Literal["residents", "staff"], gss_code: str) -> Path:
    """Return a demo council's survey folder of the given kind under ``root``."""
    return staff_dir(root, gss_code) if kind == "staff" else residents_dir(root, gss_code)


def _write_yaml(path: Path, content: object) -> None:
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _write_residents(root: Path) -> None:
    metrics = demo_metrics()
    for index, council in enumerate(demo_register()):
        margins = age_margins_from_metrics(metrics, council.gss_code)
        total = sum(margins.values())
        # Councils differ in how much opinion moved between the waves: a known truth per council.
        shift = (-0.05, -0.02, 0.0, 0.03, 0.06)[index % 5]
        survey = generate_waves(
            n_waves=len(RESIDENT_WAVES),
            respondents_per_wave=RESPONDENTS_PER_WAVE,
            seed=SEED + index,
            wave_shifts=[0.0, shift],
            first_year=int(RESIDENT_WAVES[0][0]),
            population=round(total),
            population_shares={band: value / total for band, value in margins.items()},
        )
        folder = residents_dir(root, council.gss_code)
        folder.mkdir(parents=True)
        title = f"{council.name} residents' survey (synthetic demo data)"
        codebook = yaml.safe_load(example_codebook_path().read_text(encoding="utf-8"))
        codebook["title"] = title
        _write_yaml(folder / "codebook.yml", codebook)
        waves = []
        for (label, fieldwork), wave in zip(RESIDENT_WAVES, survey.waves, strict=True):
            name = f"residents-{label}.csv"
            if not isinstance(wave.source, pd.DataFrame):  # generate_waves gives data frames
                raise TypeError(f"synthetic wave {label} is not a data frame")
            wave.source.to_csv(folder / name, index=False, lineterminator="\n")
            waves.append({"label": label, "fieldwork": fieldwork, "file": name})
        manifest = {
            "survey": "residents",
            "title": title,
            "codebook": "codebook.yml",
            "waves": waves,
        }
        _write_yaml(folder / MANIFEST, manifest)
        survey.truth.to_csv(folder / "truth.csv", index=False, lineterminator="\n")


def staff_scale(population: float, upper_tier: bool) -> float:
    """Return the workforce size of a demo council relative to the generator's (about 2,000 staff).

    Upper-tier councils scale with population; districts employ a few hundred
    staff, so their smaller directorates fall below the disclosure threshold.
    """
    return round(population / 250_000, 2) if upper_tier else 0.25


def _hr_figures(rng: np.random.Generator, headcount: int) -> dict[str, Any]:
    fte = round(headcount * 0.86, 1)
    return {
        "sickness_days": round(fte * float(rng.normal(10.5, 1.6)), 0),
        "fte": fte,
        "leavers": int(rng.binomial(headcount, float(rng.uniform(0.10, 0.17)))),
        "average_headcount": headcount,
    }


def _write_staff(root: Path) -> None:
    metrics = demo_metrics()
    population = metrics[
        (metrics["metric"] == "population_all") & (metrics["period"] == DEMO_POPULATION_PERIOD)
    ].set_index("gss_code")["value"]
    rng = np.random.default_rng(SEED)
    councils = list(demo_register())
    surveys = {}
    hr: dict[str, dict[str, Any]] = {}
    for index, council in enumerate(councils):
        upper_tier = council.council_type != "Non-metropolitan district"
        scale = staff_scale(float(population[council.gss_code]), upper_tier)
        survey = generate_staff_waves(
            seed=SEED + 100 + index, waves=[label for label, _ in STAFF_WAVES], scale=scale
        )
        surveys[council.gss_code] = survey
        headcount = survey.invited[STAFF_WAVES[-2][0]].total
        hr[council.gss_code] = _hr_figures(rng, headcount)
    per_fte = {code: HRFigures(period=HR_PERIOD, **parts).values() for code, parts in hr.items()}
    for council in councils:
        code = council.gss_code
        survey = surveys[code]
        folder = staff_dir(root, code)
        folder.mkdir(parents=True)
        title = f"{council.name} staff survey (synthetic demo data)"
        codebook = yaml.safe_load(EXAMPLE_CODEBOOK.read_text(encoding="utf-8"))
        codebook["title"] = title
        _write_yaml(folder / "codebook.yml", codebook)
        waves = []
        for label, fieldwork in STAFF_WAVES:
            name = f"staff-{label}.csv"
            survey.waves[label].to_csv(folder / name, index=False, lineterminator="\n")
            invited = survey.invited[label]
            waves.append(
                {
                    "label": label,
                    "fieldwork": fieldwork,
                    "file": name,
                    "invited": invited.total,
                    "invited_by_directorate": dict(invited.by_group or {}),
                }
            )
        others = [values for other, values in per_fte.items() if other != code]
        comparators = {
            measure: {
                "value": round(statistics.median(values[measure] for values in others), 1),
                "group": "the other demo councils (median)",
                "source": "councilpack demo generator (fictional figures)",
            }
            for measure in per_fte[code]
        }
        _write_yaml(
            folder / "hr.yml",
            {
                "period": HR_PERIOD,
                "source": "Synthetic demo HR figures (fictional)",
                **hr[code],
                "comparators": comparators,
            },
        )
        manifest = {
            "survey": "staff",
            "title": title,
            "codebook": "codebook.yml",
            "waves": waves,
            "hr": "hr.yml",
        }
        _write_yaml(folder / MANIFEST, manifest)
        survey.truth.to_csv(folder / "truth.csv", index=False, lineterminator="\n")


def write_demo_files(target: Path) -> None:
    """Write every demo council's survey folders under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    _write_residents(target)
    _write_staff(target)
    (target / "VERSION").write_text(f"{GENERATOR_VERSION}\n", encoding="utf-8")


def ensure_demo_files(target: Path | None = None) -> Path:
    """Generate the demo survey files once, atomically, and return their folder.

    The files are built in a temporary sibling folder and renamed into place, so
    concurrent workers never see a half-written set; a worker that loses the
    race uses the winner's copy.

    Parameters
    ----------
    target
        The folder (default :func:`~councilpack.demo.generator.demo_files_dir`,
        also the demo context's ``surveys_dir``).
    """
    target = demo_files_dir() if target is None else target
    if not (target / "VERSION").is_file():
        publish_folder(target, write_demo_files, replace=False, marker="VERSION")
    return target
