"""The one chart theme, the one chart result, and the way every chart is shown with its data.

Importing this module registers and enables the councilpack Altair theme:
Analysis Function palette, GB number formats, left-aligned active titles.
Notebooks never pick colours; they call the helpers here. Every chart function
of the analyses returns a :class:`ChartResult` (chart, description, data table,
caption, units) and ``show(result)`` displays any of them the same way.
"""

from councilpack.charts.core import (
    HIGHLIGHT,
    MUTED,
    PALETTE,
    VEGALITE_MIME,
    ChartResult,
    ChartTooLongTitleError,
    comparator_bar,
    data_table_html,
    show,
    show_each,
)

__all__ = [
    "HIGHLIGHT",
    "MUTED",
    "PALETTE",
    "VEGALITE_MIME",
    "ChartResult",
    "ChartTooLongTitleError",
    "comparator_bar",
    "data_table_html",
    "show",
    "show_each",
]
