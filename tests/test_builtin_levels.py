"""The built-in roles as a hiring lead reads them: levels that differ, real exercises, time by emphasis, a screen."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from generator.assemble import assemble_kit, assemble_posting
from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

REPO = Path(__file__).resolve().parent.parent
ROLES = ("project-coordinator", "associate-pm", "pm", "tpm", "tech-lead", "project-lead")
_EXERCISE_NAME = re.compile(r"\b(exercise|review)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def workspace():
    return load_workspace(WorkspaceDirs(REPO, builtin=False))


@pytest.fixture(scope="module")
def documents(workspace):
    """Every built-in role's documents at every level, rendered once: {(role, level): {name: markdown}}."""
    renderer = Renderer(workspace.dirs.root)
    return {
        (role_id, level): {doc.name: doc.markdown for doc in render_role(workspace, renderer, role_id, level)}
        for role_id, role in workspace.roles.items()
        for level in role.levels
    }


def _two_levels(workspace) -> list[tuple[str, str, str]]:
    order = workspace.level_order
    pairs = []
    for role_id, role in workspace.roles.items():
        levels = sorted(role.levels, key=order.index)
        pairs += [(role_id, low, high) for low, high in itertools.pairwise(levels)]
    return pairs


def test_every_builtin_role_has_two_levels(workspace) -> None:
    assert sorted(role_id for role_id, _, _ in _two_levels(workspace)) == sorted(ROLES)


def test_postings_at_two_levels_differ_beyond_title_level_and_pay(workspace) -> None:
    for role_id, low, high in _two_levels(workspace):
        a, b = (assemble_posting(workspace, role_id, level) for level in (low, high))
        assert a.summary != b.summary or a.scope != b.scope, role_id
        assert a.scope and b.scope, role_id
        changed = set(a.will_do) ^ set(b.will_do) | set(a.must_have) ^ set(b.must_have)
        assert len(changed) >= 3, (role_id, changed)
        assert len(a.must_have) <= 7 and len(b.must_have) <= 7, role_id


def test_postings_show_what_their_level_adds(workspace, documents) -> None:
    for role_id, _low, high in _two_levels(workspace):
        posting = documents[(role_id, high)]["posting"]
        level = workspace.roles[role_id].levels[high]
        assert f"**Scope:** {level.scope}" in posting, role_id
        for line in (*level.responsibilities, *level.requirements):
            assert f"- {line}" in posting, (role_id, line)


def test_kits_at_two_levels_differ_in_every_core_anchor_and_in_the_bar(workspace) -> None:
    for role_id, low, high in _two_levels(workspace):
        kits = [assemble_kit(workspace, role_id, level) for level in (low, high)]
        assert kits[0].hire_bar != kits[1].hire_bar, role_id
        anchors = [
            {block.id: [a.anchor for a in block.rubric] for stage in kit.stages for block in stage.blocks}
            for kit in kits
        ]
        for item in workspace.roles[role_id].competencies:
            if item.emphasis == "core":
                assert anchors[0][item.id] != anchors[1][item.id], (role_id, item.id)


def test_every_stage_named_an_exercise_or_review_has_a_brief_material_and_key(workspace) -> None:
    named = 0
    for role_id, role in workspace.roles.items():
        for stage in role.interview_loop:
            if not _EXERCISE_NAME.search(stage.name):
                continue
            named += 1
            exercise = stage.exercise
            assert exercise is not None, (role_id, stage.id)
            assert exercise.brief and exercise.materials and exercise.deliverable, (role_id, stage.id)
            assert set(exercise.key) == set(stage.focus), (role_id, stage.id)
    assert named >= 6


def _plain(markdown: str) -> str:
    """Undo the renderer's Markdown escapes, so text compares as written in the YAML."""
    return re.sub(r"\\([\\`*_\[\]<>|~#+=.-])", r"\1", markdown)


def test_the_kit_shows_each_exercise_and_the_guide_never_shows_its_key(workspace, documents) -> None:
    for (role_id, _level), docs in documents.items():
        kit, guide = _plain(docs["interview-kit"]), _plain(docs["candidate-guide"])
        for stage in workspace.roles[role_id].interview_loop:
            if stage.exercise is None:
                continue
            assert f"### Exercise: {stage.exercise.title}" in kit, role_id
            for points in stage.exercise.key.values():
                for point in points:
                    assert point in kit, (role_id, point)
                    assert point not in guide, (role_id, point)
            assert "Evaluators" not in docs["candidate-guide"]


