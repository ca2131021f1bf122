"""The tidy open-data store: build once from the raw files, open in milliseconds.

A store folder holds ``metrics.parquet`` (:data:`~councilpack.data.model.TIDY_COLUMNS`),
``excluded.parquet`` (published values outside their metric's plausible range,
:data:`~councilpack.data.model.EXCLUDED_COLUMNS`), ``unavailable.parquet`` (cells a
source marks as not available, with the reason), ``register.parquet``,
``lookups.json`` (former codes and aliases), ``comparators.parquet``,
``national.parquet`` (national polling) and ``build.json`` (store version, input
SHA-256 hashes, coverage per source and year, boundary notes, row counts, build
time). Builds are atomic: everything is written to a temporary sibling folder
that is renamed into place only when complete.

One module per concept (see ``ARCHITECTURE.md``):

- :mod:`~councilpack.data.store.layout`: the files, the layout version, ``build.json``;
- :mod:`~councilpack.data.store.loading`: run every loader and check (:func:`load_all`);
- :mod:`~councilpack.data.store.plausibility`: values outside their plausible range;
- :mod:`~councilpack.data.store.write`: write a store folder;
- :mod:`~councilpack.data.store.build`: build and publish (one path, via
  :func:`councilpack.atomic.publish_folder`), or build once into the cache;
- :mod:`~councilpack.data.store.cachekeys`: the cache folder of a set of raw files;
- :mod:`~councilpack.data.store.read`: open a store folder.
"""

from councilpack.data.store.build import build_store, open_open_data
from councilpack.data.store.cachekeys import input_hashes, inputs_key, store_dir_for
from councilpack.data.store.layout import (
    LABEL,
    STORE_FILES,
    STORE_VERSION,
    BuildInfo,
    StoreVersionError,
)
from councilpack.data.store.loading import LoadedData, load_all
from councilpack.data.store.plausibility import (
    SOURCE_FILES,
    exclude_implausible,
    range_reason,
    source_file,
)
from councilpack.data.store.read import StoreContext, open_national, open_store, read_build_info
from councilpack.data.store.write import write_store

__all__ = [
    "LABEL",
    "SOURCE_FILES",
    "STORE_FILES",
    "STORE_VERSION",
    "BuildInfo",
    "LoadedData",
    "StoreContext",
    "StoreVersionError",
    "build_store",
    "exclude_implausible",
    "input_hashes",
    "inputs_key",
    "load_all",
    "open_national",
    "open_open_data",
    "open_store",
    "range_reason",
    "read_build_info",
    "source_file",
    "store_dir_for",
    "write_store",
]
