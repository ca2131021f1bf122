"""councilpack: analytical briefings and benchmarking packs for English councils."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("councilpack")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]

# The package root wires in the built-in data set: the demo registers itself as a
# provider (councilpack.data.providers), so the data layer never imports it.
from councilpack import demo as _demo  # noqa: F401
