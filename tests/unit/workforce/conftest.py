"""Fixtures for the workforce tests."""

from __future__ import annotations

import pytest
from workforce_fixtures import codebook_mapping

from councilpack.workforce.inputs import StaffCodebook


@pytest.fixture
def codebook() -> StaffCodebook:
    return StaffCodebook.from_mapping(codebook_mapping(), source="staff-codebook.yml")
