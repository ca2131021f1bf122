"""The bad-input catalogue (issue 14 item 4, issue 13 item 5).

Each case feeds one careless or hostile input to the library (or to the CLI in
process, with typer's runner) and asserts the class of the outcome:

* ``error``: a :class:`~councilpack.errors.CouncilpackError` whose message is one
  line and names what it must (the file, key, parameter or value); at the CLI,
  exit code 2 and one ``error:`` line on stderr with no traceback;
* ``ok``: the input is accepted and gives the right result.

Anything else (a raw ``KeyError``, ``UnicodeDecodeError``, ``BadZipFile``,
a traceback, or a silently accepted bad input) fails. Fixtures are generated in
``tmp_path`` from the demo survey files and, for the loader cases, from copies of
the staged open data (skipped with a reason when it is absent).
"""

from __future__ import annotations

import enum
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

from councilpack import batch
from councilpack.boundary import OneLineUsageGroup
from councilpack.cli import app
from councilpack.data.model import Register
from councilpack.demo.files import demo_survey_dir, ensure_demo_files
from councilpack.errors import CouncilpackError
from councilpack.reports import validate_parameters

DEMO = "X00000001"


@dataclass(frozen=True)
class Case:
    """One bad (or good) input: how to make it, what must happen, what the message names."""

    id: str
    make: Callable[..., Any]
    expect: str = "error"
    mentions: tuple[str, ...] = ()


def outcome(call: Callable[[], object]) -> tuple[str, str]:
    """Return ``("error", message)``, ``("ok", "")`` or ``("crash", type: message)``."""
    try:
        call()
    except CouncilpackError as error:
        message = str(error)
        return ("error" if "\n" not in message and message else "multi-line error", message)
    except Exception as error:  # noqa: BLE001  (the catalogue's point: anything else is a failure)
        return "crash", f"{type(error).__name__}: {error}"
    return "ok", ""


def check(case: Case, call: Callable[[], object]) -> None:
    kind, message = outcome(call)
    assert kind == case.expect, f"{case.id}: expected {case.expect}, got {kind}: {message}"
    for word in case.mentions:
        assert word.lower() in message.lower(), (
            f"{case.id}: message does not name {word!r}: {message}"
        )


# --------------------------------------------------------------------------- file corruptions


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: max(1, len(data) * 2 // 5)])


def truncated_mid_row(path: Path) -> None:
    lines = _lines(path)
    keep = max(2, len(lines) // 2)
    path.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 3])


def not_utf8(path: Path) -> None:
    lines = _lines(path)
    lines[1] = lines[1].rstrip(b"\r\n") + b"\xe9\xff\r\n"
    path.write_bytes(b"".join(lines))


def latin1_name(path: Path) -> None:
    """A Windows-1252 export: a council name with an e-acute as one byte."""
    lines = _lines(path)
    position = max(1, len(lines) // 3)
    lines[position] = lines[position].replace(b",", b",\xc9", 1)  # 'É' in Windows-1252
    path.write_bytes(b"".join(lines))


def json_not_utf8(path: Path) -> None:
    data = path.read_bytes()
    quote = data.index(b'"')
    path.write_bytes(data[: quote + 1] + b"\xe9" + data[quote + 1 :])


def renamed_code_column(path: Path) -> None:
    """Rename the GSS code column (a publisher's new heading for it)."""
    lines = _lines(path)
    lines[0] = lines[0].replace(b"LTLA21CD", b"LAD21CD", 1)
    path.write_bytes(b"".join(lines))


def semicolons(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b",", b";"))


def renamed_first_column(path: Path) -> None:
    lines = _lines(path)
    header = lines[0].split(b",")
    header[0] = header[0].strip(b'"\r\n') + b"_renamed"
    lines[0] = b",".join(header)
    if not lines[0].endswith(b"\n"):
        lines[0] += b"\n"
    path.write_bytes(b"".join(lines))


def garbage(path: Path) -> None:
    path.write_bytes(random.Random(14).randbytes(4000))


def html_page(path: Path) -> None:
    """What a download saves when the server answers with an error page."""
    path.write_bytes(b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n")


def header_only(path: Path) -> None:
    path.write_bytes(_lines(path)[0])


def missing(path: Path) -> None:
    path.unlink()


def csv_text_as_workbook(path: Path) -> None:
    path.write_bytes(b"E-code,Local authority,Class\nE4301,Knowsley,MD\n")


def json_list(path: Path) -> None:
    path.write_text("[1, 2, 3]\n", encoding="utf-8")


CSV_CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "empty": empty,
    "truncated-mid-row": truncated_mid_row,
    "not-utf8": not_utf8,
    "semicolon-separated": semicolons,
    "renamed-column": renamed_first_column,
    "binary-garbage": garbage,
    "html-error-page": html_page,
    "header-only": header_only,
    "missing": missing,
}
WORKBOOK_CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "empty": empty,
    "truncated": truncated,
    "binary-garbage": garbage,
    "html-error-page": html_page,
    "csv-text-renamed": csv_text_as_workbook,
    "missing": missing,
}
JSON_CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "empty": empty,
    "truncated": truncated,
    "not-utf8": json_not_utf8,
    "a-list": json_list,
    "html-error-page": html_page,
    "missing": missing,
}


# --------------------------------------------------------------------------- open-data loaders


