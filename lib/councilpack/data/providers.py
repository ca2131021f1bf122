"""Named data sets: providers that open a :class:`~councilpack.data.model.DataContext` by name.

The data layer knows no data set by name. A package that supplies one registers
a provider (papermill's engine registry is the model)::

    register_provider("demo", open_demo, default=True)

``open_data("demo")`` then calls ``open_demo()``, and so does ``open_data("")``
because the demo is the default. :mod:`councilpack.demo` registers itself when
:mod:`councilpack` is imported, so notebooks, tests and the CLI find it without
an import of their own. This module imports nothing heavy: registering costs no
pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from councilpack.errors import ArgumentError, ParameterError

if TYPE_CHECKING:
    from councilpack.data.model import DataContext

#: Opens a data set; called on each :func:`~councilpack.data.open_data` that names it.
DataProvider = Callable[[], "DataContext"]

_providers: dict[str, DataProvider] = {}
_default: list[str] = []


def register_provider(name: str, provider: DataProvider, *, default: bool = False) -> None:
    """Make ``open_data(name)`` call ``provider()`` (and ``open_data("")`` when ``default``).

    Registering a name again replaces its provider (a test can swap one in).

    Raises
    ------
    ArgumentError
        A name that could be mistaken for a folder (empty, or with a path separator).
    """
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ArgumentError(f"data set name {name!r} could be read as a folder")
    _providers[name] = provider
    if default:
        _default[:] = [name]


def provider_names() -> tuple[str, ...]:
    """Return the names of the registered data sets, in registration order."""
    return tuple(_providers)


def provider_name(data_dir: str | Path | None) -> str | None:
    """Return the data set ``data_dir`` names (the default when empty), or ``None`` for a folder.

    Raises
    ------
    ParameterError
        ``data_dir`` is empty and no default data set is registered.
    """
    if data_dir is None or str(data_dir) == "":
        if not _default:
            raise ParameterError(
                "no default data set is registered: give a data folder (parameter data_dir)"
            )
        return _default[0]
    return str(data_dir) if str(data_dir) in _providers else None


def open_provider(name: str) -> DataContext:
    """Open the registered data set ``name``.

    Raises
    ------
    ParameterError
        No data set of that name is registered (the message lists those that are).
    """
    if name not in _providers:
        known = ", ".join(_providers) or "none"
        raise ParameterError(
            f"no data set named {name!r} (parameter data_dir; registered: {known})"
        )
    return _providers[name]()
