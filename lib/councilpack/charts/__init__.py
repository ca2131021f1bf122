"""The one chart theme, and the way every chart is shown with its description and data.

Importing this module registers and enables the councilpack Altair theme:
Analysis Function palette, GB number formats, left-aligned active titles.
Notebooks never pick colours; they call the helpers here.
"""

from councilpack.charts.core import (
    HIGHLIGHT,
    MUTED,
    PALETTE,
    VEGALITE_MIME,
    ChartTooLongTitleError,
    comparator_bar,
    data_table_html,
    show,
)

__all__ = [
    "HIGHLIGHT",
    "MUTED",
    "PALETTE",
    "VEGALITE_MIME",
    "ChartTooLongTitleError",
    "comparator_bar",
    "data_table_html",
    "show",
]
