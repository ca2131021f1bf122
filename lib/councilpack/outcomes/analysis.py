"""One council's place and service outcomes against like-with-like comparators.

Every metric of the catalogue with an ``outcome`` block is analysed the same
way as a finance indicator (:mod:`councilpack.finance.position` and
:mod:`councilpack.finance.findings`): value and period, group median and
quartiles, rank read through polarity, direction of travel over three years, a
sentence in the peer-report register, or "not available" with the reason.

Comparators (stated in the report, per figure):

* start from the council's primary comparator group (ONS nearest neighbours);
* keep only members that run the service (``applies_to``: highway authorities
  for roads, upper-tier councils for adult social care) and, where the metric
  has a ``role_metric``, that held the council's role that year (waste
  collection, unitary or disposal authority);
* when fewer than :data:`MIN_OTHERS` other members have a figure, use every
  council of the same kind (same service responsibilities and role) instead,
  and say so.

:func:`analyse` is the function the outcomes notebook and the briefing call;
:meth:`OutcomesAnalysis.findings_frame` gives the briefing one tidy row per
measure (position read through polarity, quartiles, travel, sentence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from councilpack.catalogue import load_catalogue
from councilpack.data import ComparatorGroup, Council, DataContext
from councilpack.data.neighbours import tier
from councilpack.figures import Figure
from councilpack.finance import findings
from councilpack.finance.analysis import group_trend, primary_group, travel_with_sentence
from councilpack.finance.indicators import IndicatorSpec, is_financial_year
from councilpack.finance.position import (
    GroupPosition,
    Travel,
    group_position,
    headline_figure,
    trend_figure,
)

#: Fewest other councils with a figure for a group to be used.
MIN_OTHERS = 5
#: Columns of :meth:`OutcomesAnalysis.findings_frame`.
FINDINGS_COLUMNS: tuple[str, ...] = (
    "id",
    "theme",
    "label",
    "period",
    "value",
    "unit",
    "polarity",
    "group",
    "group_size",
    "median",
    "lower_quartile",
    "upper_quartile",
    "rank",
    "reading",
    "outside_middle_half",
    "travel",
    "sentence",
    "travel_sentence",
)
TIER_WORDS = {
    "county": "county councils",
    "district": "district councils",
    "single-tier": "unitary councils, metropolitan and London boroughs",
}


@dataclass(frozen=True)
class OutcomeSpec:
    """One outcome metric from the catalogue.

    Attributes
    ----------
    indicator
        The metric as an :class:`~councilpack.finance.indicators.IndicatorSpec`
        (a ``level``), so positions and sentences use the finance machinery.
    theme
        Report section.
    applies_to
        Council types that run the service.
    not_applicable_reason
        Why other councils have no figure.
    role_metric, roles
        Metric holding each council's role for the service, and each role in words.
    """

    indicator: IndicatorSpec
    theme: str
    applies_to: tuple[str, ...]
    not_applicable_reason: str
    role_metric: str | None = None
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Return the metric id."""
        return self.indicator.id


def outcome_specs(catalogue: dict[str, dict[str, Any]] | None = None) -> dict[str, OutcomeSpec]:
    """Return every catalogue metric with an ``outcome`` block, in catalogue order.

    Parameters
    ----------
    catalogue
        A loaded catalogue; defaults to :func:`~councilpack.catalogue.load_catalogue`.
    """
    entries = load_catalogue() if catalogue is None else catalogue
    out: dict[str, OutcomeSpec] = {}
    for metric, entry in entries.items():
        block = entry.get("outcome")
        if not block:
            continue
        similar = block.get("similar_within", {})
        role_metric = block.get("role_metric")
        roles = {}
        if role_metric:
            roles = {int(k): str(v) for k, v in entries[role_metric].get("roles", {}).items()}
        indicator = IndicatorSpec(
            id=metric,
            label=str(entry["label"]),
            short_label=str(entry.get("short_label", entry["label"])),
            unit=str(block.get("display_unit", entry["unit"])),
            polarity=entry["polarity"],  # one of vocabulary.Polarity: load_catalogue checks
            definition=" ".join(str(entry["definition"]).split()),
            source=str(entry["source"]),
            kind="level",
            numerator=(metric,),
            subject=str(block.get("subject", entry["label"])),
            verb=str(block.get("verb", "was")),
            similar_absolute=similar.get("absolute"),
            similar_relative=similar.get("relative"),
        )
        out[metric] = OutcomeSpec(
            indicator=indicator,
            theme=str(block["theme"]),
            applies_to=tuple(block.get("applies_to", ())),
            not_applicable_reason=" ".join(str(block.get("not_applicable_reason", "")).split()),
            role_metric=role_metric,
            roles=roles,
        )
    return out