def _loader_calls() -> dict[str, tuple[str, Callable[[Path, Any], object]]]:
    """File key -> (relative path, call(raw_dir, geography)) for every loader's input file."""
    from councilpack.data.loaders import (
        CTR_FILES,
        ONS_POPULATION_FILES,
        RAW_FILES,
        RO_FORM_FILES,
        RS_FILES,
        defra_recycling,
        lga_polling,
        mhclg_ct,
        oflog_asc,
        oflog_nn,
        ons_lookup,
        ons_mye,
    )
    from councilpack.data.loaders.mhclg_ctr import load_council_tax_levels
    from councilpack.data.loaders.mhclg_ra import load_ra
    from councilpack.data.loaders.mhclg_rs import load_rs_year
    from councilpack.data.loaders.mhclg_rsx import load_form_year
    from councilpack.data.loaders.mysociety import load_geography

    xlsx_year = next(year for year, path in RS_FILES.items() if path.endswith(".xlsx"))
    xls_year = next(year for year, path in RS_FILES.items() if path.endswith(".xls"))
    return {
        "mysociety_register": (RAW_FILES["mysociety_register"], lambda d, g: load_geography(d)),
        "ons_ltla_utla": (RAW_FILES["ons_ltla_utla"], ons_lookup.load_ltla_utla),
        "ons_mye": (RAW_FILES["ons_mye"], ons_mye.load_population),
        "defra_recycling": (
            RAW_FILES["defra_recycling"],
            lambda d, g: defra_recycling.load_recycling(d, g, []),
        ),
        "oflog_asc": (RAW_FILES["oflog_asc"], lambda d, g: oflog_asc.load_asc(d, g, [])),
        "lga_polling": (RAW_FILES["lga_polling"], lambda d, g: lga_polling.load_lga_polling(d)),
        "oflog_nn": (RAW_FILES["oflog_nn"], oflog_nn.load_nearest_neighbours),
        "mhclg_ct_receipts": (
            RAW_FILES["mhclg_ct_receipts"],
            lambda d, g: mhclg_ct.load_ct_receipts(d, g, []),
        ),
        "mhclg_ra": (RAW_FILES["mhclg_ra_2016_17"], lambda d, g: load_ra(d, g, [])),
        "mhclg_rs_xlsx": (RS_FILES[xlsx_year], lambda d, g: load_rs_year(d, xlsx_year, g)),
        "mhclg_rs_xls": (RS_FILES[xls_year], lambda d, g: load_rs_year(d, xls_year, g)),
        "mhclg_rs_ods": (RS_FILES["2023-24"], lambda d, g: load_rs_year(d, "2023-24", g)),
        "mhclg_rsx_ods": (
            RO_FORM_FILES["RSX"]["2023-24"][0],
            lambda d, g: load_form_year(d, "RSX", "2023-24", g),
        ),
        "mhclg_ctr_ods": (
            RAW_FILES["mhclg_ctr_2023_24"],
            lambda d, g: load_council_tax_levels(d, g, []),
        ),
        "mhclg_ctr_xlsx": (
            CTR_FILES["2016-17"],
            lambda d, g: load_council_tax_levels(d, g, []),
        ),
        "ons_mye_workbook": (
            ONS_POPULATION_FILES["mid-2022"],
            lambda d, g: ons_mye.load_population_by_age(d, g, "mid-2022"),
        ),
    }


CSV_FILES = (
    "mysociety_register",
    "ons_ltla_utla",
    "ons_mye",
    "defra_recycling",
    "oflog_asc",
    "lga_polling",
)
WORKBOOK_FILES = (
    "mhclg_ct_receipts",
    "mhclg_ra",
    "mhclg_rs_xlsx",
    "mhclg_rs_xls",
    "mhclg_rs_ods",
    "mhclg_rsx_ods",
    "mhclg_ctr_ods",
    "mhclg_ctr_xlsx",
    "ons_mye_workbook",
)

LOADER_CASES = [
    *(
        Case(f"{key}-{name}", corrupt)
        for key in CSV_FILES
        for name, corrupt in CSV_CORRUPTIONS.items()
    ),
    *(
        Case(f"{key}-{name}", corrupt)
        for key in WORKBOOK_FILES
        for name, corrupt in WORKBOOK_CORRUPTIONS.items()
    ),
    *(Case(f"oflog_nn-{name}", corrupt) for name, corrupt in JSON_CORRUPTIONS.items()),
    Case("ons_ltla_utla-renamed-code-column", renamed_code_column),
    Case("ons_mye-not-utf8-name", latin1_name),
]
#: Renaming the first column of this file is harmless: its first column (FID) is not read.
ACCEPTED = {"ons_ltla_utla-renamed-column"}


@pytest.fixture(scope="module")
def geography(open_data_dir: Path) -> Any:
    from councilpack.data.loaders.mysociety import load_geography

    return load_geography(open_data_dir)


def _raw_copy(open_data_dir: Path, tmp_path: Path, relative: str) -> Path:
    """Return a raw folder of links to the staged files, with ``relative`` a real copy."""
    raw = tmp_path / "raw"
    for child in open_data_dir.iterdir():
        (raw / child.name).parent.mkdir(parents=True, exist_ok=True)
        if child.name != Path(relative).parts[0]:
            (raw / child.name).symlink_to(child)
    folder = raw / Path(relative).parent
    folder.mkdir(parents=True, exist_ok=True)
    for item in (open_data_dir / Path(relative).parent).iterdir():
        (folder / item.name).symlink_to(item)
    (folder / Path(relative).name).unlink()
    shutil.copyfile(open_data_dir / relative, raw / relative)
    return raw


