"""Staff survey inputs: the staff codebook, invited counts and reading the waves.

A staff codebook is an ordinary survey codebook
(:class:`councilpack.surveys.codebook.Codebook`) with one extra top-level key,
``workforce``, saying which items form the LGA Local Government Employee
Engagement Index, which item is the 0-10 "recommend as an employer" question
used for the employee Net Promoter Score, which group the headcounts are for,
and how each item is worded in a sentence. See ``data/surveys/STAFF.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from councilpack.errors import validation_message
from councilpack.surveys.codebook import Codebook, CodedSurvey, apply_codebook
from councilpack.surveys.errors import SurveyDataError, read_yaml_mapping
from councilpack.surveys.io import SurveyFile, read_survey_file

#: Label for respondents who did not answer a group question (or preferred not to say).
NOT_STATED = "Not stated"

#: The LGA Local Government Employee Engagement Index items, by standard item id.
ENGAGEMENT_INDEX_ITEMS: tuple[str, ...] = (
    "recommend_employer",
    "rewards_benefits",
    "stay_12_months",
    "share_work_issues",
    "contribute_improvements",
    "line_manager_support",
)

#: Codes of a 0-10 recommend question: promoters, passives, detractors.
ENPS_CODES: dict[str, list[int]] = {
    "positive": [9, 10],
    "neutral": [7, 8],
    "negative": [0, 1, 2, 3, 4, 5, 6],
}

WaveSource = Path | str | SurveyFile | pd.DataFrame


class WorkforceSettings(BaseModel):
    """The ``workforce`` section of a staff codebook.

    Attributes
    ----------
    engagement_index
        Item ids of the LGA Employee Engagement Index items the survey asked,
        reported item by item (never combined into a score).
    enps_item
        Item id of the 0-10 "how likely are you to recommend the council as
        an employer" question, or ``None``. Its codes must be 9-10 positive,
        7-8 neutral and 0-6 negative.
    headcount_group
        The group the per-group headcounts in the invited counts refer to.
    statements
        Item id -> words that follow "72 per cent" in a sentence, e.g.
        ``"are satisfied overall with the experience of working for the council"``.
    """

    model_config = ConfigDict(extra="forbid")

    engagement_index: list[str] = Field(default_factory=list)
    enps_item: str | None = None
    headcount_group: str = "directorate"
    statements: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class StaffCodebook:
    """A survey codebook plus the staff survey settings.

    Attributes
    ----------
    codebook
        The shared survey codebook (items, answer codes, group columns).
    workforce
        The ``workforce`` section.
    source
        File name used in error messages.
    """

    codebook: Codebook
    workforce: WorkforceSettings
    source: str = "codebook"

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object], source: str = "codebook") -> StaffCodebook:
        """Validate a parsed staff codebook.

        Parameters
        ----------
        mapping
            The parsed YAML.
        source
            Name used in error messages.

        Returns
        -------
        StaffCodebook

        Raises
        ------
        SurveyDataError
            One line naming the codebook key that is wrong.
        """
        rest = dict(mapping)
        section = rest.pop("workforce", None) or {}
        codebook = Codebook.from_mapping(rest, source=source)
        try:
            settings = WorkforceSettings.model_validate(section)
        except ValidationError as error:
            problems = validation_message(
                error, section, model=WorkforceSettings, prefix="codebook key workforce."
            )
            raise SurveyDataError(problems, file=source) from None
        result = cls(codebook, settings, source)
        result._check()
        return result

    @classmethod
    def from_yaml(cls, path: Path | str) -> StaffCodebook:
        """Read a staff codebook YAML file.

        Parameters
        ----------
        path
            The ``.yml`` file.

        Returns
        -------
        StaffCodebook

        Raises
        ------
        SurveyDataError
            Missing file, invalid YAML or an invalid codebook.
        """
        return cls.from_mapping(read_yaml_mapping(path, "codebook"), source=Path(path).name)

    def to_mapping(self) -> dict[str, object]:
        """Return the codebook as plain data (round-trips through :meth:`from_mapping`)."""
        data = self.codebook.model_dump(mode="json")
        data["workforce"] = self.workforce.model_dump(mode="json")
        return data

    def _check(self) -> None:
        items = self.codebook.items
        for position, item_id in enumerate(self.workforce.engagement_index):
            if item_id not in items:
                raise SurveyDataError(
                    f"codebook key workforce.engagement_index.{position}: "
                    f"{item_id!r} is not an item of the codebook",
                    file=self.source,
                )
        for item_id in self.workforce.statements:
            if item_id not in items:
                raise SurveyDataError(
                    f"codebook key workforce.statements.{item_id}: not an item of the codebook",
                    file=self.source,
                )
        enps = self.workforce.enps_item
        if enps is not None:
            if enps not in items:
                raise SurveyDataError(
                    f"codebook key workforce.enps_item: {enps!r} is not an item of the codebook",
                    file=self.source,
                )
            codes = {str(category): list(values) for category, values in items[enps].codes.items()}
            for category, expected in ENPS_CODES.items():
                if sorted(codes.get(category, [])) != expected:
                    raise SurveyDataError(
                        f"codebook key items.{enps}.codes.{category}: the 0-10 recommend item "
                        f"needs {category} codes {expected}",
                        file=self.source,
                    )

    @property
    def item_ids(self) -> list[str]:
        """Return the item ids in codebook order (the eNPS item excluded)."""
        return [i for i in self.codebook.items if i != self.workforce.enps_item]

    def label(self, item_id: str) -> str:
        """Return an item's label."""
        return self.codebook.items[item_id].label

    def theme(self, item_id: str) -> str | None:
        """Return an item's theme, or ``None``."""
        return self.codebook.items[item_id].theme

    def statement(self, item_id: str) -> str:
        """Return the words that follow "N per cent" for an item.

        Falls back to ``agree that "<label>"`` style wording when the codebook
        gives no statement.
        """
        if item_id in self.workforce.statements:
            return self.workforce.statements[item_id]
        return f"were positive about '{self.label(item_id)}'"


