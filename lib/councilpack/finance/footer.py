"""What the footer of a report on open data names: its sources and its comparator groups.

The finance and outcomes reports name them alike: the data sets, then each
comparator group with its vintage; a report on the fictional demo councils
names the demo generator alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from councilpack.data import ComparatorGroup

#: The one source of every figure about the demo councils.
DEMO_SOURCE = "councilpack demo generator (fictional figures)"


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
        The data sets, then ``"Comparator group: <label> (<vintage>)"`` for each group.
    """
    if demo:
        return [DEMO_SOURCE]
    return [*datasets, *(f"Comparator group: {group_with_vintage(g)}" for g in groups)]
