"""Write generator/data/help.txt: the page `jdgen --help` prints, as click renders it.

The console script prints this file instead of loading click for the one command line that
needs nothing else (generator/entry.py). Run this after changing a command, an option of the
group or a command's summary; a test fails until then.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.entry import HELP_PAGE, PAGE_COLUMNS


def rendered_help() -> str:
    """Return click's own `jdgen --help` page at the page's width."""
    # on a terminal that wide click wraps to two columns less (its runner would force 80)
    result = CliRunner().invoke(cli, ["--help"], prog_name="jdgen", terminal_width=PAGE_COLUMNS - 2)
    if result.exit_code != 0:
        raise SystemExit(f"jdgen --help failed: {result.output}")
    return result.output


if __name__ == "__main__":
    Path(HELP_PAGE).write_text(rendered_help(), encoding="utf-8")
    print(f"wrote {HELP_PAGE}", file=sys.stderr)
