"""Finance resilience indicators per council and year, defined in the catalogue.

Each indicator in ``catalogue/finance_indicators.yml`` has a ``formula`` of one of
five kinds, computed for every council and financial year at once:

``level``
    the sum of the numerator metrics (pounds).
``ratio``
    ``scale * sum(numerator) / denominator`` (percentages of NRE).
``per_head``
    ``sum(numerator) / population`` with the ONS population estimate for the
    middle of the finance year's first calendar year (2022-23 uses mid-2022);
    a year with no estimate has no figure.
``change``
    percentage change of ``sum(numerator)`` over ``years`` financial years.
``sustainability``
    years the ``sum(numerator)`` would last at the average annual drawdown of
    the last ``years`` years; councils whose reserves did not fall are "not
    drawing down" and placed at ``cap`` (the CIPFA convention).

A figure that cannot be computed is absent from the values and
:func:`missing_reason` says why, including when an input was left out of the
data as implausible (``DataContext.excluded``, e.g. a negative council tax
requirement in a return).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

from councilpack.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from councilpack.data import DataContext
from councilpack.data.model import shift_period, source_document
from councilpack.vocabulary import Polarity
from councilpack.wording import format_money, format_value

CATALOGUE_FILE = "finance_indicators.yml"
FORMULA_KINDS = frozenset({"level", "ratio", "per_head", "change", "sustainability"})
NOT_DRAWING_DOWN = "not drawing down"
VALUE_COLUMNS = ("gss_code", "period", "value", "status")


@dataclass(frozen=True)
class IndicatorSpec:
    """One finance indicator as defined in the catalogue.

    Attributes
    ----------
    id, label, short_label, unit, polarity, definition, source
        Catalogue fields.
    kind
        Formula kind (see module docstring).
    numerator
        Metrics summed into the numerator (every part must be present).
    denominator
        Metric divided by (``ratio``), or the population metric (``per_head``).
    scale
        Multiplier of a ratio (100 for percentages).
    years
        Span of a ``change`` or ``sustainability`` indicator.
    cap
        Value given to "not drawing down" in a sustainability indicator.
    subject, verb, value_suffix
        How the finding sentence reads.
    similar_absolute, similar_relative
        Tolerance for "similar to the median".
    not_applicable_types, not_applicable_reason
        Council types the indicator does not apply to, and why.
    money_gap
        ``below`` / ``above`` sentences translating the gap to the median into pounds.
    """

    id: str
    label: str
    short_label: str
    unit: str
    polarity: Polarity
    definition: str
    source: str
    kind: str
    numerator: tuple[str, ...]
    denominator: str | None = None
    scale: float = 1.0
    years: int = 0
    cap: float | None = None
    subject: str = ""
    verb: str = "was"
    value_suffix: str = ""
    similar_absolute: float | None = None
    similar_relative: float | None = None
    not_applicable_types: tuple[str, ...] = ()
    not_applicable_reason: str = ""
    money_gap: dict[str, str] = field(default_factory=dict)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Return every metric the indicator reads."""
        return self.numerator + ((self.denominator,) if self.denominator else ())

    @property
    def uses_population(self) -> bool:
        """Return whether the indicator divides by a population estimate."""
        return self.kind == "per_head"

    @property
    def change_unit(self) -> str:
        """Return the unit a difference of two figures is in ("percentage points" for a percent)."""
        return "percentage points" if self.unit == "percent" else self.unit

    def tolerance_text(self) -> str:
        """Return the "similar to the median" rule in words."""
        if self.similar_absolute is not None:
            return f"within {self.similar_absolute:g} {self.change_unit} of the median"
        if self.similar_relative is not None:
            return f"within {100 * self.similar_relative:g}% of the median"
        return "equal to the median"


@dataclass(frozen=True)
class UnsupportedIndicator:
    """A CIPFA-style indicator the staged data cannot support, with the reason."""

    id: str
    label: str
    reason: str


