"""The console script's first and last steps: `jdgen --help` without click, and no teardown.

Importing click alone takes about 3.6 times a bare Python start; defining jdgen's commands and
formatting their summaries brings `jdgen --help` to about 5 times, past its target of 4.5.
The page those steps would print is fixed for a given jdgen, so it ships as generator/data/help.txt, written by
scripts/make_help.py; a test keeps it equal to what click prints. Every other command line, and
a terminal narrower than the page, goes to the command line module.

When a command has ended, everything it wrote is closed (each file is written inside a `with`)
and its workers are stopped; what is left is the interpreter freeing every object one by one,
about a tenth of `jdgen build tpm`. The process ends without it, once its output is flushed.
"""

from __future__ import annotations

import os
import sys

#: click wraps help to the terminal's width, at most 80 columns: the page is that wide
PAGE_COLUMNS = 80
# os.path, not pathlib: pathlib's imports would cost more than reading the page
HELP_PAGE = os.path.join(os.path.dirname(__file__), "data", "help.txt")  # noqa: PTH118, PTH120


def main() -> None:
    """Run the jdgen command line."""
    if sys.argv[1:] in (["--help"], ["-h"]) and _columns() >= PAGE_COLUMNS:
        _print_page()
        _end(0)
    from .cli import main as run

    try:
        run()
    except SystemExit as stop:  # click ends every command line this way
        _end(_status(stop.code))
    _end(0)


def _print_page() -> None:
    """Print the help page as click would: nothing when standard output is closed, no error on a closed pipe;
    a full disk is one line and status 1, as for every command."""
    with open(HELP_PAGE, encoding="utf-8") as page:  # noqa: PTH123
        text = page.read()
    if sys.stdout is None:  # started with standard output closed
        return
    if hasattr(sys.stdout, "reconfigure"):  # as cli.main: a character the terminal lacks is escaped, not fatal
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `jdgen --help | head -c 10`
        sys.stdout = None
    except OSError as err:  # a full disk: the line every other command prints
        sys.stdout = None
        print(f"jdgen: cannot print the output: {err.strerror or err}", file=sys.stderr)
        _end(1)


def _status(code: object) -> int:
    """Return the exit status Python gives `sys.exit(code)`, printing a message as it does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _end(status: int) -> None:  # never returns; typing.NoReturn would cost --help the import of typing
    """Flush standard output and error, then end the process with `status`, skipping the teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: Python would end with 120
            status = status or 120
    os._exit(status)


def _columns() -> int:
    """Return the width click would wrap to: $COLUMNS, else the terminal's, else 80.

    This is shutil.get_terminal_size's rule; shutil itself costs more to import than the page.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or PAGE_COLUMNS
    except (AttributeError, ValueError, OSError):
        return PAGE_COLUMNS
