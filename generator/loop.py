"""Choose the questions of an interview loop: pure, deterministic, documented.

The rule, for one role at one level:

1. Each stage keeps the opening and closing minutes of `jdgen.yaml` free; the rest is its
   question budget.
2. A competency's pool is its questions that suit the level: first those written for it
   (the level is listed in their `levels`), then those for every level (no `levels`), each in
   library order. A question is used at most once in the whole loop.
3. Coverage first: going through the stages in order, every focus competency takes the first
   unused question of its pool. A stage whose coverage questions exceed its budget, or a
   competency whose pool runs dry, is an error.
4. Then fill: going through the stages in order, the focus competencies take turns adding
   their next unused question that still fits the stage's remaining budget, until a full turn
   adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Competency, InterviewSettings, Question, Stage


@dataclass(frozen=True)
class StagePlan:
    """The questions one stage asks, grouped by focus competency in focus order."""

    stage: Stage
    blocks: tuple[tuple[str, tuple[Question, ...]], ...]
    budget: int  #: minutes available for questions

    @property
    def question_minutes(self) -> int:
        """Return the minutes the chosen questions take."""
        return sum(q.minutes for _, questions in self.blocks for q in questions)


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
    stages: Sequence[Stage],
    library: Mapping[str, Competency],
    level: str,
    settings: InterviewSettings,
) -> tuple[list[StagePlan], list[LoopIssue]]:
    """Select every stage's questions by the module's rule; return the plans or the issues."""
    pools = {cid: level_pool(library[cid], level) for stage in stages for cid in stage.focus if cid in library}
    used: set[str] = set()
    chosen: list[dict[str, list[Question]]] = []
    budgets: list[int] = []
    issues: list[LoopIssue] = []
    kept = settings.opening_minutes + settings.closing_minutes

    for index, stage in enumerate(stages):
        budget = stage.minutes - kept
        budgets.append(budget)
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
        if needed > budget:
            issues.append(
                LoopIssue(
                    index,
                    f"one question per focus competency needs {needed} minutes, but the stage keeps only "
                    f"{max(budget, 0)} of its {stage.minutes} for questions ({kept} go to the opening and "
                    "closing); give it more minutes or fewer focus competencies",
                )
            )
        chosen.append(picks)

    if issues:
        return [], issues
    for picks, budget in zip(chosen, budgets, strict=True):
        _fill(picks, pools, used, budget)
    plans = [
        StagePlan(stage, tuple((cid, tuple(picks[cid])) for cid in stage.focus), budget)
        for stage, picks, budget in zip(stages, chosen, budgets, strict=True)
    ]
    return plans, []


def _fill(picks: dict[str, list[Question]], pools: Mapping[str, list[Question]], used: set[str], budget: int) -> None:
    """Let the focus competencies take turns adding questions that still fit the budget."""
    remaining = budget - sum(q.minutes for qs in picks.values() for q in qs)
    added = True
    while added:
        added = False
        for cid, questions in picks.items():
            extra = _next_unused(pools[cid], used, budget=remaining)
            if extra is not None:
                questions.append(extra)
                used.add(extra.id)
                remaining -= extra.minutes
                added = True


def _next_unused(pool: Sequence[Question], used: set[str], budget: int | None) -> Question | None:
    for question in pool:
        if question.id not in used and (budget is None or question.minutes <= budget):
            return question
    return None
