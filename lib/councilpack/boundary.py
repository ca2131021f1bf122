"""The CLI's one error boundary: councilpack's errors become one line and a non-zero exit.

The library raises :class:`~councilpack.errors.CouncilpackError` located by
file, entry and value; :func:`boundary` wraps every command so such an error
prints as one line on stderr and exits with :data:`EXIT_BAD_INPUT`. With
``--debug`` (or ``COUNCILPACK_DEBUG=1``) it propagates with its traceback.
Anything else is a bug and keeps its traceback.

Click's usage errors (an unknown option or command, a missing argument, a bad
value or choice) go the same way: :class:`OneLineUsageGroup`, the class of the
main command, prints them as one ``error:`` line carrying the usage and where to
find help, exit code 2; with ``--debug`` Typer shows its usual usage and panel.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

from councilpack.errors import CouncilpackError

try:  # Typer 0.2x carries its own copy of Click; earlier versions use Click itself
    from typer._click.core import Context
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover (depends on the installed Typer)
    from click.core import Context  # type: ignore[assignment]
    from click.exceptions import UsageError  # type: ignore[assignment]

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


def print_error(error: BaseException | str) -> None:
    """Print ``error: <message>`` as one line on stderr (the message is text, never markup)."""
    from rich.console import Console
    from rich.text import Text

    line = Text("error: ", style="red")
    line.append(" ".join(str(error).split("\n")))
    Console(stderr=True, soft_wrap=True).print(line, highlight=False)


def usage_message(error: UsageError) -> str:
    """Return a usage error as one line: the problem, the usage and where help is.

    Examples
    --------
    ``Missing argument 'councils'; usage: councilpack build [OPTIONS] COUNCILS...;
    help: councilpack build --help``
    """
    message = " ".join(error.format_message().split()).rstrip(".")
    context = error.ctx
    if context is None:
        return message
    usage = " ".join(context.get_usage().split()).removeprefix("Usage:").strip()
    hint = ""
    if context.command.get_help_option(context) is not None:
        hint = f"; help: {context.command_path} {context.help_option_names[0]}"
    return f"{message}; usage: {usage}{hint}"


@contextlib.contextmanager
def _one_line_usage(debug: bool) -> Iterator[None]:
    try:
        yield
    except UsageError as error:
        # NoArgsIsHelpError (by name, as Typer does: older Click lacks it) is no mistake:
        # the command was given alone, and its help is shown.
        if debug or debugging() or type(error).__name__ == "NoArgsIsHelpError":
            raise
        print_error(usage_message(error))
        raise typer.Exit(error.exit_code) from None


class OneLineUsageGroup(TyperGroup):
    """The main command: a usage error anywhere below it prints as one line (exit code 2)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        """Parse the main command's own options (``--debug`` among them)."""
        with _one_line_usage("--debug" in args):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        """Resolve and run the subcommand (its options are parsed here)."""
        with _one_line_usage(bool(ctx.params.get("debug"))):
            return super().invoke(ctx)


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


__all__ = [
    "DEBUG_ENV",
    "EXIT_BAD_INPUT",
    "OneLineUsageGroup",
    "boundary",
    "debugging",
    "print_error",
    "state",
    "usage_message",
]
