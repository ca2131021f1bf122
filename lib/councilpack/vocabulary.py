"""The words results are stated in, as types: positions, polarity, travel, significance.

Each is a :data:`typing.Literal`, so mypy catches a misspelt word ("abvoe") and
pydantic refuses one in a record (:class:`councilpack.figures.ComparatorSummary`).
The words are the ones the reports and the JSON sidecars already use; this
module only names them once.
"""

from __future__ import annotations

from typing import Literal, get_args

#: Where a figure sits against a reference (a group median, a national figure, an
#: earlier wave): "similar" within the indicator's tolerance, or (surveys) when the
#: difference is not statistically significant at the 5 per cent level.
Position = Literal["above", "below", "similar"]

#: Which way is better for an indicator (the metric catalogue's ``polarity``).
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]

#: Which end of a group rank 1 is: "highest" unless lower is better.
RankDirection = Literal["highest", "lowest"]

#: Direction of travel between two years, and what it means read through polarity
#: ("" for a neutral indicator or one that held steady).
TravelDirection = Literal["rose", "fell", "held steady"]
TravelReading = Literal["improving", "worsening", ""]

#: A distance from the median read through polarity (the briefing's rule).
Reading = Literal["better", "worse", "different"]

#: Whether a survey difference is statistically significant, in the words of the
#: staff survey's chart tables.
Significance = Literal["significant", "not significant"]

#: A staff survey change on an earlier wave, in words.
ChangeWord = Literal["improved", "declined", "no significant change"]

POSITIONS: frozenset[str] = frozenset(get_args(Position))
POLARITIES: frozenset[str] = frozenset(get_args(Polarity))