@pytest.mark.open_data
@pytest.mark.parametrize("case", LOADER_CASES, ids=lambda c: c.id)
def test_open_data_file(case: Case, open_data_dir: Path, geography: Any, tmp_path: Path) -> None:
    key = case.id.rsplit("-", 1)[0]
    calls = _loader_calls()
    key = max((k for k in calls if case.id.startswith(f"{k}-")), key=len)
    relative, call = calls[key]
    raw = _raw_copy(open_data_dir, tmp_path, relative)
    case.make(raw / relative)
    expect = "ok" if case.id in ACCEPTED else case.expect
    case = Case(case.id, case.make, expect, () if expect == "ok" else (Path(relative).name,))
    check(case, lambda: call(raw, geography))


# --------------------------------------------------------------------------- survey folders


@pytest.fixture(scope="module")
def demo_root() -> Path:
    return ensure_demo_files()


def _copy_survey(demo_root: Path, kind: str, tmp_path: Path) -> Path:
    folder = tmp_path / kind
    shutil.copytree(demo_survey_dir(demo_root, kind, DEMO), folder)  # type: ignore[arg-type]
    return folder


def _manifest(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "survey.yml").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, content: object) -> None:
    (folder / "survey.yml").write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        content = _manifest(folder)
        change(content)
        _write_manifest(folder, content)

    return make


