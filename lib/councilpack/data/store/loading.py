"""Loader orchestration: run every loader and every check, and collect what a store holds."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from councilpack.catalogue import load_catalogue
from councilpack.data.checks import CheckCollector, CheckFailure, DataCheckError
from councilpack.data.comparators import build_comparators, ons_nearest_groups
from councilpack.data.loaders import (
    defra_env18,
    defra_recycling,
    dft_roads,
    lga_polling,
    mhclg_ct,
    oflog_asc,
    oflog_nn,
    ons_lookup,
    ons_mye,
    ons_nn_2025,
)
from councilpack.data.loaders.mhclg_ctr import load_council_tax_levels
from councilpack.data.loaders.mhclg_ra import load_ra
from councilpack.data.loaders.mhclg_rs import load_rs
from councilpack.data.loaders.mhclg_rsx import excluded_rows, load_forms
from councilpack.data.loaders.mysociety import load_geography
from councilpack.data.model import (
    TIDY_COLUMNS,
    UNAVAILABLE_COLUMNS,
    ComparatorGroup,
    Register,
    empty_excluded,
    empty_unavailable,
)
from councilpack.data.neighbours import nearest_neighbours
from councilpack.data.store.plausibility import exclude_implausible


@dataclass(frozen=True)
class LoadedData:
    """Everything a store is written from: the result of :func:`load_all`.

    Attributes
    ----------
    metrics
        Tidy rows (:data:`~councilpack.data.model.TIDY_COLUMNS`), implausible values removed.
    excluded
        Values left out (:data:`~councilpack.data.model.EXCLUDED_COLUMNS`): outside
        their plausible range, or marked by the source as excluded.
    register
        Current councils, with former codes and aliases.
    comparators
        GSS code -> its comparator groups.
    national
        National polling (``None`` when a store has none).
    coverage
        Source (or source facet) -> period -> councils covered (or release name).
    notes
        Boundary notes, one line per council and reason.
    unavailable
        Cells a source marks as not available, with the reason
        (:data:`~councilpack.data.model.UNAVAILABLE_COLUMNS`).
    """

    metrics: pd.DataFrame
    excluded: pd.DataFrame
    register: Register
    comparators: dict[str, tuple[ComparatorGroup, ...]]
    national: pd.DataFrame | None = None
    coverage: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unavailable: pd.DataFrame = field(default_factory=empty_unavailable)


def load_all(raw_dir: Path) -> LoadedData:
    """Run every loader and every check; return the frames a store is written from.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.

    Returns
    -------
    LoadedData
        Metrics, excluded values (see
        :func:`~councilpack.data.store.plausibility.exclude_implausible`), register,
        comparators, national polling, coverage and notes.

    Raises
    ------
    DataCheckError
        Listing every failed check across all sources.
    """
    raw_dir = Path(raw_dir)
    geography = load_geography(raw_dir)
    checks = CheckCollector()
    notes: list[str] = []
    parts: list[pd.DataFrame] = []
    coverage: dict[str, dict[str, Any]] = {}
    rs = checks.run(load_rs, raw_dir, geography, notes)
    if rs is not None:
        rs_tidy, rs_cover = rs
        parts.append(rs_tidy)
        coverage["mhclg_rs"] = {p: _count(c["current_councils"]) for p, c in rs_cover.items()}
        coverage["mhclg_rs_published_councils"] = {
            p: _count(c["councils"]) for p, c in rs_cover.items()
        }
    forms = checks.run(load_forms, raw_dir, geography, notes)
    published_excluded = empty_excluded()
    if forms is not None:
        forms_tidy, forms_cover = forms
        parts.append(forms_tidy)
        published_excluded = excluded_rows(forms_cover, geography)
        for source, years in forms_cover.items():
            coverage[f"{source}_releases"] = {p: str(c["release"]) for p, c in years.items()}
            coverage[f"{source}_returns"] = {
                p: _count(c["councils_with_return"]) for p, c in years.items()
            }
    levels = checks.run(load_council_tax_levels, raw_dir, geography, notes)
    if levels is not None:
        parts.append(levels.metrics)
        published_excluded = pd.concat(
            [frame for frame in (published_excluded, levels.excluded) if not frame.empty]
            or [empty_excluded()],
            ignore_index=True,
        )
        coverage["mhclg_ctr_restated"] = dict(levels.restated)
        coverage["mhclg_ctr_reconciliation"] = {
            period: list(lines) for period, lines in levels.reconciliation.items()
        }
    for result in (
        checks.run(load_ra, raw_dir, geography, notes),
        checks.run(ons_mye.load_population, raw_dir, geography),
        checks.run(ons_mye.load_population_totals, raw_dir, geography),
        checks.run(ons_mye.load_population_by_age, raw_dir, geography, "mid-2022"),
        checks.run(ons_mye.load_population_by_age, raw_dir, geography, "mid-2024"),
        checks.run(defra_recycling.load_recycling, raw_dir, geography, notes),
        checks.run(mhclg_ct.load_ct_receipts, raw_dir, geography, notes),
        checks.run(oflog_asc.load_asc, raw_dir, geography, notes),
    ):
        if result is not None:
            parts.append(result)
    unavailable_parts: list[pd.DataFrame] = []
    for loaded in (
        checks.run(dft_roads.load_road_condition, raw_dir, geography.register, notes),
        checks.run(defra_env18.load_waste, raw_dir, geography, notes),
    ):
        if loaded is not None:
            figures, marked = loaded
            parts.append(figures)
            unavailable_parts.append(marked)
    national = checks.run(lga_polling.load_lga_polling, raw_dir)
    checks.run(ons_lookup.load_ltla_utla, raw_dir, geography)
    oflog = checks.run(oflog_nn.load_nearest_neighbours, raw_dir, geography)
    ons = checks.run(ons_nn_2025.load_ons_neighbours, raw_dir, geography.register)
    checks.raise_if_failed()
    metrics = pd.concat(parts, ignore_index=True)[list(TIDY_COLUMNS)]
    metrics = metrics[metrics["value"].notna()]
    _check_tidy(metrics, geography.register)
    # Before coverage and neighbours, so neither reads a figure the reports will not show.
    metrics, excluded = exclude_implausible(metrics)
    if not published_excluded.empty:
        excluded = pd.concat(
            [frame for frame in (excluded, published_excluded) if not frame.empty],
            ignore_index=True,
        )
    for source_id, rows in metrics.groupby("source"):
        if source_id == "mhclg_rs":
            continue
        coverage[str(source_id)] = {
            str(p): int(n) for p, n in rows.groupby("period")["gss_code"].nunique().items()
        }
    metrics = metrics.sort_values(["gss_code", "metric", "period"], ignore_index=True)
    open_nn, imputed, rs_year = nearest_neighbours(geography.register, metrics)
    comparators = build_comparators(
        geography.register,
        oflog or {},
        open_nn,
        imputed,
        rs_year,
        oflog_nn.DEFINITION,
        oflog_nn.VINTAGE,
        ons_nearest_groups(geography.register, ons or {}, ons_nn_2025.METHOD, ons_nn_2025.VINTAGE),
    )
    unavailable = (
        pd.concat(unavailable_parts, ignore_index=True)
        if unavailable_parts
        else empty_unavailable()
    )
    return LoadedData(
        metrics=metrics,
        excluded=excluded,
        unavailable=unavailable[list(UNAVAILABLE_COLUMNS)],
        register=geography.register,
        comparators=comparators,
        national=national,
        coverage=coverage,
        notes=_summarise(notes),
    )


def _count(value: object) -> int:
    """Return a loader's coverage count (a whole number in an untyped record) as an ``int``."""
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"coverage count {value!r} is not a whole number")
    return int(value)


