"""The tidy open-data store: build once from the raw files, open in milliseconds.

A store folder holds ``metrics.parquet`` (:data:`~councilpack.data.model.TIDY_COLUMNS`),
``excluded.parquet`` (published values outside their metric's plausible range,
:data:`~councilpack.data.model.EXCLUDED_COLUMNS`), ``unavailable.parquet`` (cells a
source marks as not available, with the reason), ``register.parquet``,
``lookups.json`` (former codes and aliases), ``comparators.parquet``,
``national.parquet`` (national polling) and ``build.json`` (store version, input
SHA-256 hashes, coverage per source and year, boundary notes, row counts, build
time). Builds are atomic: everything is written to a temporary sibling folder
that is renamed into place only when complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from councilpack import __version__
from councilpack.catalogue import load_catalogue, plausible_ranges
from councilpack.data.checks import CheckCollector, CheckFailure, DataCheckError
from councilpack.data.comparators import (
    build_comparators,
    comparators_from_frame,
    comparators_to_frame,
    ons_nearest_groups,
)
from councilpack.data.loaders import (
    ONS_POPULATION_FILES,
    RAW_FILES,
    RO_FORM_FILES,
    RS_FILES,
    all_input_files,
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
    raw_path,
)
from councilpack.data.loaders.mhclg_ctr import load_council_tax_levels
from councilpack.data.loaders.mhclg_ra import load_ra
from councilpack.data.loaders.mhclg_rs import load_rs
from councilpack.data.loaders.mhclg_rsx import excluded_rows, load_forms
from councilpack.data.loaders.mysociety import load_geography
from councilpack.data.model import (
    EXCLUDED_COLUMNS,
    TIDY_COLUMNS,
    UNAVAILABLE_COLUMNS,
    DataContext,
    Register,
    empty_excluded,
    empty_unavailable,
    source_document,
)
from councilpack.data.neighbours import nearest_neighbours
from councilpack.errors import ArgumentError, InputDataError, MissingFileError
from councilpack.files import reading
from councilpack.provenance import sha256_file
from councilpack.settings import cache_dir
from councilpack.wording import format_value

LABEL = "open data"
#: Bump when what a store holds changes, so cached stores are rebuilt and older
#: store folders are refused. 2: implausible values moved to ``excluded.parquet``.
#: 3: RS to 2023-24, RSX/RO3 2022-23 to 2024-25, populations mid-2011 to mid-2024.
STORE_VERSION = 3
#: Raw file (relative to the data folder) of each single-file source.
SOURCE_FILES: dict[str, str] = {
    "mhclg_ra": RAW_FILES["mhclg_ra_2016_17"],
    "ons_mye": RAW_FILES["ons_mye"],
    "mhclg_ct": RAW_FILES["mhclg_ct_receipts"],
    "mhclg_ctr": RAW_FILES["mhclg_ctr_2023_24"],
    "defra_waste": RAW_FILES["defra_recycling"],
    "oflog_asc": RAW_FILES["oflog_asc"],
    "dft_roads": RAW_FILES["dft_road_condition"],
}


#: Files every store folder holds.
STORE_FILES: tuple[str, ...] = (
    "build.json",
    "lookups.json",
    "register.parquet",
    "metrics.parquet",
    "excluded.parquet",
    "comparators.parquet",
)


class StoreVersionError(InputDataError, RuntimeError):
    """A store folder was written by a councilpack whose store layout differs."""


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """Return relative path -> SHA-256 of every input file (all must exist)."""
    return {rel: sha256_file(raw_path(raw_dir, rel)) for rel in sorted(all_input_files().values())}


def inputs_key(hashes: dict[str, str]) -> str:
    """Return a short key identifying one set of inputs."""
    text = "\n".join(f"{k} {v}" for k, v in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load_all(raw_dir: Path) -> dict[str, object]:
    """Run every loader and every check; return the frames a store is written from.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.

    Returns
    -------
    dict
        ``metrics``, ``excluded`` (values outside their plausible range, see
        :func:`exclude_implausible`), ``register`` (Register), ``comparators``,
        ``national``, ``coverage`` and ``notes``.

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
        coverage["mhclg_rs"] = {p: int(c["current_councils"]) for p, c in rs_cover.items()}
        coverage["mhclg_rs_published_councils"] = {
            p: int(c["councils"]) for p, c in rs_cover.items()
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
                p: int(c["councils_with_return"]) for p, c in years.items()
            }
    for loader, args in (
        (load_ra, (raw_dir, geography, notes)),
        (ons_mye.load_population, (raw_dir, geography)),
        (ons_mye.load_population_totals, (raw_dir, geography)),
        (ons_mye.load_population_by_age, (raw_dir, geography, "mid-2022")),
        (ons_mye.load_population_by_age, (raw_dir, geography, "mid-2024")),
        (load_council_tax_levels, (raw_dir, geography, notes)),
        (defra_recycling.load_recycling, (raw_dir, geography, notes)),
        (mhclg_ct.load_ct_receipts, (raw_dir, geography, notes)),
        (oflog_asc.load_asc, (raw_dir, geography, notes)),
    ):
        result = checks.run(loader, *args)
        if result is not None:
            parts.append(result)
    unavailable_parts: list[pd.DataFrame] = []
    for outcome_loader, outcome_args in (
        (dft_roads.load_road_condition, (raw_dir, geography.register, notes)),
        (defra_env18.load_waste, (raw_dir, geography, notes)),
    ):
        loaded = checks.run(outcome_loader, *outcome_args)
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
    for metric_source, rows in metrics.groupby("source"):
        if metric_source == "mhclg_rs":
            continue
        coverage[str(metric_source)] = {
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
        ons_nearest_groups(
            geography.register,
            ons or {},
            ons_nn_2025.METHOD,
            ons_nn_2025.VINTAGE,
        ),
    )
    unavailable = (
        pd.concat(unavailable_parts, ignore_index=True)
        if unavailable_parts
        else empty_unavailable()
    )
    return {
        "metrics": metrics,
        "excluded": excluded,
        "unavailable": unavailable[list(UNAVAILABLE_COLUMNS)],
        "register": geography.register,
        "comparators": comparators,
        "national": national,
        "coverage": coverage,
        "notes": _summarise(notes),
    }


