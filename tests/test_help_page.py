"""`jdgen --help` prints its page without loading click, and the page is the one click prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))

from generator.entry import HELP_PAGE

PAGE = Path(HELP_PAGE).read_text(encoding="utf-8")


class _Run(NamedTuple):
    stdout: str
    imported: frozenset[str]  #: every module the run imported

    @property
    def click_loaded(self) -> bool:
        return "click" in self.imported


def _jdgen(*args: str, columns: str | None = None) -> _Run:
    """Run `python -m generator ARGS`, noting from Python's import log whether click was loaded."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"PYTHONPATH": str(REPO)}
    if columns is not None:
        env["COLUMNS"] = columns
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "generator.entry" in imported  # the log is read right
    return _Run(result.stdout, frozenset(imported))


def test_the_shipped_page_is_what_click_prints() -> None:
    # after changing a command or its summary: run scripts/make_help.py
    from make_help import rendered_help

    assert rendered_help() == PAGE
    assert PAGE.startswith("Usage: jdgen [OPTIONS] COMMAND [ARGS]...\n")
    assert "  build     Write the posting, interview kit and candidate guide of each...\n" in PAGE


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_the_page_without_loading_click(flag: str) -> None:
    result = _jdgen(flag)
    assert result.stdout == PAGE
    assert not result.click_loaded
    assert "typing" not in result.imported  # a fifth of the run: nothing on the way to the page loads it


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_page_matches_click_on_a_wide_terminal(columns: str) -> None:
    # the same command line through click itself, as a terminal of that width sees it
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": columns}
    through_click = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['jdgen', '--help']; from generator.cli import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert through_click.stdout == PAGE
    assert _jdgen("--help", columns=columns).stdout == PAGE


def test_a_narrow_terminal_gets_click_wrapping_to_its_width() -> None:
    result = _jdgen("--help", columns="60")
    assert result.click_loaded
    assert result.stdout != PAGE
    assert max(map(len, result.stdout.splitlines())) <= 58
    assert "  build     Write the posting, interview kit and...\n" in result.stdout


def test_any_other_command_line_goes_through_click() -> None:
    result = _jdgen("build", "--help")
    assert result.click_loaded
    assert result.stdout.startswith("Usage: jdgen build [OPTIONS] [ROLES]...\n")


@pytest.mark.skipif(sys.platform == "win32", reason="closes a file descriptor before the program starts")
def test_help_with_standard_output_closed_ends_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),  # the child starts with its standard output closed
    )
    assert result.returncode == 0
    assert result.stderr == ""
