"""Raking checked against post-stratification and hand-worked margins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from councilpack.surveys.errors import SurveyDataError
from councilpack.surveys.weighting import rake


def test_one_margin_is_post_stratification() -> None:
    # 3 young, 1 old respondent; population 50/50 -> young weight 0.5/3*4, old 0.5/1*4
    frame = pd.DataFrame({"age_band": ["young", "young", "young", "old"]})
    weights = rake(frame, {"age_band": {"young": 500, "old": 500}})
    assert weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0])


def test_two_margins_match_both() -> None:
    frame = pd.DataFrame(
        {
            "age_band": ["a", "a", "a", "b", "b", "a", "b", "a"],
            "sex": ["f", "m", "f", "f", "m", "m", "m", "f"],
        }
    )
    margins = {"age_band": {"a": 0.3, "b": 0.7}, "sex": {"f": 0.6, "m": 0.4}}
    weights = rake(frame, margins)
    share = weights / weights.sum()
    assert share[frame["age_band"].eq("b").to_numpy()].sum() == pytest.approx(0.7)
    assert share[frame["sex"].eq("f").to_numpy()].sum() == pytest.approx(0.6)
    assert weights.mean() == pytest.approx(1.0)


def test_raking_keeps_design_weights_within_cells() -> None:
    frame = pd.DataFrame({"age_band": ["a", "a", "b"]})
    weights = rake(frame, {"age_band": {"a": 1, "b": 1}}, base_weights=np.array([1.0, 3.0, 1.0]))
    assert weights[1] / weights[0] == pytest.approx(3.0)


def test_unknown_category_names_row() -> None:
    frame = pd.DataFrame({"age_band": ["a", None, "b"]})
    with pytest.raises(
        SurveyDataError, match=r"x.csv: column 'age_band', row 2: age_band is missing"
    ):
        rake(frame, {"age_band": {"a": 1, "b": 1}}, file_name="x.csv")


def test_empty_margin_cell_is_an_error() -> None:
    frame = pd.DataFrame({"age_band": ["a", "a"]})
    with pytest.raises(SurveyDataError, match="no respondents in age_band b"):
        rake(frame, {"age_band": {"a": 1, "b": 1}})
