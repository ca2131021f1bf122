"""MHCLG Revenue Outturn Summary (RS) 2010-11 to 2017-18, individual authority data.

Reads each "by LA" workbook as published (see
:mod:`councilpack.data.loaders._finance_workbook` for how columns are found by
form line number), keeps councils (Class L, MD, UA, SC, SD), converts £ thousand
to pounds and checks:

* every kept row has a valid E-code known to the mySociety register, and its
  ONS code (where printed) belongs to the same council;
* no E-code appears twice; every used cell is a number;
* total service expenditure equals the sum of the service lines, and net
  revenue expenditure equals revenue expenditure plus the grant lines between
  them, within rounding (half a thousand per component, plus one);
* at least 300 councils per year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

import pandas as pd
import pandera.pandas as pa

from councilpack.data.boundaries import to_current
from councilpack.data.checks import (
    LABEL_COLUMN,
    NUMBER_CHECK,
    ROW_COLUMN,
    CheckCollector,
    CheckFailure,
    DataCheckError,
    is_number,
    plausible_check,
    row_label,
    row_number,
    validate,
)
from councilpack.data.loaders import RS_FILES, raw_path
from councilpack.data.loaders._finance_workbook import (
    COUNCIL_CLASSES,
    ECODE_PATTERN,
    NOT_AVAILABLE,
    FinanceWorkbook,
    LineColumn,
    read_finance_workbook,
)
from councilpack.data.loaders.mysociety import Geography
from councilpack.data.model import TIDY_COLUMNS

SOURCE = "mhclg_rs"
MIN_COUNCILS_PER_YEAR = 300
#: Service lines whose sum is total service expenditure (RS and RA alike).
SERVICE_LINES: frozenset[int] = frozenset(
    {190, 290, 330, 360, 390, 399, 490, 509, 590, 599, 601, 602, 690, 698}
)


@dataclass(frozen=True)
class LineSpec:
    """A metric read from one form line (or variable code).

    ``lines`` lists the line numbers the metric has had across editions;
    ``pattern`` must match the column heading (confirming the line's meaning
    in that edition); ``codes`` are the variable codes of the editions that
    print them (2021-22 onwards), which are matched instead of lines and
    headings there; ``required`` metrics must exist in every edition.
    """

    metric: str
    lines: tuple[int, ...]
    pattern: str
    timing: str = ""
    required: bool = True
    codes: tuple[str, ...] = ()


def _spec(
    metric: str,
    lines: tuple[int, ...],
    pattern: str,
    code: str = "",
    timing: str = "",
    required: bool = True,
) -> LineSpec:
    return LineSpec(metric, lines, pattern, timing, required, (code,) if code else ())


#: RS line numbers (2010-11 numbering differs for NRE: 799; children/adult social
#: care were 390/399 in 2011-12 and 2012-13 and 330/360 from 2013-14) and the
#: variable codes printed from 2021-22.
RS_SPECS: tuple[LineSpec, ...] = (
    _spec("education_spend", (190,), r"education", "RS-edu-net-exp"),
    _spec("highways_transport_spend", (290,), r"highways", "RS-trans-net-exp"),
    _spec("social_care_spend", (390,), r"^social care", required=False),
    _spec("children_social_care_spend", (330, 390), r"children", "RS-csc-net-exp", required=False),
    _spec(
        "adult_social_care_spend",
        (360, 399),
        r"adult social care",
        "RS-asc-net-exp",
        required=False,
    ),
    _spec("public_health_spend", (390,), r"public health", "RS-phs-net-exp", required=False),
    _spec("housing_gfra_spend", (490,), r"housing services", "RS-hous-net-exp"),
    _spec("cultural_spend", (509,), r"cultural", "RS-cul-net-exp"),
    _spec("environmental_regulatory_spend", (590,), r"environmental", "RS-env-net-exp"),
    _spec("planning_development_spend", (599,), r"planning", "RS-plan-net-exp"),
    _spec("central_services_spend", (690,), r"central services", "RS-cen-net-exp"),
    _spec("total_service_expenditure", (699,), r"total service expenditure", "RS-totsx-net-exp"),
    _spec("net_current_expenditure", (749,), r"net current expenditure", "RS-netcurrtot-net-exp"),
    _spec("revenue_expenditure", (795, 800), r"^revenue expenditure", "RS-revenuetot-net-exp"),
    _spec(
        "net_revenue_expenditure", (799, 805), r"^net revenue expenditure", "RS-netrevexp-net-exp"
    ),
    _spec("council_tax_requirement", (890,), r"council tax requirement", "RS-ctrtot-net-exp"),
    _spec(
        "interest_payable_external",
        (781,),
        r"interest payable|interest: external payments",
        "RS-intextpay-net-exp",
        required=False,
    ),
    _spec("appropriations_schools_reserves", (811,), r"schools", "RS-appressch-net-exp"),
    _spec(
        "appropriations_public_health_reserves",
        (814,),
        r"public health",
        "RS-appresph-net-exp",
        required=False,
    ),
    _spec("appropriations_earmarked_reserves", (815,), r"other earmarked", "RS-appresoth-net-exp"),
    _spec("appropriations_unallocated_reserves", (816,), r"unallocated", "RS-appresunall-net-exp"),
    _spec("schools_reserves", (911,), r"schools", "RS-ressch-end-cy", "end"),
    _spec(
        "public_health_reserves", (914,), r"public health", "RS-resph-end-cy", "end", required=False
    ),
    _spec("earmarked_reserves", (915,), r"other earmarked", "RS-resoth-end-cy", "end"),
    _spec("unallocated_reserves", (916,), r"unallocated", "RS-resunall-end-cy", "end"),
    _spec("schools_reserves_start", (911,), r"schools", "RS-ressch-start-cy", "start"),
    _spec(
        "public_health_reserves_start",
        (914,),
        r"public health",
        "RS-resph-start-cy",
        "start",
        required=False,
    ),
    _spec("earmarked_reserves_start", (915,), r"other earmarked", "RS-resoth-start-cy", "start"),
    _spec("unallocated_reserves_start", (916,), r"unallocated", "RS-resunall-start-cy", "start"),
    # Lines added to the RS form since 2017-18 (absent from earlier editions).
    _spec(
        "dsg_adjustment_account",
        (912,),
        r"adjustment account",
        "RS-resdsgadj-end-cy",
        "end",
        required=False,
    ),
    _spec(
        "dsg_adjustment_account_start",
        (912,),
        r"adjustment account",
        "RS-resdsgadj-start-cy",
        "start",
        required=False,
    ),
    _spec(
        "investment_property_net_cost",
        (),
        r"investment properties: net income",
        "RS-invprp-netinc-net-exp",
        required=False,
    ),
    _spec(
        "earmarked_reserves_contractual",
        (1023,),
        r"contractual",
        "RS-resothcont-end-cy",
        "end",
        required=False,
    ),
    _spec(
        "earmarked_reserves_planned_spending",
        (1024,),
        r"planned",
        "RS-resothfut-end-cy",
        "end",
        required=False,
    ),
    _spec(
        "earmarked_reserves_specific_risks",
        (1025,),
        r"specific risks",
        "RS-resothspec-end-cy",
        "end",
        required=False,
    ),
    _spec(
        "earmarked_reserves_budget_stabilisation",
        (1026,),
        r"budget stabilisation",
        "RS-resothbdg-end-cy",
        "end",
        required=False,
    ),
    _spec(
        "earmarked_reserves_other_purposes",
        (1027,),
        r"other earmarked reserves: other",
        "RS-resothoth-end-cy",
        "end",
        required=False,
    ),
)

#: Appropriation lines summed into ``appropriations_to_from_reserves``.
APPROPRIATION_METRICS = (
    "appropriations_schools_reserves",
    "appropriations_public_health_reserves",
    "appropriations_earmarked_reserves",
    "appropriations_unallocated_reserves",
)


def _locate(
    workbook: FinanceWorkbook, specs: tuple[LineSpec, ...]
) -> tuple[dict[str, LineColumn], list[CheckFailure]]:
    found: dict[str, LineColumn] = {}
    failures = []
    for spec in specs:
        item = workbook.find(spec.lines, spec.pattern, spec.timing, spec.codes)
        if item is not None:
            found[spec.metric] = item
        elif spec.required:
            when = {"end": " (level at 31 March)", "start": " (level at 1 April)"}.get(
                spec.timing, ""
            )
            failures.append(
                CheckFailure(
                    workbook.file,
                    f"line {'/'.join(map(str, spec.lines))}{when}",
                    workbook.header_row + 1,
                    None,
                    f"column is missing (needed for {spec.metric})",
                )
            )
    return found, failures


def read_wide(
    path: Path, specs: tuple[LineSpec, ...], workbook: FinanceWorkbook | None = None
) -> tuple[pd.DataFrame, FinanceWorkbook, dict[str, LineColumn]]:
    """Read a finance workbook into one row per council with raw cells per metric.

    Parameters
    ----------
    path
        Workbook as published.
    specs
        Metrics and the form lines they are read from.
    workbook
        The workbook already read from ``path`` (read here when omitted).

    Returns
    -------
    tuple
        The wide frame (``ecode``, ``ons_code``, ``la_name``, ``la_class``, the
        row/label helper columns and one object column per metric), the
        workbook and the located columns.

    Raises
    ------
    DataCheckError
        When a required line is missing.
    """
    workbook = read_finance_workbook(path) if workbook is None else workbook
    found, failures = _locate(workbook, specs)
    if failures:
        raise DataCheckError(failures)
    ids = workbook.id_columns
    by_sheet = []
    for sheet in workbook.sheets:
        index: dict[str, list[object]] = {}
        for cells in sheet[workbook.header_row + 1 :]:
            code = cells[ids["E-code"]] if cells else None
            if isinstance(code, str):
                index.setdefault(code.strip(), cells)
        by_sheet.append(index)
    records = []
    for row_index, cells in workbook.rows():
        klass = str(cells[ids["Class"]]).strip()
        if klass not in COUNCIL_CLASSES:
            continue
        ecode = str(cells[ids["E-code"]]).strip()
        name = str(cells[ids["Local authority"]]).strip()
        record: dict[str, object] = {
            "ecode": ecode,
            "ons_code": str(cells[ids["ONS Code"]]).strip() if "ONS Code" in ids else None,
            "la_name": name,
            "la_class": klass,
            ROW_COLUMN: row_index + 1,
            LABEL_COLUMN: f"{ecode} {name}",
        }
        for metric, item in found.items():
            source = cells if item.sheet == 0 else by_sheet[item.sheet].get(ecode, [])
            value = source[item.column] if item.column < len(source) else None
            if isinstance(value, str) and value.strip() in NOT_AVAILABLE:
                value = None
            record[metric] = value
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for metric in found:
        frame[metric] = frame[metric].astype(object)
    return frame, workbook, found


def wide_schema(metrics: list[str]) -> pa.DataFrameSchema:
    """Return the pandera schema of a wide finance frame with these metric columns."""
    columns = {
        "ecode": pa.Column(str, pa.Check.str_matches(ECODE_PATTERN.pattern), unique=True),
        "la_class": pa.Column(str, pa.Check.isin(sorted(COUNCIL_CLASSES))),
        "ons_code": pa.Column(nullable=True),
    }
    for metric in metrics:
        # £ thousand; checked before predecessors are summed into a successor.
        columns[metric] = pa.Column(
            object, [NUMBER_CHECK, plausible_check("GBP", scale=1000)], nullable=True
        )
    return pa.DataFrameSchema(columns, strict=False)


def check_codes(
    frame: pd.DataFrame, geography: Geography, file: str
) -> tuple[pd.Series, list[CheckFailure]]:
    """Map E-codes to GSS codes as published and check ONS codes agree."""
    failures = []
    gss = frame["ecode"].map(geography.ecode_to_gss)
    # Councils created since the register's E-code list (BCP, Buckinghamshire,
    # Dorset, the Northamptonshires, East/West Suffolk, Cumberland, North
    # Yorkshire, Somerset ...) are identified by the ONS code printed beside them.
    printed_codes = frame["ons_code"].astype(str)
    known = printed_codes.map(
        lambda c: c in geography.authorities.index or c in geography.renumbered
    )
    gss = gss.where(gss.notna() | ~known, printed_codes)
    for index in frame.index[gss.isna()]:
        failures.append(
            CheckFailure(
                file,
                "E-code",
                row_number(frame, index),
                row_label(frame, index),
                f"E-code {frame.at[index, 'ecode']!r} is not in the mySociety register",
            )
        )
    for index in frame.index[gss.notna() & frame["ons_code"].notna()]:
        printed = str(frame.at[index, "ons_code"])
        if not printed or printed == "None":
            continue
        if printed not in geography.authorities.index and printed not in geography.renumbered:
            # A code no authority ever had is a typo in the file (North Yorkshire
            # is printed as E10000022 in RS 2015-16); the E-code identifies the row.
            continue
        a = geography.successors_of(printed)
        b = geography.successors_of(str(gss[index]))
        if printed != gss[index] and set(a) != set(b):
            failures.append(
                CheckFailure(
                    file,
                    "ONS Code",
                    row_number(frame, index),
                    row_label(frame, index),
                    f"ONS code {printed!r} does not match E-code "
                    f"{frame['ecode'][index]} ({gss[index]})",
                )
            )
    return gss, failures


def _tolerance(count: int) -> float:
    return 0.5 * count + 1.0


def check_totals(
    frame: pd.DataFrame,
    workbook: FinanceWorkbook,
    found: dict[str, LineColumn],
    nre: str,
    revenue: str,
    tse: str,
) -> list[CheckFailure]:
    """Check that totals reconcile with their components within rounding.

    Total service expenditure must equal the service lines' sum; net revenue
    expenditure must equal revenue expenditure plus the lines printed between
    them (grants inside AEF, LSSG, ABG).
    """
    failures = []
    service = [
        c for c in workbook.lines if c.line in SERVICE_LINES and c.sheet == 0 and not c.timing
    ]
    rev_line, nre_line = found[revenue].line, found[nre].line
    between = [c for c in workbook.lines if rev_line < c.line < nre_line and c.sheet == 0]
    by_row = dict(workbook.rows())
    for index in frame.index:
        cells = by_row[row_number(frame, index) - 1]
        for total_metric, parts in ((tse, service), (nre, [found[revenue], *between])):
            total = frame.at[index, total_metric]
            values = [cells[c.column] for c in parts]
            if not is_number(total) or not all(is_number(v) or v in ("", None) for v in values):
                continue
            summed = sum(float(v) for v in values if is_number(v))
            if abs(summed - float(total)) > _tolerance(len(values)):
                failures.append(
                    CheckFailure(
                        workbook.file,
                        found[total_metric].label,
                        row_number(frame, index),
                        row_label(frame, index),
                        f"total {float(total):,.0f} does not equal its {len(values)} component lines "
                        f"{'+'.join(str(c.line) for c in parts)} = {summed:,.0f} (£ thousand)",
                    )
                )
    return failures


def tidy_from_wide(
    frame: pd.DataFrame, gss: pd.Series, metrics: list[str], period: str, source: str, vintage: str
) -> pd.DataFrame:
    """Return tidy rows (pounds) for the numeric cells of a validated wide frame."""
    parts = []
    for metric in metrics:
        values = frame[metric]
        mask = values.map(is_number) & gss.notna()
        parts.append(
            pd.DataFrame(
                {
                    "gss_code": gss[mask].astype(str).to_numpy(),
                    "metric": metric,
                    "period": period,
                    "value": values[mask].astype(float).to_numpy() * 1000.0,
                    "unit": "GBP",
                    "source": source,
                    "vintage": vintage,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def add_appropriations_total(
    tidy: pd.DataFrame, metric: str = "appropriations_to_from_reserves"
) -> pd.DataFrame:
    """Add the sum of the appropriation lines as one metric."""
    parts = tidy[
        tidy["metric"].isin(APPROPRIATION_METRICS)
        | tidy["metric"].isin([f"{m}_budget" for m in APPROPRIATION_METRICS])
    ]
    if parts.empty:
        return tidy
    total = parts.groupby(["gss_code", "period", "unit", "source", "vintage"], as_index=False).agg(
        value=("value", "sum")
    )
    total["metric"] = metric
    return pd.concat([tidy, total[list(TIDY_COLUMNS)]], ignore_index=True)


def add_reserves_total(
    tidy: pd.DataFrame, metric: str = "unallocated_and_earmarked_reserves"
) -> pd.DataFrame:
    """Add unallocated + other earmarked reserves at 31 March where both are published."""
    parts = tidy[tidy["metric"].isin(("unallocated_reserves", "earmarked_reserves"))]
    keys = ["gss_code", "period", "unit", "source", "vintage"]
    grouped = parts.groupby(keys, as_index=False).agg(value=("value", "sum"), n=("value", "size"))
    total = grouped[grouped["n"] == 2].drop(columns="n")
    total["metric"] = metric
    return pd.concat([tidy, total[list(TIDY_COLUMNS)]], ignore_index=True)


#: Checks a wide frame's totals against their components: (frame, workbook, lines found).
TotalsCheck = Callable[[pd.DataFrame, FinanceWorkbook, dict[str, LineColumn]], list[CheckFailure]]


def read_checked(
    path: Path,
    specs: tuple[LineSpec, ...],
    geography: Geography,
    totals: tuple[str, str, str] | TotalsCheck,
    workbook: FinanceWorkbook | None = None,
) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Read a finance workbook and run every check shared by the RS, RA and RSX loaders.

    Parameters
    ----------
    path
        The workbook.
    specs
        The lines to read.
    geography
        Register used to check E-codes and ONS codes.
    totals
        Net revenue expenditure, revenue expenditure and total service
        expenditure metric ids, reconciled against their components by
        :func:`check_totals`; or a check of a form's own totals.
    workbook
        The workbook already read from ``path`` (read here when omitted).

    Returns
    -------
    tuple
        The wide frame, its GSS codes and the metrics found.

    Raises
    ------
    DataCheckError
        Listing every failed check (schema, codes, totals, coverage).
    """
    frame, workbook, found = read_wide(path, specs, workbook)
    metrics = list(found)
    labels = {m: found[m].label for m in metrics} | {"ecode": "E-code", "la_class": "Class"}
    checks = CheckCollector()
    checks.run(validate, wide_schema(metrics), frame, path.name, labels)
    gss, code_failures = check_codes(frame, geography, path.name)
    checks.extend(code_failures)
    if not checks.failures:
        if callable(totals):
            checks.extend(totals(frame, workbook, found))
        else:
            checks.extend(check_totals(frame, workbook, found, *totals))
    if len(frame) < MIN_COUNCILS_PER_YEAR:
        checks.add(
            CheckFailure(
                path.name,
                "Class",
                None,
                None,
                f"only {len(frame)} councils (expected at least {MIN_COUNCILS_PER_YEAR})",
            )
        )
    checks.raise_if_failed()
    return frame, gss, metrics


