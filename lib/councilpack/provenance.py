"""Version, git revision and input hashes stamped on every report."""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import subprocess
from pathlib import Path

from councilpack import __version__
from councilpack.errors import SettingsError
from councilpack.settings import project_root


@functools.cache
def git_revision() -> str:
    """Return the project's git revision (``abc1234`` or ``abc1234-dirty``), or 'unknown'."""
    try:
        root = project_root()
    except SettingsError:
        return "unknown"
    try:
        completed = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return completed.stdout.strip() or "unknown"


def package_version() -> str:
    """Return the installed councilpack version."""
    return __version__


def sha256_file(path: Path) -> str:
    """Return the SHA-256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_date() -> str:
    """Return the build date in words (``"1 December 2026"``), for every report page.

    A day, not a time, so rebuilding the same inputs on the same day gives the same
    bytes; ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds
    convention) fixes it for byte-identical rebuilds on any day.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
        except (ValueError, OverflowError, OSError) as error:
            raise SettingsError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from error
    else:
        when = datetime.datetime.now(tz=datetime.UTC).date()
    return day_words(when)


def day_words(when: datetime.date) -> str:
    """Return a day as report pages and the index write it.

    Examples
    --------
    >>> day_words(datetime.date(2026, 12, 1))
    '1 December 2026'
    """
    return f"{when.day} {when:%B %Y}"
