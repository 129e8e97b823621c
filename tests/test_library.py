"""The built-in competency library meets the depth rules, and a company can grow it with files alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO

from generator.cli import cli
from generator.library import library_area_files
from generator.models import Competency
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

WORKSPACE = load_workspace(WorkspaceDirs(REPO, builtin=False))
USED_LEVELS = {level for role in WORKSPACE.roles.values() for level in role.levels}
#: the neutral library alone: what a company with `library: builtin` and no overrides gets
LIBRARY = {
    comp["id"]: Competency.model_validate(comp)
    for path in library_area_files()
    for comp in yaml.safe_load(path.read_text())["competencies"]
}


@pytest.mark.parametrize(
    "competency",
    [pytest.param(c, id=f"northwind-{c.id}") for c in WORKSPACE.competencies.values()]
    + [pytest.param(c, id=f"library-{c.id}") for c in LIBRARY.values()],
)
def test_every_competency_meets_the_depth_rules(competency: Competency) -> None:
    assert set(competency.levels) >= USED_LEVELS, f"missing expectations: {USED_LEVELS - set(competency.levels)}"
    assert len(competency.questions) >= 3
    assert len({q.type for q in competency.questions}) >= 2
    for question in competency.questions:
        assert len(question.probes) >= 2, question.id
        assert len(question.look_for) >= 2, question.id
        assert len(question.red_flags) >= 1, question.id
    assert sorted(competency.rubric) == sorted(WORKSPACE.config.rating_scale)
    # anchors describe what was observed, so each is a sentence, not a word like "Good"
    assert all(len(anchor.split()) >= 6 for anchor in competency.rubric.values())
    for level in USED_LEVELS:
        usable = [q for q in competency.questions if q.levels is None or level in q.levels]
        assert len(usable) >= 2, f"fewer than two questions suit level {level}"


def test_every_competency_is_used_by_a_role_or_cites_a_framework() -> None:
    used = {c.id for role in WORKSPACE.roles.values() for c in role.competencies}
    for competency_id, competency in WORKSPACE.competencies.items():
        assert competency_id in used or competency.refs, competency_id


def test_a_company_adds_a_role_and_an_area_with_new_files_only(runner, builtin_copy: Path) -> None:
    addition = FIXTURES / "company-addition"
    shutil.copytree(addition, builtin_copy, dirs_exist_ok=True)
    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "csm", "--format", "md"])
    assert result.exit_code == 0, result.output
    posting = (builtin_copy / "out/customer-success-manager/posting.md").read_text()
    kit = (builtin_copy / "out/customer-success-manager/interview-kit.md").read_text()
    assert posting.startswith("# Customer Success Manager\n")
    assert "- Own client onboarding for a book of client accounts" in posting
    assert "### Client onboarding (core)" in kit
    assert "### Stakeholder management (supporting)" in kit
