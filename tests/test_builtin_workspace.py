"""The built-in workspace: the seed's competencies and three finished roles, read as a recruiter would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

ROLES = ("project-coordinator", "associate-pm", "pm", "tpm", "tech-lead", "project-lead")
#: The neighbours each role must tell apart from itself, as the seed contrasts them.
NEIGHBOURS = {
    "project-coordinator": {"associate-pm"},
    "associate-pm": {"project-coordinator", "pm"},
    "pm": {"tpm", "tech-lead", "associate-pm"},
    "tpm": {"pm", "tech-lead", "project-lead"},
    "tech-lead": {"tpm", "pm", "project-lead"},
    "project-lead": {"pm", "tpm", "tech-lead"},
}
POSTING_SECTIONS = [
    "About the role",
    "What you will do",
    "What you bring",
    "Nice to have",
    "Pay and benefits",
    "How we hire",
    "About Northwind Analytics",
    "Equal opportunity",
    "How to apply",
]
PLACEHOLDERS = re.compile(r"TODO|TBD|lorem|\.\.\.|\{\{|\}\}|\{%|%\}|\bNone\b|\bUndefined\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):

    from conftest import copy_builtin

    root = copy_builtin(tmp_path_factory.mktemp("builtin"))
    return load_workspace(WorkspaceDirs(root, builtin=False))


@pytest.fixture(scope="module")
def documents(workspace):
    renderer = Renderer(workspace.dirs.root)
    return {
        role: {
            doc.name: doc.markdown
            for doc in render_role(workspace, renderer, role, workspace.roles[role].default_level)
        }
        for role in ROLES
    }


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _words(markdown: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", markdown))


def test_the_library_holds_the_seed_competencies_and_the_technical_lead_ones(workspace) -> None:
    areas = {workspace.area_names[cid] for cid in workspace.competencies}
    assert areas == {"Technical Knowledge", "Leadership", "Project Management"}
    # the seed's 29 bullets, with the two "risks and blockers" bullets merged into one
    seed = {
        "technical-breadth", "translates-requirements", "scalable-solutions", "troubleshoots-issues",
        "technical-communication", "agile-estimation", "continuous-learning",
        "sets-vision", "aligns-team", "resolves-conflicts", "motivates-team", "brings-focus", "guides-change",
        "takes-ownership", "sets-expectations", "builds-trust", "makes-decisions",
        "plans-projects", "tracks-progress", "holds-accountable", "identifies-risks", "runs-meetings",
        "manages-stakeholders", "communicates-frequently", "applies-process", "manages-documentation",
        "balances-constraints", "improves-processes",
    }  # fmt: skip
    technical_lead = {"solution-architecture", "hands-on-depth", "delegates-technical-work", "reviews-technical-work"}
    assert len(seed) == 29 - 1
    assert seed | technical_lead <= set(workspace.competencies)


def test_the_workspace_has_no_warnings(workspace) -> None:
    assert workspace.warnings == ()


@pytest.mark.parametrize("role_id", ROLES)
def test_each_role_is_complete(workspace, role_id: str) -> None:
    role = workspace.roles[role_id]
    assert len(role.levels) >= 2
    assert all(level.salary.min < level.salary.max and level.sfia_level for level in role.levels.values())
    assert len(role.competencies) <= 10
    assert 4 <= sum(c.emphasis == "core" for c in role.competencies) <= 7
    assert {d.role for d in role.differs_from} == NEIGHBOURS[role_id]
    assert role.onet and (role.career_path.from_ or role.career_path.to)
    assert len(role.interview_loop) >= 4
    assessed = {cid for stage in role.interview_loop for cid in stage.focus}
    assert assessed == {c.id for c in role.competencies}


@pytest.mark.parametrize("role_id", ROLES)
def test_the_posting_reads_as_finished(documents, role_id: str) -> None:
    posting = documents[role_id]["posting"]
    sections = _sections(posting)
    assert list(sections) == POSTING_SECTIONS
    for name, body in sections.items():
        assert body.strip(), f"empty section {name}"
    assert re.search(r"\$\d{2,3},\d{3} to \$\d{2,3},\d{3} a year \(USD\)", sections["Pay and benefits"])
    assert not PLACEHOLDERS.search(posting)
    assert len(re.findall(r"^- ", sections["What you bring"], flags=re.MULTILINE)) <= 7
    assert 300 <= _words(posting) <= 700
    lines = [line for line in posting.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), "a line is repeated"


@pytest.mark.parametrize("role_id", ROLES)
def test_the_kit_covers_every_core_competency_and_every_stage_has_a_scorecard(workspace, documents, role_id):
    kit = documents[role_id]["interview-kit"]
    role = workspace.roles[role_id]
    stages = re.split(r"^## Stage \d+: ", kit, flags=re.MULTILINE)[1:]
    assert len(stages) == len(role.interview_loop)
    for stage_text, stage in zip(stages, role.interview_loop, strict=True):
        assert stage_text.startswith(stage.name)
        assert f"### Scorecard: {stage.name}" in stage_text
        assert "**Overall recommendation**" in stage_text
    for item in role.competencies:
        name = workspace.competencies[item.id].name
        heading = f"### {name} ({item.emphasis})"
        assert heading in kit
        assert re.search(re.escape(heading) + r"\n\n.*?\n\n.*?#### Question 1: ", kit, flags=re.DOTALL)
    # an exercise's code excerpt is material, kept exactly as written (SQL may say 'none')
    prose = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", kit, flags=re.DOTALL | re.MULTILINE)
    assert not PLACEHOLDERS.search(prose)
    assert kit.count("| Competency | Emphasis |") == 1
    assert kit.rstrip().splitlines()[0] == f"# Interview kit: {role.levels[role.default_level].title}"


@pytest.mark.parametrize("role_id", ROLES)
def test_every_table_in_the_kit_is_well_formed(workspace, documents, role_id: str) -> None:
    kit = documents[role_id]["interview-kit"]
    tokens = MarkdownIt("commonmark").enable("table").parse(kit)
    raw_tables = re.findall(r"^\|.*\|\n\|[-:| ]+\|$", kit, flags=re.MULTILINE)
    parsed = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    # coverage, then per stage an agenda, one rubric per competency block and a scorecard,
    # and the tables among its exercise's materials
    loop = workspace.roles[role_id].interview_loop
    blocks = sum(len(stage.focus) for stage in loop)
    materials = sum(1 for stage in loop if stage.exercise for m in stage.exercise.materials if m.table)
    assert len(parsed) == len(raw_tables) == 1 + 2 * len(loop) + blocks + materials
    # markdown-it pads or drops cells silently, so count the unescaped pipes of each source row
    for table in re.findall(r"(?:^\|.*\|\n)+", kit, flags=re.MULTILINE):
        pipes = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(pipes) == 1, table


def test_the_golden_tpm_documents_are_unchanged(documents) -> None:
    golden = Path(__file__).parent / "golden" / "tpm"
    for name, markdown in documents["tpm"].items():
        assert markdown == (golden / f"{name}.md").read_text(encoding="utf-8"), (
            f"out/tpm/{name}.md changed; if on purpose, run: python tests/update_golden.py"
        )


def test_every_core_competency_of_the_tpm_is_assessed_twice_and_no_question_repeats(workspace) -> None:
    from generator.assemble import assemble_kit

    role = workspace.roles["tpm"]
    for item in role.competencies:
        stages = sum(item.id in stage.focus for stage in role.interview_loop)
        assert stages >= (2 if item.emphasis == "core" else 1), item.id
    for level in role.levels:
        kit = assemble_kit(workspace, "tpm", level)
        asked = [q.id for stage in kit.stages for block in stage.blocks for q in block.questions]
        assert len(asked) == len(set(asked))
        for stage in kit.stages:
            assert sum(item.minutes for item in stage.agenda) == stage.minutes


def test_the_senior_tpm_differs_in_title_pay_and_expectations(builtin_copy, runner) -> None:
    from generator.cli import cli

    for extra in ([], ["--level", "senior"]):
        result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "tpm", "--format", "md", *extra])
        assert result.exit_code == 0, result.output
    mid, senior = builtin_copy / "out/tpm", builtin_copy / "out/tpm-senior"
    # the TPM is posted in several places: each posting has a folder of its own
    mid_posting, senior_posting = (
        (mid / "columbus/posting.md").read_text(),
        (senior / "columbus/posting.md").read_text(),
    )
    assert mid_posting.startswith("# Technical Project Manager\n\n**Mid-level**")
    assert senior_posting.startswith("# Senior Technical Project Manager\n\n**Senior**")
    assert "$102,000 to $132,000" in mid_posting and "$122,000 to $156,000" in senior_posting
    mid_kit, senior_kit = (mid / "interview-kit.md").read_text(), (senior / "interview-kit.md").read_text()
    expectations = re.compile(r"^\*\*Expectation at (.+?):\*\* (.+)$", re.MULTILINE)
    assert {level for level, _ in expectations.findall(mid_kit)} == {"Mid-level"}
    assert {level for level, _ in expectations.findall(senior_kit)} == {"Senior"}
    assert set(expectations.findall(mid_kit)).isdisjoint(expectations.findall(senior_kit))
