"""The console script ends the process itself once a command is done: output complete, status kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import REPO

from generator.cli import cli

#: without PYTHONUNBUFFERED, as a user's shell runs jdgen: output to a pipe waits in a buffer
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {"PYTHONPATH": str(REPO)}


def _jdgen(*args: str, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], env=ENV, capture_output=True, text=True, **options
    )


def test_output_to_a_pipe_arrives_whole_before_the_process_ends() -> None:
    # the process ends without Python's teardown: nothing printed may be lost on the way
    kit = _jdgen("show", "tpm", "--kit")
    assert kit.returncode == 0, kit.stderr
    assert kit.stdout == CliRunner().invoke(cli, ["show", "tpm", "--kit"]).stdout
    assert kit.stdout.startswith("# Interview kit: Technical Project Manager\n")
    assert len(kit.stdout) > 20_000


@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (("show", "no-such-role"), 2, "jdgen: unknown role 'no-such-role'; `jdgen list` shows every role\n"),
        (("--no-such-option",), 2, "Error: No such option '--no-such-option'."),
        (("--version",), 0, ""),
    ],
)
def test_the_exit_status_and_message_are_click_s(args: tuple[str, ...], status: int, said: str) -> None:
    result = _jdgen(*args)
    assert result.returncode == status
    assert said in result.stderr
    assert "Traceback" not in result.stderr


def test_a_build_run_as_a_process_writes_every_file(tmp_path) -> None:
    result = _jdgen("build", "tpm", "--format", "md", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"5 written, 0 unchanged in {tmp_path / 'out'}"
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.md"))
    assert written == [
        "tpm/candidate-guide.md",
        "tpm/columbus/posting.md",
        "tpm/interview-kit.md",
        "tpm/new-york/posting.md",
        "tpm/remote-us/posting.md",
    ]
    assert (tmp_path / "out" / "tpm" / "interview-kit.md").read_text(encoding="utf-8").startswith("# Interview kit")


def test_a_closed_pipe_ends_quietly(tmp_path) -> None:
    # `jdgen show tpm --kit | head -1`: the reader goes away before the kit is written out
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(
        [sys.executable, "-m", "generator", "show", "tpm", "--kit"],
        env=ENV,
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in writer.stderr
    assert "Exception ignored" not in writer.stderr
