"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
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
