"""Codebooks: map a council's survey columns and answer codes to standard items.

A codebook is a small YAML file written once per survey design. It says which
column holds each standard item, which answer codes count as ``positive``,
``neutral``, ``negative``, ``dont_know`` or ``refused``, which columns hold the
groups used for breakdowns and weighting (age band, sex, area; or directorate,
grade for a staff survey), and optionally which column holds a weight::

    survey: residents
    title: Example Council residents' survey
    weight: null                  # or the weight column, e.g. WEIGHT
    respondent_id: RESPID         # required: the id column, or null to state there is none
    items:
      satisfied_council:          # standard item id
        column: Q2                # column in the file
        label: Satisfaction with the way the council runs things
        theme: null               # optional grouping (used by the staff survey)
        base: valid_including_dont_know
        codes:
          positive: [1, 2]
          neutral: [3]
          negative: [4, 5]
          dont_know: [6]
          refused: [7]
        missing: [-9]             # codes meaning "not asked / no answer"
    groups:
      age_band:
        column: AGEBAND
        categories:               # standard label -> codes in the file
          "16-24": [1]
          "25-34": [2]
        missing: [9]              # e.g. "prefer not to say"

Integrity checks (one-line errors naming file, column, row and value):

* ``respondent_id`` must be given. Its ids must be present and unique, so a
  respondent counted twice (a duplicated row) is an error. ``respondent_id:
  null`` states that the file has no ids; then duplicates cannot be found.
* An SPSS file's value labels must agree with the codebook: every labelled
  code is one the codebook knows (an answer code or ``missing``), a group's
  labelled codes are categories or ``missing``, and a code counted ``positive`` does not carry a
  negative label such as "Disagree" (nor the reverse): a reversed scale would
  otherwise turn agreement into disagreement.

Codes may be numbers or text; text matches ignoring case and surrounding
spaces, and ``1``, ``1.0`` and ``"1"`` are the same code (see
:func:`councilpack.surveys.io.canonical_code`). A blank cell is "no answer".

Bases
-----
``valid_including_dont_know`` (the LGA polling convention) puts ``positive``,
``neutral``, ``negative`` and ``dont_know`` in the base, leaving out refusals
and no answer. ``valid_excluding_dont_know`` also leaves out ``dont_know``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from councilpack.errors import validation_message
from councilpack.surveys.errors import SurveyDataError, read_yaml_mapping
from councilpack.surveys.io import SurveyFile, canonical_code

#: Standard response categories, in display order.
RESPONSE_CATEGORIES: tuple[str, ...] = ("positive", "neutral", "negative", "dont_know", "refused")
#: Label used in coded responses for a blank cell or a ``missing`` code.
NOT_ANSWERED = "not_answered"

ResponseCategory = Literal["positive", "neutral", "negative", "dont_know", "refused"]
BaseRule = Literal["valid_including_dont_know", "valid_excluding_dont_know"]
CodeValue = int | str

BASE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "valid_including_dont_know": ("positive", "neutral", "negative", "dont_know"),
    "valid_excluding_dont_know": ("positive", "neutral", "negative"),
}
BASE_DESCRIPTIONS: dict[str, str] = {
    "valid_including_dont_know": "all who answered, including don't know, refusals excluded",
    "valid_excluding_dont_know": "all who gave a view, don't know and refusals excluded",
}


def _canonical_list(codes: list[CodeValue], where: str) -> list[CodeValue]:
    result = []
    for code in codes:
        canonical = canonical_code(code)
        if canonical is None:
            raise ValueError(f"blank code in {where}")
        result.append(canonical)
    return result


class ItemSpec(BaseModel):
    """One standard item: its column, label, answer codes and base rule."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(min_length=1)
    label: str = Field(min_length=1)
    theme: str | None = None
    required: bool = True
    base: BaseRule = "valid_including_dont_know"
    codes: dict[ResponseCategory, list[CodeValue]]
    missing: list[CodeValue] = Field(default_factory=list)

    @field_validator("codes")
    @classmethod
    def _codes_are_usable(
        cls, value: dict[ResponseCategory, list[CodeValue]]
    ) -> dict[ResponseCategory, list[CodeValue]]:
        if not value.get("positive"):
            raise ValueError("needs at least one 'positive' code")
        seen: dict[CodeValue, str] = {}
        cleaned: dict[ResponseCategory, list[CodeValue]] = {}
        for category, codes in value.items():
            cleaned[category] = _canonical_list(codes, category)
            for code in cleaned[category]:
                if code in seen:
                    raise ValueError(f"code {code!r} is in both {seen[code]!r} and {category!r}")
                seen[code] = category
        return cleaned

    @model_validator(mode="after")
    def _missing_not_in_codes(self) -> ItemSpec:
        self.missing = _canonical_list(self.missing, "missing")
        answer_codes = {c for codes in self.codes.values() for c in codes}
        overlap = sorted(str(c) for c in answer_codes.intersection(self.missing))
        if overlap:
            raise ValueError(f"codes {', '.join(overlap)} are both answers and 'missing'")
        return self

    def code_map(self) -> dict[CodeValue, str]:
        """Return code -> standard category (``missing`` codes -> ``not_answered``)."""
        mapping: dict[CodeValue, str] = dict.fromkeys(self.missing, NOT_ANSWERED)
        for category, codes in self.codes.items():
            mapping.update(dict.fromkeys(codes, category))
        return mapping

    @property
    def base_categories(self) -> tuple[str, ...]:
        """Return the categories counted in this item's base."""
        return BASE_CATEGORIES[self.base]


