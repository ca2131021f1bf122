"""The residents' report on demo councils: figures near the known truth, dated national comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from councilpack.data import open_data
from councilpack.demo.files import ensure_demo_files, residents_dir
from councilpack.runner import ReportTask, build_report

pytestmark = pytest.mark.slow

COUNCILS = ("X00000002", "X00000009")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    out = tmp_path_factory.mktemp("residents")
    register = open_data("").register
    result = {}
    for code in COUNCILS:
        council = register.get(code)
        outcome = build_report(ReportTask(code, council.name, council.folder, "residents"), out)
        assert outcome.status == "ok", outcome.error
        result[code] = (out / outcome.html, json.loads((out / outcome.sidecar).read_text()))  # type: ignore[operator]
    return result


@pytest.mark.parametrize("code", COUNCILS)
def test_estimates_are_near_the_known_truth(built: dict[str, tuple[Path, dict]], code: str) -> None:
    _, sidecar = built[code]
    surveys = ensure_demo_files()
    truth = pd.read_csv(residents_dir(surveys, code) / "truth.csv", dtype={"wave": str})
    figures = {f["id"]: f for f in sidecar["figures"]}
    checked = 0
    for row in truth.itertuples(index=False):
        figure = figures.get(f"residents.{row.item}.{row.wave}")
        if figure is None:
            continue
        # 1,100 respondents, design effect ~1.2: a 6-point gap would be > 3.5 standard errors.
        assert abs(figure["value"] - row.true_percent) < 6, (row.item, row.wave)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("code", COUNCILS)
def test_national_comparison_is_dated_and_sourced(
    built: dict[str, tuple[Path, dict]], code: str
) -> None:
    page, sidecar = built[code]
    latest = max(f["period"] for f in sidecar["figures"])
    council_figure = next(
        f for f in sidecar["figures"] if f["id"] == f"residents.satisfied_council.{latest}"
    )
    comparator = council_figure["comparator"]
    # Published fact: 53 per cent nationally satisfied with how their council runs things (July 2024).
    assert comparator["value"] == 53
    assert comparator["vintage"] == "2024-07"
    assert "Liverpool" in comparator["definition"]
    assert "53 per cent, July 2024" in council_figure["sentence"]
    text = page.read_text()
    assert "Resident satisfaction</h1>" in text
    assert "effective base" in text
    assert (
        council_figure["sentence"].split(":")[0].replace("'", "&#39;")[:40]
        in text.replace("&#x27;", "&#39;")
        or council_figure["sentence"][:40] in text
    )
