"""The command line, driven through click's runner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, tree_digest

from generator import __version__
from generator.cli import cli


def _run(runner, workspace: Path, *args: str):
    return runner.invoke(cli, ["--workspace", str(workspace), *args])


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"jdgen, version {__version__}\n"


def test_help_lists_every_command(runner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "list", "show", "validate"):
        assert f"  {command} " in result.stdout


def test_build_writes_the_posting_and_the_kit_under_out(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "build", "coordinator")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "built coordinator (mid)",
        "lint coordinator (mid): 0 errors, 1 warning, 1 notice; 247 words, reading ease 65, grade 5.6, gender score +1",
        f"8 written, 0 unchanged in {minimal / 'out'}",
    ]
    assert sorted(tree_digest(minimal / "out")) == [
        ".jdgen-manifest.json",
        ".jdgen.lock",
        "coordinator/candidate-guide.docx",
        "coordinator/candidate-guide.html",
        "coordinator/candidate-guide.md",
        "coordinator/interview-kit.docx",
        "coordinator/interview-kit.md",
        "coordinator/posting.docx",
        "coordinator/posting.html",
        "coordinator/posting.md",
    ]
    posting = (minimal / "out/coordinator/posting.md").read_text()
    kit = (minimal / "out/coordinator/interview-kit.md").read_text()
    assert posting.startswith("# Delivery Coordinator\n\n**Mid-level** · Dayton, Ohio, US · On-site · Full-time\n")
    assert "$50,000 to $60,000 a year (USD)" in posting
    assert kit.startswith("# Interview kit: Delivery Coordinator\n")


def test_an_alias_builds_the_role_and_a_rebuild_rewrites_nothing(runner, minimal: Path) -> None:
    _run(runner, minimal, "build", "delivery-coordinator")
    posting = minimal / "out/coordinator/posting.md"
    os.utime(posting, (1_000_000, 1_000_000))
    result = _run(runner, minimal, "build", "coordinator")
    assert result.stdout.splitlines()[-1] == f"0 written, 8 unchanged in {minimal / 'out'}"
    assert posting.stat().st_mtime == 1_000_000


def test_a_non_default_level_gets_its_own_folder_title_and_pay(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "build", "coordinator", "--level", "senior")
    assert result.exit_code == 0, result.output
    posting = (minimal / "out/coordinator-senior/posting.md").read_text()
    assert posting.startswith("# Senior Delivery Coordinator\n\n**Senior** ·")
    assert "$60,000 to $72,000 a year (USD)" in posting
    kit = (minimal / "out/coordinator-senior/interview-kit.md").read_text()
    assert "**Expectation at Senior:** Handles plans projects across several projects." in kit
    assert not (minimal / "out/coordinator").exists()


def test_build_all_and_out_option(runner, minimal: Path, tmp_path: Path) -> None:
    result = _run(runner, minimal, "build", "--all", "--format", "md", "--out", str(tmp_path / "elsewhere"))
    assert result.exit_code == 0, result.output
    assert sorted(tree_digest(tmp_path / "elsewhere")) == sorted(
        [
            f"{role}/{name}.md"
            for role in ("coordinator", "planner")
            for name in ("candidate-guide", "interview-kit", "posting")
        ]
        + ["index.md", ".jdgen-manifest.json", ".jdgen.lock"]
    )


def test_build_without_roles_is_a_usage_error(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "build")
    assert result.exit_code == 2
    assert result.stderr == "jdgen: name at least one role (see `jdgen list`) or use --all\n"


def test_quiet_prints_nothing_on_success(runner, minimal: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(minimal), "--quiet", "build", "coordinator"])
    assert (result.exit_code, result.output) == (0, "")


def test_list_shows_every_role(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "LEVELS", "COMPETENCIES", "STAGES", "CAREER", "PATH"]
    assert lines[1].split() == [
        "coordinator", "Delivery", "Coordinator", "mid*,", "senior", "5", "(4", "core)", "3", "coordinator",
    ]  # fmt: skip
    assert lines[2].split()[0] == "planner"
    assert lines[3] == "* default level"
    # then every posting a full build publishes, open until when, and its sign-off
    assert lines[5].split() == ["POSTING", "TITLE", "OPEN", "SIGN-OFF"]
    assert [line.split()[0] for line in lines[6:]] == ["coordinator", "planner"]
    assert re.fullmatch(r"planner +Delivery Planner +until \d{4}-\d{2}-\d{2} +not approved", lines[7])


def test_show_prints_the_posting_or_the_kit(runner, minimal: Path) -> None:
    posting = _run(runner, minimal, "show", "coordinator")
    kit = _run(runner, minimal, "show", "coordinator", "--kit", "--level", "senior")
    assert posting.stdout.startswith("# Delivery Coordinator\n")
    assert kit.stdout.startswith("# Interview kit: Senior Delivery Coordinator\n")
    assert not (minimal / "out").exists()


def test_validate_reports_the_workspace(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 0
    assert result.stdout == f"{minimal}: valid; 2 roles, 5 competencies, 0 warnings\n"


def test_warnings_go_to_stderr_and_do_not_fail(runner, minimal: Path) -> None:
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(
        role.read_text().replace("      - runs-meetings\n", "").replace("    minutes: 40\n", "    minutes: 30\n")
    )
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 0
    assert "warning: supporting competency 'runs-meetings' is not assessed by any stage" in result.stderr


def test_an_output_folder_that_is_a_file_fails_cleanly(runner, minimal: Path) -> None:
    (minimal / "out").write_text("not a folder\n")
    result = _run(runner, minimal, "build", "coordinator")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{minimal / 'out'}: a file stands where an output folder must go")
    assert (minimal / "out").read_text() == "not a folder\n"


def test_an_internal_error_is_one_line_unless_verbose(runner, minimal: Path, monkeypatch) -> None:
    import generator.pipeline

    def broken(options, progress=None, notify=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.pipeline, "build", broken)
    quiet = _run(runner, minimal, "build", "coordinator")
    assert quiet.exit_code == 1
    assert quiet.stderr == "jdgen: internal error (RuntimeError: boom); rerun with --verbose for the traceback\n"
    verbose = runner.invoke(cli, ["--workspace", str(minimal), "--verbose", "build", "coordinator"])
    assert "Traceback (most recent call last)" in verbose.stderr


def test_outside_a_workspace_the_builtin_tpm_builds_into_the_current_folder(
    runner, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    result = runner.invoke(cli, ["build", "tpm", "pm", "tech-lead"])
    assert result.exit_code == 0, result.output
    for role in ("tpm/columbus", "pm", "tech-lead"):  # the TPM is posted in several places
        assert (tmp_path / "out" / role / "posting.md").is_file()
        assert (tmp_path / "out" / role.split("/")[0] / "interview-kit.md").is_file()


def test_list_shows_the_career_path(runner, minimal: Path) -> None:
    role = minimal / "competencies/roles/planner.yaml"
    role.write_text(role.read_text() + "career_path:\n  from:\n    - coordinator\n")
    lines = _run(runner, minimal, "list").stdout.splitlines()
    assert lines[0].split()[-2:] == ["CAREER", "PATH"]
    assert lines[2].endswith("coordinator → planner")


def test_build_reports_progress_to_a_callback(minimal: Path) -> None:
    from generator.options import BuildOptions, WorkspaceOptions
    from generator.pipeline import build

    seen: list[tuple[int, int]] = []
    build(
        BuildOptions(all_roles=True, workspace=WorkspaceOptions(minimal)),
        lambda done, total: seen.append((done, total)),
    )
    # two roles × three documents × Markdown and Word, and each posting and guide as a web page
    assert seen[-1] == (16, 16)
    assert [done for done, _ in seen] == list(range(1, 17))


def test_no_progress_bar_when_output_is_not_a_terminal(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "build", "--all")
    assert "building" not in result.stderr


def test_all_with_a_level_builds_every_role_that_has_it(runner, minimal: Path) -> None:
    result = _run(runner, minimal, "build", "--all", "--level", "senior", "--format", "md")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("built")] == ["built coordinator (senior)"]
    assert (minimal / "out/coordinator-senior/posting.md").is_file()
    missing = _run(runner, minimal, "build", "--all", "--level", "senor")
    assert missing.exit_code == 2
    assert missing.stderr == "jdgen: no role has level 'senor' (did you mean 'senior'?); levels in use: mid, senior\n"


def _print_to(stdout, folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run this checkout's jdgen with its standard output sent to `stdout` (a file or a descriptor)."""
    # COLUMNS=80: `--help` takes the shipped page's way, as in a terminal of the usual width
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "80"}
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, env=env, cwd=folder, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("show", "tpm"), ("--help",), ("-h",), ("build", "--help")])
def test_a_full_disk_on_standard_output_is_one_line_not_an_internal_error(tmp_path: Path, args) -> None:
    with Path("/dev/full").open("w") as full:
        result = _print_to(full, tmp_path, *args)
    assert result.returncode == 1
    assert result.stderr == "jdgen: cannot print the output: No space left on device\n"


def test_a_reader_that_stops_early_ends_jdgen_quietly(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before jdgen prints, as after `| head -1` has its line
    try:
        result = _print_to(write_end, tmp_path, "list")
    finally:
        os.close(write_end)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_verbose_tells_jdgen_s_own_steps_not_every_rule_markdown_it_tries(tmp_path: Path) -> None:
    from conftest import copy_builtin

    workspace = copy_builtin(tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "--workspace", str(workspace), "--verbose", "build", "tpm"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "generator.pipeline: writing to " in result.stderr
    assert "markdown_it" not in result.stderr
    assert len(result.stderr.splitlines()) < 50
