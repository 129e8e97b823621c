"""Every invalid-input case: one clear located line, the right exit code, no traceback, out/ untouched.

Each folder under fixtures/invalid/ holds the files that differ from fixtures/minimal/ and an
`expected.txt`: the arguments, the exit code, where the problem is (`path:line`, absent for
command-line mistakes) and the start of the message the user must see there.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_workspace, tree_digest

from generator.cli import cli

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir())


def _expected(case: str) -> dict[str, str]:
    text = (FIXTURES / "invalid" / case / "expected.txt").read_text()
    return dict(line.split(": ", 1) for line in text.splitlines() if line)


def test_there_are_cases_for_every_required_kind() -> None:
    required = {
        "broken-yaml", "unknown-competency", "duplicate-id", "missing-field", "unknown-key", "wrong-type",
        "unknown-level", "salary-min-above-max", "focus-not-in-role", "undefined-template-variable",
        "template-syntax-error", "unknown-role-on-command-line", "duplicate-yaml-key", "yaml11-boolean",
    }  # fmt: skip
    assert required <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_invalid_input_is_reported_cleanly(case: str, tmp_path: Path, runner) -> None:
    workspace = copy_workspace(FIXTURES / "minimal", tmp_path / "ws", overlay=FIXTURES / "invalid" / case)
    out_dir = workspace / "out"
    (out_dir / "coordinator").mkdir(parents=True)
    (out_dir / "coordinator" / "posting.md").write_text("an earlier build\n")
    before = tree_digest(out_dir)
    expected = _expected(case)

    result = runner.invoke(cli, ["--workspace", str(workspace), *shlex.split(expected["args"])])

    assert result.exit_code == int(expected["exit"]), result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    line = f"{expected['where']}: {expected['message']}" if "where" in expected else expected["message"]
    assert any(err.startswith(line) for err in result.stderr.splitlines()), result.stderr
    assert tree_digest(out_dir) == before


def test_the_problem_count_closes_a_validation_report(tmp_path: Path, runner) -> None:
    workspace = copy_workspace(FIXTURES / "minimal", tmp_path / "ws", overlay=FIXTURES / "invalid" / "unknown-key")
    result = runner.invoke(cli, ["--workspace", str(workspace), "validate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "jdgen: 1 problem in the workspace; nothing was written."


def test_several_problems_in_several_files_are_all_reported(tmp_path: Path, runner) -> None:
    workspace = copy_workspace(FIXTURES / "minimal", tmp_path / "ws", overlay=FIXTURES / "invalid" / "unknown-key")
    for case in ("wrong-type", "yaml11-boolean"):
        copy_workspace(FIXTURES / "invalid" / case, tmp_path / case)
        for path in (tmp_path / case).rglob("*.yaml"):
            target = workspace / path.relative_to(tmp_path / case)
            target.write_bytes(path.read_bytes())
    result = runner.invoke(cli, ["--workspace", str(workspace), "validate"])
    assert result.exit_code == 1
    located = [line for line in result.stderr.splitlines() if ".yaml:" in line]
    assert {line.split(":")[0] for line in located} == {
        "jdgen.yaml",
        "competencies/delivery.yaml",
        "competencies/roles/coordinator.yaml",
    }