@dataclass
class OutcomeResult:
    """One outcome metric for one council: figure, comparator group, position, trend."""

    spec: OutcomeSpec
    period: str
    value: float | None
    reason: str
    group: ComparatorGroup | None
    position: GroupPosition | None
    group_values: pd.DataFrame
    trend: pd.DataFrame
    sentence: str
    source: str = ""
    travel: Travel | None = None
    travel_sentence: str = ""
    figures: list[Figure] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """Return whether the council has a figure."""
        return self.value is not None

    @property
    def applicable(self) -> bool:
        """Return whether the council runs the service at all."""
        return not self.reason.startswith("not applicable")


@dataclass
class OutcomesAnalysis:
    """Everything the outcomes report shows for one council."""

    council: Council
    primary: ComparatorGroup | None
    results: dict[str, OutcomeResult]

    @property
    def figures(self) -> list[Figure]:
        """Return every figure behind a sentence, for ``session.publish``."""
        return [f for r in self.results.values() for f in r.figures]

    @property
    def themes(self) -> list[str]:
        """Return the report's themes in catalogue order."""
        return list(dict.fromkeys(r.spec.theme for r in self.results.values()))

    def in_theme(self, theme: str) -> list[str]:
        """Return the metric ids of one theme."""
        return [k for k, r in self.results.items() if r.spec.theme == theme]

    def findings(self, ids: Sequence[str] | None = None) -> list[str]:
        """Return the finding sentences (position, then travel) of some metrics."""
        return [
            " ".join(s for s in (self.results[i].sentence, self.results[i].travel_sentence) if s)
            for i in (ids or list(self.results))
        ]

    def table(self) -> pd.DataFrame:
        """Return one row per metric: value, year, group used, median, position, rank."""
        rows = []
        for result in self.results.values():
            position = result.position
            rows.append(
                {
                    "Measure": result.spec.indicator.label,
                    "Year": result.period,
                    "Value": findings.format_indicator(result.value, result.spec.indicator)
                    if result.value is not None
                    else "not available",
                    "Comparator group": result.group.label if result.group else "",
                    "Median": findings.format_indicator(position.median, result.spec.indicator)
                    if position
                    else "",
                    "Rank": position.rank_text if position else "not available",
                    "Note": "" if result.available else result.reason,
                }
            )
        return pd.DataFrame(rows)

    def findings_frame(self) -> pd.DataFrame:
        """Return one tidy row per measure with a figure, for selecting findings.

        The briefing picks its "local priorities and outcomes" findings from
        these rows by its own selection rules. ``reading`` is the position read
        through polarity (``better``, ``worse``, ``similar``; ``""`` for a
        neutral measure); ``outside_middle_half`` is True when the figure is
        beyond the group's quartiles; ``travel`` is ``improving``,
        ``worsening`` or ``""`` over three years.
        """
        rows = []
        for identifier, result in self.results.items():
            if result.value is None:
                continue
            indicator, position = result.spec.indicator, result.position
            reading = ""
            if position is not None and indicator.polarity != "neutral":
                if position.position == "similar":
                    reading = "similar"
                else:
                    higher = position.position == "above"
                    good = higher == (indicator.polarity == "higher_is_better")
                    reading = "better" if good else "worse"
            rows.append(
                {
                    "id": identifier,
                    "theme": result.spec.theme,
                    "label": indicator.label,
                    "period": result.period,
                    "value": result.value,
                    "unit": indicator.unit,
                    "polarity": indicator.polarity,
                    "group": result.group.label if result.group else "",
                    "group_size": position.group_size if position else 0,
                    "median": position.median if position else float("nan"),
                    "lower_quartile": position.lower_quartile if position else float("nan"),
                    "upper_quartile": position.upper_quartile if position else float("nan"),
                    "rank": position.rank if position else 0,
                    "reading": reading,
                    "outside_middle_half": bool(
                        position
                        and not position.lower_quartile <= result.value <= position.upper_quartile
                    ),
                    "travel": result.travel.reading if result.travel else "",
                    "sentence": result.sentence,
                    "travel_sentence": result.travel_sentence,
                }
            )
        return pd.DataFrame(rows, columns=list(FINDINGS_COLUMNS))

    def not_available(self) -> pd.DataFrame:
        """Return the metrics the council has no figure for, with the reason."""
        rows = [
            {"Measure": r.spec.indicator.label, "Year": r.period, "Reason": r.reason}
            for r in self.results.values()
            if not r.available
        ]
        return pd.DataFrame(rows, columns=["Measure", "Year", "Reason"])


def _roles(data: DataContext, spec: OutcomeSpec) -> pd.Series:
    if not spec.role_metric:
        return pd.Series(dtype=float)
    rows = data.metric(spec.role_metric)
    return rows.set_index(["gss_code", "period"])["value"]


