"""The data contract every analysis reads: register, tidy metric store, comparator groups.

The demo generator and the open-data build both produce a :class:`DataContext`
with exactly these shapes, so a notebook never knows which one it is reading.

Tidy metric table
-----------------
One row per (council, metric, period)::

    gss_code  str    ONS GSS code of the *current* authority
    metric    str    metric id from the metric catalogue (``net_revenue_expenditure``)
    period    str    financial year ``2016-17`` or a dated period ``mid-2023``
    value     float  in the unit below (money always in pounds, never thousands)
    unit      str    ``GBP``, ``persons``, ``percent``, ``ratio``, ``tonnes``, ``count``
    source    str    source id (``mhclg_rs``, ``ons_mye``, ``demo``)
    vintage   str    the release the figure came from, human readable

A missing figure is an absent row, never a NaN.

Excluded values
---------------
A published value outside its metric's plausible range in the catalogue (a
negative council tax requirement or reserve level) is an error in the source.
It is not a tidy row; it is kept in a separate table
(:data:`EXCLUDED_COLUMNS`: the tidy columns plus ``source_file``, the raw file
relative to the data folder, and ``reason``) so a report can say why the
council has no figure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from councilpack.errors import ArgumentError, CouncilLookupError


def shift_period(period: str, years: int) -> str:
    """Return the financial year ``years`` after (or before, if negative) ``period``.

    Examples
    --------
    >>> shift_period("2016-17", -3)
    '2013-14'
    """
    start = int(period[:4]) + years
    return f"{start}-{(start + 1) % 100:02d}"


TIDY_COLUMNS: tuple[str, ...] = (
    "gss_code",
    "metric",
    "period",
    "value",
    "unit",
    "source",
    "vintage",
)
EXCLUDED_COLUMNS: tuple[str, ...] = (*TIDY_COLUMNS, "source_file", "reason")
#: A figure the source marks as not available (``[x]``, ``[z]``), with the reason.
UNAVAILABLE_COLUMNS: tuple[str, ...] = ("gss_code", "metric", "period", "source", "reason")
REGISTER_COLUMNS: tuple[str, ...] = ("gss_code", "name", "slug", "council_type", "region")

#: What a reader calls the document each source id publishes (singular, after a period:
#: "the 2017-18 revenue outturn return").
SOURCE_DOCUMENTS: dict[str, str] = {
    "mhclg_rs": "revenue outturn return",
    "mhclg_ra": "revenue account budget return",
    "mhclg_rsx": "revenue outturn service expenditure (RSX) return",
    "mhclg_ro3": "revenue outturn social care (RO3) return",
    "mhclg_ctr": "council tax levels (CTR) table",
    "ons_mye": "ONS population estimate",
    "mhclg_ct": "council tax receipts table",
    "defra_waste": "DEFRA waste return",
    "oflog_asc": "Oflog adult social care data",
    "dft_roads": "DfT road condition table",
    "defra_env18": "Defra local authority collected waste statistics",
    "demo": "demo data",
}


def source_document(source: str) -> str:
    """Return the reader's name for the document a source id publishes.

    Examples
    --------
    >>> source_document("mhclg_rs")
    'revenue outturn return'
    """
    return SOURCE_DOCUMENTS.get(source, f"{source} data")


def empty_excluded() -> pd.DataFrame:
    """Return an excluded-values table with no rows (:data:`EXCLUDED_COLUMNS`)."""
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in EXCLUDED_COLUMNS})
    return frame.astype({"value": "float64"})


def empty_unavailable() -> pd.DataFrame:
    """Return a not-available table with no rows (:data:`UNAVAILABLE_COLUMNS`)."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in UNAVAILABLE_COLUMNS})