def _summarise(notes: list[str]) -> list[str]:
    """Collapse per-metric boundary notes to one line per council and reason."""
    seen: dict[str, None] = {}
    for note in notes:
        head, _, reason = note.partition(": ")
        council = " ".join(head.split(" ")[:-2]) if " " in head else head
        seen.setdefault(f"{council}: {reason}", None)
    return list(seen)


def _check_tidy(metrics: pd.DataFrame, register: Register) -> None:
    failures = []
    unknown = sorted(set(metrics["gss_code"]) - set(register.table["gss_code"]))
    for code in unknown:
        failures.append(
            CheckFailure("metrics.parquet", "gss_code", None, code, "not a current council")
        )
    dupes = metrics[metrics.duplicated(["gss_code", "metric", "period"], keep=False)]
    for row in dupes.drop_duplicates(["gss_code", "metric", "period"]).itertuples(index=False):
        failures.append(
            CheckFailure(
                "metrics.parquet",
                str(row.metric),
                None,
                str(row.gss_code),
                f"duplicate (council, period, metric) for {row.period}",
            )
        )
    catalogue = load_catalogue()
    for metric in sorted(set(metrics["metric"]) - set(catalogue)):
        failures.append(
            CheckFailure(
                "source_metrics.yml", "id", None, None, f"metric {metric!r} is not in the catalogue"
            )
        )
    if failures:
        raise DataCheckError(failures)
