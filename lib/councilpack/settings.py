"""Where councilpack finds its notebooks, templates, data and caches.

Every location can be overridden by an environment variable so that batch
workers, CI and analysts' machines can point at their own folders without any
machine path being written into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir

from councilpack.errors import SettingsError

#: Environment variable naming the folder of staged open data (the raw files).
DATA_DIR_ENV = "COUNCILPACK_DATA_DIR"
#: Environment variable naming the cache folder (built stores, demo data).
CACHE_DIR_ENV = "COUNCILPACK_CACHE_DIR"
#: Environment variable naming the project folder holding notebooks/ and templates/.
HOME_ENV = "COUNCILPACK_HOME"


def project_root() -> Path:
    """Return the project folder that holds ``notebooks/`` and ``templates/``.

    Returns
    -------
    Path
        ``$COUNCILPACK_HOME`` when set, otherwise the checkout this package
        was installed from (``lib/councilpack`` -> two levels up).
    """
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent.parent.parent
    if (here / "notebooks").is_dir() and (here / "templates").is_dir():
        return here
    raise SettingsError(
        f"cannot find the councilpack notebooks and templates; set {HOME_ENV} to the project folder"
    )


def notebooks_dir() -> Path:
    """Return the folder of parameterised notebooks."""
    return project_root() / "notebooks"


def templates_dir() -> Path:
    """Return the folder of nbconvert templates."""
    return project_root() / "templates"


def cache_dir() -> Path:
    """Return the cache folder for built stores, downloads and generated demo data.

    ``$COUNCILPACK_CACHE_DIR`` when set; otherwise the user cache directory
    (``platformdirs.user_cache_dir("councilpack")``: ``~/.cache/councilpack`` on
    Linux, ``~/Library/Caches/councilpack`` on macOS, under ``%LOCALAPPDATA%``
    on Windows). Never inside the checkout.
    """
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).resolve()
    return Path(user_cache_dir("councilpack", appauthor=False))


def data_dir_from_env() -> Path | None:
    """Return the open-data folder named by ``$COUNCILPACK_DATA_DIR``, if any."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).resolve() if env else None