def _spec(entry: dict[str, Any]) -> IndicatorSpec:
    formula = entry["formula"]
    kind = formula["kind"]
    if kind not in FORMULA_KINDS:
        raise CatalogueError(
            f"{CATALOGUE_FILE}: indicator {entry['id']!r} has formula kind {kind!r}"
        )
    similar = entry.get("similar_within", {})
    not_applicable = entry.get("not_applicable", {})
    return IndicatorSpec(
        id=entry["id"],
        label=entry["label"],
        short_label=entry.get("short_label", entry["label"]),
        unit=entry["unit"],
        polarity=entry["polarity"],
        definition=" ".join(str(entry["definition"]).split()),
        source=entry["source"],
        kind=kind,
        numerator=tuple(formula["numerator"]),
        denominator=formula.get("denominator") or formula.get("population"),
        scale=float(formula.get("scale", 1.0)),
        years=int(formula.get("years", 0)),
        cap=float(formula["cap"]) if "cap" in formula else None,
        subject=entry.get("subject", entry["label"]),
        verb=entry.get("verb", "was"),
        value_suffix=entry.get("value_suffix", ""),
        similar_absolute=similar.get("absolute"),
        similar_relative=similar.get("relative"),
        not_applicable_types=tuple(not_applicable.get("council_types", ())),
        not_applicable_reason=not_applicable.get("reason", ""),
        money_gap=dict(entry.get("money_gap", {})),
    )