class GroupSpec(BaseModel):
    """A group column (demographic or organisational) and its category labels."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(min_length=1)
    label: str | None = None
    required: bool = True
    categories: dict[str, list[CodeValue]] | None = None
    missing: list[CodeValue] = Field(default_factory=list)

    @field_validator("categories")
    @classmethod
    def _categories_are_distinct(
        cls, value: dict[str, list[CodeValue]] | None
    ) -> dict[str, list[CodeValue]] | None:
        if value is None:
            return None
        seen: dict[CodeValue, str] = {}
        cleaned: dict[str, list[CodeValue]] = {}
        for label, codes in value.items():
            cleaned[str(label)] = _canonical_list(codes, str(label))
            for code in cleaned[str(label)]:
                if code in seen:
                    raise ValueError(f"code {code!r} is in both {seen[code]!r} and {label!r}")
                seen[code] = str(label)
        return cleaned

    @field_validator("missing")
    @classmethod
    def _canonical_missing(cls, value: list[CodeValue]) -> list[CodeValue]:
        return _canonical_list(value, "missing")


class Codebook(BaseModel):
    """A survey design: standard items, group columns and an optional weight column.

    Attributes
    ----------
    survey
        Kind of survey, e.g. ``"residents"`` or ``"staff"``.
    title
        Human-readable name, printed in reports.
    weight
        Column of respondent weights, or ``None`` to weight in the analysis.
    respondent_id
        Optional column of respondent identifiers.
    items
        Standard item id -> :class:`ItemSpec`.
    groups
        Group id (``age_band``, ``sex``, ``area``, ``directorate`` ...) -> :class:`GroupSpec`.
    """

    model_config = ConfigDict(extra="forbid")

    survey: str = Field(min_length=1)
    title: str = Field(min_length=1)
    weight: str | None = None
    respondent_id: str | None = None
    items: dict[str, ItemSpec] = Field(min_length=1)
    groups: dict[str, GroupSpec] = Field(default_factory=dict)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object], source: str = "codebook") -> Codebook:
        """Validate a parsed codebook.

        Parameters
        ----------
        mapping
            The parsed YAML.
        source
            Name used in error messages (the file name).

        Returns
        -------
        Codebook

        Raises
        ------
        SurveyDataError
            One line naming the codebook key, e.g. ``codebook.yml: codebook key
            items.satisfied_council.codes: needs at least one 'positive' code``.
        """
        if "respondent_id" not in mapping:
            raise SurveyDataError(
                "codebook key respondent_id: is missing; name the column of respondent ids "
                "(e.g. respondent_id: RESPID), or write 'respondent_id: null' to state that the "
                "file has none (duplicated respondents then cannot be found)",
                file=source,
            )
        try:
            return cls.model_validate(mapping)
        except ValidationError as error:
            problems = validation_message(error, mapping, model=cls, prefix="codebook key ")
            raise SurveyDataError(problems, file=source) from None

    @classmethod
    def from_yaml(cls, path: Path | str) -> Codebook:
        """Read and validate a YAML codebook file.

        Parameters
        ----------
        path
            The ``.yml`` file.

        Returns
        -------
        Codebook

        Raises
        ------
        SurveyDataError
            The file is missing, not YAML, or not a valid codebook.
        """
        return cls.from_mapping(read_yaml_mapping(path, "codebook"), source=Path(path).name)

    def to_yaml(self) -> str:
        """Return the codebook as YAML text (round-trips through :meth:`from_mapping`)."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)

    def check_columns(self, survey: SurveyFile) -> list[str]:
        """Check that the file has every column the codebook names.

        Parameters
        ----------
        survey
            The file to check.

        Returns
        -------
        list of str
            Ids of optional items (``required: false``) whose column is absent;
            they are left out of the analysis of this file.

        Raises
        ------
        SurveyDataError
            Naming the codebook key and the missing file column.
        """
        columns = set(survey.data.columns)
        absent_optional: list[str] = []

        def missing(key: str, column: str, what: str) -> SurveyDataError:
            return SurveyDataError(
                f"{what} is missing from the file (codebook key {key})",
                file=survey.file_name,
                column=column,
            )

        for item_id, item in self.items.items():
            if item.column not in columns:
                if item.required:
                    raise missing(
                        f"items.{item_id}.column", item.column, f"required item {item_id!r}"
                    )
                absent_optional.append(item_id)
        for group_id, group in self.groups.items():
            if group.required and group.column not in columns:
                raise missing(f"groups.{group_id}.column", group.column, f"group {group_id!r}")
        if self.weight is not None and self.weight not in columns:
            raise missing("weight", self.weight, "weight column")
        if self.respondent_id is not None and self.respondent_id not in columns:
            raise missing("respondent_id", self.respondent_id, "respondent id column")
        return absent_optional


