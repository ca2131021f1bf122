"""The LGA resident satisfaction question set and standard age bands.

Item ids are used in codebooks, the national reference table and every output
table. ``description`` completes the sentence "N per cent of residents ...".

Bases: LGA polling publishes each figure as a percentage of all respondents,
with "don't know" kept in the base (its reports state "Base: all respondents",
e.g. LGA, *Resident satisfaction with councils' response to COVID-19*, May 2020,
"Base: all respondents (905)"). Every item here uses
the same rule by default (``valid_including_dont_know``: positive, neutral,
negative and don't know in the base; refusals and blanks left out, because a
telephone poll has no refusal category to compare with). A codebook may set
``base: valid_excluding_dont_know`` for an item; the base is always stated
beside the figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LgaItem:
    """One item of the LGA question set."""

    item_id: str
    label: str
    question: str
    positive_answers: str
    description: str


LGA_ITEMS: tuple[LgaItem, ...] = (
    LgaItem(
        "satisfied_local_area",
        "Satisfied with local area",
        "Overall, how satisfied or dissatisfied are you with your local area as a place to live?",
        "very or fairly satisfied",
        "were satisfied with their local area as a place to live",
    ),
    LgaItem(
        "satisfied_council",
        "Satisfied with the council",
        "Overall, how satisfied or dissatisfied are you with the way your local council "
        "runs things?",
        "very or fairly satisfied",
        "were satisfied with the way the council runs things",
    ),
    LgaItem(
        "keeps_informed",
        "Council keeps residents informed",
        "Overall, how well informed do you think your local council keeps residents about "
        "the services and benefits it provides?",
        "very or fairly well informed",
        "felt the council keeps them well informed",
    ),
    LgaItem(
        "acts_on_concerns",
        "Council acts on concerns",
        "To what extent do you think your local council acts on the concerns of local residents?",
        "a great deal or a fair amount",
        "thought the council acts on residents' concerns",
    ),
    LgaItem(
        "value_for_money",
        "Council gives value for money",
        "To what extent do you agree or disagree that your local council provides value for money?",
        "strongly agree or tend to agree",
        "agreed that the council provides value for money",
    ),
    LgaItem(
        "trust_council",
        "Trust the council",
        "How much do you trust your local council?",
        "a great deal or a fair amount",
        "trusted the council a great deal or a fair amount",
    ),
)

#: Item id -> :class:`LgaItem`.
LGA_ITEM_BY_ID: dict[str, LgaItem] = {item.item_id: item for item in LGA_ITEMS}

#: Standard age bands (group ``age_band``), matching the population metrics.
AGE_BANDS: tuple[str, ...] = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+")

#: Age band -> population metric id in the tidy metric table.
AGE_BAND_METRICS: dict[str, str] = {
    "16-24": "population_age_16_24",
    "25-34": "population_age_25_34",
    "35-44": "population_age_35_44",
    "45-54": "population_age_45_54",
    "55-64": "population_age_55_64",
    "65+": "population_65_plus",
}

#: Standard group ids used for weighting and breakdowns.
GROUPS: tuple[str, ...] = ("age_band", "sex", "area")
