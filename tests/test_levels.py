"""Levels that mean something: level content in the posting, anchors and bar in the kit, `compare` of two levels."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from conftest import edit_file

from generator.assemble import assemble_kit, assemble_posting
from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs


def _load(root: Path):
    return load_workspace(WorkspaceDirs(root, builtin=False))


def _messages(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        _load(root)
    return [str(p) for p in caught.value.problems]


def test_a_level_brings_its_summary_scope_responsibilities_and_requirements(levels: Path) -> None:
    workspace = _load(levels)
    mid, senior = (assemble_posting(workspace, "planner", level) for level in ("mid", "senior"))
    assert (mid.summary, mid.scope) == ("Plans delivery work.", "One project at a time")
    assert (senior.summary, senior.scope) == (
        "Plans programs of delivery work and coaches other planners.",
        "A program of several projects",
    )
    assert senior.will_do[-2:] == ("Coach two planners", "Set the planning standard for the team")
    assert "Coach two planners" not in mid.will_do
    assert senior.must_have[-1] == "Experience planning a program of several projects"
    assert len(senior.must_have) == len(mid.must_have) + 1


def test_the_posting_shows_the_scope_under_about_the_role(runner, levels: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "show", "planner", "--level", "senior"])
    assert result.exit_code == 0, result.output
    assert (
        "## About the role\n\n**Scope:** A program of several projects\n\nYou plan our delivery work." in result.output
    )
    assert result.output.split("\n")[4] == "Plans programs of delivery work and coaches other planners."


def test_the_kit_uses_the_level_anchors_falling_back_to_the_nearest_lower_level_then_the_rubric(levels: Path) -> None:
    workspace = _load(levels)

    def anchors(level: str) -> list[str]:
        kit = assemble_kit(workspace, "planner", level)
        block = next(b for s in kit.stages for b in s.blocks if b.id == "plans-projects")
        return [anchor.anchor for anchor in block.rubric]

    assert anchors("mid")[0] == "Gives no example."
    assert anchors("senior") == [
        "Plans only their own tasks.",
        "Plans one project but not how it meets the others.",
        "Plans a program of projects with their dependencies.",
        "Sets how a whole team plans, and coaches planners.",
    ]
    comp = workspace.competencies["plans-projects"]
    # no principal level in this scale; the nearest lower level with anchors wins
    assert workspace.anchors(comp, "senior") == comp.rubric_by_level["senior"]


def test_the_debrief_states_how_ratings_combine_and_the_bar_at_the_level(runner, levels: Path) -> None:
    kits = {}
    for level in ("mid", "senior"):
        result = runner.invoke(cli, ["--workspace", str(levels), "show", "planner", "--kit", "--level", level])
        assert result.exit_code == 0, result.output
        kits[level] = result.output.split("## Debrief guide")[1]
    assert "never into an average" in kits["mid"]
    assert "if they cannot agree, the lower rating stands" in kits["mid"]
    assert "5. Decide against the bar for Mid-level. A hire needs all of these:" in kits["mid"]
    assert "   - Every core competency is rated 3 Good or higher.\n" in kits["mid"]
    assert "At least two core competencies are rated 4 Excellent." not in kits["mid"]
    assert "   - At least two core competencies are rated 4 Excellent.\n" in kits["senior"]


def test_compare_two_levels_writes_markdown_and_docx_of_what_changes(runner, levels: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "compare", "planner@mid", "planner@senior"])
    assert result.exit_code == 0, result.output
    markdown = (levels / "out/compare/planner-mid-vs-senior.md").read_text()
    assert markdown.startswith("# Delivery Planner: Mid-level and Senior compared\n")
    assert "| Scope | One project at a time | A program of several projects |" in markdown
    assert (
        "| Dayton, Ohio, US · On-site | $60,000 to $75,000 a year (USD) | $80,000 to $95,000 a year (USD) |" in markdown
    )
    assert "| Coach two planners | – | ✓ |" in markdown
    assert "| Experience planning a program of several projects | – | ✓ |" in markdown
    assert (
        "| Plans projects | core | Handles plans projects for one project. "
        "| Handles plans projects across several projects. |" in markdown
    )
    assert "| 1 Poor | Gives no example. | Plans only their own tasks. |" in markdown
    assert "### Tracks progress (core)\n\nBoth levels use the same anchors" in markdown
    assert "At least two core competencies are rated 4 Excellent. |" in markdown
    document = docx.Document(io.BytesIO((levels / "out/compare/planner-mid-vs-senior.docx").read_bytes()))
    assert document.paragraphs[0].text == "Delivery Planner: Mid-level and Senior compared"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Plans only their own tasks." in cells


def test_compare_levels_writes_each_step_of_the_ladder(runner, levels: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "compare", "planner", "--levels", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (levels / "out/compare").iterdir()) == ["planner-mid-vs-senior.md"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["planner@mid", "coordinator@senior"],
            "jdgen: compare levels of one role (tpm@mid tpm@senior), not 'planner'",
        ),
        (["planner@mid", "planner"], "jdgen: compare two different levels of 'planner', not 'mid' with itself"),
        (["planner@senoir", "planner@mid"], "jdgen: role 'planner' has no level 'senoir' (did you mean 'senior'?)"),
        (["planner@", "planner@mid"], "jdgen: 'planner@' names no level after '@'; write it as planner@LEVEL"),
        (["coordinator", "--levels"], None),
        (["planner", "coordinator", "--levels"], "jdgen: --levels compares the levels of one role"),
        (["planner"], "jdgen: name two roles (jdgen compare tpm pm)"),
    ],
)
def test_level_comparisons_refuse_what_cannot_be_compared(runner, levels: Path, args, message) -> None:
    result = runner.invoke(cli, ["--workspace", str(levels), "compare", *args])
    if message is None:  # the coordinator has two levels in this fixture: a valid request
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message)
    assert not (levels / "out").exists()


def test_a_role_with_one_level_has_no_ladder_to_compare(runner, levels: Path) -> None:
    edit_file(levels, "competencies/roles/planner.yaml", "  senior:\n", "  senior-x:\n")
    # the level id is no longer in the scale, so make it a valid one-level role instead
    path = levels / "competencies/roles/planner.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  senior-x:\n")] + text[text.index("competencies:\n") :])
    result = runner.invoke(cli, ["--workspace", str(levels), "compare", "planner", "--levels"])
    assert result.exit_code == 2
    assert result.stderr == "jdgen: role 'planner' has one level only ('mid'); nothing to compare\n"


def test_level_anchors_and_hire_bars_are_checked_against_the_scales(levels: Path) -> None:
    edit_file(
        levels,
        "competencies/delivery.yaml",
        "    rubric_by_level:\n      senior:\n",
        "    rubric_by_level:\n      senoir:\n",
    )
    edit_file(
        levels, "competencies/delivery.yaml", "        4: Sets how a whole team plans, and coaches planners.\n", ""
    )
    edit_file(levels, "jdgen.yaml", "    senior: {core_min: 3, top_ratings: 2}", "    seniro: {core_min: 5}")
    messages = _messages(levels)
    assert any(
        m.startswith("competencies/delivery.yaml:") and "unknown level 'senoir' (did you mean 'senior'?)" in m
        for m in messages
    ), messages
    assert any(m.startswith("jdgen.yaml:") and "unknown level 'seniro'" in m for m in messages), messages
    assert any(m.startswith("jdgen.yaml:") and "5 is above the rating scale's top (4)" in m for m in messages), messages


def test_level_anchors_need_every_rating(levels: Path) -> None:
    edit_file(
        levels, "competencies/delivery.yaml", "        4: Sets how a whole team plans, and coaches planners.\n", ""
    )
    assert any(
        "anchors of 'plans-projects' at 'senior' must have exactly the rating_scale keys 1, 2, 3, 4" in m
        for m in _messages(levels)
    )


def test_too_many_must_haves_at_a_level_is_a_warning_naming_the_level(levels: Path) -> None:
    edit_file(
        levels,
        "competencies/roles/planner.yaml",
        "    requirements: [Experience planning a program of several projects]",
        "    requirements: [R one, R two, R three, R four]",
    )
    warnings = [str(w) for w in _load(levels).warnings]
    assert any("8 must-haves at level 'senior'" in w for w in warnings), warnings
