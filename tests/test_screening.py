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


def _posting(runner, root: Path, role: str) -> str:
    result = runner.invoke(cli, ["--workspace", str(root), "show", role])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_knock_out_without_a_stated_requirement_is_a_warning_naming_the_line(runner, levels: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "validate"])
    assert result.exit_code == 0, result.output
    assert (
        "jdgen.yaml:21: warning: screening question 'work-authorization' is a knock-out, but no posting states what "
        'it requires; add `requirement:`, the line every posting shows under "How we hire"'
    ) in result.output
    assert result.stdout.endswith(" competencies, 1 warning\n")  # one, not "1 warnings"
    assert "requirement" not in _posting(runner, levels, "coordinator").split("## How we hire")[1]


def test_each_knock_out_s_requirement_is_stated_in_every_posting(runner, levels: Path) -> None:
    edit_file(
        levels,
        "jdgen.yaml",
        "note: A no ends it.}",
        "note: A no ends it., requirement: You may work in the US for any employer.}",
    )
    result = runner.invoke(cli, ["--workspace", str(levels), "validate"])
    assert result.exit_code == 0 and "warning: screening question" not in result.output, result.output
    hiring = _posting(runner, levels, "coordinator").split("## How we hire")[1].split("\n## ")[0]
    assert hiring.endswith(
        "**Before you apply:** You may work in the US for any employer. Missing any of these ends an application.\n"
    )


def test_a_requirement_on_a_question_that_is_no_knock_out_is_a_warning(runner, levels: Path) -> None:
    edit_file(
        levels,
        "jdgen.yaml",
        "{id: start, text: When could you start?}",
        "{id: start, text: When could you start?, requirement: Soon.}",
    )
    result = runner.invoke(cli, ["--workspace", str(levels), "validate"])
    assert result.exit_code == 0, result.output
    assert (
        "jdgen.yaml:22: warning: screening question 'start' is not a knock-out, so postings do not show its "
        "requirement; add `knockout: true` or remove `requirement`"
    ) in result.output
    assert "Soon." not in _posting(runner, levels, "coordinator")


def test_the_built_in_postings_state_what_the_knock_out_questions_check(runner, builtin_copy: Path) -> None:
    hiring = _posting(runner, builtin_copy, "tpm").split("## How we hire")[1].split("\n## ")[0]
    assert (
        "**Before you apply:** You can work in the US for any employer. We do not sponsor visas. The pay range "
        "above works for you. Missing any of these ends an application.\n"
    ) in hiring