class RsYear(TypedDict):
    """What one RS outturn workbook covered."""

    file: str
    councils: int
    #: Councils with a net revenue expenditure figure once mapped to current councils.
    current_councils: NotRequired[int]


def load_rs_year(raw_dir: Path, period: str, geography: Geography) -> tuple[pd.DataFrame, RsYear]:
    """Load one RS outturn year as tidy rows keyed by the GSS code as published.

    Parameters
    ----------
    raw_dir
        Folder of staged open data.
    period
        Financial year, e.g. ``"2016-17"``.
    geography
        Register and E-code map.

    Returns
    -------
    tuple
        Tidy rows (codes as published, before boundary mapping) and a coverage
        record (``councils``, ``file``).

    Raises
    ------
    DataCheckError
        Listing every failed check in the workbook.
    """
    path = raw_path(raw_dir, RS_FILES[period])
    frame, gss, metrics = read_checked(
        path,
        RS_SPECS,
        geography,
        ("net_revenue_expenditure", "revenue_expenditure", "total_service_expenditure"),
    )
    vintage = f"MHCLG RS outturn {period} ({path.name})"
    tidy = tidy_from_wide(frame, gss, metrics, period, SOURCE, vintage)
    tidy = add_appropriations_total(tidy)
    tidy = add_reserves_total(tidy)
    return tidy, {"file": path.name, "councils": len(frame)}


def load_rs(
    raw_dir: Path, geography: Geography, notes: list[str] | None = None
) -> tuple[pd.DataFrame, dict[str, RsYear]]:
    """Load every RS outturn year and map it to current councils.

    Takes ``raw_dir``, ``geography`` and ``notes`` as every loader does
    (:mod:`councilpack.data.loaders`).

    Returns
    -------
    tuple
        Tidy rows for current councils (pounds) and coverage per year.

    Raises
    ------
    DataCheckError
        Listing every failed check across all years.
    """
    checks = CheckCollector()
    parts: list[pd.DataFrame] = []
    coverage: dict[str, RsYear] = {}
    for period in RS_FILES:
        result = checks.run(load_rs_year, raw_dir, period, geography)
        if result is not None:
            tidy, cover = result
            parts.append(tidy)
            coverage[period] = cover
    checks.raise_if_failed()
    tidy = pd.concat(parts, ignore_index=True)
    current = to_current(tidy, geography, additive=True, notes=notes)
    for period, cover in coverage.items():
        cover["current_councils"] = int(
            current.loc[
                (current["period"] == period) & (current["metric"] == "net_revenue_expenditure"),
                "gss_code",
            ].nunique()
        )
    return current[list(TIDY_COLUMNS)], coverage
