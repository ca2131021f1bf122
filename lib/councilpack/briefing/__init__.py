"""The council briefing: a short, themed summary across the council's analyses.

:func:`prepare` runs every registered analysis (:mod:`councilpack.briefing.providers`),
chooses findings by the rules of :mod:`councilpack.briefing.select`, asks the
questions of :mod:`councilpack.briefing.questions` and lists what is not covered.
"""

from councilpack.briefing.build import prepare
from councilpack.briefing.model import THEMES, Briefing, Finding
from councilpack.briefing.providers import PROVIDERS, Provider, register

__all__ = ["PROVIDERS", "THEMES", "Briefing", "Finding", "Provider", "prepare", "register"]
