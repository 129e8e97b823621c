"""The question-selection rule of the interview loop."""

from __future__ import annotations

from generator.loop import plan_loop
from generator.models import Competency, InterviewSettings, Question, Stage


def _question(qid: str, minutes: int, levels: list[str] | None = None) -> Question:
    return Question(id=qid, type="behavioral", text=f"{qid}?", minutes=minutes, levels=levels)


def _competency(cid: str, *questions: Question) -> Competency:
    return Competency(
        id=cid,
        name=cid,
        description="d",
        posting="p",
        requirement="r",
        levels={"mid": "m"},
        questions=list(questions),
        rubric={1: "a", 2: "b", 3: "c", 4: "d"},
    )


def _stage(sid: str, minutes: int, *focus: str) -> Stage:
    return Stage(id=sid, name=sid, minutes=minutes, interviewers="x", focus=list(focus))


LIBRARY = {
    "a": _competency("a", _question("a1", 10), _question("a2", 10), _question("a3", 5, ["senior"])),
    "b": _competency("b", _question("b1", 8), _question("b2", 8), _question("b3", 8)),
}
SETTINGS = InterviewSettings(opening_minutes=5, closing_minutes=5)


def _ids(plans) -> list[list[str]]:
    return [[q.id for _, questions in plan.blocks for q in questions] for plan in plans]


def test_coverage_comes_first_then_turns_fill_the_remaining_time() -> None:
    plans, issues = plan_loop([_stage("s1", 40, "a", "b"), _stage("s2", 30, "b")], LIBRARY, "mid", SETTINGS)
    assert issues == []
    # s2 claims b2 for coverage before s1 fills: a2 fits s1's last 12 minutes, then b3 does not
    assert _ids(plans) == [["a1", "a2", "b1"], ["b2", "b3"]]
    assert [(plan.budget, plan.question_minutes) for plan in plans] == [(30, 28), (20, 16)]


def test_a_question_is_asked_at_most_once_in_the_loop() -> None:
    plans, _ = plan_loop([_stage("s1", 60, "a", "b"), _stage("s2", 60, "a", "b")], LIBRARY, "senior", SETTINGS)
    asked = [qid for stage in _ids(plans) for qid in stage]
    assert len(asked) == len(set(asked))
    assert sorted(asked) == ["a1", "a2", "a3", "b1", "b2", "b3"]


def test_questions_for_other_levels_are_left_out() -> None:
    plans, _ = plan_loop([_stage("s1", 120, "a")], LIBRARY, "mid", SETTINGS)
    assert _ids(plans) == [["a1", "a2"]]


def test_the_chosen_questions_never_exceed_the_stage_budget() -> None:
    plans, _ = plan_loop([_stage("s1", 35, "a", "b")], LIBRARY, "mid", SETTINGS)
    assert plans[0].budget == 25
    assert plans[0].question_minutes == 18
    assert _ids(plans) == [["a1", "b1"]]


def test_a_stage_too_short_for_its_focus_is_an_issue_naming_it() -> None:
    plans, issues = plan_loop([_stage("ok", 30, "b"), _stage("short", 20, "a", "b")], LIBRARY, "mid", SETTINGS)
    assert plans == []
    assert [(i.stage_index, i.message.split(";")[0]) for i in issues] == [
        (
            1,
            "one question per focus competency needs 18 minutes, but the stage keeps only 10 of its 20 "
            "for questions (10 go to the opening and closing)",
        )
    ]


def test_the_plan_is_the_same_every_time() -> None:
    stages = [_stage("s1", 45, "b", "a"), _stage("s2", 45, "a")]
    assert _ids(plan_loop(stages, LIBRARY, "senior", SETTINGS)[0]) == _ids(
        plan_loop(stages, LIBRARY, "senior", SETTINGS)[0]
    )
