"""The workforce report on demo councils: figures near the known truth, nothing small shown."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from councilpack.data import open_data
from councilpack.demo.files import ensure_demo_files, staff_dir
from councilpack.provenance import sha256_file
from councilpack.runner import ReportTask, build_report

pytestmark = pytest.mark.slow

# A metropolitan district (about 2,000 staff) and a district (about 500 staff, small directorates).
COUNCILS = ("X00000003", "X00000016")
THRESHOLD = 10


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict, Path]]:
    out = tmp_path_factory.mktemp("workforce")
    data = open_data("")
    result = {}
    for code in COUNCILS:
        council = data.register.get(code)
        outcome = build_report(ReportTask(code, council.name, council.folder, "workforce"), out)
        assert outcome.status == "ok", outcome.error
        sidecar = json.loads((out / str(outcome.sidecar)).read_text(encoding="utf-8"))
        folder = staff_dir(ensure_demo_files(), code)
        result[code] = ((out / str(outcome.html)).read_text(encoding="utf-8"), sidecar, folder)
    return result


def _base(figure: dict) -> int:
    match = re.fullmatch(r"base ([\d,]+) respondents", figure["note"] or "")
    assert match, figure
    return int(match.group(1).replace(",", ""))


@pytest.mark.parametrize("code", COUNCILS)
def test_item_figures_are_near_the_known_truth(
    built: dict[str, tuple[str, dict, Path]], code: str
) -> None:
    _, sidecar, folder = built[code]
    truth = pd.read_csv(folder / "truth.csv", dtype={"wave": str})
    latest = truth["wave"].max()
    truth = truth[(truth["variable"] == "all_staff") & (truth["wave"] == latest)]
    figures = {f["id"]: f for f in sidecar["figures"]}
    checked = 0
    for row in truth.itertuples(index=False):
        if row.item == "enps":
            continue
        figure = figures[f"workforce.positive.{row.item}"]
        assert figure["period"] == latest
        p = row.positive_pct / 100
        standard_error = 100 * math.sqrt(p * (1 - p) / _base(figure))
        # Four standard errors: a wrong base, code mapping or weighting fails this.
        assert abs(figure["value"] - row.positive_pct) < 4 * standard_error + 1, row.item
        checked += 1
    assert checked == 9


@pytest.mark.parametrize("code", COUNCILS)
def test_response_rates_are_respondents_over_invited(
    built: dict[str, tuple[str, dict, Path]], code: str
) -> None:
    _, sidecar, folder = built[code]
    manifest = yaml.safe_load((folder / "survey.yml").read_text(encoding="utf-8"))
    figures = {f["id"]: f for f in sidecar["figures"]}
    for wave in manifest["waves"]:
        respondents = len(pd.read_csv(folder / wave["file"]))
        figure = figures[f"workforce.response_rate.{wave['label']}"]
        assert figure["value"] == pytest.approx(100 * respondents / wave["invited"])
        assert f"{respondents:,} responses" in figure["sentence"]


@pytest.mark.parametrize("code", COUNCILS)
def test_hr_figures_come_from_the_hr_file(
    built: dict[str, tuple[str, dict, Path]], code: str
) -> None:
    _, sidecar, folder = built[code]
    hr = yaml.safe_load((folder / "hr.yml").read_text(encoding="utf-8"))
    figure = next(f for f in sidecar["figures"] if f["id"] == "workforce.hr.sickness_days_per_fte")
    assert figure["value"] == pytest.approx(hr["sickness_days"] / hr["fte"])
    assert figure["period"] == hr["period"]
    comparator = hr["comparators"]["sickness_days_per_fte"]
    assert figure["comparator"]["value"] == comparator["value"]
    assert f"around {comparator['value']:g}" in figure["sentence"]


@pytest.mark.parametrize("code", COUNCILS)
def test_no_published_figure_rests_on_fewer_than_the_threshold(
    built: dict[str, tuple[str, dict, Path]], code: str
) -> None:
    _, sidecar, _ = built[code]
    bases = [
        _base(f)
        for f in sidecar["figures"]
        if f["id"].startswith(("workforce.positive", "workforce.gap"))
    ]
    assert bases
    assert min(bases) >= THRESHOLD


def test_small_directorates_are_withheld_in_every_table(
    built: dict[str, tuple[str, dict, Path]],
) -> None:
    """Public Health has 7 staff in the district: every cell of its rows and columns is [c]."""
    page, sidecar, folder = built["X00000016"]
    invited = yaml.safe_load((folder / "survey.yml").read_text(encoding="utf-8"))["waves"]
    assert all(wave["invited_by_directorate"]["Public Health"] < THRESHOLD for wave in invited)
    rows = re.findall(r"<tr><th scope=.row.>Public Health</th>(.*?)</tr>", page)
    assert rows, "the response-rate table has no Public Health row"
    for row in rows:
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert cells
        # [c] withheld; [x] no respondents at all that wave (nothing to protect).
        assert set(cells) <= {"[c]", "[x]"}, cells
        assert "[c]" in cells
    assert not any("Public Health" in f["label"] for f in sidecar["figures"])
    # In the item-by-directorate table Public Health is a column: each of its cells is [c].
    table = re.search(
        r"<caption>Per cent positive by directorate, \d{4}</caption>(.*?)</table>", page
    )
    assert table is not None
    headers = re.findall(r"<th scope=.col.>(.*?)</th>", table.group(1))
    column = headers.index("Public Health")
    for row in re.findall(r"<tr>(<th scope=.row.>.*?)</tr>", table.group(1)):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        assert cells[column] in {"[c]", "[x]"}, cells


@pytest.mark.parametrize("code", COUNCILS)
def test_survey_files_are_hashed_in_the_provenance(
    built: dict[str, tuple[str, dict, Path]], code: str
) -> None:
    page, sidecar, folder = built[code]
    hashes = sidecar["provenance"]["input_hashes"]
    for name in ("survey.yml", "codebook.yml", "staff-2022.csv", "staff-2024.csv", "hr.yml"):
        assert hashes[name] == sha256_file(folder / name)
    assert "Workforce survey trends</h1>" in page
    assert "Engagement index items" in page


def _council_folder(root: Path, with_invited: bool = True) -> Path:
    """A council's own staff survey folder: CSV, XLSX and SPSS waves, no HR file."""
    import pyreadstat

    from councilpack.workforce.synthetic import EXAMPLE_CODEBOOK, generate_staff_waves

    survey = generate_staff_waves(seed=7, waves=("2021", "2023", "2025"), scale=0.6)
    root.mkdir()
    (root / "codebook.yml").write_text(EXAMPLE_CODEBOOK.read_text(encoding="utf-8"))
    names = {"2021": "staff-2021.csv", "2023": "staff-2023.xlsx", "2025": "staff-2025.sav"}
    waves = []
    for label, name in names.items():
        frame = survey.waves[label]
        if name.endswith(".csv"):
            frame.to_csv(root / name, index=False)
        elif name.endswith(".xlsx"):
            frame.to_excel(root / name, index=False)
        else:
            pyreadstat.write_sav(frame, str(root / name))
        entry = {"label": label, "fieldwork": f"{label}-05", "file": name}
        if with_invited:
            entry["invited"] = survey.invited[label].total
        waves.append(entry)
    manifest = {"survey": "staff", "title": "Own staff survey", "codebook": "codebook.yml"}
    (root / "survey.yml").write_text(yaml.safe_dump({**manifest, "waves": waves}))
    return root


