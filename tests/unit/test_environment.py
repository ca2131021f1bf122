"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[;\s]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra if not r.startswith("councilpack")}
    return names


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


def test_gitignore_does_not_hide_lib() -> None:
    rules = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not [r for r in rules if r.strip().rstrip("/") in {"lib", "/lib", "lib64"}]
