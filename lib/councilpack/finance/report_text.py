"""Text the finance and outcomes reports share: the demo, the comparator group, the sources.

Both reports on open data state their provenance alike: their method opens with
the demo note (for the fictional demo councils) and describes the comparator
group; their footer names the data sets, then each comparator group with its
vintage (for the demo councils, the demo generator alone).
"""

from __future__ import annotations

from collections.abc import Iterable

from councilpack.data import ComparatorGroup
from councilpack.finance.findings import group_phrase
from councilpack.markup import Markdown, md

#: The one source of every figure about the demo councils.
DEMO_SOURCE = "councilpack demo generator (fictional figures)"
#: How a footer's sources name a comparator group (then its label and vintage).
GROUP_SOURCE = "Comparator group: "
#: The method's note on a report about the demo councils.
DEMO_NOTE = Markdown("These are **fictional demo councils**; no figure describes a real council.")


def group_description(group: ComparatorGroup, council_name: str) -> Markdown:
    """Return how a method describes the group a council is compared with.

    Examples
    --------
    >>> group = ComparatorGroup("nn", "Nearest neighbours", "CIPFA model", "2024", ("A", "B"))
    >>> str(group_description(group, "Knowsley"))
    'its nearest neighbours (2 councils including Knowsley): CIPFA model (2024)'
    """
    return md(
        "{} ({} councils including {}): {} ({})",
        group_phrase(group),
        len(group.members),
        council_name,
        group.definition,
        group.vintage,
    )


def group_with_vintage(group: ComparatorGroup | None) -> str:
    """Return a comparator group as a footer names it: its label and vintage, or "none".

    Examples
    --------
    >>> group_with_vintage(ComparatorGroup("nn", "Nearest neighbours", "", "2024", ()))
    'Nearest neighbours (2024)'
    >>> group_with_vintage(None)
    'none'
    """
    return f"{group.label} ({group.vintage})" if group is not None else "none"


def open_data_sources(
    datasets: Iterable[str], groups: Iterable[ComparatorGroup], *, demo: bool
) -> list[str]:
    """Return the sources a report footer names.

    Parameters
    ----------
    datasets
        The data sets the report reads, named as the footer names them, in order.
    groups
        The comparator groups the report uses, in order.
    demo
        Whether the report is on the demo councils: then :data:`DEMO_SOURCE` alone.

    Returns
    -------
    list of str
        The data sets, then :data:`GROUP_SOURCE` ``"<label> (<vintage>)"`` for each group.
    """
    if demo:
        return [DEMO_SOURCE]
    return [*datasets, *(f"{GROUP_SOURCE}{group_with_vintage(g)}" for g in groups)]


def data_set_sources(sources: Iterable[str]) -> list[str]:
    """Return the data sets among a footer's sources: the comparator groups left out.

    The briefing names the data sets of each analysis on one line and its
    comparator group on another.

    Examples
    --------
    >>> data_set_sources(["RS", "Comparator group: Nearest neighbours (2024)"])
    ['RS']
    """
    return [name for name in sources if not name.startswith(GROUP_SOURCE)]