def test_core_competencies_get_at_least_the_minutes_of_supporting_ones_and_little_time_is_unassigned(
    workspace, documents
) -> None:
    for (role_id, level), plans in workspace.loop_plans.items():
        emphasis = {item.id: item.emphasis for item in workspace.roles[role_id].competencies}
        for plan in plans:
            minutes = {cid: sum(q.minutes for q in qs) for cid, qs in plan.blocks}
            core = [m for cid, m in minutes.items() if emphasis[cid] == "core"]
            supporting = [m for cid, m in minutes.items() if emphasis[cid] == "supporting"]
            if core and supporting:
                assert min(core) >= max(supporting), (role_id, level, plan.stage.id, minutes)
            assert plan.unassigned_minutes * 5 <= plan.stage.minutes, (role_id, level, plan.stage.id)
        # and the printed agenda says the same: follow-up time is at most a fifth of each stage
        kit = documents[(role_id, level)]["interview-kit"]
        for stage_text in kit.split("\n## Stage ")[1:]:
            total = int(re.search(r"\*\*Time:\*\* (\d+) minutes", stage_text).group(1))
            spare = re.search(r"\| Follow-up probes where the evidence is thin \| (\d+) \|", stage_text)
            assert spare is None or int(spare.group(1)) * 5 <= total, (role_id, level)


def test_every_agenda_adds_up_to_its_stage_and_has_no_follow_up_row_of_a_minute_or_two(documents) -> None:
    for (role_id, level), docs in documents.items():
        for stage_text in docs["interview-kit"].split("\n## Stage ")[1:]:
            total = int(re.search(r"\*\*Time:\*\* (\d+) minutes", stage_text).group(1))
            agenda = stage_text.split("| Minutes |", 1)[1].split("| **Total** |", 1)[0]
            rows = dict(re.findall(r"^\| (.+?) \| (\d+) \|$", agenda, flags=re.MULTILINE))
            assert sum(map(int, rows.values())) == total, (role_id, level, rows)
            probes = rows.get("Follow-up probes where the evidence is thin")
            assert probes is None or int(probes) >= 3, (role_id, level, rows)  # nobody plans probes for a minute
            assert int(rows["The candidate's questions and next steps"]) >= 5, (role_id, level, rows)


def test_the_recruiter_screen_of_every_kit_asks_the_screening_questions(workspace, documents) -> None:
    questions = workspace.config.hiring.screening
    assert {q.id for q in questions} >= {"work-authorization", "location-and-work-model", "pay-range", "start-date"}
    for (role_id, level), docs in documents.items():
        screen = docs["interview-kit"].split("## Stage 1: Recruiter screen")[1].split("\n## Stage 2")[0]
        for question in questions:
            assert question.text in screen, (role_id, level, question.id)
        assert "Screening questions" not in docs["interview-kit"].split("\n## Stage 2")[1]


def test_the_coordinators_loop_fits_a_first_project_job(workspace) -> None:
    loop = workspace.roles["project-coordinator"].interview_loop
    assert len(loop) <= 4
    assert sum(stage.minutes for stage in loop) <= 180


def test_pm_and_tpm_are_parallel_paths_with_pay_to_match(workspace) -> None:
    pm, tpm = workspace.roles["pm"], workspace.roles["tpm"]
    assert "pm" not in tpm.career_path.from_ and "tpm" not in pm.career_path.to
    assert "associate-pm" in pm.career_path.from_ and "associate-pm" in tpm.career_path.from_
    assert "project-lead" in pm.career_path.to and "project-lead" in tpm.career_path.to
    for level in ("mid", "senior"):
        a, b = pm.levels[level].salary, tpm.levels[level].salary
        overlap = min(a.max, b.max) - max(a.min, b.min)
        assert overlap * 3 >= 2 * min(a.max - a.min, b.max - b.min), level
        assert (b.min + b.max) <= (a.min + a.max) * 11 / 10, level


def test_no_recruiter_screen_promises_a_technical_problem(workspace) -> None:
    for (role_id, level), plans in workspace.loop_plans.items():
        screen = plans[0]
        assert screen.stage.name == "Recruiter screen", role_id
        assert {q.type for _, questions in screen.blocks for q in questions} <= {"behavioral", "situational"}, (
            role_id,
            level,
        )