def _eligible(
    data: DataContext, spec: OutcomeSpec, codes: Sequence[str], period: str, role: float | None
) -> list[str]:
    types = data.register.table.set_index("gss_code")["council_type"]
    roles = _roles(data, spec)
    out = []
    for code in codes:
        if code not in types.index or types[code] not in spec.applies_to:
            continue
        if role is not None and roles.get((code, period)) != role:
            continue
        out.append(code)
    return out


def comparator_group(
    data: DataContext,
    spec: OutcomeSpec,
    council: Council,
    period: str,
    primary: ComparatorGroup | None,
) -> ComparatorGroup | None:
    """Return the like-with-like group one outcome figure is compared against.

    Parameters
    ----------
    data
        The data context.
    spec
        The outcome metric.
    council
        The council.
    period
        The year compared.
    primary
        The council's primary comparator group.

    Returns
    -------
    ComparatorGroup or None
        The primary group limited to councils that run the service (in the
        council's role), or, when fewer than :data:`MIN_OTHERS` of the others
        have a figure, every council of the same kind; ``None`` when no other
        council has a figure.
    """
    role = _roles(data, spec).get((council.gss_code, period)) if spec.role_metric else None
    role_words = spec.roles.get(int(role), "") if role is not None else ""
    with_figure = set(data.metric(spec.id, period)["gss_code"])
    if primary is not None:
        members = _eligible(data, spec, primary.members, period, role)
        others = [m for m in members if m != council.gss_code and m in with_figure]
        # A small group (the demo's) counts when every other member has a figure.
        if len(others) >= min(MIN_OTHERS, len(primary.members) - 1):
            limited = members != list(primary.members)
            label = primary.label + (f" that are {role_words}" if role_words else "")
            definition = primary.definition
            if limited:
                definition += "; limited here to those that " + (
                    f"are {role_words} in {period}" if role_words else "run the service"
                )
            return ComparatorGroup(
                primary.kind, label, definition, primary.vintage, (council.gss_code, *others)
            )
    own_tier = tier(council.council_type)
    country = "demo" if data.label == "demo" else "English"
    table = data.register.table
    same_kind = [
        c
        for c, kind in zip(table["gss_code"], table["council_type"], strict=True)
        if tier(kind) == own_tier
    ]
    members = _eligible(data, spec, same_kind, period, role)
    others = [m for m in members if m != council.gss_code and m in with_figure]
    what = role_words or TIER_WORDS[own_tier]
    scope = f"{TIER_WORDS[own_tier]} that are {role_words}" if role_words else what
    if len(others) < MIN_OTHERS and role_words:
        members = _eligible(data, spec, list(table["gss_code"]), period, role)
        others = [m for m in members if m != council.gss_code and m in with_figure]
        scope = f"councils of every kind that are {role_words}"
    if not others:
        return None
    reason = (
        f"fewer than {MIN_OTHERS} of its {primary.label} had a figure in the same role"
        if primary is not None
        else "the council has no primary comparator group"
    )
    return ComparatorGroup(
        "outcome_fallback",
        f"All {country} {scope}",
        f"Every {country} {scope} with a figure for {period} (used because {reason})",
        primary.vintage if primary is not None else "",
        (council.gss_code, *others),
    )


def _periods(rows: pd.DataFrame) -> list[str]:
    return sorted(p for p in set(rows["period"]) if is_financial_year(str(p)))


def _reason(data: DataContext, spec: OutcomeSpec, council: Council, period: str) -> str:
    marked = data.unavailable
    hit = marked[
        (marked["gss_code"] == council.gss_code)
        & (marked["metric"] == spec.id)
        & (marked["period"] == period)
    ]
    if not hit.empty:
        return str(hit["reason"].iloc[0])
    former = sorted(c for c, new in data.register.former_codes.items() if new == council.gss_code)
    if former:
        return (
            f"the source has no figure for {council.name} in {period}; it replaced former "
            f"councils ({', '.join(former[:4])}{', ...' if len(former) > 4 else ''}) whose "
            "figures cannot be combined into a rate for its area"
        )
    return f"the source has no figure for {council.name} in {period}"


def _trend(values: pd.DataFrame, members: Sequence[str], gss_code: str) -> pd.DataFrame:
    return group_trend(values, members, gss_code, _periods(values))