def slugify(name: str) -> str:
    """Return a lower-case, hyphenated file-name slug for a council name.

    Examples
    --------
    >>> slugify("King's Lynn and West Norfolk")
    'kings-lynn-and-west-norfolk'
    """
    text = name.lower().replace("&", " and ").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Council:
    """One current council, identified by its ONS GSS code."""

    gss_code: str
    name: str
    council_type: str
    region: str
    slug: str = ""

    def __post_init__(self) -> None:
        if not self.slug:
            object.__setattr__(self, "slug", slugify(self.name))

    @property
    def folder(self) -> str:
        """Return the output folder name ``<gss>-<slug>``."""
        return f"{self.gss_code}-{self.slug}"


@dataclass(frozen=True)
class ComparatorGroup:
    """A named set of councils a council is compared against.

    ``members`` always includes the council itself; ``definition`` and
    ``vintage`` are printed wherever the group is used.
    """

    kind: str
    label: str
    definition: str
    vintage: str
    members: tuple[str, ...]

    def others(self, gss_code: str) -> tuple[str, ...]:
        """Return the members other than ``gss_code``."""
        return tuple(m for m in self.members if m != gss_code)


class Register:
    """The canonical list of current councils, with former codes and aliases.

    Parameters
    ----------
    table
        One row per current council with at least :data:`REGISTER_COLUMNS`.
    former_codes
        Mapping of a former GSS code to the current council that replaced it.
    aliases
        Mapping of an alternative lower-case name to a GSS code.
    """

    def __init__(
        self,
        table: pd.DataFrame,
        former_codes: Mapping[str, str] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        missing = [c for c in REGISTER_COLUMNS if c not in table.columns]
        if missing:
            raise ArgumentError(f"register table lacks columns {missing}")
        if table["gss_code"].duplicated().any():
            dupes = sorted(table.loc[table["gss_code"].duplicated(), "gss_code"])
            raise ArgumentError(f"register table repeats GSS codes {dupes}")
        self.table = table.reset_index(drop=True)
        self.former_codes = dict(former_codes or {})
        self.aliases = {k.lower(): v for k, v in (aliases or {}).items()}
        self._by_code = {
            code: Council(
                gss_code=code, name=name, council_type=council_type, region=region, slug=slug
            )
            for code, name, council_type, region, slug in zip(
                self.table["gss_code"].astype(str),
                self.table["name"].astype(str),
                self.table["council_type"].astype(str),
                self.table["region"].astype(str),
                self.table["slug"].astype(str),
                strict=True,
            )
        }

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Council]:
        return iter(self._by_code.values())

    def __contains__(self, gss_code: object) -> bool:
        return gss_code in self._by_code

    def get(self, gss_code: str) -> Council:
        """Return the council with this current GSS code.

        Raises
        ------
        CouncilLookupError
            If the code is not a current council.
        """
        try:
            return self._by_code[gss_code]
        except KeyError:
            raise CouncilLookupError(f"no current council has GSS code {gss_code!r}") from None

    def _near_misses(self, text: str, limit: int = 5) -> list[Council]:
        """Return councils whose name, slug or code is close to ``text`` (a typo)."""
        low = text.strip().lower()
        by_name: dict[str, Council] = {}
        for council in self._by_code.values():
            by_name.setdefault(council.name.lower(), council)
            # The distinctive part of "Kingston upon Hull, City of" or "Knowsley Council".
            by_name.setdefault(council.name.lower().split(",")[0], council)
            by_name.setdefault(council.slug, council)
        for alias, code in self.aliases.items():
            if code in self._by_code:
                by_name.setdefault(alias, self._by_code[code])
        found: list[Council] = []
        for name in _near(low, by_name, limit):
            if by_name[name] not in found:
                found.append(by_name[name])
        codes = [str(code) for code in (*self._by_code, *self.former_codes)]
        for code in _near(text.strip().upper(), codes, limit):
            match = self._by_code.get(code) or self._by_code.get(self.former_codes.get(code, ""))
            if match is not None and match not in found:
                found.append(match)
        return found[:limit]

    def current_code(self, code: str) -> str | None:
        """Map a current or former GSS code to the current council's code."""
        code = code.strip().upper()
        if code in self._by_code:
            return code
        return self.former_codes.get(code)

    def resolve(self, query: str) -> Council:
        """Resolve a GSS code or an unambiguous, case-insensitive name.

        A former code resolves to the council that replaced it. An exact name
        (or registered alias) wins over a fragment; a fragment matching whole
        words (``Hull`` in "Kingston upon Hull, City of") wins over one inside a
        word (Solihull); a fragment must match one council only. An unknown
        name or code gets suggestions for near misses (``Knowsly`` -> Knowsley).

        Raises
        ------
        CouncilLookupError
            Naming the query and listing candidates when it is ambiguous.
        """
        text = query.strip()
        if not text:
            raise CouncilLookupError("empty council name or code")
        code = self.current_code(text)
        if code is not None:
            return self._by_code[code]
        low = text.lower()
        exact = [c for c in self._by_code.values() if c.name.lower() == low or c.slug == low]
        if not exact and low in self.aliases:
            exact = [self._by_code[self.aliases[low]]]
        if len(exact) == 1:
            return exact[0]
        candidates = exact
        if not candidates:
            words = re.compile(rf"(?<![a-z0-9]){re.escape(low)}(?![a-z0-9])")
            candidates = [c for c in self._by_code.values() if words.search(c.name.lower())]
        if not candidates:
            candidates = [c for c in self._by_code.values() if low in c.name.lower()]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            near = self._near_misses(text)
            hint = f"; did you mean {_listing(near)}?" if near else ""
            raise CouncilLookupError(f"no council matches {query!r}{hint}")
        raise CouncilLookupError(
            f"{query!r} matches {len(candidates)} councils: {_listing(candidates[:12])}"
            + ("" if len(candidates) <= 12 else ", ...")
            + "; give a GSS code or a fuller name"
        )


