"""The whole report path on demo councils: parameters -> papermill -> HTML + sidecar."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from councilpack.data import open_data
from councilpack.runner import ReportOutcome, ReportTask, build_report

pytestmark = pytest.mark.slow

COUNCILS = ("X00000001", "X00000014")  # a metropolitan district and a shire district


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, ReportOutcome]]:
    out = tmp_path_factory.mktemp("reports")
    register = open_data("").register
    outcomes = {}
    for code in COUNCILS:
        council = register.get(code)
        task = ReportTask(code, council.name, council.folder, "finance")
        outcomes[code] = build_report(task, out)
    return out, outcomes


@pytest.mark.parametrize("code", COUNCILS)
def test_sidecar_figures_match_the_data(
    built: tuple[Path, dict[str, ReportOutcome]], code: str
) -> None:
    out, outcomes = built
    outcome = outcomes[code]
    assert outcome.status == "ok", outcome.error
    sidecar = json.loads((out / outcome.sidecar).read_text())  # type: ignore[operator]
    assert sidecar["council"]["gss_code"] == code
    figures = {f["id"]: f for f in sidecar["figures"]}
    # Recompute the headline independently from the tidy demo table.
    metrics = open_data("").metrics
    mine = metrics[metrics["gss_code"] == code]
    period = max(mine.loc[mine["metric"] == "net_revenue_expenditure", "period"])
    nre = mine[(mine["metric"] == "net_revenue_expenditure") & (mine["period"] == period)][
        "value"
    ].item()
    # Per-head figures use the finance year's mid-year estimate (2023-24 -> mid-2023).
    population = mine[
        (mine["metric"] == "population_all") & (mine["period"] == f"mid-{period[:4]}")
    ]["value"].item()
    reserves = mine[(mine["metric"] == "unallocated_reserves") & (mine["period"] == period)][
        "value"
    ].item()
    assert figures["nre_per_head"]["value"] == pytest.approx(nre / population)
    assert figures["nre_per_head"]["period"] == period
    assert figures["unallocated_reserves_pct_nre"]["value"] == pytest.approx(100 * reserves / nre)
    for figure in sidecar["figures"]:
        assert figure["source"]
        assert figure["unit"]
    assert sidecar["provenance"]["package_version"]
    assert sidecar["provenance"]["input_hashes"]


@pytest.mark.parametrize("code", COUNCILS)
def test_html_names_council_and_has_no_code(
    built: tuple[Path, dict[str, ReportOutcome]], code: str
) -> None:
    out, outcomes = built
    page = (out / outcomes[code].html).read_text()  # type: ignore[operator]
    name = open_data("").register.get(code).name
    assert re.search(rf"<h1>{re.escape(name)}: Finance briefing</h1>", page)
    assert '<html lang="en-GB">' in page
    assert "<main" in page
    assert "demonstration data" in page
    assert "In&nbsp;[" not in page
    assert not re.search(r">\s*(?:Out|In)(?:&nbsp;|\s)*\[", page)
    assert "ReportSession.open" not in page  # no code
    assert 'class="jp-InputArea-editor' not in page
    assert "highlight hl-ipython3" not in page
    sidecar = json.loads((out / outcomes[code].sidecar).read_text())  # type: ignore[operator]
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    sentences = [figure["sentence"] for figure in sidecar["figures"] if figure["sentence"]]
    assert sentences
    for sentence in sentences:
        assert sentence in text


def test_reports_are_byte_identical_on_rerun(
    built: tuple[Path, dict[str, ReportOutcome]], tmp_path: Path
) -> None:
    out, outcomes = built
    code = COUNCILS[0]
    council = open_data("").register.get(code)
    again = build_report(ReportTask(code, council.name, council.folder, "finance"), tmp_path)
    first = out / outcomes[code].html  # type: ignore[operator]
    assert (tmp_path / again.html).read_bytes() == first.read_bytes()  # type: ignore[operator]
    assert (tmp_path / again.sidecar).read_bytes() == (out / outcomes[code].sidecar).read_bytes()  # type: ignore[operator]


def test_no_remote_urls_in_report(built: tuple[Path, dict[str, ReportOutcome]]) -> None:
    out, outcomes = built
    page = (out / outcomes[COUNCILS[0]].html).read_text()  # type: ignore[operator]
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.findall(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.findall(r"@import", page)
    assert page.count("vegaEmbed") >= 1


def test_kernel_starts_without_the_plain_tcp_warning(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Kernel traffic is encrypted where it can be, so ipykernel's warning does not flood batch logs."""
    import zmq

    if not zmq.has("curve"):
        pytest.skip("this libzmq has no CurveZMQ, so kernel traffic cannot be encrypted")
    council = open_data("").register.get("X00000003")
    outcome = build_report(
        ReportTask("X00000003", council.name, council.folder, "finance"), tmp_path
    )
    assert outcome.status == "ok", outcome.error
    assert "without encryption" not in capfd.readouterr().err