def analyse_outcome(
    data: DataContext, spec: OutcomeSpec, council: Council, primary: ComparatorGroup | None
) -> OutcomeResult:
    """Analyse one outcome metric for one council.

    The year reported is the council's latest with a figure; a council with
    none is "not available" for the latest year in the data, with the reason
    (a tier that does not run the service, a source marker such as ``[x]``, or
    no row in the source).
    """
    indicator = spec.indicator
    values = data.metric(spec.id)
    periods = _periods(values)
    mine = values[values["gss_code"] == council.gss_code]
    own_periods = _periods(mine)
    latest = periods[-1] if periods else ""
    empty_values = pd.DataFrame(columns=["gss_code", "name", "value"])
    empty_trend = _trend(values.iloc[0:0], (), council.gss_code)
    if council.council_type not in spec.applies_to:
        reason = f"not applicable: {spec.not_applicable_reason}"
        return _unavailable(spec, latest, reason, empty_values, empty_trend)
    if not periods:
        return _unavailable(
            spec, "", "the data hold no figures for this measure", empty_values, empty_trend
        )
    if not own_periods:
        return _unavailable(
            spec, latest, _reason(data, spec, council, latest), empty_values, empty_trend
        )
    period = own_periods[-1]
    if period not in periods[-2:]:
        # A figure several years older than the latest is not the council's current position.
        reason = f"{_reason(data, spec, council, latest)} (its latest figure is for {period})"
        return _unavailable(spec, latest, reason, empty_values, empty_trend)
    value = float(mine.loc[mine["period"] == period, "value"].iloc[0])
    source = str(mine.loc[mine["period"] == period, "vintage"].iloc[0])
    group = comparator_group(data, spec, council, period, primary)
    position = None
    group_values = empty_values
    trend = _trend(values, (council.gss_code,), council.gss_code)
    if group is not None:
        year = values[(values["period"] == period) & values["gss_code"].isin(list(group.members))]
        in_group = year.set_index("gss_code")["value"]
        position = group_position(in_group, council.gss_code, indicator, len(group.members))
        group_values = year[["gss_code", "value"]].assign(
            name=[data.register.get(c).name for c in year["gss_code"]]
        )[["gss_code", "name", "value"]]
        trend = _trend(values, group.members, council.gss_code)
    result = OutcomeResult(
        spec=spec,
        period=period,
        value=value,
        reason="",
        group=group,
        position=position,
        group_values=group_values.reset_index(drop=True),
        trend=trend,
        sentence="",
        source=source,
    )
    _word(result)
    if period != latest:
        result.reason = f"no figure for {latest}: {_reason(data, spec, council, latest)}"
        result.sentence += f" There is no figure for {latest}: {result.reason.split(': ', 1)[1]}."
        first = result.figures[0]
        result.figures[0] = first.model_copy(
            update={
                "sentence": result.sentence,
                "note": "; ".join(filter(None, (result.reason, first.note))),
            }
        )
    return result


def _unavailable(
    spec: OutcomeSpec, period: str, reason: str, values: pd.DataFrame, trend: pd.DataFrame
) -> OutcomeResult:
    result = OutcomeResult(
        spec=spec,
        period=period,
        value=None,
        reason=reason,
        group=None,
        position=None,
        group_values=values,
        trend=trend,
        sentence=findings.not_available_sentence(spec.indicator, period or "any year", reason),
    )
    result.figures.append(
        headline_figure(
            spec.indicator,
            None,
            period=period,
            source=spec.indicator.source,
            group=None,
            position=None,
            notes=(reason,),
            sentence=result.sentence,
        )
    )
    return result


def _word(result: OutcomeResult) -> None:
    indicator, period = result.spec.indicator, result.period
    group, position = result.group, result.position
    if group is None or position is None or result.value is None:
        result.sentence = (
            f"{indicator.subject} was {findings.format_indicator(result.value or 0.0, indicator)} "
            f"in {period}; no comparable council has a figure."
        )
    else:
        result.sentence = findings.position_sentence(indicator, period, group, position)
    result.figures.append(
        headline_figure(
            indicator,
            result.value,
            period=period,
            source=result.source,
            group=group,
            position=position,
            notes=(result.reason,),
            sentence=result.sentence,
        )
    )
    travelled = travel_with_sentence(result.trend, period, indicator, group)
    if travelled is None:
        return
    result.travel, result.travel_sentence = travelled
    result.figures.append(
        trend_figure(
            indicator, result.travel, source=result.source, sentence=result.travel_sentence
        )
    )


def analyse(
    data: DataContext, gss_code: str, *, metrics: Sequence[str] | None = None
) -> OutcomesAnalysis:
    """Analyse every outcome metric of the catalogue for one council.

    This is what the outcomes notebook shows and what the briefing reads for
    its "local priorities and outcomes" findings.

    Parameters
    ----------
    data
        The data context (demo or open data).
    gss_code
        The council.
    metrics
        Metric ids (catalogue order by default).

    Returns
    -------
    OutcomesAnalysis
        One :class:`OutcomeResult` per metric, with sentences and figures.
    """
    council = data.register.get(gss_code)
    primary = primary_group(data.groups_for(gss_code))
    specs = outcome_specs()
    chosen = list(metrics) if metrics else list(specs)
    results = {m: analyse_outcome(data, specs[m], council, primary) for m in chosen}
    return OutcomesAnalysis(council, primary, results)
