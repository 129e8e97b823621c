"""Choose the questions of an interview loop: pure, deterministic, documented.

The rule, for one role at one level:

1. Each stage keeps the opening and closing minutes of `jdgen.yaml` free, the screening stage
   also the minutes of the company's screening questions, and a stage with an exercise the
   exercise's minutes; the rest is its question budget.
2. A competency's pool is its questions that suit the level: first those written for it
   (the level is listed in their `levels`), then those for every level (no `levels`), each in
   library order. A question is used at most once in the whole loop.
3. Coverage first: going through the stages in order, every focus competency takes the first
   unused question of its pool. A stage whose coverage questions exceed its budget, or a
   competency whose pool runs dry, is an issue. An exercise without minutes of its own takes
   what coverage leaves of the budget, and its stage asks nothing more.
4. Then fill, by emphasis: going through the stages in order, the focus competency with the
   next question that fits the remaining budget takes it, core competencies before supporting
   ones, and among those the one with the fewest minutes so far. A supporting competency adds a
   question only while it stays at or below the minutes of every core competency of the stage.
5. Checks: a core competency with fewer minutes than a supporting one in the same stage, or a
   stage that leaves more than a fifth of its minutes unassigned, is an issue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models import Competency, Question, Stage

#: At most this share of a stage's minutes may stay unassigned.
MAX_UNASSIGNED_SHARE = 5  # one fifth


@dataclass(frozen=True)
class LoopRules:
    """The fixed parts of every stage's time, and each competency's emphasis in the role."""

    opening_minutes: int = 5
    closing_minutes: int = 5
    screening_stage: int | None = None  #: index of the stage that asks the screening questions
    screening_minutes: int = 0
    emphasis: Mapping[str, str] = field(default_factory=dict)  #: id → "core" | "supporting"; absent = core


@dataclass(frozen=True)
class StagePlan:
    """The questions one stage asks, grouped by focus competency in focus order."""

    stage: Stage
    blocks: tuple[tuple[str, tuple[Question, ...]], ...]
    budget: int  #: minutes available for questions
    screening_minutes: int = 0  #: minutes the screening questions take in this stage
    exercise_minutes: int = 0  #: minutes the exercise takes in this stage

    @property
    def question_minutes(self) -> int:
        """Return the minutes the chosen questions take."""
        return sum(q.minutes for _, questions in self.blocks for q in questions)

    @property
    def unassigned_minutes(self) -> int:
        """Return the minutes of the budget no question takes."""
        return self.budget - self.question_minutes


@dataclass(frozen=True)
class LoopIssue:
    """Why a loop cannot be planned: the stage (index into the loop) and the reason."""

    stage_index: int
    message: str


def level_pool(competency: Competency, level: str) -> list[Question]:
    """Return the competency's questions for `level`: those written for it first, then general ones."""
    specific = [q for q in competency.questions if q.levels is not None and level in q.levels]
    general = [q for q in competency.questions if q.levels is None]
    return specific + general


def plan_loop(
    stages: Sequence[Stage], library: Mapping[str, Competency], level: str, rules: LoopRules
) -> tuple[list[StagePlan], list[LoopIssue]]:
    """Select every stage's questions by the module's rule; return the plans or the issues."""
    pools = {cid: level_pool(library[cid], level) for stage in stages for cid in stage.focus if cid in library}
    used: set[str] = set()
    chosen: list[dict[str, list[Question]]] = []
    issues: list[LoopIssue] = []
    for index, stage in enumerate(stages):
        picks: dict[str, list[Question]] = {}
        for cid in stage.focus:
            first = _next_unused(pools.get(cid, []), used, budget=None)
            if first is None:
                issues.append(
                    LoopIssue(
                        index,
                        f"every question of '{cid}' that suits the level is used by an earlier stage; "
                        f"add questions to '{cid}'",
                    )
                )
                continue
            used.add(first.id)
            picks[cid] = [first]
        needed = sum(q.minutes for qs in picks.values() for q in qs)
        room = _room(stage, index, rules)
        if needed > room.budget(needed):
            issues.append(LoopIssue(index, room.too_short(needed)))
        chosen.append(picks)
    if issues:
        return [], issues

    plans = []
    for index, (stage, picks) in enumerate(zip(stages, chosen, strict=True)):
        room = _room(stage, index, rules)
        coverage = sum(q.minutes for qs in picks.values() for q in qs)
        budget = room.budget(coverage)
        if room.exercise_fixed or room.exercise is None:
            _fill(picks, pools, used, budget, rules.emphasis)
        plan = StagePlan(
            stage,
            tuple((cid, tuple(picks[cid])) for cid in stage.focus),
            budget,
            room.screening,
            room.kept_for_exercise(coverage),
        )
        issues += [LoopIssue(index, message) for message in _balance_problems(plan, rules.emphasis)]
        plans.append(plan)
    return ([], issues) if issues else (plans, [])


