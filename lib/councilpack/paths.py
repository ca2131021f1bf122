"""Paths stay inside their folder: survey files, output folders, ``--out``.

A file named in ``survey.yml`` must sit in the survey folder (no ``..``, no
absolute path, no symbolic link leading out of it); a report's output folder
is ``<gss>-<slug>`` made only of safe characters, checked again when read from
a store; and ``--out`` is checked before any work starts.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePath

from councilpack.errors import InputDataError, OutputError

#: An output folder name: a GSS code, a hyphen and a lower-case slug.
FOLDER_NAME = re.compile(r"^[A-Z]\d{8}-[a-z0-9]+(?:-[a-z0-9]+)*$")


def inside(
    folder: Path,
    name: str,
    *,
    listed_in: str,
    error: type[InputDataError] = InputDataError,
) -> Path:
    """Return ``folder / name``, refusing a name that leads outside ``folder``.

    Parameters
    ----------
    folder
        The folder the file must sit in.
    name
        The file name as written in ``listed_in`` (may include sub-folders).
    listed_in
        The file that names it, for the message (``survey.yml``).
    error
        The class to raise.

    Raises
    ------
    InputDataError
        ``error`` naming ``listed_in`` and the value: an absolute path, a ``..``
        part, or a symbolic link resolving outside the folder.

    Examples
    --------
    >>> inside(Path("survey"), "../other/wave.csv", listed_in="survey.yml")
    Traceback (most recent call last):
    ...
    councilpack.errors.InputDataError: survey.yml: file '../other/wave.csv' is outside the folder (no '..' allowed)
    """
    pure = PurePath(name)
    if pure.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise error(
            f"file {name!r} is an absolute path; give a name inside the folder", file=listed_in
        )
    if ".." in pure.parts or ".." in name.replace("\\", "/").split("/"):
        raise error(f"file {name!r} is outside the folder (no '..' allowed)", file=listed_in)
    path = folder / name
    if path.exists():
        root = folder.resolve()
        target = path.resolve()
        if target != root and root not in target.parents:
            raise error(f"file {name!r} is a link to a file outside the folder", file=listed_in)
    return path


def check_folder_name(name: str, *, source: str) -> str:
    """Return an output folder name after checking it is ``<gss>-<slug>`` and nothing else.

    Raises
    ------
    InputDataError
        Naming ``source`` (where the name came from, e.g. a store's register)
        and the value, when it holds anything but a GSS code and a slug
        (``../../x``, a slash, a capital letter).
    """
    if not FOLDER_NAME.match(name):
        raise InputDataError(
            f"output folder {name!r} is not '<GSS code>-<slug>' (lower-case letters, digits "
            "and hyphens only); refusing to write there",
            file=source,
        )
    return name


def check_output_folder(out: Path | str) -> Path:
    """Check that ``out`` can be the output folder, before any work starts.

    The folder may exist or not; it must not be a file, sit inside a file, or
    be in a folder this user cannot write.

    Raises
    ------
    OutputError
        One line naming ``--out`` and why.
    """
    path = Path(out).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise OutputError(f"--out {str(out)!r} is a file, not a folder")
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"--out {str(out)!r} is inside {str(existing)!r}, which is a file")
    denied = f"--out {str(out)!r}: cannot write in {str(existing)!r}"
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{denied} (permission denied)")
    try:  # os.access says yes to root everywhere; a read-only file system says no here
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        raise OutputError(f"{denied} ({error.strerror or type(error).__name__})") from None
    return path


__all__ = ["FOLDER_NAME", "check_folder_name", "check_output_folder", "inside"]
