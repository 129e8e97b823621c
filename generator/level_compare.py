"""Two levels of one role side by side: what changes when someone moves up. Pure, like assemble."""

from __future__ import annotations

from itertools import pairwise

from .assemble import assemble_posting, describe_hire_bar, format_location, format_salary
from .core import Workspace
from .documents import (
    AnchorChange,
    ExpectationRow,
    LevelComparisonDoc,
    LevelSide,
    LineChange,
    PayRow,
)
from .places import pay_at, role_places
from .text import one_paragraph


def assemble_level_comparison(workspace: Workspace, role_id: str, a_id: str, b_id: str) -> LevelComparisonDoc:
    """Build the comparison of `role_id` at level `a_id` with the same role at level `b_id`."""
    role = workspace.roles[role_id]
    postings = [assemble_posting(workspace, role_id, level_id) for level_id in (a_id, b_id)]
    labels = workspace.config.rating_scale
    expectations, anchors = [], []
    for item in role.competencies:
        comp = workspace.competencies[item.id]
        a_text, b_text = (one_paragraph(workspace.expectation(comp, lv) or "") for lv in (a_id, b_id))
        expectations.append(ExpectationRow(comp.name, item.emphasis, a_text, b_text))
        a_anchors, b_anchors = workspace.anchors(comp, a_id), workspace.anchors(comp, b_id)
        rows = tuple((score, labels[score], a_anchors[score], b_anchors[score]) for score in sorted(labels))
        anchors.append(AnchorChange(comp.name, item.emphasis, rows))
    places = role_places(workspace.config, role)
    pay = tuple(
        PayRow(
            format_location(place.location),
            format_salary(pay_at(workspace.config, role.levels[a_id], place)),
            format_salary(pay_at(workspace.config, role.levels[b_id], place)),
        )
        for place in places
    )
    return LevelComparisonDoc(
        role_id=role_id,
        role_title=role.title,
        a=_side(workspace, role_id, a_id, postings[0].summary),
        b=_side(workspace, role_id, b_id, postings[1].summary),
        responsibilities=_line_changes(postings[0].will_do, postings[1].will_do),
        must_haves=_line_changes(postings[0].must_have, postings[1].must_have),
        expectations=tuple(expectations),
        anchors=tuple(anchors),
        pay=pay,
    )


def adjacent_levels(workspace: Workspace, role_id: str) -> list[tuple[str, str]]:
    """Return each pair of neighbouring levels of a role, lowest first: the steps of its ladder."""
    levels = [level for level in workspace.level_order if level in workspace.roles[role_id].levels]
    return list(pairwise(levels))


def _side(workspace: Workspace, role_id: str, level_id: str, summary: str) -> LevelSide:
    level = workspace.roles[role_id].levels[level_id]
    return LevelSide(
        id=level_id,
        name=workspace.level_name(level_id),
        title=level.title,
        summary=summary,
        scope=level.scope,
        hire_bar=describe_hire_bar(workspace, level_id),
    )


def _line_changes(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[LineChange, ...]:
    """List the lines of both levels, in order, each marked with where it appears."""
    seen = dict.fromkeys((*a, *b))
    where = {(True, True): "both", (True, False): "only A", (False, True): "only B"}
    return tuple(LineChange(line, where[(line in a, line in b)]) for line in seen)
