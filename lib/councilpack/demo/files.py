"""Respondent-level demo survey files, written once into the cache and reused.

Each demo council gets a residents' survey folder (two waves) and, once the
staff-survey generator is wired, a staff survey folder (three waves), in the
same format a council supplies (``survey.yml`` + codebook + wave files; see
:mod:`councilpack.surveys.folder`), plus ``truth.csv`` with the true values the
synthetic waves were drawn from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml

from councilpack.demo.generator import GENERATOR_VERSION, SEED, demo_metrics, demo_register
from councilpack.settings import cache_dir
from councilpack.surveys.folder import MANIFEST

RESIDENT_WAVES = (("2023", "2023-10"), ("2024", "2024-10"))
RESPONDENTS_PER_WAVE = 1100


def demo_files_dir() -> Path:
    """Return the folder the demo survey files live in (may not exist yet)."""
    return cache_dir() / f"demo-v{GENERATOR_VERSION}"


def residents_dir(root: Path, gss_code: str) -> Path:
    """Return a demo council's residents' survey folder under ``root``."""
    return root / "residents" / gss_code


def staff_dir(root: Path, gss_code: str) -> Path:
    """Return a demo council's staff survey folder under ``root``."""
    return root / "staff" / gss_code


def _write_residents(root: Path) -> None:
    from councilpack.residents.analysis import example_codebook_path
    from councilpack.residents.margins import age_margins_from_metrics
    from councilpack.residents.synthetic import generate_waves

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
        (folder / "codebook.yml").write_text(
            yaml.safe_dump(codebook, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        waves = []
        for (label, fieldwork), wave in zip(RESIDENT_WAVES, survey.waves, strict=True):
            name = f"residents-{label}.csv"
            wave.source.to_csv(folder / name, index=False, lineterminator="\n")
            waves.append({"label": label, "fieldwork": fieldwork, "file": name})
        manifest = {
            "survey": "residents",
            "title": title,
            "codebook": "codebook.yml",
            "waves": waves,
        }
        (folder / MANIFEST).write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
        survey.truth.to_csv(folder / "truth.csv", index=False, lineterminator="\n")


def write_demo_files(target: Path) -> None:
    """Write every demo council's survey folders under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    _write_residents(target)
    (target / "VERSION").write_text(f"{GENERATOR_VERSION}\n", encoding="utf-8")


def ensure_demo_files() -> Path:
    """Generate the demo survey files once, atomically, and return their folder.

    The files are built in a temporary sibling folder and renamed into place, so
    concurrent workers never see a half-written set; a worker that loses the
    race uses the winner's copy.
    """
    target = demo_files_dir()
    if (target / "VERSION").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-", dir=target.parent))
    try:
        write_demo_files(staging)
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / "VERSION").is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