@dataclass(frozen=True)
class CodedSurvey:
    """A survey file translated into standard items and categories.

    Attributes
    ----------
    file_name
        The source file's name.
    codebook
        The codebook used.
    responses
        One column per standard item present, values from
        :data:`RESPONSE_CATEGORIES` or :data:`NOT_ANSWERED`.
    groups
        One column per group present, holding standard labels (missing as NA).
    weights
        The file's weights when the codebook names a weight column, else ``None``.
    absent_items
        Optional items the file does not have.
    """

    file_name: str
    codebook: Codebook
    responses: pd.DataFrame
    groups: pd.DataFrame
    weights: pd.Series | None
    absent_items: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.responses)

    def in_base(self, item_id: str) -> np.ndarray:
        """Return a boolean mask of respondents in the item's base."""
        categories = self.codebook.items[item_id].base_categories
        return self.responses[item_id].isin(categories).to_numpy()

    def is_positive(self, item_id: str) -> np.ndarray:
        """Return a boolean mask of positive answers (over all respondents)."""
        return (self.responses[item_id] == "positive").to_numpy()


def _describe_allowed(codes: list[CodeValue]) -> str:
    return ", ".join(
        str(c) for c in sorted(codes, key=lambda c: (isinstance(c, str), str(c).zfill(8)))
    )


