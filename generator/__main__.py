"""Allow `python -m generator`."""

from .entry import main

main()
