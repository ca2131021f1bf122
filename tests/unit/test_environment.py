"""environment.yml (conda), pyproject.toml (pip) and pre-commit must list the same tools."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[;\s]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pyproject_names() -> set[str]:
    pyproject = _pyproject()
    project = pyproject["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra if not r.startswith("councilpack")}
    for group in pyproject["dependency-groups"].values():
        names |= {_name(r) for r in group if isinstance(r, str)}  # not {include-group = ...}
    return names


def _pins(requirements: list[str]) -> dict[str, str]:
    """Return name -> version of the requirements pinned with ``==``."""
    return {
        _name(r): r.split("==", 1)[1].strip()
        for r in requirements
        if isinstance(r, str) and "==" in r
    }


def _environment_names() -> set[str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names: set[str] = set()
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            names |= {_name(r) for r in item["pip"] if not r.startswith("-e")}
        else:
            names.add(_name(item))
    return names - {"python", "pip"}


def test_environment_yml_matches_pyproject() -> None:
    pip_names, conda_names = _pyproject_names(), _environment_names()
    assert not pip_names - conda_names, f"missing from environment.yml: {pip_names - conda_names}"
    assert not conda_names - pip_names, f"missing from pyproject.toml: {conda_names - pip_names}"


def test_pinned_lint_and_typecheck_tools_agree_everywhere() -> None:
    groups = _pyproject()["dependency-groups"]
    pins = _pins([*groups["lint"], *groups["typecheck"]])
    assert {"ruff", "mypy", "pandas-stubs"} <= set(pins), pins
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert _pins(pip) == pins
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    repos = {repo["repo"].rsplit("/", 1)[-1]: repo for repo in config["repos"]}
    assert repos["ruff-pre-commit"]["rev"] == f"v{pins['ruff']}"
    assert repos["mirrors-mypy"]["rev"] == f"v{pins['mypy']}"
    (hook,) = repos["mirrors-mypy"]["hooks"]
    assert "stages" not in hook  # runs on every commit, not only by hand
    stubs = {name: v for name, v in pins.items() if name not in {"ruff", "mypy"}}
    assert _pins(hook["additional_dependencies"]) == stubs
    # pre-commit's mypy runs without the project installed: it needs every typed dependency.
    typed = {_name(r) for r in _pyproject()["project"]["dependencies"]} - NOT_FOR_MYPY.keys()
    assert not typed - {_name(r) for r in hook["additional_dependencies"]}


#: Runtime dependencies pre-commit's mypy does without, and why.
NOT_FOR_MYPY = {
    "papermill": "untyped, ignored in [tool.mypy]",
    "pooch": "untyped, ignored in [tool.mypy]",
    "pyyaml": "types-PyYAML",
    "openpyxl": "types-openpyxl",
    "scipy": "scipy-stubs",
    "statsmodels": "not imported by lib/",
    "xlrd": "not imported by lib/",
}


def test_gitignore_does_not_hide_lib() -> None:
    rules = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not [r for r in rules if r.strip().rstrip("/") in {"lib", "/lib", "lib64"}]
