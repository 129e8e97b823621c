"""The question-selection rule of the interview loop."""

from __future__ import annotations

from generator.loop import LoopRules, plan_loop
from generator.models import Competency, Exercise, Question, Stage


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
SETTINGS = LoopRules(opening_minutes=5, closing_minutes=5)


def _ids(plans) -> list[list[str]]:
    return [[q.id for _, questions in plan.blocks for q in questions] for plan in plans]


def test_coverage_comes_first_then_the_least_served_competency_fills() -> None:
    plans, issues = plan_loop([_stage("s1", 40, "a", "b"), _stage("s2", 20, "b")], LIBRARY, "mid", SETTINGS)
    assert issues == []
    # s2 claims b2 for coverage before s1 fills; in s1, b (8 minutes so far) goes before a (10)
    # and takes b3, after which a2 no longer fits the last 4 minutes
    assert _ids(plans) == [["a1", "b1", "b3"], ["b2"]]
    assert [(plan.budget, plan.question_minutes) for plan in plans] == [(30, 26), (10, 8)]


def test_a_question_is_asked_at_most_once_in_the_loop() -> None:
    plans, _ = plan_loop([_stage("s1", 45, "a", "b"), _stage("s2", 30, "a", "b")], LIBRARY, "senior", SETTINGS)
    asked = [qid for stage in _ids(plans) for qid in stage]
    assert len(asked) == len(set(asked))
    assert sorted(asked) == ["a1", "a2", "a3", "b1", "b2", "b3"]


def test_questions_for_other_levels_are_left_out() -> None:
    plans, _ = plan_loop([_stage("s1", 35, "a")], LIBRARY, "mid", SETTINGS)
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
    stages = [_stage("s1", 45, "b", "a"), _stage("s2", 20, "b")]
    assert _ids(plan_loop(stages, LIBRARY, "senior", SETTINGS)[0]) == [["b1", "b3", "a3", "a1"], ["b2"]]
    assert _ids(plan_loop(stages, LIBRARY, "senior", SETTINGS)[0]) == _ids(
        plan_loop(stages, LIBRARY, "senior", SETTINGS)[0]
    )


def _library(**pools: list[int]) -> dict[str, Competency]:
    """A library whose competency `name` has questions of the given minutes, named name1, name2..."""
    return {
        cid: _competency(cid, *(_question(f"{cid}{n}", m) for n, m in enumerate(minutes, start=1)))
        for cid, minutes in pools.items()
    }


def _minutes(plan) -> dict[str, int]:
    return {cid: sum(q.minutes for q in questions) for cid, questions in plan.blocks}


def test_spare_time_goes_to_core_competencies_before_supporting_ones() -> None:
    library = _library(core=[7, 7, 7], support=[9, 9])
    rules = LoopRules(emphasis={"core": "core", "support": "supporting"})
    plans, issues = plan_loop([_stage("s", 40, "support", "core")], library, "mid", rules)
    assert issues == []
    # 30 minutes: coverage takes 9 + 7; the core competency takes its second question (16 ≥ 9),
    # the supporting one may not add 9 more (18 > 14), so the last minutes stay with the core
    assert _minutes(plans[0]) == {"support": 9, "core": 21}
    assert plans[0].unassigned_minutes == 0


def test_a_core_competency_left_with_fewer_minutes_than_a_supporting_one_is_an_issue() -> None:
    library = _library(core=[6], support=[9])
    rules = LoopRules(emphasis={"core": "core", "support": "supporting"})
    plans, issues = plan_loop([_stage("s", 25, "core", "support")], library, "mid", rules)
    assert plans == []
    assert [issue.message.split(";")[0] for issue in issues] == [
        "core competency 'core' gets 6 minutes but supporting 'support' gets 9"
    ]


def test_more_than_a_fifth_of_a_stage_unassigned_is_an_issue_with_the_cut_that_fixes_it() -> None:
    plans, issues = plan_loop([_stage("s", 60, "a")], _library(a=[8, 8, 8]), "mid", SETTINGS)
    assert plans == []
    # 50 minutes for questions, 24 asked: 26 of 60 unassigned; cutting 18 leaves 8 of 42
    assert issues[0].message == (
        "26 of the stage's 60 minutes go to no question (at most a fifth may); shorten the stage by 18 "
        "minutes or more, or add questions that suit the level to its focus competencies"
    )
    fixed, issues = plan_loop([_stage("s", 42, "a")], _library(a=[8, 8, 8]), "mid", SETTINGS)
    assert issues == [] and fixed[0].unassigned_minutes == 8


def test_the_screening_stage_and_an_exercise_keep_their_minutes() -> None:
    exercise = Exercise(title="t", brief="b", timing="20 minutes", minutes=20, deliverable="d", key={"a": ["x"]})
    stages = [
        _stage("screen", 30, "a"),
        Stage(id="ex", name="ex", minutes=50, interviewers="x", focus=["b"], exercise=exercise),
    ]
    library = _library(a=[7, 7, 7], b=[8, 8, 8])
    plans, issues = plan_loop(stages, library, "mid", LoopRules(screening_stage=0, screening_minutes=5))
    assert issues == []
    assert [(p.screening_minutes, p.exercise_minutes, p.budget, p.question_minutes) for p in plans] == [
        (5, 0, 15, 14),
        (0, 20, 20, 16),
    ]


def test_an_exercise_without_minutes_takes_what_the_coverage_questions_leave() -> None:
    exercise = Exercise(title="t", brief="b", timing="most of the hour", deliverable="d", key={"b": ["x"]})
    stage = Stage(id="ex", name="ex", minutes=60, interviewers="x", focus=["b"], exercise=exercise)
    plans, issues = plan_loop([stage], _library(b=[8, 8, 8]), "mid", SETTINGS)
    assert issues == []
    assert (plans[0].exercise_minutes, plans[0].question_minutes, plans[0].unassigned_minutes) == (42, 8, 0)


def test_an_exercise_too_long_for_its_stage_is_an_issue_that_names_it() -> None:
    exercise = Exercise(title="t", brief="b", timing="all day", minutes=55, deliverable="d", key={"b": ["x"]})
    stage = Stage(id="ex", name="ex", minutes=60, interviewers="x", focus=["b"], exercise=exercise)
    plans, issues = plan_loop([stage], _library(b=[8]), "mid", SETTINGS)
    assert plans == []
    assert issues[0].message == (
        "one question per focus competency needs 8 minutes, but the stage keeps only 0 of its 60 for questions "
        "(10 go to the opening and closing, 55 to the exercise); give it more minutes, fewer focus competencies "
        "or a shorter exercise"
    )