class Invited(BaseModel):
    """How many staff were invited to a wave.

    Attributes
    ----------
    total
        Staff invited (usually the headcount on the survey date).
    by_group
        Optional headcount per group of the codebook's ``headcount_group``
        (e.g. directorate), for response rates by group.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: int = Field(gt=0)
    by_group: dict[str, int] | None = None

    @model_validator(mode="after")
    def _groups_add_up(self) -> Invited:
        if self.by_group is not None:
            if any(v <= 0 for v in self.by_group.values()):
                raise ValueError("group headcounts must be positive")
            if sum(self.by_group.values()) > self.total:
                raise ValueError(
                    f"group headcounts add up to {sum(self.by_group.values()):,}, "
                    f"more than the {self.total:,} invited"
                )
        return self


def coerce_invited(
    invited: Mapping[str, int | Invited | Mapping[str, object]], source: str = "invited counts"
) -> dict[str, Invited]:
    """Turn wave -> count (or mapping) into wave -> :class:`Invited`.

    Parameters
    ----------
    invited
        Wave label -> an ``int`` (staff invited), an :class:`Invited`, or a
        mapping ``{"total": 2000, "by_group": {"Adults": 450, ...}}``.
    source
        Name used in error messages.

    Returns
    -------
    dict
        Wave label -> :class:`Invited`.

    Raises
    ------
    SurveyDataError
        A count that is not a positive whole number, or group headcounts that
        add up to more than the total.
    """
    result: dict[str, Invited] = {}
    for wave, value in invited.items():
        try:
            if isinstance(value, Invited):
                result[str(wave)] = value
            elif isinstance(value, Mapping):
                result[str(wave)] = Invited.model_validate(dict(value))
            else:
                result[str(wave)] = Invited(total=value)
        except ValidationError as error:
            problems = validation_message(error, value, model=Invited)
            raise SurveyDataError(
                f"wave {wave}: {problems}", file=source, column="invited"
            ) from None
    return result


def read_invited(path: Path | str) -> dict[str, Invited]:
    """Read invited counts from YAML.

    The file maps wave labels to either a number or ``{total: ..., by_group:
    {...}}``::

        "2022": 2050
        "2024":
          total: 1980
          by_group: {Adult Social Care: 610, Children's Services: 420}

    Parameters
    ----------
    path
        The ``.yml`` file.

    Returns
    -------
    dict
        Wave label -> :class:`Invited`.

    Raises
    ------
    SurveyDataError
        Missing file, invalid YAML or bad counts.
    """
    parsed = read_yaml_mapping(
        path, "invited counts", not_mapping="invited counts must be a mapping of wave -> count"
    )
    return coerce_invited({str(k): v for k, v in parsed.items()}, source=Path(path).name)


@dataclass(frozen=True)
class StaffWaves:
    """All waves coded to standard items, ready for the measures.

    Attributes
    ----------
    codebook
        The staff codebook.
    waves
        Wave labels, oldest first.
    responses
        One row per respondent: ``wave``, one column per group (missing answers
        as :data:`NOT_STATED`), one column per item holding the response
        category (``positive`` ... ``refused`` or ``not_answered``), and
        ``weight`` (1 when the survey is unweighted).
    invited
        Wave -> :class:`Invited`.
    files
        Wave -> file name, for messages.
    """

    codebook: StaffCodebook
    waves: tuple[str, ...]
    responses: pd.DataFrame
    invited: Mapping[str, Invited]
    files: Mapping[str, str]

    @property
    def groups(self) -> list[str]:
        """Return the group ids present in every wave, in codebook order."""
        return [g for g in self.codebook.codebook.groups if g in self.responses.columns]


def _as_survey_file(wave: str, source: WaveSource) -> SurveyFile:
    if isinstance(source, SurveyFile):
        return source
    if isinstance(source, pd.DataFrame):
        return SurveyFile.from_frame(source, f"wave {wave}")
    return read_survey_file(source)


def load_waves(
    waves: Mapping[str, WaveSource],
    codebook: StaffCodebook,
    invited: Mapping[str, int | Invited | Mapping[str, object]],
) -> StaffWaves:
    """Read, code and check every wave.

    Parameters
    ----------
    waves
        Wave label -> file path (CSV, XLSX, ``.sav``), :class:`SurveyFile` or
        DataFrame, oldest wave first.
    codebook
        The staff codebook.
    invited
        Wave label -> staff invited (see :func:`coerce_invited`).

    Returns
    -------
    StaffWaves

    Raises
    ------
    SurveyDataError
        One line naming file, column and row: an unknown or out-of-range answer
        code, a missing required item or group column, an empty wave, a wave
        with no invited count, or fewer staff invited than responded (in all or
        in a group).
    """
    if not waves:
        raise SurveyDataError("no survey waves given")
    invited_counts = coerce_invited(invited)
    frames: list[pd.DataFrame] = []
    files: dict[str, str] = {}
    group_ids = list(codebook.codebook.groups)
    for wave, source in waves.items():
        wave = str(wave)
        survey = _as_survey_file(wave, source)
        files[wave] = survey.file_name
        coded = apply_codebook(survey, codebook.codebook)
        if wave not in invited_counts:
            raise SurveyDataError(
                f"no invited count for wave {wave!r}, needed for the response rate",
                file=survey.file_name,
            )
        frame = _tidy(wave, coded, codebook)
        _check_invited(wave, frame, invited_counts[wave], codebook, survey.file_name)
        frames.append(frame)
        group_ids = [g for g in group_ids if g in frame.columns]
    responses = pd.concat(frames, ignore_index=True)
    keep = ["wave", *group_ids, *codebook.codebook.items, "weight"]
    responses = responses[[c for c in keep if c in responses.columns]]
    return StaffWaves(
        codebook=codebook,
        waves=tuple(str(w) for w in waves),
        responses=responses,
        invited={str(w): invited_counts[str(w)] for w in waves},
        files=files,
    )


def _tidy(wave: str, coded: CodedSurvey, codebook: StaffCodebook) -> pd.DataFrame:
    frame = coded.responses.copy()
    for group_id in coded.groups.columns:
        values = coded.groups[group_id]
        frame[group_id] = values.where(values.notna(), NOT_STATED).astype(object)
    frame["weight"] = 1.0 if coded.weights is None else coded.weights.to_numpy()
    frame.insert(0, "wave", wave)
    return frame


def _check_invited(
    wave: str, frame: pd.DataFrame, invited: Invited, codebook: StaffCodebook, file_name: str
) -> None:
    responses = len(frame)
    if invited.total < responses:
        raise SurveyDataError(
            f"wave {wave}: {invited.total:,} staff invited is fewer than the {responses:,} "
            "responses in the file",
            file=file_name,
        )
    if invited.by_group is None:
        return
    group_id = codebook.workforce.headcount_group
    if group_id not in frame.columns:
        raise SurveyDataError(
            f"wave {wave}: headcounts are given by {group_id!r} but the file has no such group",
            file=file_name,
        )
    counts = frame[group_id].value_counts()
    for group, count in counts.items():
        if group == NOT_STATED:
            continue
        headcount = invited.by_group.get(str(group))
        if headcount is None:
            row = int((frame[group_id] == group).to_numpy().nonzero()[0][0]) + 1
            raise SurveyDataError(
                f"wave {wave}: {group_id} {group!r} has responses but no headcount",
                file=file_name,
                column=codebook.codebook.groups[group_id].column,
                row=row,
            )
        if headcount < count:
            raise SurveyDataError(
                f"wave {wave}: headcount {headcount:,} for {group!r} is fewer than its "
                f"{int(count):,} responses",
                file=file_name,
                column=codebook.codebook.groups[group_id].column,
            )


def item_base_categories(codebook: StaffCodebook) -> dict[str, tuple[str, ...]]:
    """Return item id -> the response categories counted in its base."""
    return {i: spec.base_categories for i, spec in codebook.codebook.items.items()}
