"""A survey folder: ``survey.yml`` naming the codebook and the wave files beside it.

This is how a council's survey reaches a report (the ``survey_dir`` parameter)::

    survey.yml
    codebook.yml
    wave-2023.csv
    wave-2024.sav

``survey.yml``::

    survey: residents            # or staff
    title: Example Council residents' survey
    codebook: codebook.yml
    waves:
      - {label: "2023", fieldwork: "2023-10", file: wave-2023.csv}
      - {label: "2024", fieldwork: "2024-10", file: wave-2024.sav, sheet: null}
    # labels and fieldwork months are unique; waves are read oldest first by
    # fieldwork month, whatever order they are listed in
    # staff surveys only: staff invited per wave (for response rates), optional HR figures
    #   - {label: "2024", fieldwork: "2024-03", file: staff-2024.csv, invited: 2000,
    #      invited_by_directorate: {Adults: 600, Children: 500}}
    # hr: hr.yml

Paths are relative to the folder and must stay inside it (no ``..``, no
absolute path, no symbolic link leading out). Errors name ``survey.yml`` and
the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from councilpack.errors import validation_message
from councilpack.files import read_yaml_mapping
from councilpack.paths import inside
from councilpack.surveys.errors import SurveyDataError

MANIFEST = "survey.yml"


class WaveEntry(BaseModel):
    """One wave of a survey folder."""

    model_config = ConfigDict(extra="forbid")

    label: str
    fieldwork: str = Field(description="fieldwork month YYYY-MM")
    file: str
    sheet: str | int | None = None
    invited: int | None = Field(default=None, ge=1)
    invited_by_directorate: dict[str, int] | None = None

    @field_validator("fieldwork")
    @classmethod
    def _month(cls, value: str) -> str:
        parts = value.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            raise ValueError(f"fieldwork must be YYYY-MM, got {value!r}")
        return value


class SurveyFolder(BaseModel):
    """The parsed ``survey.yml`` with paths resolved against its folder."""

    model_config = ConfigDict(extra="forbid")

    survey: Literal["residents", "staff"]
    title: str = ""
    codebook: str
    waves: list[WaveEntry] = Field(min_length=1)
    hr: str | None = None
    folder: Path = Field(default=Path("."), exclude=True)

    @field_validator("waves")
    @classmethod
    def _waves_in_date_order(cls, waves: list[WaveEntry]) -> list[WaveEntry]:
        """Refuse repeated labels or fieldwork months; order the waves oldest first.

        Changes are worked out from the wave order, so waves listed newest first
        would turn a rise into a fall; and two waves under one label would
        publish one wave's figures as the other's.
        """
        for key in ("label", "fieldwork"):
            seen: dict[str, int] = {}
            for position, wave in enumerate(waves):
                value = getattr(wave, key)
                if value in seen:
                    raise ValueError(
                        f"{position}.{key}: {value!r} is also wave {seen[value]}'s {key}; "
                        f"each wave needs its own {key}"
                    )
                seen[value] = position
        return sorted(waves, key=lambda wave: tuple(int(p) for p in wave.fieldwork.split("-")))

    def path(self, name: str) -> Path:
        """Return a file of the folder, checking it exists and is inside the folder."""
        path = inside(
            self.folder, name, listed_in=str(self.folder / MANIFEST), error=SurveyDataError
        )
        if not path.is_file():
            raise SurveyDataError(f"{self.folder / MANIFEST}: names {name!r}, which does not exist")
        return path

    @property
    def codebook_path(self) -> Path:
        """Return the codebook's path."""
        return self.path(self.codebook)

    @property
    def files(self) -> list[Path]:
        """Return every file the folder names: ``survey.yml``, codebook, waves, HR figures."""
        names = [self.codebook, *(wave.file for wave in self.waves)]
        if self.hr:
            names.append(self.hr)
        return [self.folder / MANIFEST, *(self.path(name) for name in names)]


def load_survey_folder(folder: Path | str, expected: str | None = None) -> SurveyFolder:
    """Read and validate ``survey.yml`` in ``folder``.

    Parameters
    ----------
    folder
        The survey folder.
    expected
        ``"residents"`` or ``"staff"``: the kind of survey the caller analyses.

    Raises
    ------
    SurveyDataError
        One line naming the file and the bad key.
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise SurveyDataError(f"{manifest}: no survey manifest (parameter survey_dir)")
    raw = read_yaml_mapping(
        manifest,
        "survey manifest",
        "survey.yml must be a YAML mapping with keys survey, title, codebook, waves, hr",
        error=SurveyDataError,
    )
    try:
        parsed = SurveyFolder.model_validate({**raw, "folder": folder})
    except ValidationError as error:
        problems = validation_message(error, raw, model=SurveyFolder)
        raise SurveyDataError(f"{manifest}: {problems}") from None
    if expected is not None and parsed.survey != expected:
        raise SurveyDataError(f"{manifest}: survey is {parsed.survey!r}, expected {expected!r}")
    for wave in parsed.waves:
        parsed.path(wave.file)
    return parsed
