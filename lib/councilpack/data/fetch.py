"""Download the official files into a cache with pooch (URL + SHA-256 registry).

The registry is ``loaders/sources.yml``: for every input, its origin URL (the
publisher's or the origin repository at the commit named in the data log) and
the SHA-256 of the staged copy. Files that were trimmed or transcribed when
staged have no origin URL returning the same bytes; they are fetched only from
a mirror given with ``base_url`` (a folder laid out like the raw data folder),
otherwise reported as needing manual staging.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pooch
import yaml

from councilpack.errors import InputDataError
from councilpack.settings import cache_dir

REGISTRY_FILE = Path(__file__).resolve().parent / "loaders" / "sources.yml"


class FetchError(InputDataError):
    """A registered file could not be downloaded: the message names the file and URL."""


@dataclass(frozen=True)
class FetchResult:
    """Outcome of fetching one file: ``status`` is ``fetched`` or ``manual``."""

    relative: str
    status: str
    path: Path | None
    detail: str


def load_registry(path: Path = REGISTRY_FILE) -> dict[str, dict[str, str | None]]:
    """Return relative path -> {url, sha256, origin} from the registry YAML."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return dict(doc["files"])


def default_fetch_dir() -> Path:
    """Return the default download folder (``<cache>/raw``)."""
    return cache_dir() / "raw"


def fetch_all(target: Path | None = None, base_url: str | None = None) -> list[FetchResult]:
    """Download every registered file into ``target`` and verify its SHA-256.

    Parameters
    ----------
    target
        Folder laid out like the raw data folder; default :func:`default_fetch_dir`.
    base_url
        Mirror to use instead of the origin URLs: ``<base_url>/<relative path>``.

    Returns
    -------
    list of FetchResult
        One per registered file.

    Raises
    ------
    FetchError
        Naming the file and the URL: unreachable (offline, DNS, HTTP error), or
        downloaded with a SHA-256 that differs from the registry.
    """
    folder = Path(target) if target is not None else default_fetch_dir()
    # The command prints one line per file; pooch's own "Downloading ..." lines would double it.
    pooch.get_logger().setLevel("WARNING")
    results = []
    for relative, entry in load_registry().items():
        url = f"{base_url.rstrip('/')}/{relative}" if base_url else entry.get("url")
        if not url:
            results.append(
                FetchResult(
                    relative, "manual", None, "trimmed/transcribed when staged; stage by hand"
                )
            )
            continue
        destination = folder / Path(relative).parent
        try:
            local = pooch.retrieve(
                url=url,
                known_hash=f"sha256:{entry['sha256']}",
                fname=Path(relative).name,
                path=destination,
                progressbar=False,
            )
        except OSError as error:  # requests' errors are OSErrors: offline, DNS, HTTP status
            if type(error).__module__.startswith(("requests", "urllib3")):
                problem = (
                    f"cannot reach {url} ({type(error).__name__}); "
                    "check the connection or give --base-url"
                )
            else:
                problem = f"cannot save {url} into {destination}: {error.strerror or error}"
            raise FetchError(problem, file=relative) from error
        except ValueError as error:  # pooch: the downloaded file's hash differs
            first = str(error).splitlines()[0] if str(error) else "hash mismatch"
            raise FetchError(f"downloaded from {url}: {first}", file=relative) from error
        results.append(FetchResult(relative, "fetched", Path(local), url))
    return results
