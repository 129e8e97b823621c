"""Exercise views: the brief and materials for candidates and evaluators, the key for evaluators only."""

from __future__ import annotations

from .core import Workspace
from .documents import ExerciseView, KeyEntry, MaterialView
from .loop import StagePlan
from .models import Material
from .text import one_paragraph, paragraphs


def exercise_view(workspace: Workspace, plan: StagePlan, for_candidate: bool) -> ExerciseView | None:
    """Return a stage's exercise; the candidate's copy has no key, and no brief unless shared in advance."""
    exercise = plan.stage.exercise
    if exercise is None:
        return None
    shown = not for_candidate or exercise.share_in_advance
    return ExerciseView(
        title=exercise.title,
        brief=paragraphs(exercise.brief) if shown else (),
        materials=tuple(_material(m) for m in exercise.materials) if shown else (),
        timing=exercise.timing,
        minutes=plan.exercise_minutes,
        deliverable=one_paragraph(exercise.deliverable),
        share_in_advance=exercise.share_in_advance,
        key=()
        if for_candidate
        else tuple(
            KeyEntry(workspace.competencies[cid].name, tuple(points))
            for cid, points in exercise.key.items()
            if cid in workspace.competencies
        ),
    )


def _material(material: Material) -> MaterialView:
    if material.table is not None:
        return MaterialView(
            material.title,
            columns=tuple(material.table.columns),
            rows=tuple(tuple(row) for row in material.table.rows),
        )
    if material.code is not None:
        return MaterialView(material.title, code=material.code.rstrip("\n"), language=material.language or "")
    return MaterialView(material.title, paragraphs=paragraphs(material.text or ""))