def source_file(source: str, period: str) -> str:
    """Return the raw file (relative to the data folder) a tidy row was read from.

    Parameters
    ----------
    source
        Source id of the row (``mhclg_rs``, ``ons_mye``, ...).
    period
        Period of the row; it picks the RS workbook of a financial year.

    Returns
    -------
    str
        The relative path, or ``""`` for a source with no raw file (demo data).
    """
    if source == "mhclg_rs":
        return RS_FILES.get(period, "")
    forms = {"mhclg_rsx": "RSX", "mhclg_ro3": "RO3"}
    if source in forms:
        # The later staged release is listed last (see choose_release).
        return RO_FORM_FILES[forms[source]].get(period, ("",))[-1]
    if source == "ons_mye" and period in ONS_POPULATION_FILES and period != "mid-2023":
        return ONS_POPULATION_FILES[period]
    return SOURCE_FILES.get(source, "")


def exclude_implausible(
    metrics: pd.DataFrame, catalogue: dict[str, dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split off the values outside their metric's plausible range in the catalogue.

    A negative council tax requirement or reserve level cannot be right: it is
    an error in the published return. Such a value is left out of the metrics
    (so no report ranks or charts it) and kept, with its reason, in the
    excluded table. Metrics with no declared range (net revenue expenditure,
    which commercial income can make negative) are never excluded.

    Parameters
    ----------
    metrics
        Tidy rows (:data:`~councilpack.data.model.TIDY_COLUMNS`).
    catalogue
        A loaded catalogue; defaults to :func:`~councilpack.catalogue.load_catalogue`.

    Returns
    -------
    tuple of pandas.DataFrame
        The rows kept, and the rows excluded
        (:data:`~councilpack.data.model.EXCLUDED_COLUMNS`), both re-indexed.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    ranges = plausible_ranges(catalogue)
    known = metrics["metric"].astype(str)
    lower = known.map({m: low for m, (low, _) in ranges.items()}).fillna(-math.inf)
    upper = known.map({m: high for m, (_, high) in ranges.items()}).fillna(math.inf)
    values = metrics["value"].astype(float)
    outside = ((values < lower) | (values > upper)).to_numpy()
    kept = metrics[~outside].reset_index(drop=True)
    if not outside.any():
        return kept, empty_excluded()
    excluded = metrics[outside].sort_values(["gss_code", "metric", "period"], ignore_index=True)
    excluded["source_file"] = [
        source_file(str(s), str(p))
        for s, p in zip(excluded["source"], excluded["period"], strict=True)
    ]
    excluded["reason"] = [
        range_reason(catalogue[str(metric)], float(value), str(period), str(source))
        for metric, value, period, source in zip(
            excluded["metric"],
            excluded["value"],
            excluded["period"],
            excluded["source"],
            strict=True,
        )
    ]
    return kept, excluded[list(EXCLUDED_COLUMNS)]


def range_reason(entry: dict[str, Any], value: float, period: str, source: str) -> str:
    """Say in words why a value is outside its metric's plausible range.

    Parameters
    ----------
    entry
        The metric's catalogue entry (``label``, ``unit``, ``minimum``/``maximum``).
    value, period, source
        The published value, its period and its source id.

    Raises
    ------
    ValueError
        When the value is within the range (nothing to explain).

    Examples
    --------
    >>> entry = {"label": "Earmarked reserves", "unit": "GBP", "minimum": 0}
    >>> range_reason(entry, -91_000, "2013-14", "mhclg_rs")
    'negative earmarked reserves (-£91,000) in the 2013-14 revenue outturn return: an error in the return'
    """
    label = str(entry["label"])
    what = label[:1].lower() + label[1:]
    unit = str(entry["unit"])
    document = source_document(source)
    where = f"in the {period} {document}: an error in the {document.split()[-1]}"
    minimum, maximum = entry.get("minimum"), entry.get("maximum")
    shown = format_value(value, unit)
    if minimum is not None and value < float(minimum):
        if float(minimum) == 0:
            return f"negative {what} ({shown}) {where}"
        bound = f"below the plausible minimum of {format_value(float(minimum), unit)}"
    elif maximum is not None and value > float(maximum):
        bound = f"above the plausible maximum of {format_value(float(maximum), unit)}"
    else:
        raise ArgumentError(f"{what} of {shown} is within its plausible range")
    return f"{what} of {shown}, {bound}, {where}"


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
    first = dupes.drop_duplicates(["gss_code", "metric", "period"])
    for code, metric, period in zip(
        first["gss_code"].astype(str),
        first["metric"].astype(str),
        first["period"].astype(str),
        strict=True,
    ):
        failures.append(
            CheckFailure(
                "metrics.parquet",
                metric,
                None,
                code,
                f"duplicate (council, period, metric) for {period}",
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


def _write(store: Path, loaded: dict[str, object], hashes: dict[str, str], seconds: float) -> None:
    store.mkdir(parents=True)
    metrics: pd.DataFrame = loaded["metrics"]  # type: ignore[assignment]
    excluded: pd.DataFrame = loaded["excluded"]  # type: ignore[assignment]
    register: Register = loaded["register"]  # type: ignore[assignment]
    metrics.to_parquet(store / "metrics.parquet", index=False)
    excluded.to_parquet(store / "excluded.parquet", index=False)
    unavailable: pd.DataFrame = loaded.get("unavailable", empty_unavailable())  # type: ignore[assignment]
    unavailable.to_parquet(store / "unavailable.parquet", index=False)
    register.table.to_parquet(store / "register.parquet", index=False)
    (store / "lookups.json").write_text(
        json.dumps({"former_codes": register.former_codes, "aliases": register.aliases}, indent=1),
        encoding="utf-8",
    )
    comparators_to_frame(loaded["comparators"]).to_parquet(  # type: ignore[arg-type]
        store / "comparators.parquet", index=False
    )
    national = loaded["national"]
    if isinstance(national, pd.DataFrame):
        national.to_parquet(store / "national.parquet", index=False)
    build = {
        "label": LABEL,
        "store_version": STORE_VERSION,
        "councilpack_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "inputs": hashes,
        "coverage": loaded["coverage"],
        "boundary_notes": loaded["notes"],
        "rows": len(metrics),
        "excluded_rows": len(excluded),
    }
    (store / "build.json").write_text(json.dumps(build, indent=1), encoding="utf-8")


def build_store(raw_dir: Path, store_dir: Path) -> Path:
    """Build the tidy store from the raw files, atomically.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    store_dir
        Store folder to create (replaced if it already exists).

    Returns
    -------
    Path
        ``store_dir``.

    Raises
    ------
    DataCheckError
        When any check fails; ``store_dir`` is then left untouched (no
        half-written folder).
    """
    started = time.perf_counter()
    raw_dir, store_dir = Path(raw_dir), Path(store_dir)
    hashes = input_hashes(raw_dir)
    loaded = load_all(raw_dir)
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.", suffix=".tmp", dir=store_dir.parent))
    try:
        _write(work / "store", loaded, hashes, time.perf_counter() - started)
        _publish(work / "store", store_dir, replace=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return store_dir


def _publish(built: Path, target: Path, *, replace: bool) -> bool:
    """Rename ``built`` to ``target``; return False when another process got there first."""
    if target.exists():
        if not replace:
            return False
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(built, target)
        shutil.rmtree(old)
        return True
    try:
        os.rename(built, target)
    except OSError:
        if (target / "build.json").is_file():
            return False  # a concurrent build won the race; use its folder
        raise
    return True


@dataclass
class StoreContext(DataContext):
    """A :class:`DataContext` whose per-council lookups use a prebuilt index."""

    def __post_init__(self) -> None:
        self._by_council = {
            str(code): frame
            for code, frame in self.metrics.groupby("gss_code", sort=False, observed=True)
        }
        self._empty = self.metrics.iloc[0:0]

    def council_metrics(self, gss_code: str) -> pd.DataFrame:
        """Return every tidy row for one council (dictionary lookup)."""
        return self._by_council.get(gss_code, self._empty)


def open_store(store_dir: Path) -> DataContext:
    """Open a built store.

    Parameters
    ----------
    store_dir
        Folder written by :func:`build_store`.

    Returns
    -------
    DataContext
        Label ``"open data"``; ``input_hashes`` keyed by file name; ``excluded``
        the values left out as implausible.

    Raises
    ------
    StoreVersionError
        When the folder was built by a councilpack with another store layout.
    """
    store_dir = Path(store_dir)
    with reading(store_dir / "build.json"):
        build = json.loads((store_dir / "build.json").read_text(encoding="utf-8"))
    found = build.get("store_version", 1) if isinstance(build, dict) else None
    if found != STORE_VERSION:
        raise StoreVersionError(
            f"store {store_dir} has store version {found}, this councilpack reads version "
            f"{STORE_VERSION}; rebuild it with `councilpack data build --data-dir <raw files> "
            f"--store {store_dir}`"
        )
    missing = [name for name in STORE_FILES if not (store_dir / name).is_file()]
    if missing:
        raise MissingFileError(
            f"store folder lacks {', '.join(missing)}; rebuild it with `councilpack data build`",
            file=str(store_dir),
        )
    with reading(store_dir):
        lookups = json.loads((store_dir / "lookups.json").read_text(encoding="utf-8"))
        table = pd.read_parquet(store_dir / "register.parquet")
        former, aliases = lookups["former_codes"], lookups["aliases"]
        metrics = pd.read_parquet(store_dir / "metrics.parquet")
        excluded = pd.read_parquet(store_dir / "excluded.parquet")
        marked = store_dir / "unavailable.parquet"
        unavailable = pd.read_parquet(marked) if marked.is_file() else empty_unavailable()
        comparators = comparators_from_frame(pd.read_parquet(store_dir / "comparators.parquet"))
        hashes = {Path(rel).name: sha for rel, sha in build["inputs"].items()}
    register = Register(table, former_codes=former, aliases=aliases)
    return StoreContext(
        register, metrics, comparators, LABEL, hashes, None, excluded, unavailable=unavailable
    )


def read_build_info(store_dir: Path) -> dict[str, object]:
    """Return the parsed ``build.json`` of a store."""
    return json.loads((Path(store_dir) / "build.json").read_text(encoding="utf-8"))


def open_national(store_dir: Path) -> pd.DataFrame:
    """Return the national polling table of a store."""
    return pd.read_parquet(Path(store_dir) / "national.parquet")


def store_dir_for(raw_dir: Path) -> Path:
    """Return the cache folder a given set of raw files builds into (per store version)."""
    return cache_dir() / f"store-v{STORE_VERSION}-{inputs_key(input_hashes(Path(raw_dir)))}"


def open_open_data(raw_dir: Path) -> DataContext:
    """Build (once, cached by input hashes) and open the store for these raw files.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.

    Returns
    -------
    DataContext
        The opened store. Two processes racing to build the same store both
        succeed: the loser discards its copy and opens the winner's folder.
    """
    target = store_dir_for(raw_dir)
    if not (target / "build.json").is_file():
        started = time.perf_counter()
        hashes = input_hashes(Path(raw_dir))
        loaded = load_all(Path(raw_dir))
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        try:
            _write(work / "store", loaded, hashes, time.perf_counter() - started)
            _publish(work / "store", target, replace=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return open_store(target)
