"""``python -m councilpack``."""

from councilpack.cli import main

main()