def _set_wave_file(value: Callable[[Path], str]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        content = _manifest(folder)
        content["waves"][0]["file"] = value(folder)
        _write_manifest(folder, content)

    return make


def _outside_file(folder: Path) -> str:
    outside = folder.parent / "elsewhere" / "wave.csv"
    outside.parent.mkdir(exist_ok=True)
    shutil.copyfile(folder / _manifest(folder)["waves"][0]["file"], outside)
    return str(outside)


def _symlink_out(folder: Path) -> str:
    target = Path(_outside_file(folder))
    (folder / "linked.csv").symlink_to(target)
    return "linked.csv"


def _first_wave(folder: Path) -> Path:
    return folder / _manifest(folder)["waves"][0]["file"]


def _on_wave(corrupt: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda folder: corrupt(_first_wave(folder))


def _on(name: str, corrupt: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda folder: corrupt(folder / name)


def _wave_as(suffix: str, corrupt: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    """Convert the first wave to another format (optionally corrupted) and point survey.yml at it."""

    def make(folder: Path) -> None:
        source = _first_wave(folder)
        target = source.with_suffix(suffix)
        if suffix == ".xlsx":
            pd.read_csv(source, dtype=object).to_excel(target, index=False)
        else:
            shutil.copyfile(source, target)
        if corrupt is not None:
            corrupt(target)
        content = _manifest(folder)
        content["waves"][0]["file"] = target.name
        _write_manifest(folder, content)

    return make


def _recode_cell(column: str, value: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = _first_wave(folder)
        frame = pd.read_csv(path, dtype=object)
        frame.loc[4, column] = value
        frame.to_csv(path, index=False)

    return make


def _write_text(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def _write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _unchanged(folder: Path) -> None:
    return None


COMMON_SURVEY_CASES = [
    Case("unchanged-folder", _unchanged, "ok"),
    Case("manifest-is-a-list", _write_text("survey.yml", "- a\n- b\n"), mentions=("survey.yml",)),
    Case(
        "manifest-not-yaml",
        _write_text("survey.yml", "survey: [unclosed\n"),
        mentions=("survey.yml",),
    ),
    Case(
        "manifest-not-utf8",
        _write_bytes("survey.yml", b"survey: r\xe9sidents\n"),
        mentions=("survey.yml",),
    ),
    Case("manifest-empty", _write_text("survey.yml", ""), mentions=("survey.yml",)),
    Case("manifest-missing", _on("survey.yml", missing), mentions=("survey.yml",)),
    Case(
        "manifest-key-typo",
        _edit(lambda c: c.update(wavse=c.pop("waves"))),
        mentions=("wavse", "did you mean", "waves"),
    ),
    Case(
        "manifest-nested-key-typo",
        _edit(lambda c: c["waves"][0].update(fiel=c["waves"][0].pop("file"))),
        mentions=("waves.0.fiel", "file"),
    ),
    Case(
        "wave-file-dot-dot",
        _set_wave_file(lambda f: "../elsewhere/wave.csv"),
        mentions=("survey.yml", "../elsewhere/wave.csv"),
    ),
    Case("wave-file-absolute", _set_wave_file(_outside_file), mentions=("survey.yml", "absolute")),
    Case("wave-file-symlink-out", _set_wave_file(_symlink_out), mentions=("linked.csv", "outside")),
    Case(
        "codebook-dot-dot", _edit(lambda c: c.update(codebook="../codebook.yml")), mentions=("..",)
    ),
    Case("wave-file-missing", _set_wave_file(lambda f: "nowhere.csv"), mentions=("nowhere.csv",)),
    Case("waves-empty", _edit(lambda c: c.update(waves=[])), mentions=("waves",)),
    Case(
        "fieldwork-not-a-month",
        _edit(lambda c: c["waves"][0].update(fieldwork="October 2023")),
        mentions=("fieldwork", "October 2023"),
    ),
    Case("wave-empty-file", _on_wave(empty), mentions=("csv",)),
    Case("wave-not-utf8", _on_wave(not_utf8), mentions=("csv", "UTF-8")),
    Case("wave-semicolon-separated", _on_wave(semicolons), mentions=("csv",)),
    Case("wave-renamed-id-column", _on_wave(renamed_first_column), mentions=("csv",)),
    Case("wave-binary-garbage", _on_wave(garbage), mentions=("csv",)),
    Case("wave-html-error-page", _on_wave(html_page), mentions=("csv",)),
    Case("wave-as-xlsx", _wave_as(".xlsx"), "ok"),
    Case("wave-xlsx-truncated", _wave_as(".xlsx", truncated), mentions=("xlsx",)),
    Case("wave-xlsx-empty", _wave_as(".xlsx", empty), mentions=("xlsx",)),
    Case("wave-xlsx-garbage", _wave_as(".xlsx", garbage), mentions=("xlsx",)),
    Case(
        "wave-csv-renamed-xlsx",
        _wave_as(".xlsx", lambda p: p.write_bytes(b"a,b\n1,2\n")),
        mentions=("xlsx",),
    ),
    Case("wave-sav-garbage", _wave_as(".sav", garbage), mentions=("sav",)),
    Case("wave-sav-empty", _wave_as(".sav", empty), mentions=("sav",)),
    Case("wave-unsupported-suffix", _wave_as(".txt"), mentions=("txt",)),
    Case("codebook-missing", _on("codebook.yml", missing), mentions=("codebook.yml",)),
    Case("codebook-a-list", _write_text("codebook.yml", "- 1\n- 2\n"), mentions=("codebook.yml",)),
    Case(
        "codebook-not-yaml", _write_text("codebook.yml", "items: [\n"), mentions=("codebook.yml",)
    ),
    Case(
        "codebook-not-utf8",
        _write_bytes("codebook.yml", b"title: caf\xe9\n"),
        mentions=("codebook.yml",),
    ),
    Case("answer-code-not-in-codebook", _recode_cell("Q1", "42"), mentions=("Q1", "42")),
    Case("answer-code-text", _recode_cell("Q2", "very satisfied"), mentions=("Q2",)),
]

RESIDENTS_ONLY = [
    Case(
        "staff-folder-given-for-residents",
        _edit(lambda c: c.update(survey="staff")),
        mentions=("survey", "residents"),
    ),
    Case("survey-kind-unknown", _edit(lambda c: c.update(survey="citizens")), mentions=("survey",)),
    Case("wave-truncated-mid-row", _on_wave(truncated_mid_row), mentions=("csv",)),
]

STAFF_ONLY = [
    Case("hr-dot-dot", _edit(lambda c: c.update(hr="../hr.yml")), mentions=("..",)),
    Case("hr-missing", _on("hr.yml", missing), mentions=("hr.yml",)),
    Case("hr-a-list", _write_text("hr.yml", "- 1\n"), mentions=("hr.yml",)),
    Case("hr-not-utf8", _write_bytes("hr.yml", b"period: 2023\xe9\n"), mentions=("hr.yml",)),
    Case("hr-negative-leavers", lambda f: _edit_hr(f, leavers=-3), mentions=("hr.yml", "leavers")),
    Case("hr-period-missing", lambda f: _edit_hr(f, period=None), mentions=("hr.yml", "period")),
    Case(
        "invited-missing",
        _edit(lambda c: c["waves"][0].pop("invited")),
        mentions=("invited", "2022"),
    ),
    Case(
        "invited-not-a-number",
        _edit(lambda c: c["waves"][0].update(invited="lots")),
        mentions=("invited", "lots"),
    ),
    Case(
        "invited-fewer-than-responded",
        _edit(lambda c: c["waves"][0].update(invited=5)),
        mentions=("invited",),
    ),
]


def _edit_hr(folder: Path, **changes: object) -> None:
    path = folder / "hr.yml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            content.pop(key, None)
        else:
            content[key] = value
    path.write_text(yaml.safe_dump(content), encoding="utf-8")


def residents_run(folder: Path) -> object:
    from councilpack.residents.analysis import WaveInput, analyse_waves
    from councilpack.surveys.folder import load_survey_folder

    survey = load_survey_folder(folder, expected="residents")
    waves = [WaveInput(w.label, w.fieldwork, survey.path(w.file), w.sheet) for w in survey.waves]
    return analyse_waves(waves, survey.codebook_path)


def staff_run(folder: Path) -> object:
    """Read, code and check every input of a staff survey folder (the analysis is not run)."""
    from councilpack.surveys.folder import load_survey_folder
    from councilpack.workforce.folder import invited_counts
    from councilpack.workforce.hr import read_hr_figures
    from councilpack.workforce.inputs import StaffCodebook, load_waves

    survey = load_survey_folder(folder, expected="staff")
    codebook = StaffCodebook.from_yaml(survey.codebook_path)
    waves = {w.label: survey.path(w.file) for w in survey.waves}
    result = load_waves(waves, codebook, invited_counts(survey))
    if survey.hr:
        read_hr_figures(survey.path(survey.hr))
    return result


@pytest.mark.parametrize("case", COMMON_SURVEY_CASES + RESIDENTS_ONLY, ids=lambda c: c.id)
def test_residents_survey_folder(case: Case, demo_root: Path, tmp_path: Path) -> None:
    folder = _copy_survey(demo_root, "residents", tmp_path)
    case.make(folder)
    check(case, lambda: residents_run(folder))


STAFF_CASES = [c for c in COMMON_SURVEY_CASES if c.id != "answer-code-text"] + STAFF_ONLY


@pytest.mark.parametrize("case", STAFF_CASES, ids=lambda c: c.id)
def test_staff_survey_folder(case: Case, demo_root: Path, tmp_path: Path) -> None:
    folder = _copy_survey(demo_root, "staff", tmp_path)
    case.make(folder)
    check(case, lambda: staff_run(folder))


# --------------------------------------------------------------------------- batch files


def _batch(content: object) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / "batch.yml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return path

    return make


def _good(**changes: object) -> dict[str, object]:
    content: dict[str, object] = {"councils": [DEMO, "Brackenford"], "reports": ["finance"]}
    content.update(changes)
    return content


BATCH_CASES = [
    Case("good-batch", _batch(_good()), "ok"),
    Case(
        "good-batch-per-council-entry",
        _batch(_good(councils=[{"council": DEMO, "reports": ["finance"]}])),
        "ok",
    ),
    Case(
        "batch-not-utf8", _batch(b"councils: [Br\xe6ckenford]\n"), mentions=("batch.yml", "UTF-8")
    ),
    Case("batch-a-list", _batch("- X00000001\n"), mentions=("batch.yml", "mapping")),
    Case("batch-empty", _batch(""), mentions=("batch.yml",)),
    Case("batch-not-yaml", _batch("councils: [unclosed\n"), mentions=("batch.yml", "YAML")),
    Case("batch-missing", lambda t: t / "nowhere.yml", mentions=("nowhere.yml",)),
    Case("batch-is-a-folder", lambda t: t, mentions=("cannot read",)),
    Case(
        "top-key-typo",
        _batch({"councils": [DEMO], "reprts": ["finance"]}),
        mentions=("reprts", "reports"),
    ),
    Case(
        "nested-key-typo",
        _batch(_good(councils=[{"council": DEMO, "reprts": ["finance"]}])),
        mentions=("councils.0.reprts", "did you mean 'reports'"),
    ),
    Case("unknown-report", _batch(_good(reports=["finanse"])), mentions=("finanse", "finance")),
    Case(
        "unknown-report-in-entry",
        _batch(_good(councils=[{"council": DEMO, "reports": ["workforse"]}])),
        mentions=("workforse", "workforce"),
    ),
    Case("no-reports", _batch(_good(reports=[])), mentions=("reports",)),
    Case("unknown-council", _batch(_good(councils=["Gotham"])), mentions=("Gotham", "demo")),
    Case(
        "council-typo",
        _batch(_good(councils=["Brakenford"])),
        mentions=("Brakenford", "Brackenford"),
    ),
    Case("council-code-typo", _batch(_good(councils=["X00000021"])), mentions=("X00000021",)),
    Case("empty-council", _batch(_good(councils=[""])), mentions=("empty",)),
    Case("councils-a-number", _batch(_good(councils=5)), mentions=("councils",)),
    Case("councils-word-not-all", _batch(_good(councils="every")), mentions=("councils", "every")),
    Case("jobs-zero", _batch(_good(jobs=0)), mentions=("jobs", "0")),
    Case("jobs-text", _batch(_good(jobs="two")), mentions=("jobs", "two")),
    Case("option-unknown", _batch(_good(options={"colour": "red"})), mentions=("colour",)),
    Case(
        "option-typo",
        _batch(_good(reports=["workforce"], options={"threshhold": 12})),
        mentions=("threshhold", "threshold"),
    ),
    Case(
        "threshold-below-ten",
        _batch(_good(reports=["workforce"], options={"threshold": 5})),
        mentions=("threshold", "5"),
    ),
    Case(
        "survey-dir-missing",
        _batch(_good(reports=["residents"], options={"survey_dir": "no-such-folder"})),
        mentions=("no-such-folder", "survey.yml"),
    ),
    Case("data-dir-missing", _batch(_good(data_dir="no-such-data")), mentions=("no-such-data",)),
    Case(
        "national-table-missing",
        _batch(_good(reports=["residents"], options={"national_table": "polls.csv"})),
        mentions=("national_table", "polls.csv"),
    ),
    Case(
        "out-is-a-file", lambda t: _batch(_good(out=str(_a_file(t))))(t), mentions=("--out", "file")
    ),
    Case(
        "out-inside-a-file",
        lambda t: _batch(_good(out=str(_a_file(t) / "sub")))(t),
        mentions=("--out", "inside"),
    ),
    Case(
        "out-not-writable",
        _batch(_good(out="/proc/councilpack-out")),
        mentions=("--out", "cannot write"),
    ),
]


def _a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file.txt"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


def _staff_and_residents(tmp_path: Path, demo_root: Path, same: bool) -> Path:
    residents = _copy_survey(demo_root, "residents", tmp_path)
    staff = _copy_survey(demo_root, "staff", tmp_path)
    options = (
        {"survey_dir": str(residents)}
        if same
        else {"residents.survey_dir": str(residents), "workforce.survey_dir": str(staff)}
    )
    return _batch(_good(councils=[DEMO], reports=["residents", "workforce"], options=options))(
        tmp_path
    )


@pytest.mark.parametrize("case", BATCH_CASES, ids=lambda c: c.id)
def test_batch_file(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = case.make(tmp_path)
    check(case, lambda: batch.plan(batch.load_batch(path)))


def test_each_report_takes_its_own_survey_folder(demo_root: Path, tmp_path: Path) -> None:
    path = _staff_and_residents(tmp_path, demo_root, same=False)
    tasks = batch.plan(batch.load_batch(path))
    folders = {task.report: Path(task.options["survey_dir"]).name for task in tasks}
    assert folders == {"residents": "residents", "workforce": "staff"}


def test_one_survey_folder_for_both_reports_is_refused_before_any_kernel(
    demo_root: Path, tmp_path: Path
) -> None:
    path = _staff_and_residents(tmp_path, demo_root, same=True)
    case = Case("same-folder-for-both", lambda: None, mentions=("workforce", "expected 'staff'"))
    check(case, lambda: batch.plan(batch.load_batch(path)))


def test_register_slug_outside_out_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from councilpack.demo import demo_context

    context = demo_context(surveys_dir=None)
    table = context.register.table.copy()
    table.loc[0, "slug"] = "../../x"
    context.register = Register(table)
    monkeypatch.setattr(batch, "open_data", lambda data_dir: context)
    case = Case("register-slug-dot-dot", lambda: None, mentions=("../../x",))
    check(case, lambda: batch.plan(batch.BatchSpec(councils=[DEMO], reports=["finance"])))


def test_real_council_without_survey_folder_is_refused_before_any_kernel(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import dataclasses

    from councilpack.demo import demo_context

    context = dataclasses.replace(demo_context(surveys_dir=None), label="open data")
    monkeypatch.setattr(batch, "open_data", lambda data_dir: context)
    case = Case("no-survey-dir", lambda: None, mentions=("-p workforce.survey_dir",))
    spec = batch.BatchSpec(councils=[DEMO], reports=["workforce"], out=str(tmp_path))
    check(case, lambda: batch.plan(spec))


# --------------------------------------------------------------------------- parameters


PARAMETER_CASES = [
    Case("good-finance", lambda: validate_parameters("finance", {"council": DEMO}), "ok"),
    Case(
        "council-not-gss",
        lambda: validate_parameters("finance", {"council": "Knowsley"}),
        mentions=("council", "Knowsley"),
    ),
    Case(
        "parameter-typo",
        lambda: validate_parameters("workforce", {"council": DEMO, "treshold": 12}),
        mentions=("treshold", "threshold"),
    ),
    Case(
        "threshold-low",
        lambda: validate_parameters("workforce", {"council": DEMO, "threshold": 3}),
        mentions=("threshold", "3"),
    ),
    Case(
        "threshold-text",
        lambda: validate_parameters("workforce", {"council": DEMO, "threshold": "ten"}),
        mentions=("threshold", "ten"),
    ),
    Case(
        "minimum-base-low",
        lambda: validate_parameters("residents", {"council": DEMO, "minimum_base": 5}),
        mentions=("minimum_base",),
    ),
    Case(
        "unknown-report",
        lambda: validate_parameters("finanse", {"council": DEMO}),
        mentions=("finanse", "finance"),
    ),
    Case(
        "council-missing",
        lambda: validate_parameters("finance", {}),
        mentions=("council", "missing"),
    ),
]


@pytest.mark.parametrize("case", PARAMETER_CASES, ids=lambda c: c.id)
def test_parameters(case: Case) -> None:
    check(case, case.make)


# --------------------------------------------------------------------------- council names


def _register() -> Register:
    rows = [
        ("E06000010", "Kingston upon Hull, City of"),
        ("E08000029", "Solihull"),
        ("E08000011", "Knowsley"),
        ("E09000021", "Kingston upon Thames"),
        ("E06000052", "Cornwall"),
        ("E07000061", "Eastbourne"),
        ("E06000053", "Isles of Scilly"),
    ]
    table = pd.DataFrame(
        {
            "gss_code": [code for code, _ in rows],
            "name": [name for _, name in rows],
            "slug": [name.lower().replace(",", "").replace(" ", "-") for _, name in rows],
            "council_type": "Unitary authority",
            "region": "England",
        }
    )
    return Register(table, former_codes={"E06000001": "E06000052"})


NAME_CASES = [
    Case("hull-is-kingston-upon-hull", lambda r: r.resolve("Hull"), "ok"),
    Case("code", lambda r: r.resolve("E08000011"), "ok"),
    Case("former-code", lambda r: r.resolve("E06000001"), "ok"),
    Case("lower-case-name", lambda r: r.resolve("knowsley"), "ok"),
    Case(
        "typo-knowsly",
        lambda r: r.resolve("Knowsly"),
        mentions=("Knowsly", "did you mean", "Knowsley"),
    ),
    Case("unambiguous-fragment", lambda r: r.resolve("Cornwal"), "ok"),
    Case("typo-cornwell", lambda r: r.resolve("Cornwell"), mentions=("Cornwall",)),
    Case("code-typo", lambda r: r.resolve("E08000012"), mentions=("E08000012", "Knowsley")),
    Case(
        "ambiguous-kingston", lambda r: r.resolve("Kingston"), mentions=("Kingston", "2 councils")
    ),
    Case("empty", lambda r: r.resolve("  "), mentions=("empty",)),
    Case("nonsense", lambda r: r.resolve("Gotham"), mentions=("Gotham",)),
]


@pytest.mark.parametrize("case", NAME_CASES, ids=lambda c: c.id)
def test_council_names(case: Case) -> None:
    register = _register()
    check(case, lambda: case.make(register))


def test_hull_resolves_to_kingston_upon_hull_not_solihull() -> None:
    assert _register().resolve("Hull").gss_code == "E06000010"


# --------------------------------------------------------------------------- stores


def _store(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    """A store folder with every file present (tiny frames) and one change."""
    from councilpack.data.store import STORE_VERSION

    store = tmp_path / "store"
    store.mkdir()
    (store / "build.json").write_text(
        json.dumps({"store_version": STORE_VERSION, "inputs": {}}), encoding="utf-8"
    )
    (store / "lookups.json").write_text(
        json.dumps({"former_codes": {}, "aliases": {}}), encoding="utf-8"
    )
    for name in ("register", "metrics", "excluded", "comparators"):
        pd.DataFrame({"a": [1]}).to_parquet(store / f"{name}.parquet")
    change(store)
    return store


STORE_CASES = [
    Case(
        "old-store-version",
        lambda s: (s / "build.json").write_text('{"store_version": 1}'),
        mentions=("version 1", "rebuild"),
    ),
    Case(
        "build-json-truncated",
        lambda s: (s / "build.json").write_text('{"store_ver'),
        mentions=("build.json",),
    ),
    Case(
        "build-json-a-list",
        lambda s: (s / "build.json").write_text("[]"),
        mentions=("store version",),
    ),
    Case(
        "metrics-missing", lambda s: (s / "metrics.parquet").unlink(), mentions=("metrics.parquet",)
    ),
    Case("metrics-truncated", lambda s: truncated(s / "metrics.parquet"), mentions=("store",)),
    Case(
        "lookups-not-json",
        lambda s: (s / "lookups.json").write_text("former_codes: {}"),
        mentions=("store",),
    ),
    Case(
        "lookups-lacks-key",
        lambda s: (s / "lookups.json").write_text("{}"),
        mentions=("former_codes",),
    ),
]


@pytest.mark.parametrize("case", STORE_CASES, ids=lambda c: c.id)
def test_store_folder(case: Case, tmp_path: Path) -> None:
    from councilpack.data.store import open_store

    store = _store(tmp_path, case.make)
    check(case, lambda: open_store(store))


# --------------------------------------------------------------------------- the CLI


def invoke(args: list[str]) -> tuple[str, str]:
    """Run the CLI in process; classify as error (one line, exit 2), ok (exit 0) or crash."""
    result = CliRunner().invoke(app, args)
    stderr = result.stderr.strip()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "crash", f"{type(result.exception).__name__}: {result.exception}"
    if result.exit_code == 0:
        return "ok", result.stdout
    lines = stderr.splitlines()
    if result.exit_code == 2 and len(lines) == 1 and "Traceback" not in stderr:
        return "error", lines[0]
    return "crash", f"exit {result.exit_code}: {stderr[:500]}"


CLI_CASES = [
    Case(
        "report-typo",
        lambda t: ["build", DEMO, "--report", "finanse"],
        mentions=("finanse", "did you mean 'finance'"),
    ),
    Case("no-report", lambda t: ["build", DEMO, "--report", ","], mentions=("--report",)),
    Case(
        "param-without-equals",
        lambda t: ["build", DEMO, "-p", "threshold"],
        mentions=("--param", "threshold"),
    ),
    Case(
        "param-typo",
        lambda t: ["build", DEMO, "-r", "workforce", "-p", "treshold=12"],
        mentions=("treshold", "threshold"),
    ),
    Case(
        "param-bad-value",
        lambda t: ["build", DEMO, "-r", "workforce", "-p", "threshold=5"],
        mentions=("threshold", "5"),
    ),
    Case("council-typo", lambda t: ["build", "Brakenford"], mentions=("Brackenford",)),
    Case(
        "real-council-on-demo-data",
        lambda t: ["build", "Knowsley"],
        mentions=("Knowsley", "demo", "--data-dir"),
    ),
    Case(
        "out-is-a-file",
        lambda t: ["build", DEMO, "--out", str(_a_file(t))],
        mentions=("--out", "file"),
    ),
    Case(
        "out-inside-a-file",
        lambda t: ["build", DEMO, "--out", str(_a_file(t) / "x")],
        mentions=("inside",),
    ),
    Case(
        "survey-dir-missing",
        lambda t: ["build", DEMO, "-r", "residents", "-p", "survey_dir=nowhere"],
        mentions=("nowhere",),
    ),
    Case(
        "batch-file-not-utf8",
        lambda t: ["batch", str(_batch(b"councils: [\xe9]\n")(t))],
        mentions=("batch.yml",),
    ),
    Case(
        "batch-file-a-list", lambda t: ["batch", str(_batch("- a\n")(t))], mentions=("batch.yml",)
    ),
    Case(
        "batch-nested-typo",
        lambda t: ["batch", str(_batch(_good(councils=[{"councl": DEMO}]))(t))],
        mentions=("councils.0.councl", "council"),
    ),
    Case(
        "councils-without-data",
        lambda t: ["councils", "Knowsley"],
        mentions=("COUNCILPACK_DATA_DIR",),
    ),
    Case(
        "councils-data-dir-missing",
        lambda t: ["councils", "--data-dir", str(t / "none")],
        mentions=("none",),
    ),
    Case(
        "data-check-missing-folder",
        lambda t: ["data", "check", "--data-dir", str(t)],
        mentions=("not found",),
    ),
    Case(
        "data-fetch-offline",
        lambda t: [
            "data",
            "fetch",
            "--cache",
            str(t / "cache"),
            "--base-url",
            "http://127.0.0.1:9",
        ],
        mentions=("cannot reach", "http://127.0.0.1:9/"),
    ),
    # Click's usage errors: one line too, with the usage and where help is.
    Case(
        "unknown-option",
        lambda t: ["build", DEMO, "--bogus"],
        mentions=("no such option: --bogus", "usage: ", " build [options]", " build --help"),
    ),
    Case(
        "unknown-option-of-a-subcommand",
        lambda t: ["data", "build", "--bogus"],
        mentions=("--bogus", " data build [options]", " data build --help"),
    ),
    Case(
        "unknown-main-option",
        lambda t: ["--bogus", "build", DEMO],
        mentions=("--bogus", "usage: ", "--help"),
    ),
    Case("missing-argument", lambda t: ["build"], mentions=("missing argument", "councils")),
    Case("missing-option", lambda t: ["data", "build"], mentions=("missing option", "--data-dir")),
    Case("unknown-command", lambda t: ["buld"], mentions=("buld", "did you mean 'build'")),
    Case("jobs-not-a-number", lambda t: ["demo", "--jobs", "x"], mentions=("--jobs", "integer")),
    Case("jobs-below-one", lambda t: ["build", DEMO, "--jobs", "0"], mentions=("--jobs", "1")),
    Case(
        "data-dir-is-a-file",
        lambda t: ["build", DEMO, "--data-dir", str(t / "file.txt")] if _touch(t) else [],
        mentions=("--data-dir", "file.txt", "is a file"),
    ),
]


def _touch(folder: Path) -> bool:
    (folder / "file.txt").write_text("not a folder\n")
    return True


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_cli(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COUNCILPACK_DATA_DIR", raising=False)
    monkeypatch.delenv("COUNCILPACK_DEBUG", raising=False)
    kind, message = invoke(case.make(tmp_path))
    assert kind == case.expect, f"{case.id}: expected {case.expect}, got {kind}: {message}"
    for word in case.mentions:
        assert word.lower() in message.lower(), f"{case.id}: {message}"


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--debug", "build", DEMO, "--report", "finanse"])
    assert isinstance(result.exception, CouncilpackError)


def test_debug_shows_a_usage_error_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILPACK_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["--debug", "build", DEMO, "--bogus"])
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert "No such option: --bogus" in result.stderr
    assert "error: " not in result.stderr
    assert len(result.stderr.strip().splitlines()) > 1


def test_a_command_given_alone_still_shows_its_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILPACK_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["data"])
    assert "Build, check and fetch the official open data." in result.output
    assert "error: " not in result.output


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


def test_a_bad_choice_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILPACK_DEBUG", raising=False)
    mini = typer.Typer(cls=OneLineUsageGroup)

    @mini.callback()
    def _main() -> None:
        """A group, as the councilpack command is."""

    @mini.command()
    def paint(colour: Annotated[Colour, typer.Option("--colour")] = Colour.RED) -> None:
        """Print the colour."""
        typer.echo(colour.value)

    result = CliRunner().invoke(mini, ["paint", "--colour", "green"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: Invalid value for '--colour': ")
    assert "'green' is not one of " in lines[0]
    assert "'red'" in lines[0]
    assert "'blue'" in lines[0]
    assert "usage: " in lines[0]
    assert lines[0].endswith("paint --help")
    assert CliRunner().invoke(mini, ["paint", "--colour", "blue"]).stdout == "blue\n"


def test_debug_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCILPACK_DEBUG", "1")
    result = CliRunner().invoke(app, ["build", DEMO, "--report", "finanse"])
    assert isinstance(result.exception, CouncilpackError)


@pytest.mark.open_data
@pytest.mark.parametrize(
    ("council", "expect", "mentions"),
    [
        ("Knowsly", "error", ("did you mean", "Knowsley (E08000011)")),
        ("Kingston", "error", ("Kingston upon Hull", "Kingston upon Thames")),
        ("Gotham", "error", ("Gotham",)),
    ],
)
def test_cli_council_names_on_open_data(
    council: str,
    expect: str,
    mentions: tuple[str, ...],
    open_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    kind, message = invoke(["build", council, "--data-dir", str(open_data_dir), "--out", "x"])
    assert kind == expect, message
    for word in mentions:
        assert word in message


@pytest.mark.open_data
def test_hull_plans_kingston_upon_hull_on_open_data(open_data_dir: Path, tmp_path: Path) -> None:
    tasks = batch.plan(
        batch.BatchSpec(councils=["Hull"], data_dir=str(open_data_dir), out=str(tmp_path))
    )
    assert [task.council for task in tasks] == ["E06000010"]


def test_catalogue_size() -> None:
    """Issue 14 asks for at least 120 cases covering every kind it names."""
    library = (
        len(LOADER_CASES)
        + len(COMMON_SURVEY_CASES + RESIDENTS_ONLY)
        + len(STAFF_CASES)
        + len(BATCH_CASES)
        + len(PARAMETER_CASES)
        + len(NAME_CASES)
        + len(STORE_CASES)
        + len(CLI_CASES)
    )
    assert library >= 120, library