def test_a_councils_own_survey_folder_in_three_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _council_folder(tmp_path / "survey")
    council = open_data("").register.get("X00000005")
    monkeypatch.chdir(tmp_path)  # a relative survey_dir is read against the caller's folder
    task = ReportTask(
        council.gss_code, council.name, council.folder, "workforce",
        options={"survey_dir": "survey", "threshold": 12},
    )  # fmt: skip
    outcome = build_report(task, tmp_path / "out")
    assert outcome.status == "ok", outcome.error
    sidecar = json.loads((tmp_path / "out" / str(outcome.sidecar)).read_text(encoding="utf-8"))
    periods = {f["period"] for f in sidecar["figures"]}
    assert periods == {"2021", "2023", "2025"}
    assert not any(f["id"].startswith("workforce.hr.") for f in sidecar["figures"])
    assert min(_base(f) for f in sidecar["figures"] if "base" in (f["note"] or "")) >= 12
    assert sidecar["provenance"]["input_hashes"]["staff-2025.sav"] == sha256_file(
        folder / "staff-2025.sav"
    )
    page = (tmp_path / "out" / str(outcome.html)).read_text(encoding="utf-8")
    assert "No HR figures were supplied" in page


def test_a_folder_without_invited_counts_fails_naming_the_file_and_wave(tmp_path: Path) -> None:
    folder = _council_folder(tmp_path / "survey", with_invited=False)
    council = open_data("").register.get("X00000005")
    task = ReportTask(
        council.gss_code, council.name, council.folder, "workforce",
        options={"survey_dir": str(folder)},
    )  # fmt: skip
    outcome = build_report(task, tmp_path / "out")
    assert outcome.status == "failed"
    assert outcome.error is not None
    message = outcome.error.message
    assert "survey.yml" in message
    assert "wave '2021' has no 'invited' count" in message
    assert "\n" not in message
    assert not (tmp_path / "out" / council.folder / "workforce.html").exists()