@cache
def _catalogue_document(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def indicator_specs(folder: Path | None = None) -> dict[str, IndicatorSpec]:
    """Return the finance indicators, in catalogue order, keyed by id.

    The merged catalogue is loaded too, so a clash with another file's metric
    id fails here.

    Parameters
    ----------
    folder
        Catalogue folder; defaults to the package's.
    """
    folder = Path(folder or CATALOGUE_DIR)
    load_catalogue(folder)
    document = _catalogue_document(folder / CATALOGUE_FILE)
    return {entry["id"]: _spec(entry) for entry in document.get("metrics", [])}


def unsupported_indicators(folder: Path | None = None) -> list[UnsupportedIndicator]:
    """Return the CIPFA-style indicators the staged data cannot support."""
    document = _catalogue_document(Path(folder or CATALOGUE_DIR) / CATALOGUE_FILE)
    return [
        UnsupportedIndicator(e["id"], e["label"], " ".join(str(e["reason"]).split()))
        for e in document.get("unsupported", [])
    ]


def is_financial_year(period: str) -> bool:
    """Return whether ``period`` is a financial year such as ``2016-17``."""
    return len(period) == 7 and period[:4].isdigit() and period[4] == "-" and period[5:].isdigit()


class _StoreIndex:
    """What every indicator reads from one data context, worked out once.

    ``wide`` holds every financial-year metric as a column, one row per council
    and year (the one pivot of the store); ``values`` the computed indicators,
    by id, with the spec they were computed for. Kept per data context for as
    long as the context lives (:func:`_index`): a warm worker serves every report
    from one context, so each indicator is computed once per worker, not once per
    report. A context is never changed after it is opened (reports only read
    it); a context with another metric table is another context.
    """

    def __init__(self, data: DataContext) -> None:
        self._data = weakref.ref(data)
        self._metrics = weakref.ref(data.metrics)
        self._register = weakref.ref(data.register)
        self.wide = _pivot(data.metrics)
        self.values: dict[str, tuple[IndicatorSpec, pd.DataFrame]] = {}
        self.columns: dict[str, tuple[IndicatorSpec, ValueColumns]] = {}
        self._periods: dict[str, frozenset[str]] = {}
        self._metrics_table = data.metrics

    def periods(self, metric: str) -> frozenset[str]:
        """Return the periods the data hold ``metric`` for (any council)."""
        if metric not in self._periods:
            table = self._metrics_table
            rows = table["period"][table["metric"] == metric]
            self._periods[metric] = frozenset(str(p) for p in rows.unique())
        return self._periods[metric]

    def serves(self, data: DataContext) -> bool:
        """Return whether this index was built from ``data``'s current tables."""
        return (
            self._data() is data
            and self._metrics() is data.metrics
            and self._register() is data.register
        )


#: ``id`` of a data context -> its index, dropped when the context is garbage-collected
#: (a context compares by value, so it cannot key a ``WeakKeyDictionary``).
_indexes: dict[int, _StoreIndex] = {}


def _pivot(metrics: pd.DataFrame) -> pd.DataFrame:
    periods = metrics["period"]
    held = {str(p) for p in periods.unique()}
    rows = metrics[periods.isin([p for p in held if is_financial_year(p)])]
    if rows.empty:
        return pd.DataFrame()
    return rows.pivot_table(
        index=["gss_code", "period"], columns="metric", values="value", aggfunc="first"
    )


def _index(data: DataContext) -> _StoreIndex:
    key = id(data)
    index = _indexes.get(key)
    if index is not None and index.serves(data):
        return index
    if index is None:
        weakref.finalize(data, _indexes.pop, key, None)
    index = _StoreIndex(data)
    _indexes[key] = index
    return index


def _wide(data: DataContext, metrics: tuple[str, ...]) -> pd.DataFrame:
    columns = list(dict.fromkeys(metrics))
    wide = _index(data).wide
    held = [m for m in columns if m in wide.columns]
    if not held:
        # A data set without these metrics has no figures.
        return pd.DataFrame(columns=columns)
    # The (council, year) rows holding at least one of the metrics, as a pivot of
    # just these metrics would give (the tidy table has no missing values).
    rows = wide[held].notna().any(axis=1)
    return wide.loc[rows, held].reindex(columns=columns)


def _summed(wide: pd.DataFrame, parts: tuple[str, ...]) -> pd.Series:
    return wide[list(parts)].sum(axis=1, min_count=len(parts))


def population_year(period: str) -> str:
    """Return the ONS mid-year estimate a finance year's per-head figures use.

    Examples
    --------
    >>> population_year("2022-23")
    'mid-2022'
    """
    return f"mid-{period[:4]}"


def _population(data: DataContext, metric: str) -> pd.Series:
    rows = data.metric(metric)
    return rows.set_index(["gss_code", "period"])["value"]


def population_period(data: DataContext, spec: IndicatorSpec, period: str) -> str | None:
    """Return the population estimate a per-head figure for ``period`` uses, if held.

    Parameters
    ----------
    data
        The data context.
    spec
        The indicator.
    period
        The finance year.

    Returns
    -------
    str or None
        ``"mid-2022"`` for 2022-23, or ``None`` when the indicator is not per
        head or the data hold no estimate for that mid-year.
    """
    if not spec.uses_population or spec.denominator is None:
        return None
    wanted = population_year(period)
    return wanted if wanted in _index(data).periods(spec.denominator) else None


def compute(data: DataContext, spec: IndicatorSpec) -> pd.DataFrame:
    """Compute one indicator for every council and financial year (once per data context).

    The result is kept with the data context (see :class:`_StoreIndex`) and
    every call returns a copy of it, so a caller may change what it gets.

    Parameters
    ----------
    data
        The data context.
    spec
        The indicator.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALUE_COLUMNS`; ``status`` is ``"not drawing down"`` for
        a sustainability figure at its cap, else empty. Councils and years with
        no figure are absent.
    """
    index = _index(data)
    kept = index.values.get(spec.id)
    if kept is None or kept[0] != spec:
        kept = (spec, _compute(data, spec))
        index.values[spec.id] = kept
    return kept[1].copy(deep=False)


@dataclass(frozen=True, eq=False)
class ValueColumns:
    """One indicator's values (:func:`compute`) as plain columns, for lookups by year.

    ``codes``, ``periods``, ``numbers`` and ``statuses`` are the frame's columns in
    its row order; ``years`` its distinct periods, sorted; ``rows_by_period`` each
    period's row numbers, in row order; ``code_ids`` each row's council as a number
    (its place in ``code_index``). Read-only: kept per data context and shared by
    every report (:func:`value_columns`).
    """

    codes: tuple[str, ...]
    periods: tuple[str, ...]
    numbers: npt.NDArray[np.float64]
    statuses: tuple[str, ...]
    years: tuple[str, ...]
    rows_by_period: dict[str, npt.NDArray[np.intp]]
    code_ids: npt.NDArray[np.intp]
    code_index: dict[str, int]

    @classmethod
    def of(cls, values: pd.DataFrame) -> ValueColumns:
        """Return the columns of a :func:`compute` frame."""
        codes = tuple(values["gss_code"].tolist())
        periods = tuple(values["period"].tolist())
        numbers = values["value"].to_numpy(dtype=float, copy=True)
        numbers.flags.writeable = False
        code_index: dict[str, int] = {}
        code_ids = np.fromiter(
            (code_index.setdefault(code, len(code_index)) for code in codes),
            dtype=np.intp,
            count=len(codes),
        )
        code_ids.flags.writeable = False
        by_period: dict[str, list[int]] = {}
        for row, period in enumerate(periods):
            by_period.setdefault(period, []).append(row)
        rows_by_period = {}
        for period, rows in by_period.items():
            array = np.array(rows, dtype=np.intp)
            array.flags.writeable = False
            rows_by_period[period] = array
        return cls(
            codes=codes,
            periods=periods,
            numbers=numbers,
            statuses=tuple(values["status"].tolist()),
            years=tuple(sorted(str(p) for p in set(periods))),
            rows_by_period=rows_by_period,
            code_ids=code_ids,
            code_index=code_index,
        )

    def members(self, codes: Iterable[str]) -> npt.NDArray[np.bool_]:
        """Return, for each council id, whether it is one of ``codes``."""
        flags = np.zeros(len(self.code_index), dtype=bool)
        for code in codes:
            number = self.code_index.get(code)
            if number is not None:
                flags[number] = True
        return flags


def value_columns(data: DataContext, spec: IndicatorSpec) -> ValueColumns:
    """Return :func:`compute`'s values as :class:`ValueColumns` (once per data context)."""
    index = _index(data)
    kept = index.columns.get(spec.id)
    if kept is None or kept[0] != spec:
        kept = (spec, ValueColumns.of(compute(data, spec)))
        index.columns[spec.id] = kept
    return kept[1]


def _compute(data: DataContext, spec: IndicatorSpec) -> pd.DataFrame:
    metrics = spec.numerator + (
        (spec.denominator,) if spec.kind == "ratio" and spec.denominator else ()
    )
    wide = _wide(data, metrics)
    if wide.empty:
        return pd.DataFrame(columns=list(VALUE_COLUMNS))
    numerator = _summed(wide, spec.numerator)
    status = pd.Series("", index=numerator.index, dtype=object)
    if spec.kind == "level":
        value = numerator
    elif spec.kind == "ratio":
        denominator = wide[spec.denominator].where(wide[spec.denominator] > 0)
        value = spec.scale * numerator / denominator
    elif spec.kind == "per_head":
        population = _population(data, str(spec.denominator))
        keys = pd.MultiIndex.from_arrays(
            [
                numerator.index.get_level_values("gss_code"),
                [population_year(p) for p in numerator.index.get_level_values("period")],
            ]
        )
        per = population.reindex(keys).to_numpy(dtype=float)
        value = numerator / np.where(per > 0, per, np.nan)
    else:
        earlier = _earlier(numerator, spec.years)
        if spec.kind == "change":
            value = 100 * (numerator - earlier) / earlier.where(earlier > 0)
        else:
            drawdown = (earlier - numerator) / spec.years
            years_left = numerator / drawdown.where(drawdown > 0)
            growing = drawdown.notna() & (drawdown <= 0) & numerator.notna()
            cap = spec.cap if spec.cap is not None else np.inf
            value = years_left.clip(upper=cap).where(~growing, cap)
            status = status.where(~growing, NOT_DRAWING_DOWN)
    # + 0.0 turns a negative zero (-100 x 0) into 0, so no figure reads "-0.0 per cent".
    out = pd.DataFrame({"value": value + 0.0, "status": status}).reset_index()
    out = out[out["value"].notna() & np.isfinite(out["value"].astype(float))]
    if spec.not_applicable_types:
        # RS prints zeros for services a council does not provide; they are not figures.
        types = data.register.table.set_index("gss_code")["council_type"]
        kept = ~types.reindex(out["gss_code"]).isin(spec.not_applicable_types).to_numpy()
        out = out[kept]
    return out[list(VALUE_COLUMNS)].reset_index(drop=True)


def _earlier(series: pd.Series, years: int) -> pd.Series:
    frame = series.rename("value").reset_index()
    frame["period"] = [shift_period(p, years) for p in frame["period"]]
    shifted = frame.set_index(["gss_code", "period"])["value"]
    return shifted.reindex(series.index)


def compute_all(
    data: DataContext, specs: dict[str, IndicatorSpec] | None = None
) -> dict[str, pd.DataFrame]:
    """Compute every catalogue indicator; indicator id -> :func:`compute` frame."""
    specs = specs if specs is not None else indicator_specs()
    return {identifier: compute(data, spec) for identifier, spec in specs.items()}


def finance_periods(data: DataContext, metric: str = "net_revenue_expenditure") -> list[str]:
    """Return the financial years the data holds for ``metric``, oldest first."""
    return sorted(p for p in set(data.metric(metric)["period"]) if is_financial_year(str(p)))


def missing_reason(data: DataContext, spec: IndicatorSpec, gss_code: str, period: str) -> str:
    """Say why a council has no figure for an indicator in a year.

    Parameters
    ----------
    data
        The data context.
    spec
        The indicator.
    gss_code
        The council.
    period
        The financial year.

    Returns
    -------
    str
        A reason a reader can act on, e.g. ``"no return for 2013-14"``.
    """
    council = data.register.get(gss_code)
    if council.council_type in spec.not_applicable_types:
        return f"not applicable: {spec.not_applicable_reason}"
    left_out = excluded_input_reason(data, spec, gss_code, period)
    if left_out:
        return left_out
    mine = data.council_metrics(gss_code)
    finance = _finance_inputs(spec)
    held = mine[mine["metric"].isin(finance)]
    # No net revenue expenditure in any year means no revenue outturn return at all.
    if mine[mine["metric"] == "net_revenue_expenditure"].empty:
        former = sorted(c for c, new in data.register.former_codes.items() if new == gss_code)
        years = finance_periods(data)
        span = f"{years[0]} to {years[-1]}" if years else "any year"
        if former:
            return (
                f"the finance data ({span}) hold no figures for this council; it replaced "
                f"former councils ({', '.join(former)}) whose figures could not be combined "
                "into its current area"
            )
        return f"the finance data ({span}) hold no figures for this council"
    if held.empty:
        return f"the data hold no {' or '.join(finance)} figures for this council"
    former = sorted(c for c, new in data.register.former_codes.items() if new == gss_code)
    # The council's first own figure: its first return, or later where the indicator's
    # inputs start later (Band D, a rate, is not combined across predecessors).
    first_own = max(
        str(mine.loc[mine["metric"] == "net_revenue_expenditure", "period"].min()),
        str(held["period"].min()),
    )
    if former:
        for year in _needed_years(spec, period):
            if year < first_own:
                suffix = "" if year == period else f", needed for the {spec.years}-year comparison"
                return (
                    f"the council's first return is for {first_own}; for {year} the figures of "
                    f"the former councils it replaced ({', '.join(former)}) could not be "
                    f"combined into its current area{suffix}"
                )
    for year in _needed_years(spec, period):
        in_year = held[held["period"] == year]
        if in_year.empty:
            suffix = "" if year == period else f", needed for the {spec.years}-year comparison"
            return f"no return for {year}{suffix}"
        absent = [m for m in finance if m not in set(in_year["metric"])]
        if absent:
            return f"the {year} return has no figure for {', '.join(absent)}"
    if spec.uses_population:
        wanted = population_year(period)
        held = mine[(mine["metric"] == spec.denominator) & (mine["period"] == wanted)]
        if held.empty:
            return f"no ONS population estimate for {wanted} (the population year of {period})"
    if spec.kind == "ratio" and spec.denominator is not None:
        return f"{spec.denominator.replace('_', ' ')} was zero or negative in {period}"
    if spec.kind == "change":
        return f"reserves were zero in {shift_period(period, -spec.years)}"
    return f"not available for {period}"


def _finance_inputs(spec: IndicatorSpec) -> list[str]:
    return [m for m in spec.inputs if not (spec.uses_population and m == spec.denominator)]


def _needed_years(spec: IndicatorSpec, period: str) -> list[str]:
    if spec.kind in ("change", "sustainability"):
        return [period, shift_period(period, -spec.years)]
    return [period]


def excluded_input_reason(
    data: DataContext, spec: IndicatorSpec, gss_code: str, period: str
) -> str:
    """Say which input of an indicator was left out as implausible, or return ``""``.

    Parameters
    ----------
    data
        The data context; its ``excluded`` table lists the values left out.
    spec
        The indicator.
    gss_code
        The council.
    period
        The financial year.

    Returns
    -------
    str
        E.g. ``"the 2017-18 revenue outturn return gives a council tax requirement
        of -£6.4m, which cannot be right, so it is left out"``; ``""`` when no
        input of this council and year was excluded.
    """
    rows = data.council_excluded(gss_code)
    if rows.empty:
        return ""
    finance = _finance_inputs(spec)
    for year in _needed_years(spec, period):
        hits = rows[rows["metric"].isin(finance) & (rows["period"] == year)]
        if not hits.empty:
            suffix = "" if year == period else f", needed for the {spec.years}-year comparison"
            return "; ".join(_excluded_sentence(row) for _, row in hits.iterrows()) + suffix
    if spec.uses_population:
        hits = rows[rows["metric"] == spec.denominator]
        if not hits.empty:
            return "; ".join(_excluded_sentence(row) for _, row in hits.iterrows())
    return ""


def _excluded_sentence(row: pd.Series) -> str:
    label = str(load_catalogue().get(str(row["metric"]), {}).get("label", row["metric"]))
    what = label[:1].lower() + label[1:].replace("_", " ")
    article = "" if what.endswith("s") else "a "
    value, unit = float(row["value"]), str(row["unit"])
    shown = format_money(value) if unit == "GBP" else format_value(value, unit)
    return (
        f"the {row['period']} {source_document(str(row['source']))} gives {article}{what} "
        f"of {shown}, which cannot be right, so it is left out"
    )


def population_note(data: DataContext, spec: IndicatorSpec, period: str) -> str:
    """Say which population estimate a per-head figure uses, or return ``""``.

    Examples
    --------
    "per head uses the ONS mid-2022 population estimate (finance year 2022-23)"
    """
    population = population_period(data, spec, period)
    if population is None:
        return ""
    return f"per head uses the ONS {population} population estimate (finance year {period})"
