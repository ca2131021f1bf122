"""MHCLG revenue outturn RSX (service expenditure) and RO3 (social care) 2022-23 to 2024-25.

Each "by LA" workbook is read as published (columns found by variable code such
as ``RSX-asc-net-cur-exp``, see :mod:`councilpack.data.loaders._finance_workbook`),
councils are kept (Class L/LB, MD, UA, SC, SD), £ thousand become pounds, and:

* every kept row has a valid E-code or ONS code of a known authority;
* no E-code appears twice; every used cell is a number (``[x]`` marks a
  return not received in time, which leaves the council without figures);
* RSX: the service lines' net current expenditure sums to the total, and the
  total's net current expenditure equals total expenditure less total income;
  RO3: each block's net current expenditure equals its expenditure less income;
* at least 300 councils per year.

Where two releases of one form and year are staged (the 2024-25 first and
second releases), the workbook whose "Last updated" date is later is used and
the vintage of every figure names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import pandas as pd

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    CheckCollector,
    CheckFailure,
    DataCheckError,
    is_number,
    row_label,
    row_number,
)
from councilpack.data.loaders import RO_FORM_FILES, raw_path
from councilpack.data.loaders._finance_workbook import FinanceWorkbook, read_finance_workbook
from councilpack.data.loaders.mhclg_rs import LineSpec, read_checked, tidy_from_wide
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import EXCLUDED_COLUMNS, TIDY_COLUMNS, empty_excluded

SOURCES = {"RSX": "mhclg_rsx", "RO3": "mhclg_ro3"}
TITLES = {
    "RSX": "MHCLG revenue outturn service expenditure summary (RSX)",
    "RO3": "MHCLG revenue outturn social care and public health (RO3)",
}

#: RSX service blocks: metric suffix -> variable-code stem.
RSX_SERVICES: dict[str, str] = {
    "education": "edu",
    "highways_transport": "trans",
    "children_social_care": "csc",
    "adult_social_care": "asc",
    "public_health": "phs",
    "housing_gfra": "hous",
    "cultural": "cul",
    "environmental_regulatory": "env",
    "planning_development": "plan",
    "police": "pol",
    "fire_rescue": "frs",
    "central_services": "cen",
    "other_services": "oth",
}
RSX_TOTAL = "totsx"


def _code(code: str, metric: str) -> LineSpec:
    return LineSpec(metric, (), code, codes=(code,))


RSX_SPECS: tuple[LineSpec, ...] = (
    *(
        _code(f"RSX-{stem}-net-cur-exp", f"service_nce_{name}")
        for name, stem in RSX_SERVICES.items()
    ),
    _code(f"RSX-{RSX_TOTAL}-net-cur-exp", "service_nce_total"),
    _code(f"RSX-{RSX_TOTAL}-tot-exp", "service_gross_expenditure"),
    _code(f"RSX-{RSX_TOTAL}-sfc", "service_sales_fees_charges"),
    _code(f"RSX-{RSX_TOTAL}-tot-inc", "service_total_income"),
)

#: RO3 blocks: metric stem -> variable-code stem.
RO3_BLOCKS: dict[str, str] = {
    "ro3_children_social_care": "csctot",
    "ro3_adult_social_care": "asctot",
    "ro3_public_health": "phtot",
}
RO3_SPECS: tuple[LineSpec, ...] = tuple(
    spec
    for metric, stem in RO3_BLOCKS.items()
    for spec in (
        _code(f"RO3-{stem}-net-cur-exp", f"{metric}_nce"),
        _code(f"RO3-{stem}-tot-exp", f"{metric}_gross_expenditure"),
        _code(f"RO3-{stem}-sfc", f"{metric}_sales_fees_charges"),
        _code(f"RO3-{stem}-tot-inc", f"{metric}_total_income"),
    )
)
SPECS = {"RSX": RSX_SPECS, "RO3": RO3_SPECS}
#: Helper metrics used by the totals checks and not kept in the store.
CHECK_ONLY = frozenset({"service_total_income", *(f"{m}_total_income" for m in RO3_BLOCKS)})


@dataclass(frozen=True)
class Release:
    """The release of one form and year chosen among the staged workbooks."""

    form: str
    period: str
    relative: str
    workbook: FinanceWorkbook
    superseded: tuple[str, ...]

    @property
    def vintage(self) -> str:
        """Return the provenance line every figure of this release carries."""
        updated = self.workbook.last_updated
        when = f"last updated {updated.day} {updated:%B %Y}" if updated else "date not printed"
        text = f"{TITLES[self.form]} {self.period}, release {when} ({self.relative})"
        if self.superseded:
            text += "; supersedes " + ", ".join(self.superseded)
        return text


def choose_release(raw_dir: Path, form: str, period: str) -> Release:
    """Read every staged workbook of one form and year and keep the latest release.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    form
        ``"RSX"`` or ``"RO3"``.
    period
        Financial year, e.g. ``"2024-25"``.

    Returns
    -------
    Release
        The workbook with the latest "Last updated" date, and the others it supersedes.

    Raises
    ------
    DataCheckError
        When two staged releases carry no date or the same date (no way to
        tell which supersedes the other).
    """
    candidates = []
    for relative in RO_FORM_FILES[form][period]:
        candidates.append((relative, read_finance_workbook(raw_path(raw_dir, relative))))
    if len(candidates) > 1:
        dates = [wb.last_updated for _, wb in candidates]
        if any(d is None for d in dates) or len(set(dates)) != len(dates):
            raise DataCheckError(
                [
                    CheckFailure(
                        Path(candidates[0][0]).name,
                        None,
                        None,
                        None,
                        f"{len(candidates)} releases of {form} {period} are staged but their "
                        f"'Last updated' dates ({', '.join(str(d) for d in dates)}) do not say "
                        "which is later",
                    )
                ]
            )
        # Every release has a date here (checked above); date.min only satisfies the type.
        candidates.sort(key=lambda item: item[1].last_updated or dt.date.min)
    relative, workbook = candidates[-1]
    superseded = tuple(
        f"the release of {wb.last_updated:%d %B %Y} ({rel})" if wb.last_updated else rel
        for rel, wb in candidates[:-1]
    )
    return Release(form, period, relative, workbook, superseded)


def _failure(
    workbook: FinanceWorkbook, frame: pd.DataFrame, index: Hashable, column: str, message: str
) -> CheckFailure:
    return CheckFailure(
        workbook.file,
        column,
        row_number(frame, index),
        row_label(frame, index),
        message,
    )


def _check_sum(
    workbook: FinanceWorkbook,
    frame: pd.DataFrame,
    total: str,
    parts: list[str],
    signs: list[float],
    label: str,
) -> list[CheckFailure]:
    failures = []
    for index in frame.index:
        cells = [frame.at[index, p] for p in parts]
        values = [float(v) for v in cells if is_number(v)]
        expected = frame.at[index, total]
        if not is_number(expected) or len(values) < len(cells):
            continue
        summed = sum(s * v for s, v in zip(signs, values, strict=True))
        if abs(summed - float(expected)) > 0.5 * len(parts) + 1.0:
            failures.append(
                _failure(
                    workbook,
                    frame,
                    index,
                    label,
                    f"total {float(expected):,.0f} does not equal its components "
                    f"{summed:,.0f} (£ thousand)",
                )
            )
    return failures


def _check_totals(form: str, workbook: FinanceWorkbook, frame: pd.DataFrame) -> list[CheckFailure]:
    """Check that the RSX service lines sum to the total (a structural check)."""
    if form != "RSX":
        return []
    services = [f"service_nce_{name}" for name in RSX_SERVICES]
    return _check_sum(
        workbook,
        frame,
        "service_nce_total",
        services,
        [1.0] * len(services),
        "Total Service Expenditure - Net Current Expenditure",
    )


#: Net current expenditure and the gross expenditure/income it is derived from
#: (C7 = C3 - C6), per form; the gross and income figures of a council whose
#: published cells break this identity are left out, with the reason.
IDENTITIES: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "RSX": (
        (
            "service_nce_total",
            "service_gross_expenditure",
            "service_total_income",
            ("service_gross_expenditure", "service_sales_fees_charges"),
        ),
    ),
    "RO3": tuple(
        (
            f"{m}_nce",
            f"{m}_gross_expenditure",
            f"{m}_total_income",
            (f"{m}_gross_expenditure", f"{m}_sales_fees_charges"),
        )
        for m in RO3_BLOCKS
    ),
}


def inconsistent_cells(
    form: str, workbook: FinanceWorkbook, frame: pd.DataFrame
) -> list[tuple[Hashable, tuple[str, ...], str]]:
    """Return the councils whose published net current expenditure is not C3 - C6.

    MHCLG's own cells occasionally break the identity (Hackney's environmental
    services in RSX 2023-24 are out by £615,000). That is an error in the
    publication, not in the file as staged, so it does not stop the build: the
    gross expenditure and fees figures of that council and year are left out
    with this reason, and its net current expenditure (which does sum with the
    other services to the total) is kept.

    Returns
    -------
    list of tuple
        ``(frame index, metrics to leave out, reason)``.
    """
    out = []
    for nce, gross, income, drop in IDENTITIES[form]:
        if nce not in frame or gross not in frame or income not in frame:
            continue
        for index in frame.index:
            cells = [frame.at[index, m] for m in (nce, gross, income)]
            values = [float(v) for v in cells if is_number(v)]
            if len(values) < len(cells):
                continue
            net, total, inc = values
            if abs(total - inc - net) > 2.0:
                reason = (
                    f"in {workbook.file}, total expenditure less total income "
                    f"(£{(total - inc) / 1000:,.3f}m) does not equal the net current "
                    f"expenditure printed (£{net / 1000:,.3f}m): an error in the return"
                )
                out.append((index, drop, reason))
    return out


class FormYear(TypedDict):
    """What one RSX or RO3 workbook covered."""

    file: str
    release: str
    councils: int
    councils_with_return: int
    #: Published figures left out as inconsistent (EXCLUDED_COLUMNS), if any.
    excluded: pd.DataFrame | None


def load_form_year(
    raw_dir: Path, form: str, period: str, geography: Geography
) -> tuple[pd.DataFrame, FormYear]:
    """Load one RSX or RO3 year as tidy rows keyed by the GSS code as published.

    Parameters
    ----------
    raw_dir, form, period
        As for :func:`choose_release`.
    geography
        Register and E-code map.

    Returns
    -------
    tuple
        Tidy rows (pounds; codes as published) and a coverage record
        (:class:`FormYear`).

    Raises
    ------
    DataCheckError
        Listing every failed check in the workbook.
    """
    release = choose_release(raw_dir, form, period)
    path = raw_path(raw_dir, release.relative)
    workbook = release.workbook
    frame, gss, metrics = read_checked(
        path,
        SPECS[form],
        geography,
        lambda frame, book, _found: _check_totals(form, book, frame),
        workbook,
    )
    kept = [m for m in metrics if m not in CHECK_ONLY]
    tidy = tidy_from_wide(frame, gss, kept, period, SOURCES[form], release.vintage)
    excluded = []
    for index, drop, reason in inconsistent_cells(form, workbook, frame):
        code = str(gss.at[index])
        mask = (tidy["gss_code"] == code) & tidy["metric"].isin(drop)
        rows = tidy[mask].copy()
        rows["source_file"] = release.relative
        rows["reason"] = reason
        excluded.append(rows)
        tidy = tidy[~mask]
    with_return = int(frame[kept[0]].map(is_number).sum())
    return tidy.reset_index(drop=True), {
        "file": release.relative,
        "release": release.vintage,
        "councils": len(frame),
        "councils_with_return": with_return,
        "excluded": pd.concat(excluded, ignore_index=True) if excluded else None,
    }


def load_forms(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> tuple[pd.DataFrame, dict[str, dict[str, FormYear]]]:
    """Load every staged RSX and RO3 year and map the figures to current councils.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    tuple
        Tidy rows for current councils (pounds) and coverage per form and year.

    Raises
    ------
    DataCheckError
        Listing every failed check across all workbooks.
    """
    checks = CheckCollector()
    parts: list[pd.DataFrame] = []
    coverage: dict[str, dict[str, FormYear]] = {}
    for form, years in RO_FORM_FILES.items():
        for period in years:
            result = checks.run(load_form_year, raw_dir, form, period, geography)
            if result is not None:
                tidy, cover = result
                parts.append(tidy)
                coverage.setdefault(SOURCES[form], {})[period] = cover
    checks.raise_if_failed()
    tidy = pd.concat(parts, ignore_index=True)
    current = to_current(tidy, geography, additive=True, notes=notes)
    return current[list(TIDY_COLUMNS)], coverage


def excluded_rows(coverage: dict[str, dict[str, FormYear]], geography: Geography) -> pd.DataFrame:
    """Return the figures left out as inconsistent in the publication (EXCLUDED_COLUMNS).

    Rows are keyed by the current council's code; a predecessor's row (which
    could not be shown for its successor anyway) is dropped.
    """
    frames = [
        excluded
        for years in coverage.values()
        for cover in years.values()
        if (excluded := cover["excluded"]) is not None
    ]
    if not frames:
        return empty_excluded()
    rows = pd.concat(frames, ignore_index=True)
    rows["gss_code"] = rows["gss_code"].map(lambda c: geography.renumbered.get(c, c))
    rows = rows[rows["gss_code"].map(lambda c: c in geography.register)]
    return rows[list(EXCLUDED_COLUMNS)].reset_index(drop=True)
