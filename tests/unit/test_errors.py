"""The error tree and its one-line messages (councilpack.errors, councilpack.files, councilpack.paths)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from councilpack import errors
from councilpack.batch import BatchError
from councilpack.catalogue import CatalogueError
from councilpack.data.checks import CheckFailure, DataCheckError
from councilpack.data.model import CouncilLookupError
from councilpack.data.store import StoreVersionError
from councilpack.files import check_csv_complete, reading
from councilpack.paths import check_folder_name, check_output_folder, inside
from councilpack.reports import ParameterError
from councilpack.settings import SettingsError
from councilpack.surveys.errors import SurveyDataError


@pytest.mark.parametrize(
    ("cls", "branch", "builtin"),
    [
        (DataCheckError, errors.InputDataError, ValueError),
        (StoreVersionError, errors.InputDataError, RuntimeError),
        (CatalogueError, errors.InputDataError, ValueError),
        (SurveyDataError, errors.InputDataError, ValueError),
        (ParameterError, errors.ParameterError, ValueError),
        (CouncilLookupError, errors.ParameterError, LookupError),
        (BatchError, errors.BatchError, ValueError),
        (SettingsError, errors.SettingsError, RuntimeError),
        (errors.MissingFileError, errors.InputDataError, FileNotFoundError),
        (errors.UnknownKeyError, errors.ArgumentError, KeyError),
    ],
)
def test_existing_classes_sit_in_the_tree_and_keep_their_builtin_base(
    cls: type[Exception], branch: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(cls, errors.CouncilpackError)
    assert issubclass(cls, branch)
    assert issubclass(cls, builtin)


def test_check_collector_lists_an_unreadable_file_beside_failed_checks(tmp_path: Path) -> None:
    from councilpack.data.checks import CheckCollector

    def unreadable() -> None:
        with reading(tmp_path / "ASC_data.csv"):
            b"\xff".decode("utf-8")

    def failing() -> None:
        raise DataCheckError([CheckFailure("NN.json", "E06000001", None, None, "unknown code")])

    checks = CheckCollector()
    checks.run(unreadable)
    checks.run(failing)
    with pytest.raises(DataCheckError) as info:
        checks.raise_if_failed()
    assert [f.file for f in info.value.failures] == ["ASC_data.csv", "NN.json"]
    assert info.value.failures[0].message.startswith("not UTF-8 text")


def test_messages_are_one_line() -> None:
    assert str(errors.ParameterError("a\nb")) == "a b"
    assert str(errors.UnknownKeyError("no table 'x'")) == "no table 'x'"  # not quoted like KeyError


def test_located_error_names_file_column_and_row() -> None:
    error = SurveyDataError("code 9 is not in the codebook", file="w.csv", column="Q2", row=17)
    assert str(error) == "w.csv: column 'Q2', row 17: code 9 is not in the codebook"


def test_data_check_error_is_located_by_its_first_failure() -> None:
    error = DataCheckError(
        [
            CheckFailure("rs.xlsx", "NRE", 57, "E4301 Knowsley", "expected a number, got 'n/a'"),
            CheckFailure("rs.xlsx", "NRE", 58, None, "expected a number"),
        ]
    )
    assert (error.file, error.column, error.row) == ("rs.xlsx", "NRE", 57)
    assert str(error) == (
        "rs.xlsx: column 'NRE' row 57 (E4301 Knowsley): expected a number, got 'n/a' "
        "(and 1 more problem)"
    )


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    council: str
    reports: list[str] | None = None


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    councils: list[str | Inner]
    jobs: int = 1


def _message(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Outer.model_validate(data)
    return errors.validation_message(info.value, data, model=Outer)


def test_validation_message_drops_union_branches_and_suggests_a_key() -> None:
    # pydantic reports the mapping against both branches ('str' and 'Inner'); one line remains.
    message = _message({"councils": [{"council": "A", "reprts": ["x"]}]})
    assert message == "councils.0.reprts: unknown key (did you mean 'reports'?)"


def test_validation_message_names_the_value() -> None:
    assert _message({"councils": ["A"], "jobs": "two"}) == (
        "jobs: Input should be a valid integer, unable to parse string as an integer (got 'two')"
    )


def test_validation_message_joins_every_problem() -> None:
    message = _message({"councils": ["A"], "jobs": "two", "colour": "red"})
    assert message.count("; ") == 1
    assert "colour: unknown key" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("finanse", " (did you mean 'finance'?)"),
        ("FINANCE", " (did you mean 'finance'?)"),
        ("x", ""),
    ],
)
def test_suggest(value: str, expected: str) -> None:
    assert errors.suggest(value, ["finance", "residents", "workforce"]) == expected


def test_reading_wraps_format_errors_and_passes_bugs_through(tmp_path: Path) -> None:
    with (
        pytest.raises(errors.FileFormatError, match=r"^a\.csv: not UTF-8 text"),
        reading(tmp_path / "a.csv"),
    ):
        b"\xe9".decode("utf-8")
    with pytest.raises(ZeroDivisionError), reading(tmp_path / "a.csv"):
        _ = 1 / 0


def test_cut_off_csv_is_refused_and_a_missing_final_newline_is_not(tmp_path: Path) -> None:
    complete = tmp_path / "complete.csv"
    complete.write_text("a,b,c\n1,2,3", encoding="utf-8")  # no final newline, but whole
    check_csv_complete(complete)
    cut = tmp_path / "cut.csv"
    cut.write_text("a,b,c\n1,2,3\n4,5", encoding="utf-8")
    with pytest.raises(errors.FileFormatError, match=r"^cut\.csv: the last row has 2 of 3 fields"):
        check_csv_complete(cut)


@pytest.mark.parametrize("name", ["../x.csv", "sub/../../x.csv", "/etc/passwd", "C:\\x.csv"])
def test_inside_refuses_names_leading_out(name: str, tmp_path: Path) -> None:
    with pytest.raises(errors.InputDataError, match=r"survey\.yml"):
        inside(tmp_path, name, listed_in="survey.yml")


def test_inside_accepts_sub_folders_and_refuses_links_out(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "sub").mkdir()
    assert inside(tmp_path / "in", "sub/w.csv", listed_in="s") == tmp_path / "in" / "sub" / "w.csv"
    (tmp_path / "outside.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "in" / "link.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(errors.InputDataError, match="link to a file outside"):
        inside(tmp_path / "in", "link.csv", listed_in="s")


@pytest.mark.parametrize("name", ["E08000011-knowsley", "X00000001-aldermoor-and-hythe"])
def test_folder_names_accepted(name: str) -> None:
    assert check_folder_name(name, source="register") == name


@pytest.mark.parametrize(
    "name", ["E08000011-../../x", "../x", "E08000011-Knowsley", "E08000011-a/b"]
)
def test_folder_names_refused(name: str) -> None:
    with pytest.raises(errors.InputDataError, match="register"):
        check_folder_name(name, source="register")


def test_output_folder(tmp_path: Path) -> None:
    assert check_output_folder(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    file = tmp_path / "f"
    file.write_text("", encoding="utf-8")
    with pytest.raises(errors.OutputError, match="is a file"):
        check_output_folder(file)
    with pytest.raises(errors.OutputError, match="inside"):
        check_output_folder(file / "x")


def test_an_output_write_the_system_refuses_is_one_line(tmp_path: Path) -> None:
    from councilpack.atomic import write_text_atomic

    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(
        errors.OutputError, match=r"^cannot write .*blocker/x/index\.html: "
    ) as info:
        write_text_atomic(blocker / "x" / "index.html", "<p>")
    assert isinstance(info.value, OSError)  # existing ``except OSError`` still catch it


def test_a_task_whose_folder_leads_out_is_refused_before_building(tmp_path: Path) -> None:
    from councilpack.runner import ReportTask, build_report

    task = ReportTask("E08000011", "Knowsley", "E08000011-../../elsewhere", "finance")
    with pytest.raises(errors.InputDataError, match="elsewhere"):
        build_report(task, tmp_path)


def test_importing_the_cli_imports_no_heavy_library() -> None:
    """``councilpack --help`` must not pay for pandas, papermill or altair (issue 13 item 6)."""
    code = (
        "import sys, councilpack.cli\n"
        "heavy = {'pandas', 'papermill', 'altair', 'numpy', 'pyarrow', 'pandera', 'pydantic'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"
