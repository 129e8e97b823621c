"""jdgen reads only regular files inside the workspace: links out of it, pipes, devices and huge files
are refused with one located line, a secret behind a link reaches no output and no message, and
nothing blocks (the slow cases run in a subprocess with a timeout)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_digest

from generator.cli import cli
from generator.errors import UnreadableFileError
from generator.files import read_workspace_file

SECRET = "s3cr3t-abc"
ROLE = "competencies/roles/coordinator.yaml"
AREA = "competencies/delivery.yaml"
POSTING = "templates/posting.md.j2"
OUTSIDE = r"is a link to a file outside the workspace; jdgen reads only files inside it$"
#: Reports the peak memory of the command it runs (in kB), after the command's own output.
PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside the workspace holding a token that must never be copied anywhere."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"JDGEN_SECRET_TOKEN={SECRET}\n")
    return path


def _link(workspace: Path, relative: str, target: Path | str) -> None:
    path = workspace / relative
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def _out_bytes(workspace: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((workspace / "out").rglob("*")) if p.is_file())


def _assert_refused(stdout: str, stderr: str, code: int, pattern: str, workspace: Path) -> None:
    """One located line that matches, exit 1, no traceback, and the secret nowhere."""
    assert code == 1, stdout + stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert re.search(pattern, lines[0]), lines[0]
    # an error in a YAML file is followed only by the count of problems
    assert all(line.startswith("jdgen: 1 problem") for line in lines[1:]), stderr
    assert SECRET not in stdout + stderr
    assert SECRET.encode() not in _out_bytes(workspace)


def _invoke(runner, workspace: Path, *args: str):
    result = runner.invoke(cli, ["--workspace", str(workspace), "build", "coordinator", *args])
    return result.stdout, result.stderr, result.exit_code


def _run(workspace: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run jdgen in a child process; the timeout proves that it does not block."""
    command = [sys.executable, "-m", "generator", "--workspace", str(workspace), "build", "coordinator", *args]
    child_env = {k: v for k, v in os.environ.items() if k != "JDGEN_WORKSPACE"} | (env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=workspace, env=child_env)


@pytest.mark.parametrize(
    ("relative", "pattern"),
    [
        (POSTING, rf"^templates/posting\.md\.j2: {OUTSIDE}"),
        (ROLE, rf"^{ROLE}: {OUTSIDE}"),
        (AREA, rf"^{AREA}: {OUTSIDE}"),
        ("templates/reference.docx", rf"^templates/reference\.docx: {OUTSIDE}"),
    ],
)
def test_a_link_to_a_file_outside_the_workspace_is_refused(
    relative: str, pattern: str, minimal: Path, secret_file: Path, runner
) -> None:
    _link(minimal, relative, secret_file)
    _assert_refused(*_invoke(runner, minimal), pattern, minimal)
    assert not (minimal / "out").exists()


def test_an_include_of_a_link_out_of_the_workspace_is_refused_at_its_line(
    minimal: Path, secret_file: Path, runner
) -> None:
    posting = minimal / POSTING
    posting.write_text(posting.read_text() + "\n{% include 'leak.md.j2' %}\n")
    _link(minimal, "templates/leak.md.j2", secret_file)
    pattern = rf"^templates/posting\.md\.j2:\d+: \{{% include 'leak\.md\.j2' %\}}: templates/leak\.md\.j2: {OUTSIDE}"
    _assert_refused(*_invoke(runner, minimal), pattern, minimal)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_a_template_linked_to_the_process_environment_leaks_nothing(minimal: Path) -> None:
    _link(minimal, POSTING, "/proc/self/environ")
    result = _run(minimal, env={"JDGEN_SECRET_TOKEN": SECRET})
    _assert_refused(result.stdout, result.stderr, result.returncode, rf"^templates/posting\.md\.j2: {OUTSIDE}", minimal)


def test_a_link_to_a_file_inside_the_workspace_is_read(minimal: Path, runner) -> None:
    _, stderr, code = _invoke(runner, minimal, "--format", "md")
    assert code == 0, stderr
    expected = tree_digest(minimal / "out")
    for relative in (POSTING, ROLE):
        shared = minimal / "shared" / Path(relative).name
        shared.parent.mkdir(exist_ok=True)
        shared.write_bytes((minimal / relative).read_bytes())
        _link(minimal, relative, Path("../" * relative.count("/")) / "shared" / shared.name)  # a relative link
    _, stderr, code = _invoke(runner, minimal, "--format", "md")
    assert code == 0, stderr
    assert tree_digest(minimal / "out") == expected
    assert (minimal / POSTING).is_symlink()


def test_a_templates_folder_linked_out_of_the_workspace_is_refused(minimal: Path, tmp_path: Path, runner) -> None:
    elsewhere = tmp_path / "other-templates"
    (minimal / "templates").rename(elsewhere)
    (minimal / "templates").symlink_to(elsewhere, target_is_directory=True)
    pattern = r"^templates/posting\.md\.j2: templates/ is a link to a folder outside the workspace; jdgen reads only"
    stdout, stderr, code = _invoke(runner, minimal)
    _assert_refused(stdout, stderr, code, pattern, minimal)


@pytest.mark.parametrize(
    ("relative", "pattern"),
    [
        ("competencies/roles/x.yaml", r"^competencies/roles/x\.yaml: is a named pipe \(FIFO\), not a regular file"),
        (POSTING, r"^templates/posting\.md\.j2: is a named pipe \(FIFO\), not a regular file; jdgen reads only"),
    ],
)
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(relative: str, pattern: str, minimal: Path) -> None:
    path = minimal / relative
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = _run(minimal)
    _assert_refused(result.stdout, result.stderr, result.returncode, pattern, minimal)


@pytest.mark.parametrize("relative", [POSTING, ROLE])
def test_a_link_to_dev_zero_is_refused_without_reading_it(relative: str, minimal: Path) -> None:
    _link(minimal, relative, "/dev/zero")
    result = _run(minimal)
    pattern = rf"^{re.escape(relative)}: {OUTSIDE}"
    _assert_refused(result.stdout, result.stderr, result.returncode, pattern, minimal)


def test_a_huge_sparse_role_file_is_refused_by_its_size_without_reading_it(minimal: Path) -> None:
    os.truncate(minimal / ROLE, 5 * 1024**3)
    command = [sys.executable, "-m", "generator", "--workspace", str(minimal), "build", "coordinator"]
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command], capture_output=True, text=True, timeout=60, cwd=minimal
    )
    *output, peak_kb = result.stdout.splitlines()
    pattern = rf"^{ROLE}: the file is 5368\.7 MB; workspace files are limited to 2 MB$"
    _assert_refused("\n".join(output), result.stderr, result.returncode, pattern, minimal)
    assert int(peak_kb) < 300_000


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_reads_are_bounded_by_the_bytes_read_not_by_the_reported_size() -> None:
    # /proc reports a size of 0 for a file that holds the whole environment
    assert Path("/proc/self/environ").stat().st_size == 0
    with pytest.raises(
        UnreadableFileError, match=r"^self/environ: the file is larger than 10 bytes; things are limited to 10 bytes$"
    ):
        read_workspace_file(Path("/proc/self/environ"), Path("/proc"), 10, "things")