def _near(text: str, choices: Iterable[str], limit: int) -> list[str]:
    return difflib.get_close_matches(text, list(choices), n=limit, cutoff=0.75)


def _listing(councils: Iterable[Council]) -> str:
    return ", ".join(f"{c.name} ({c.gss_code})" for c in councils)


@dataclass
class DataContext:
    """Everything an analysis reads for any council.

    Attributes
    ----------
    register
        Current councils.
    metrics
        The tidy metric table (:data:`TIDY_COLUMNS`).
    comparators
        For each GSS code, its comparator groups.
    label
        ``"demo"`` or ``"open data"``: printed in report footers.
    input_hashes
        File name -> SHA-256 of every input the context was built from.
    surveys_dir
        Folder of council survey files (demo data only), or ``None``.
    excluded
        Published values left out of ``metrics`` because they are outside their
        metric's plausible range (:data:`EXCLUDED_COLUMNS`); empty when none.
    unavailable
        Cells the source marks as not available (``[x]`` unavailable, ``[z]`` not
        applicable), with the reason in words (:data:`UNAVAILABLE_COLUMNS`).
    """

    register: Register
    metrics: pd.DataFrame
    comparators: Mapping[str, tuple[ComparatorGroup, ...]]
    label: str
    input_hashes: Mapping[str, str] = field(default_factory=dict)
    surveys_dir: object | None = None
    excluded: pd.DataFrame = field(default_factory=empty_excluded)
    unavailable: pd.DataFrame = field(default_factory=empty_unavailable)

    def council_metrics(self, gss_code: str) -> pd.DataFrame:
        """Return every tidy row for one council."""
        return self.metrics[self.metrics["gss_code"] == gss_code]

    def council_excluded(self, gss_code: str) -> pd.DataFrame:
        """Return the excluded values of one council (:data:`EXCLUDED_COLUMNS`)."""
        return self.excluded[self.excluded["gss_code"] == gss_code]

    def metric(self, metric: str, period: str | None = None) -> pd.DataFrame:
        """Return the rows of one metric, optionally for one period."""
        rows = self.metrics[self.metrics["metric"] == metric]
        if period is not None:
            rows = rows[rows["period"] == period]
        return rows

    def groups_for(self, gss_code: str) -> tuple[ComparatorGroup, ...]:
        """Return the comparator groups of one council (empty when none)."""
        return tuple(self.comparators.get(gss_code, ()))
