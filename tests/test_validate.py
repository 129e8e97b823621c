"""Validation of whole workspaces: cross-references, fallbacks, warnings and resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_file

from generator.errors import CommandLineError, InvalidWorkspaceError
from generator.pipeline import resolve_level, resolve_role
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

ROLE = "competencies/roles/coordinator.yaml"


def _load(root: Path):
    return load_workspace(WorkspaceDirs(root, builtin=False))


def _messages(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        _load(root)
    return [str(p) for p in caught.value.problems]


def test_the_minimal_workspace_is_valid_and_resolves_ids_and_aliases(minimal: Path) -> None:
    workspace = _load(minimal)
    assert list(workspace.roles) == ["coordinator", "planner"]
    assert resolve_role(workspace, "delivery-coordinator") == "coordinator"
    assert resolve_level(workspace, "coordinator", None) == "mid"
    assert resolve_level(workspace, "coordinator", "senior") == "senior"
    with pytest.raises(CommandLineError, match="unknown role 'planers' \\(did you mean 'planner'\\?\\)"):
        resolve_role(workspace, "planers")


def test_a_missing_level_expectation_falls_back_to_the_nearest_lower_level(minimal: Path) -> None:
    edit_file(
        minimal, "competencies/delivery.yaml", "      senior: Handles plans projects across several projects.\n", ""
    )
    workspace = _load(minimal)
    comp = workspace.competencies["plans-projects"]
    assert workspace.expectation(comp, "senior") == "Handles plans projects for one project."


def test_no_expectation_at_or_below_a_role_level_is_an_error(minimal: Path) -> None:
    edit_file(minimal, "competencies/delivery.yaml", "      mid: Handles plans projects for one project.\n", "")
    assert (
        f"{ROLE}:24: competency 'plans-projects' has no expectation at level 'mid' or below; add one under its `levels`"
        in _messages(minimal)
    )


def test_a_broken_area_file_does_not_cascade_into_unknown_ids(minimal: Path) -> None:
    edit_file(minimal, "competencies/delivery.yaml", "area: delivery", "area: [delivery")
    messages = _messages(minimal)
    assert len(messages) == 1
    assert messages[0].startswith("competencies/delivery.yaml:")


def test_an_alias_may_not_name_another_role(minimal: Path) -> None:
    edit_file(minimal, ROLE, "  - delivery-coordinator\n", "  - planner\n")
    assert f"{ROLE}:3: alias 'planner' is already used by role 'planner'" in _messages(minimal)


def test_a_role_may_not_refer_to_itself(minimal: Path) -> None:
    edit_file(minimal, ROLE, "  - role: planner\n", "  - role: coordinator\n")
    assert f"{ROLE}:30: role 'coordinator' cannot refer to itself" in _messages(minimal)


def test_an_area_must_match_its_file_name(minimal: Path) -> None:
    edit_file(minimal, "competencies/delivery.yaml", "area: delivery", "area: shipping")
    assert "competencies/delivery.yaml:1: area 'shipping' must match the file name 'delivery'" in _messages(minimal)


def test_a_rating_scale_with_a_neutral_middle_is_refused(minimal: Path) -> None:
    (minimal / "jdgen.yaml").write_text(
        (minimal / "jdgen.yaml").read_text() + "rating_scale:\n  1: Low\n  2: Middle\n  3: High\n"
    )
    assert any("no neutral middle" in m for m in _messages(minimal))


def test_advice_about_the_number_of_core_competencies_is_a_warning(minimal: Path) -> None:
    edit_file(
        minimal, ROLE, "  - {id: identifies-risks, emphasis: core}", "  - {id: identifies-risks, emphasis: supporting}"
    )
    edit_file(
        minimal,
        ROLE,
        "  - {id: manages-stakeholders, emphasis: core}",
        "  - {id: manages-stakeholders, emphasis: supporting}",
    )
    workspace = _load(minimal)
    assert [str(w) for w in workspace.warnings] == [
        f"{ROLE}:23: warning: 2 core competencies; four to seven keep a posting focused"
    ]


def test_a_supporting_competency_no_stage_assesses_is_a_warning(minimal: Path) -> None:
    # the panel loses a focus, so it gets shorter too: no more than a fifth of it may go unassigned
    edit_file(minimal, ROLE, "      - runs-meetings\n", "")
    edit_file(minimal, ROLE, "    minutes: 40\n", "    minutes: 30\n")
    warnings = [str(w) for w in _load(minimal).warnings]
    assert f"{ROLE}:28: warning: supporting competency 'runs-meetings' is not assessed by any stage" in warnings


def test_a_competency_whose_questions_run_out_is_an_error_naming_the_stage(minimal: Path) -> None:
    # three stages on plans-projects, but only two of its questions suit the mid level
    edit_file(
        minimal,
        ROLE,
        "      - runs-meetings\n",
        "      - runs-meetings\n  - id: third\n    name: Third\n    minutes: 30\n    interviewers: Peer\n"
        "    focus:\n      - plans-projects\n  - id: fourth\n    name: Fourth\n    minutes: 30\n"
        "    interviewers: Peer\n    focus:\n      - plans-projects\n",
    )
    assert (
        f"{ROLE}:54: stage 'fourth' at level 'mid': every question of 'plans-projects' that suits the level "
        "is used by an earlier stage; add questions to 'plans-projects'"
    ) in _messages(minimal)


def test_a_level_id_may_appear_only_once_in_the_scale(minimal: Path) -> None:
    edit_file(
        minimal,
        "jdgen.yaml",
        "  - {id: senior, name: Senior}\n",
        "  - {id: senior, name: Senior}\n  - {id: mid, name: Again}\n",
    )
    assert _messages(minimal) == ["jdgen.yaml:13: levels: each level id must appear once; repeated: mid"]
