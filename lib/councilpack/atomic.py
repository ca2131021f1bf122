"""Atomic writes: a reader sees the old file (or folder) or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from councilpack.errors import OutputError


def write_text_atomic(path: Path, text: str, *, fsync: bool = True) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    An interrupted run leaves either the previous file or no file, never a
    truncated one; the temporary file is removed on failure. ``fsync=False``
    skips flushing to disk (still atomic for other processes; after a power
    cut the file may be the old one): for files derived from a durable record.

    Raises
    ------
    OutputError
        One line naming the file when the system refuses the write (permission,
        full disk, a file where a folder should be); also an ``OSError``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            if fsync:
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; reports are meant to be shared
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish_folder(
    target: Path, write: Callable[[Path], None], *, replace: bool, marker: str
) -> bool:
    """Write a folder atomically: ``write`` fills a temporary sibling that is renamed to ``target``.

    Readers see no folder or a complete one, never a half-written one; the
    temporary folder is removed whether ``write`` succeeds or fails.

    Parameters
    ----------
    target
        Folder to create.
    write
        Called with a folder path that does not exist yet; it creates and fills it.
    replace
        Replace an existing ``target`` (a rebuild); otherwise an existing
        ``target`` is kept and the new copy discarded.
    marker
        A file every complete folder holds (``build.json``): when the rename
        fails because a concurrent process published first, its folder is used.

    Returns
    -------
    bool
        Whether this call's folder was published (False: another one was there).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        write(work / target.name)
        return _rename_into_place(work / target.name, target, replace=replace, marker=marker)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rename_into_place(built: Path, target: Path, *, replace: bool, marker: str) -> bool:
    if target.exists():
        if not replace:
            return False
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(built, target)
        shutil.rmtree(old)
        return True
    try:
        os.rename(built, target)
    except OSError:
        if (target / marker).is_file():
            return False  # a concurrent build won the race; use its folder
        raise
    return True
