"""Assembling view models from a validated workspace."""

from __future__ import annotations

from pathlib import Path

from generator.assemble import assemble_kit, assemble_posting, format_salary, paragraphs
from generator.models import Salary
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs


def _workspace(root: Path):
    return load_workspace(WorkspaceDirs(root, builtin=False))


def test_the_posting_draws_its_lists_from_the_competencies(minimal: Path) -> None:
    posting = assemble_posting(_workspace(minimal), "coordinator", "mid")
    assert posting.will_do == (
        "Practise plans projects every week",
        "Practise tracks progress every week",
        "Practise manages stakeholders every week",
        "Practise identifies risks every week",
        "Practise runs meetings every week",
        "Keep the shared calendar current",
    )
    # must-haves: the core competencies' requirement lines, then the role's own requirements
    assert posting.must_have[-1] == "Clear written English"
    assert len(posting.must_have) == 5
    assert posting.about == ("You keep our delivery work on track.", "You work with every team.")
    assert [(n.title, n.how) for n in posting.neighbours] == [
        ("Delivery Planner", "A planner sets the plan; a coordinator keeps it moving.")
    ]
    assert posting.apply_url == "https://fixture.example.com/jobs/coordinator"
    assert [(s.name, s.minutes, s.assesses) for s in posting.hiring_steps] == [
        ("Screen", 30, ("Plans projects", "Tracks progress")),
        ("Panel", 40, ("Manages stakeholders", "Identifies risks", "Runs meetings")),
        ("Work sample", 45, ("Plans projects", "Tracks progress", "Manages stakeholders", "Identifies risks")),
    ]


def test_the_kit_has_coverage_agendas_that_add_up_and_rubrics(minimal: Path) -> None:
    kit = assemble_kit(_workspace(minimal), "coordinator", "mid")
    assert kit.total_minutes == 115
    assert kit.stage_names == ("Screen", "Panel", "Work sample")
    assert [(row.name, row.marks) for row in kit.coverage][:2] == [
        ("Plans projects", (True, False, True)),
        ("Tracks progress", (True, False, True)),
    ]
    for stage in kit.stages:
        assert sum(item.minutes for item in stage.agenda) == stage.minutes
        for block in stage.blocks:
            assert block.questions
            assert [a.score for a in block.rubric] == [1, 2, 3, 4]
    assert kit.stages[0].purpose == "Gather evidence on plans projects and tracks progress."
    assert kit.stages[0].agenda[0].minutes == 5
    assert kit.stages[0].agenda[-1].label == "The candidate's questions and next steps"


def test_senior_questions_appear_only_in_senior_kits(minimal: Path) -> None:
    workspace = _workspace(minimal)

    def asked(level: str) -> set[str]:
        kit = assemble_kit(workspace, "coordinator", level)
        return {q.id for stage in kit.stages for block in stage.blocks for q in block.questions}

    assert not any(qid.endswith("-q3") for qid in asked("mid"))
    assert any(qid.endswith("-q3") for qid in asked("senior"))


def test_pay_is_written_as_people_write_it() -> None:
    assert format_salary(Salary(min=112000, max=140000, currency="USD")) == "$112,000 to $140,000 a year (USD)"
    assert format_salary(Salary(min=42.5, max=55, currency="EUR", period="hour")) == "€42.50 to €55 an hour (EUR)"
    assert format_salary(Salary(min=1, max=2, currency="CHF", period="month")) == "1 to 2 a month (CHF)"


def test_paragraphs_split_on_blank_lines_and_join_wrapped_lines() -> None:
    assert paragraphs("one\ntwo\n\n  three  \n") == ("one two", "three")
