from __future__ import annotations

import pandas as pd
import pytest

from councilpack.data.model import CouncilLookupError, Register, slugify


@pytest.fixture
def register() -> Register:
    table = pd.DataFrame(
        {
            "gss_code": ["E08000011", "E08000012", "E06000059", "E07000244"],
            "name": ["Knowsley", "Liverpool", "Dorset", "East Suffolk"],
            "slug": ["knowsley", "liverpool", "dorset", "east-suffolk"],
            "council_type": ["Metropolitan district"] * 2
            + ["Unitary", "Non-metropolitan district"],
            "region": ["North West", "North West", "South West", "East of England"],
        }
    )
    return Register(
        table, former_codes={"E10000009": "E06000059"}, aliases={"dorset council": "E06000059"}
    )


def test_resolves_code_case_insensitively(register: Register) -> None:
    assert register.resolve("e08000011").name == "Knowsley"


def test_resolves_former_code_to_successor(register: Register) -> None:
    assert register.resolve("E10000009").gss_code == "E06000059"


def test_resolves_exact_name_alias_and_unique_fragment(register: Register) -> None:
    assert register.resolve("LIVERPOOL").gss_code == "E08000012"
    assert register.resolve("Dorset Council").gss_code == "E06000059"
    assert register.resolve("suffolk").gss_code == "E07000244"


def test_ambiguous_fragment_lists_candidates(register: Register) -> None:
    with pytest.raises(CouncilLookupError) as info:
        register.resolve("l")
    message = str(info.value)
    assert "matches" in message
    assert "Knowsley (E08000011)" in message
    assert "Liverpool (E08000012)" in message
    assert "\n" not in message


def test_unknown_name_is_a_clear_error(register: Register) -> None:
    with pytest.raises(CouncilLookupError, match="no council matches 'Gotham'"):
        register.resolve("Gotham")


def test_duplicate_codes_are_rejected() -> None:
    table = pd.DataFrame(
        {
            "gss_code": ["E1", "E1"],
            "name": ["a", "b"],
            "slug": ["a", "b"],
            "council_type": ["x", "x"],
            "region": ["r", "r"],
        }
    )
    with pytest.raises(ValueError, match="repeats GSS codes"):
        Register(table)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("King's Lynn and West Norfolk", "kings-lynn-and-west-norfolk"),
        ("Brighton & Hove", "brighton-and-hove"),
        ("St. Helens", "st-helens"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
