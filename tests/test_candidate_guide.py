"""The candidate guide: every stage, how to prepare, accommodations; never a question or a rubric."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs


@pytest.fixture
def workspace(builtin_copy: Path):
    return load_workspace(WorkspaceDirs(builtin_copy, builtin=False))


@pytest.mark.parametrize("role_id", ["tpm", "pm", "tech-lead"])
def test_the_guide_describes_every_stage_and_never_reveals_questions_or_rubrics(workspace, role_id: str) -> None:
    docs = {d.name: d.markdown for d in render_role(workspace, Renderer(workspace.dirs.root), role_id, "mid")}
    guide = docs["candidate-guide"]
    role = workspace.roles[role_id]
    for number, stage in enumerate(role.interview_loop, start=1):
        assert f"## {number}. {stage.name} ({stage.minutes} minutes)" in guide
        assert f"**Who you meet:** {stage.interviewers}" in guide
        names = "; ".join(workspace.competencies[cid].name for cid in stage.focus)
        assert f"**What it covers:** {names}" in guide
    assert "## Adjustments and accommodations" in guide
    secrets = []
    for item in role.competencies:
        competency = workspace.competencies[item.id]
        secrets += [q.text for q in competency.questions]
        secrets += [p for q in competency.questions for p in q.probes + q.look_for + q.red_flags]
        secrets += list(competency.rubric.values())
    leaked = [text for text in secrets if text in guide]
    assert leaked == []


def test_stage_advice_from_the_role_file_is_shown(minimal: Path) -> None:
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(
        role.read_text().replace(
            "    interviewers: Recruiter\n",
            "    interviewers: Recruiter\n    prepare:\n      - Have your calendar open\n",
            1,
        )
    )
    workspace = load_workspace(WorkspaceDirs(minimal, builtin=False))
    guide = render_role(workspace, Renderer(minimal), "coordinator", "mid")[2].markdown
    assert "**What to expect:** examples from your own work.\n\n- Have your calendar open\n" in guide


def test_the_posting_points_to_the_guide(workspace) -> None:
    posting = render_role(workspace, Renderer(workspace.dirs.root), "tpm", "mid")[0].markdown
    assert "and a guide to each stage beforehand" in posting


def test_the_guide_is_also_a_page_a_recruiter_can_send(builtin_copy: Path, runner) -> None:
    from generator.cli import cli

    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "tpm", "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (builtin_copy / "out" / "tpm" / "candidate-guide.html").read_text(encoding="utf-8")
    assert '<h1 id="your-interviews-for-the-technical-project-manager-role">' in page
    assert '<h2 id="1-recruiter-screen-30-minutes">1. Recruiter screen (30 minutes)</h2>' in page
    assert "How the 5 interviews for the Technical Project Manager role at Northwind Analytics work" in page
    # sent by link, not a job listing: search engines leave it out and it carries no JobPosting data
    assert '<meta name="robots" content="noindex">' in page
    assert "application/ld+json" not in page
    assert "Evaluators" not in page and "Rubric" not in page
