"""Input folders whose every text field carries a script payload (see test_script_payloads).

Built from the demo council X00000001: a data store (register, metrics, comparator groups)
whose council name and comparator group wording are payloads, and copies of its residents'
and staff survey folders whose titles, statements, item and group labels, directorate names
and HR period and comparator group are payloads. Each payload tries three ways in: an image
whose ``onerror`` opens a dialog, an inline script, and a ``javascript:`` link; every element
it would create carries the class ``cp-injected``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from councilpack.data.comparators import comparators_to_frame
from councilpack.data.model import ComparatorGroup, Register, empty_excluded
from councilpack.data.store import STORE_VERSION
from councilpack.demo import demo_context
from councilpack.demo.files import residents_dir, staff_dir

COUNCIL = "X00000001"
INJECTED_CLASS = "cp-injected"


def short_payload(tag: str) -> str:
    """Return a five-word payload (an ``onerror`` image and an inline script) for one field.

    For labels that go into chart titles, which may not exceed ten words.
    """
    return (
        f"{tag}<img src=x onerror=\"alert('{tag}')\" class={INJECTED_CLASS}>"
        f"<script class={INJECTED_CLASS}>alert('{tag}')</script>"
    )


def payload(tag: str) -> str:
    """Return a payload for one field; ``tag`` names the field in any dialog it opens.

    Besides :func:`short_payload`: a Markdown and an HTML ``javascript:`` link, and
    ``{0}``, which a second ``str.format`` pass would replace.
    """
    return (
        f"{short_payload(tag)}[{tag}](javascript:alert('{tag}'))"
        f" <a href=\"javascript:alert('{tag}')\" class={INJECTED_CLASS}>{tag}</a> **{{0}}**"
    )


def _write_yaml(path: Path, content: Any) -> None:
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_store(target: Path) -> Path:
    """Write a data store (the layout ``councilpack data build`` writes) with payload wording."""
    context = demo_context()
    table = context.register.table.copy()
    table.loc[table["gss_code"] == COUNCIL, "name"] = payload("council-name")
    register = Register(table)
    groups = [
        ComparatorGroup(
            kind=group.kind,
            label=payload(f"group-label-{index}"),
            definition=payload(f"group-definition-{index}"),
            vintage=payload(f"group-vintage-{index}"),
            members=group.members,
        )
        for index, group in enumerate(context.comparators.get(COUNCIL, []))
    ]
    comparators = dict(context.comparators)
    comparators[COUNCIL] = tuple(groups)
    target.mkdir(parents=True)
    context.metrics.to_parquet(target / "metrics.parquet", index=False)
    empty_excluded().to_parquet(target / "excluded.parquet", index=False)
    register.table.to_parquet(target / "register.parquet", index=False)
    (target / "lookups.json").write_text(
        json.dumps({"former_codes": {}, "aliases": {}}), encoding="utf-8"
    )
    comparators_to_frame(comparators).to_parquet(target / "comparators.parquet", index=False)
    build = {"label": "open data", "store_version": STORE_VERSION, "inputs": {}}
    (target / "build.json").write_text(json.dumps(build), encoding="utf-8")
    return target


def _payload_codebook(codebook: dict[str, Any], kind: str) -> dict[str, str]:
    """Put payloads in a codebook's wording; return old -> new directorate names."""
    codebook["title"] = payload(f"{kind}-codebook-title")
    for item_id, item in codebook["items"].items():
        item["label"] = short_payload(f"{kind}-item-{item_id}")
        if "theme" in item:
            item["theme"] = payload(f"{kind}-theme-{item['theme']}")
    renamed: dict[str, str] = {}
    for variable, group in codebook["groups"].items():
        group["label"] = short_payload(f"{kind}-group-{variable}")
        # Age bands are matched to the ONS population margins: their names must stay.
        if variable != "age_band" and group.get("categories"):
            categories = {}
            for position, (name, codes) in enumerate(group["categories"].items()):
                categories[payload(f"{kind}-{variable}-{position}")] = codes
                if variable == "directorate":
                    renamed[name] = payload(f"{kind}-{variable}-{position}")
            group["categories"] = categories
    workforce = codebook.get("workforce")
    if workforce:
        workforce["statements"] = {
            item: payload(f"statement-{item}") for item in workforce["statements"]
        }
        workforce["engagement_index"] = list(workforce["engagement_index"])
    return renamed


def write_residents(surveys: Path, target: Path) -> Path:
    """Copy the demo residents' survey with payloads in its codebook and area names."""
    shutil.copytree(residents_dir(surveys, COUNCIL), target)
    codebook = yaml.safe_load((target / "codebook.yml").read_text(encoding="utf-8"))
    _payload_codebook(codebook, "residents")
    _write_yaml(target / "codebook.yml", codebook)
    manifest = yaml.safe_load((target / "survey.yml").read_text(encoding="utf-8"))
    manifest["title"] = payload("residents-survey-title")
    _write_yaml(target / "survey.yml", manifest)
    for wave in manifest["waves"]:
        path = target / wave["file"]
        frame = pd.read_csv(path)
        areas = {
            name: payload(f"residents-area-{n}") for n, name in enumerate(frame["AREA"].unique())
        }
        frame["AREA"] = frame["AREA"].map(areas)
        frame.to_csv(path, index=False)
    return target


def write_staff(surveys: Path, target: Path) -> Path:
    """Copy the demo staff survey with payloads in its codebook, invited counts and HR file."""
    shutil.copytree(staff_dir(surveys, COUNCIL), target)
    codebook = yaml.safe_load((target / "codebook.yml").read_text(encoding="utf-8"))
    renamed = _payload_codebook(codebook, "staff")
    _write_yaml(target / "codebook.yml", codebook)
    manifest = yaml.safe_load((target / "survey.yml").read_text(encoding="utf-8"))
    manifest["title"] = payload("staff-survey-title")
    for wave in manifest["waves"]:
        wave["invited_by_directorate"] = {
            renamed[name]: count for name, count in wave["invited_by_directorate"].items()
        }
    _write_yaml(target / "survey.yml", manifest)
    hr = yaml.safe_load((target / manifest["hr"]).read_text(encoding="utf-8"))
    hr["period"] = payload("hr-period")
    hr["source"] = payload("hr-source")
    for name, comparator in hr["comparators"].items():
        comparator["group"] = payload(f"hr-comparator-group-{name}")
        comparator["source"] = payload(f"hr-comparator-source-{name}")
    _write_yaml(target / manifest["hr"], hr)
    return target
