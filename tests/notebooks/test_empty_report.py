"""A report with no figure for its council: status ``empty`` with the reason, said once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from councilpack.batch import BatchSpec, plan, run_batch
from councilpack.data import open_data, store
from councilpack.demo import demo_context

pytestmark = pytest.mark.slow


def _demo_store_without(tmp_path: Path, gss_code: str) -> Path:
    """Write a data store of the demo councils in which one council has no figures."""
    context = demo_context()
    metrics = context.metrics[context.metrics["gss_code"] != gss_code].reset_index(drop=True)
    loaded = store.LoadedData(
        metrics=metrics,
        excluded=context.excluded,
        register=context.register,
        comparators=dict(context.comparators),
    )
    folder = tmp_path / "store"
    store.write_store(folder, loaded, {"demo-without.csv": "0" * 64}, 0.0)
    return folder


def _check_empty(out: Path, folder: str, name: str) -> str:
    summary = json.loads((out / "manifest.json").read_text())
    (record,) = summary["reports"]
    assert record["status"] == "empty"
    assert summary["reports_empty"] == 1
    reason = record["reason"]
    assert reason
    page = (out / folder / "finance.html").read_text()
    notice = f"No figure is available for {name}: {reason}."
    assert page.count(notice) == 1  # said once, at the top
    assert page.index(notice) < page.index('id="cp-main"')
    sidecar = json.loads((out / folder / "finance.json").read_text())
    assert (sidecar["status"], sidecar["status_reason"]) == ("empty", reason)
    assert all(figure["value"] is None for figure in sidecar["figures"])
    index = (out / "index.html").read_text()
    assert "no figure for this council" in index
    return page


def test_a_demo_council_with_no_figures_is_empty(tmp_path: Path) -> None:
    data = _demo_store_without(tmp_path, "X00000003")
    tasks = plan(BatchSpec(councils=["X00000003"], reports=["finance"], data_dir=str(data)))
    result = run_batch(tasks, tmp_path / "out", data_dir=str(data))
    assert not result.failed
    assert [o.status for o in result.empty] == ["empty"]
    name = open_data(str(data)).register.resolve("X00000003").name
    _check_empty(tmp_path / "out", tasks[0].folder, name)


def test_cumberland_from_open_data_has_its_first_returns(
    open_data_dir: Path, tmp_path: Path
) -> None:
    """Cumberland (April 2023) was empty while the data stopped at 2017-18; now it is not.

    Its first RS return is 2023-24: the report is ``ok`` with figures for that year, and
    no figure claims a year before the council existed.
    """
    tasks = plan(
        BatchSpec(councils=["Cumberland"], reports=["finance"], data_dir=str(open_data_dir))
    )
    result = run_batch(tasks, tmp_path, data_dir=str(open_data_dir))
    assert [o.status for o in result.outcomes] == ["ok"]
    sidecar = json.loads((tmp_path / tasks[0].folder / "finance.json").read_text())
    valued = [f for f in sidecar["figures"] if f["value"] is not None]
    assert valued
    years = {f["period"][:7] for f in valued if f["period"]}
    assert "2023-24" in years
    assert not {y for y in years if y[:4].isdigit() and int(y[:4]) < 2023}
