"""The `pay-law` family: each requirement of a pay-transparency law that a posting breaks, per place."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ..compliance import LawVerdict, evaluate
from ..compliance.facts import posting_facts
from ..places import role_places
from .checker import Finding, LintSettings
from .rules import Level, Rules

if TYPE_CHECKING:
    from ..core import Workspace
    from ..documents import Place

RULE = "pay-law"


def place_name(place: Place) -> str:
    """Name a place for a message: its locations id, else the place itself ("Dayton, Ohio, US")."""
    if place.id is not None:
        return place.id
    location = place.location
    return ", ".join(part for part in (location.locality, location.region, location.country) if part)


def place_verdicts(
    workspace: Workspace, role_id: str, level_id: str, today: datetime.date
) -> list[tuple[int | None, Place, tuple]]:
    """Return (index in `locations`, place, verdicts) for every place the role is posted in, built on `today`."""
    role = workspace.roles[role_id]
    found = []
    for index, place in enumerate(role_places(workspace.config, role)):
        facts = posting_facts(workspace, role_id, level_id, place, today)
        found.append((index if role.locations else None, place, evaluate(facts)))
    return found


def pay_law_findings(workspace: Workspace, role_id: str, level_id: str, rules: Rules, settings: LintSettings) -> list:
    """Return a finding per unmet requirement of every law that binds or will soon bind a posting of the role."""
    if RULE in settings.disabled or settings.today is None:
        return []
    source = workspace.role_sources[role_id]
    findings = []
    for index, place, verdicts in place_verdicts(workspace, role_id, level_id, settings.today):
        # located at the place in the role file, so the reader sees which posting breaks the law
        loc = ("locations", index) if index is not None else ("title",)
        field = f"locations[{index}]" if index is not None else "title"
        posted = workspace.roles[role_id].date_posted or settings.today
        for verdict in verdicts:
            where = (source.rel, source.line(loc), field)
            findings += _findings(verdict, place, posted, rules, where)
    return findings


def _findings(verdict: LawVerdict, place: Place, posted: datetime.date, rules: Rules, where: tuple) -> list:
    """Turn one verdict into findings: errors when the law applies, warnings when it is coming."""
    if verdict.status == "not_applicable":
        return []
    rule = rules.posting_rules[RULE]
    level: Level = rule.level if verdict.status == "applies" else "warning"
    law = verdict.law
    # coming: either the law is not yet in force, or it is and its fines start later
    if verdict.status == "applies":
        coming = ""
    elif posted < law.in_force:
        coming = f" from {law.in_force}, when it comes into force"
    else:
        coming = f" (fines from {law.enforced_from})"
    found = []
    for check in verdict.unmet:
        values = {
            "law": verdict.law.name,
            "location": place_name(place),
            "coming": coming,
            "requirement": check.requirement,
            "detail": check.detail,
            "fix": check.fix,
        }
        message, fix = rule.message.format(**values), rule.fix.format(**values)
        found.append(Finding(RULE, level, message, fix, *where, "", ""))
    return found
