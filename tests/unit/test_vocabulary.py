"""The words results are stated in: one Literal each, enforced where records are made."""

from __future__ import annotations

from typing import get_args

import pandas as pd
import pydantic
import pytest

from councilpack.catalogue import POLARITIES, load_catalogue
from councilpack.figures import ComparatorSummary
from councilpack.finance.indicators import indicator_specs
from councilpack.finance.position import direction_of_travel, position_word, rank_in_group
from councilpack.vocabulary import Polarity, Position, TravelDirection


def test_a_comparator_position_is_one_of_the_words() -> None:
    for word in (*get_args(Position), ""):
        assert ComparatorSummary(group="g", position=word).position == word
    with pytest.raises(pydantic.ValidationError, match="position"):
        ComparatorSummary(group="g", position="abvoe")  # type: ignore[arg-type]


def test_catalogue_polarities_are_the_vocabulary() -> None:
    assert frozenset(get_args(Polarity)) == POLARITIES
    assert {entry["polarity"] for entry in load_catalogue().values()} <= POLARITIES


def test_finance_words_come_from_the_vocabulary() -> None:
    spec = next(s for s in indicator_specs().values() if s.polarity == "lower_is_better")
    assert spec.similar_absolute is not None or spec.similar_relative is not None
    assert position_word(10.0, 10.0, spec) == "similar"
    assert position_word(1e9, 1.0, spec) == "above"

    # Lower is better: the lowest value ranks 1st, and rank 1 is the lowest.
    assert rank_in_group(pd.Series({"a": 1.0, "b": 2.0}), "a", spec.polarity) == (1, "lowest")
    travel = direction_of_travel("2022-23", 1e9, "2023-24", 1.0, spec)
    assert travel.direction in get_args(TravelDirection)
    assert (travel.direction, travel.reading) == ("fell", "improving")
