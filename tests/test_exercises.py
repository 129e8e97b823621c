"""Exercises: the brief and its materials in the kit and (when shared) the guide; the key for evaluators only."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from conftest import edit_file

from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

ROLE = "competencies/roles/planner.yaml"


def _build(runner, root: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["--workspace", str(root), "build", "planner", *args])
    assert result.exit_code == 0, result.output
    return root / "out" / "planner"


def test_the_kit_shows_the_brief_its_materials_and_the_key(runner, levels: Path) -> None:
    kit = (_build(runner, levels) / "interview-kit.md").read_text()
    stage = kit.split("## Stage 3: Deep dive exercise")[1]
    assert "| Exercise: Plan a \\| tricky \\*launch\\* | 25 |" in stage
    assert "### Exercise: Plan a \\| tricky \\*launch\\*\n" in stage
    assert "**Timing:** 10 minutes to read, 15 to plan (25 minutes of this interview)" in stage
    assert "#### The candidate's brief\n\nYou join a launch that is late.\n\nPlan the next two weeks.\n" in stage
    assert (
        "#### The plan\n\n| Task | Owner | Days |\n|---|---|---|\n| Map tags | Ana | 3 |\n| Build \\| test | Bo | 5 |\n"
        in stage
    )
    # code keeps its lines exactly; the fence is longer than the backticks inside it
    assert "````sql\n-- a comment\n# not a heading\nSELECT a, b\n  FROM t  -- ``` fence inside\n````\n" in stage
    assert "#### Evaluators' key" in stage
    assert "- **Plans projects**\n  - Sequences the tasks\n  - Names owners\n" in stage


def test_the_guide_names_the_exercise_but_never_shows_its_key(runner, levels: Path) -> None:
    guide = (_build(runner, levels) / "candidate-guide.md").read_text()
    assert "**The exercise: Plan a \\| tricky \\*launch\\*.** 10 minutes to read, 15 to plan." in guide
    assert "You receive the brief and its materials at the start of the exercise" in guide
    for secret in ("Sequences the tasks", "Spots the late owner", "Evaluators", "You join a launch that is late"):
        assert secret not in guide


def test_a_brief_shared_in_advance_is_in_the_guide_without_the_key(runner, levels: Path) -> None:
    edit_file(
        levels,
        ROLE,
        "      deliverable: A two-week plan.\n",
        "      deliverable: A two-week plan.\n      share_in_advance: true\n",
    )
    out = _build(runner, levels)
    guide = (out / "candidate-guide.md").read_text()
    assert "### Your brief: Plan a \\| tricky \\*launch\\*\n\nYou join a launch that is late." in guide
    assert "| Build \\| test | Bo | 5 |" in guide
    assert "Sequences the tasks" not in guide and "Evaluators" not in guide
    kit = (out / "interview-kit.md").read_text()
    assert "The candidate receives this brief and its materials with their interview guide, before the day." in kit


def test_the_docx_kit_carries_the_material_table_and_code(runner, levels: Path) -> None:
    out = _build(runner, levels, "--format", "docx")
    document = docx.Document(io.BytesIO((out / "interview-kit.docx").read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "-- a comment\n# not a heading\nSELECT a, b\n  FROM t  -- ``` fence inside" in texts
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Build | test", "Bo", "5"] in rows


def _problems(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(root, builtin=False))
    return [str(p) for p in caught.value.problems]


def test_a_key_for_a_competency_the_stage_does_not_assess_is_an_error(levels: Path) -> None:
    edit_file(
        levels,
        ROLE,
        "        manages-stakeholders: [Tells the client early]",
        "        manages-stakeholder: [Tells the client early]",
    )
    problems = _problems(levels)
    assert any(
        p.startswith(f"{ROLE}:")
        and "key entry 'manages-stakeholder' is not a focus of stage 'deep-dive' (did you mean 'manages-stakeholders'?)"
        in p
        for p in problems
    ), problems


def test_a_material_must_be_exactly_one_of_text_table_or_code(levels: Path) -> None:
    edit_file(
        levels, ROLE, "          text: Please hurry.\n", "          text: Please hurry.\n          code: SELECT 1\n"
    )
    problems = _problems(levels)
    assert any(
        "material 'The email' needs exactly one of text, table or code, not text and code" in p for p in problems
    )


def test_a_table_row_with_the_wrong_number_of_cells_names_the_row(levels: Path) -> None:
    edit_file(levels, ROLE, '              - [Map tags, Ana, "3"]', "              - [Map tags, Ana]")
    problems = _problems(levels)
    assert any("row 1 has 2 cells but there are 3 columns" in p for p in problems), problems


def test_a_stage_named_an_exercise_without_one_is_a_warning(levels: Path) -> None:
    edit_file(levels, ROLE, "    name: Panel\n", "    name: Work review\n")
    warnings = [str(w) for w in load_workspace(WorkspaceDirs(levels, builtin=False)).warnings]
    assert any("stage 'panel' is named an exercise or review but has no `exercise`" in w for w in warnings), warnings


def test_a_focus_without_a_key_entry_is_a_warning(levels: Path) -> None:
    edit_file(levels, ROLE, "        tracks-progress: [Sets checkpoints]\n", "")
    warnings = [str(w) for w in load_workspace(WorkspaceDirs(levels, builtin=False)).warnings]
    assert any("the exercise of stage 'deep-dive' has no key for 'tracks-progress'" in w for w in warnings), warnings
