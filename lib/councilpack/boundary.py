"""The CLI's one error boundary: councilpack's errors become one line and a non-zero exit.

The library raises :class:`~councilpack.errors.CouncilpackError` located by
file, entry and value; :func:`boundary` wraps every command so such an error
prints as one line on stderr and exits with :data:`EXIT_BAD_INPUT`. With
``--debug`` (or ``COUNCILPACK_DEBUG=1``) it propagates with its traceback.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from councilpack.errors import CouncilpackError

#: Exit code of a command stopped by bad input (a failed report in a batch exits 1).
EXIT_BAD_INPUT = 2
#: Environment variable that turns on ``--debug``.
DEBUG_ENV = "COUNCILPACK_DEBUG"

#: Set by the ``--debug`` option of the main command.
state = {"debug": False}

P = ParamSpec("P")
R = TypeVar("R")


def debugging() -> bool:
    """Return whether errors should propagate with their traceback."""
    return state["debug"] or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def print_error(error: BaseException) -> None:
    """Print ``error: <message>`` as one line on stderr (the message is text, never markup)."""
    from rich.console import Console
    from rich.text import Text

    line = Text("error: ", style="red")
    line.append(" ".join(str(error).split("\n")))
    Console(stderr=True, soft_wrap=True).print(line, highlight=False)


def boundary(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a CLI command so that councilpack's errors become one line and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CouncilpackError as error:
            if debugging():
                raise
            print_error(error)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


__all__ = ["DEBUG_ENV", "EXIT_BAD_INPUT", "boundary", "debugging", "print_error", "state"]