def _unknown_code_error(
    survey: SurveyFile,
    column: str,
    key: str,
    raw: pd.Series,
    known: list[CodeValue],
    mask: np.ndarray,
) -> SurveyDataError:
    rows = np.flatnonzero(mask)
    first = int(rows[0])
    value = raw.iloc[first]
    code = canonical_code(value)
    numeric_known = [c for c in known if isinstance(c, int)]
    count = f" ({rows.size} rows affected)" if rows.size > 1 else ""
    if isinstance(code, int) and numeric_known and len(numeric_known) == len(known):
        low, high = min(numeric_known), max(numeric_known)
        if code < low or code > high:
            problem = f"value {code} is out of range for {key} (codes {low} to {high}){count}"
            return SurveyDataError(problem, file=survey.file_name, column=column, row=first + 1)
    problem = f"code {value!r} is not in the codebook for {key} (allowed: {_describe_allowed(known)}){count}"
    return SurveyDataError(problem, file=survey.file_name, column=column, row=first + 1)


def apply_codebook(survey: SurveyFile, codebook: Codebook) -> CodedSurvey:
    """Translate a survey file into standard items, categories and groups.

    Parameters
    ----------
    survey
        A file read with :func:`~councilpack.surveys.io.read_survey_file` (or
        :meth:`SurveyFile.from_frame`).
    codebook
        The survey's codebook.

    Returns
    -------
    CodedSurvey

    Raises
    ------
    SurveyDataError
        An empty file; a column the codebook names is missing; an answer code
        the codebook does not list (out of range, or unknown text); a weight
        that is missing, not a number, or not positive. The message names the
        file, column and first bad row (1-based data row).
    """
    if len(survey.data) == 0:
        raise SurveyDataError("the file has no respondents (empty wave)", file=survey.file_name)
    absent = codebook.check_columns(survey)
    if codebook.respondent_id is not None:
        _check_respondent_ids(survey, codebook.respondent_id)
    _check_value_labels(survey, codebook, absent)
    responses: dict[str, pd.Series] = {}
    for item_id, item in codebook.items.items():
        if item_id in absent:
            continue
        raw = survey.data[item.column]
        mapping = item.code_map()
        canonical = [canonical_code(value) for value in raw.tolist()]
        coded = [NOT_ANSWERED if c is None else mapping.get(c) for c in canonical]
        unknown = np.array([c is None for c in coded], dtype=bool)
        if unknown.any():
            raise _unknown_code_error(
                survey, item.column, f"item {item_id!r}", raw, list(mapping), unknown
            )
        responses[item_id] = pd.Series(coded, index=survey.data.index, dtype=object)
    groups: dict[str, pd.Series] = {}
    for group_id, group in codebook.groups.items():
        if group.column not in survey.data.columns:
            continue
        raw = survey.data[group.column]
        canonical = [canonical_code(value) for value in raw.tolist()]
        missing_codes = set(group.missing)
        if group.categories is None:
            labels = [
                None if (c is None or c in missing_codes) else str(value).strip()
                for c, value in zip(canonical, raw.tolist(), strict=True)
            ]
        else:
            mapping = {code: label for label, codes in group.categories.items() for code in codes}
            unknown = np.array(
                [c is not None and c not in mapping and c not in missing_codes for c in canonical],
                dtype=bool,
            )
            if unknown.any():
                known = [*mapping, *group.missing]
                raise _unknown_code_error(
                    survey, group.column, f"group {group_id!r}", raw, known, unknown
                )
            labels = [None if c is None else mapping.get(c) for c in canonical]
        groups[group_id] = pd.Series(labels, index=survey.data.index, dtype=object)
    weights = None
    if codebook.weight is not None:
        weights = _read_weights(survey, codebook.weight)
    return CodedSurvey(
        file_name=survey.file_name,
        codebook=codebook,
        responses=pd.DataFrame(responses, index=survey.data.index),
        groups=pd.DataFrame(groups, index=survey.data.index),
        weights=weights,
        absent_items=tuple(absent),
    )


