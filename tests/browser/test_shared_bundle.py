"""A pack may share one chart bundle file; each report then loads it by a relative path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from councilpack import export
from councilpack.batch import BatchSpec, plan, run_batch

from .support import DemoPack

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_shared_bundle_report_is_the_inline_one_minus_the_bundle_and_draws_offline(
    demo_pack: DemoPack, load_report: Any, tmp_path: Path
) -> None:
    inline = next(r for r in demo_pack.reports if r.report == "finance")
    tasks = plan(BatchSpec(councils=[inline.code], reports=["finance"], shared_bundle=True))
    result = run_batch(tasks, tmp_path)
    assert not result.failed, result.failed
    bundle = tmp_path / export.shared_bundle_name()
    assert bundle.read_text(encoding="utf-8") == export.vega_bundle()
    shared = tmp_path / str(result.outcomes[0].html)
    href = f"../{bundle.name}"
    # Byte for byte the self-contained report, with the inline bundle swapped for a link.
    expected = inline.html.read_text(encoding="utf-8").replace(
        f"<script>\n{export.vega_bundle()}\n</script>", f'<script src="{href}"></script>', 1
    )
    assert shared.read_text(encoding="utf-8") == expected
    assert inline.html.stat().st_size - shared.stat().st_size > 0.99 * bundle.stat().st_size
    page, log = load_report(shared.as_uri())
    assert log.page_errors == []
    assert log.blocked == []
    assert bundle.as_uri() in log.requests
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('.cp-chart-view'))"
        ".map(view => view.querySelectorAll('svg .role-mark > *, canvas').length)"
    )
    assert drawn
    assert all(count > 0 for count in drawn), drawn
