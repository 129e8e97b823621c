"""Screening questions: asked in the screening stage of every kit, explained in the guide, never off-limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_file

from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs


def _kit(runner, root: Path, role: str) -> str:
    result = runner.invoke(cli, ["--workspace", str(root), "show", role, "--kit"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_first_stage_asks_the_screening_questions_by_default(runner, levels: Path) -> None:
    kit = _kit(runner, levels, "coordinator")
    first, rest = kit.split("## Stage 2:")
    assert "| Screening questions: the practical points | 5 |" in first
    assert (
        "1. Are you legally authorized to work in the US? **(knock-out)** *A no ends it.*\n2. When could you start?\n"
        in first
    )
    assert "Never ask what the candidate earns or earned." in first
    assert "Screening questions" not in rest


def test_a_marked_stage_asks_them_instead(runner, levels: Path) -> None:
    edit_file(levels, "competencies/roles/planner.yaml", "    name: Panel\n", "    name: Panel\n    screening: true\n")
    edit_file(
        levels,
        "competencies/roles/planner.yaml",
        "    name: Panel\n    screening: true\n    minutes: 30",
        "    name: Panel\n    screening: true\n    minutes: 35",
    )
    edit_file(
        levels,
        "competencies/roles/planner.yaml",
        "    name: Screen\n    minutes: 35",
        "    name: Screen\n    minutes: 30",
    )
    kit = _kit(runner, levels, "planner")
    assert "### Screening questions" in kit.split("## Stage 2: Panel")[1].split("## Stage 3")[0]
    assert "### Screening questions" not in kit.split("## Stage 2: Panel")[0]


def test_the_guide_lists_the_screening_questions_and_says_pay_history_is_never_asked(runner, levels: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "build", "planner", "--format", "md"])
    assert result.exit_code == 0, result.output
    guide = (levels / "out/planner/candidate-guide.md").read_text()
    assert (
        "**Practical questions:** your recruiter also asks these, in these words, so you can have the answers "
        "ready. Nobody will ask what you earn now or earned before.\n\n"
        "- Are you legally authorized to work in the US?\n- When could you start?\n" in guide
    )
    assert guide.count("**Practical questions:**") == 1
    assert "A no ends it." not in guide  # the recruiter's note stays in the kit


def test_a_screening_question_about_pay_history_is_refused(levels: Path) -> None:
    edit_file(levels, "jdgen.yaml", "text: When could you start?", "text: What is your current salary?")
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(levels, builtin=False))
    assert [str(p) for p in caught.value.problems] == [
        "jdgen.yaml:22: screening question 'start' touches an off-limits topic, salary history ('current salary'); "
        "recruiters must never raise it: reword or remove it"
    ]


def test_only_one_stage_may_ask_the_screening_questions(levels: Path) -> None:
    edit_file(
        levels, "competencies/roles/planner.yaml", "    name: Screen\n", "    name: Screen\n    screening: true\n"
    )
    edit_file(levels, "competencies/roles/planner.yaml", "    name: Panel\n", "    name: Panel\n    screening: true\n")
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(levels, builtin=False))
    assert any(
        "stage 'screen' already asks the screening questions; mark one stage only" in str(p)
        for p in caught.value.problems
    )