def _check_respondent_ids(survey: SurveyFile, column: str) -> None:
    """Check that every respondent has an id and no id appears twice (a duplicated row would)."""
    ids = survey.data[column]
    canonical = [canonical_code(value) for value in ids.tolist()]
    blank = [row for row, code in enumerate(canonical) if code is None]
    if blank:
        raise SurveyDataError(
            f"respondent id is missing ({len(blank)} row(s) affected)",
            file=survey.file_name,
            column=column,
            row=blank[0] + 1,
        )
    first_seen: dict[object, int] = {}
    repeats: list[tuple[int, int]] = []
    for row, code in enumerate(canonical):
        if code in first_seen:
            repeats.append((first_seen[code], row))
        else:
            first_seen[code] = row
    if repeats:
        earlier, row = repeats[0]
        raise SurveyDataError(
            f"respondent id {ids.tolist()[row]!r} is also in row {earlier + 1}: a respondent counted "
            f"twice ({len(repeats)} repeated id(s))",
            file=survey.file_name,
            column=column,
            row=row + 1,
        )


#: Words that make an answer label read as negative or positive (checked in that order, so
#: "disagree" is negative although it contains "agree"; "neither ... nor" is neither).
_NEGATIVE_WORDS = ("disagree", "dissatisf", "unsatisf", "poor", "bad", "not ", "never", "unlikely")
_POSITIVE_WORDS = ("agree", "satisf", "good", "well", "likely", "always", "excellent")


def label_polarity(label: str) -> str | None:
    """Return ``"negative"``, ``"positive"`` or ``None`` for an answer label.

    Examples
    --------
    >>> label_polarity("Tend to disagree"), label_polarity("Very satisfied")
    ('negative', 'positive')
    >>> label_polarity("Neither agree nor disagree") is None
    True
    """
    text = " ".join(str(label).casefold().split()) + " "
    if "neither" in text or "don't know" in text or "dont know" in text:
        return None
    if any(word in text for word in _NEGATIVE_WORDS):
        return "negative"
    if any(word in text for word in _POSITIVE_WORDS):
        return "positive"
    return None


def _check_value_labels(survey: SurveyFile, codebook: Codebook, absent: list[str]) -> None:
    """Check that an SPSS file's value labels describe the codes as the codebook reads them."""
    if not survey.value_labels:
        return

    def fail(column: str, problem: str) -> SurveyDataError:
        return SurveyDataError(
            f"{problem} (SPSS value labels disagree with the codebook)",
            file=survey.file_name,
            column=column,
        )

    for item_id, item in codebook.items.items():
        labels = survey.value_labels.get(item.column)
        if item_id in absent or not labels:
            continue
        category_of = {code: category for category, codes in item.codes.items() for code in codes}
        for raw_code, label in labels.items():
            code = canonical_code(raw_code)
            if code in item.missing:
                continue
            if code not in category_of:
                raise fail(
                    item.column,
                    f"code {raw_code!r} labelled {label!r} is not in the codebook for "
                    f"item {item_id!r}",
                )
            polarity = label_polarity(label)
            category = category_of[code]
            if category in ("positive", "negative") and polarity not in (None, category):
                raise fail(
                    item.column,
                    f"code {raw_code!r} is labelled {label!r} in the file but counted "
                    f"{category} for item {item_id!r}",
                )
    for group_id, group in codebook.groups.items():
        labels = survey.value_labels.get(group.column)
        if not labels or group.categories is None:
            continue
        # Category names are the codebook's standard labels and may differ from the file's
        # wording ("16-24" for "Aged 16 to 24"); a labelled code it does not know may not.
        known = {code for codes in group.categories.values() for code in codes}
        for raw_code, label in labels.items():
            code = canonical_code(raw_code)
            if code not in known and code not in group.missing:
                raise fail(
                    group.column,
                    f"code {raw_code!r} labelled {label!r} is not a category of group {group_id!r}",
                )


def _read_weights(survey: SurveyFile, column: str) -> pd.Series:
    raw = survey.data[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() <= 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise SurveyDataError(
            f"weight {raw.iloc[row]!r} is not a positive number ({int(bad.sum())} row(s) affected)",
            file=survey.file_name,
            column=column,
            row=row + 1,
        )
    return values
