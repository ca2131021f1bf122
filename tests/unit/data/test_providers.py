"""Named data sets: the registry the demo registers itself in, and the cache location."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from councilpack.data import model, open_data, providers
from councilpack.demo import demo_register
from councilpack.errors import ArgumentError, ParameterError
from councilpack.settings import CACHE_DIR_ENV, cache_dir, project_root


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a test register providers without leaving them behind."""
    monkeypatch.setattr(providers, "_providers", dict(providers._providers))
    monkeypatch.setattr(providers, "_default", list(providers._default))


def _tiny() -> model.DataContext:
    register = model.Register(demo_register().table.head(2))
    return model.DataContext(register, model.empty_excluded(), {}, "tiny")


def test_the_demo_is_registered_by_importing_councilpack() -> None:
    assert "demo" in providers.provider_names()
    assert providers.provider_name("") == providers.provider_name(None) == "demo"
    assert open_data("").label == open_data("demo").label == "demo"


def test_a_registered_provider_is_opened_by_name(registry: None) -> None:
    providers.register_provider("tiny", _tiny)
    assert open_data("tiny").label == "tiny"
    assert len(open_data("tiny").register) == 2
    assert open_data("").label == "demo"  # still the default
    providers.register_provider("tiny", _tiny, default=True)
    assert open_data("").label == "tiny"


def test_no_default_is_one_line(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(providers, "_default", [])
    with pytest.raises(ParameterError, match="no default data set is registered"):
        open_data("")


@pytest.mark.parametrize("name", ["", "a/b", "..", "a\\b"])
def test_a_name_that_reads_as_a_folder_is_refused(registry: None, name: str) -> None:
    with pytest.raises(ArgumentError, match="could be read as a folder"):
        providers.register_provider(name, _tiny)


def test_opening_the_demo_for_finance_loads_no_survey_generator(tmp_path: Path) -> None:
    code = (
        "import sys; from councilpack.data import open_data; data = open_data('');"
        "from councilpack.finance import analysis; analysis.analyse(data, 'X00000001');"
        "import json; print(json.dumps(sorted(m for m in sys.modules if m.startswith("
        "('councilpack.residents', 'councilpack.workforce', 'councilpack.demo.files')))))"
    )
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(result.stdout) == []
    assert list(tmp_path.iterdir()) == []  # nor writes the demo survey files


def test_cache_is_the_user_cache_directory_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    assert cache_dir() == tmp_path.resolve()
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache_dir() == tmp_path / "xdg" / "councilpack"
    assert not cache_dir().resolve().is_relative_to(project_root())


def test_tests_run_with_a_temporary_cache() -> None:
    # tests/conftest.py points the cache at a folder of this session (or one the developer keeps).
    assert os.environ[CACHE_DIR_ENV]
    assert not cache_dir().is_relative_to(project_root())