@dataclass(frozen=True)
class _Room:
    """A stage's minutes: what is kept for fixed parts, and what is left for questions."""

    stage: Stage
    kept: int  #: opening and closing
    screening: int
    exercise: int | None  #: the exercise's own minutes, None without an exercise
    exercise_fixed: bool

    @property
    def free(self) -> int:
        """Return the minutes left after the opening, the closing and the screening questions."""
        return self.stage.minutes - self.kept - self.screening

    def budget(self, coverage: int) -> int:
        """Return the question budget; an exercise without minutes leaves the questions only `coverage`."""
        if self.exercise is None:
            return self.free
        return self.free - self.exercise if self.exercise_fixed else min(coverage, self.free)

    def kept_for_exercise(self, coverage: int) -> int:
        """Return the minutes the exercise takes."""
        if self.exercise is None:
            return 0
        return self.exercise if self.exercise_fixed else max(self.free - coverage, 0)

    def too_short(self, needed: int) -> str:
        """Say why one question per focus competency does not fit, and what to change."""
        parts = [f"{self.kept} go to the opening and closing"]
        if self.screening:
            parts.append(f"{self.screening} to the screening questions")
        if self.exercise_fixed and self.exercise:
            parts.append(f"{self.exercise} to the exercise")
        budget = max(self.budget(needed), 0)
        return (
            f"one question per focus competency needs {needed} minutes, but the stage keeps only "
            f"{budget} of its {self.stage.minutes} for questions ({', '.join(parts)}); "
            + (
                "give it more minutes, fewer focus competencies or a shorter exercise"
                if self.exercise_fixed
                else "give it more minutes or fewer focus competencies"
            )
        )


def _room(stage: Stage, index: int, rules: LoopRules) -> _Room:
    exercise = stage.exercise
    return _Room(
        stage=stage,
        kept=rules.opening_minutes + rules.closing_minutes,
        screening=rules.screening_minutes if index == rules.screening_stage else 0,
        exercise=None if exercise is None else (exercise.minutes or 0),
        exercise_fixed=exercise is not None and exercise.minutes is not None,
    )


def _fill(
    picks: dict[str, list[Question]],
    pools: Mapping[str, list[Question]],
    used: set[str],
    budget: int,
    emphasis: Mapping[str, str],
) -> None:
    """Add questions that still fit the budget: core competencies first, the least-served first."""
    remaining = budget - sum(q.minutes for qs in picks.values() for q in qs)
    order = {cid: index for index, cid in enumerate(picks)}
    while True:
        minutes = {cid: sum(q.minutes for q in qs) for cid, qs in picks.items()}
        core_floor = min((m for cid, m in minutes.items() if _is_core(cid, emphasis)), default=None)
        turn = sorted(picks, key=lambda cid: (not _is_core(cid, emphasis), minutes[cid], order[cid]))
        for cid in turn:
            extra = _next_unused(pools[cid], used, budget=remaining)
            if extra is None:
                continue
            if not _is_core(cid, emphasis) and core_floor is not None and minutes[cid] + extra.minutes > core_floor:
                continue
            picks[cid].append(extra)
            used.add(extra.id)
            remaining -= extra.minutes
            break
        else:
            return


def _balance_problems(plan: StagePlan, emphasis: Mapping[str, str]) -> list[str]:
    """Check that emphasis shows in the minutes and that little time is left unassigned."""
    problems = []
    minutes = {cid: sum(q.minutes for q in questions) for cid, questions in plan.blocks}
    core = {cid: m for cid, m in minutes.items() if _is_core(cid, emphasis)}
    supporting = {cid: m for cid, m in minutes.items() if not _is_core(cid, emphasis)}
    if core and supporting:
        low = min(core, key=lambda cid: (core[cid], list(minutes).index(cid)))
        high = max(supporting, key=lambda cid: (supporting[cid], -list(minutes).index(cid)))
        if core[low] < supporting[high]:
            problems.append(
                f"core competency '{low}' gets {core[low]} minutes but supporting '{high}' gets {supporting[high]}; "
                f"give '{low}' more time (a longer stage or another question that suits the level), "
                f"or assess '{high}' in another stage"
            )
    total = plan.stage.minutes
    if plan.unassigned_minutes * MAX_UNASSIGNED_SHARE > total:
        cut = math.ceil((MAX_UNASSIGNED_SHARE * plan.unassigned_minutes - total) / (MAX_UNASSIGNED_SHARE - 1))
        problems.append(
            f"{plan.unassigned_minutes} of the stage's {total} minutes go to no question (at most a fifth may); "
            f"shorten the stage by {cut} minutes or more, or add questions that suit the level to its focus "
            "competencies"
        )
    return problems


def _is_core(cid: str, emphasis: Mapping[str, str]) -> bool:
    return emphasis.get(cid, "core") == "core"


def _next_unused(pool: Sequence[Question], used: set[str], budget: int | None) -> Question | None:
    for question in pool:
        if question.id not in used and (budget is None or question.minutes <= budget):
            return question
    return None
