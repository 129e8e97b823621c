"""`jdgen laws`: every pay-transparency law considered for each posting, and the report of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .compliance import LawVerdict
from .errors import CommandLineError
from .lint.pay_law import place_name, place_verdicts
from .options import LawsOptions
from .places import check_location_option
from .text import counted

#: Shown before each status in the text report.
_STATUS_WORDS = {"applies": "applies", "not_applicable": "does not apply", "coming": "coming"}


@dataclass(frozen=True)
class PostingLaws:
    """The verdicts of every law of the country on one posting (a role, at a level, in a place)."""

    role_id: str
    level_id: str
    location: str  #: the jdgen.yaml locations id, else the place written out
    verdicts: tuple[LawVerdict, ...]

    @property
    def failing(self) -> bool:
        """Return whether a law in force has a requirement the posting breaks."""
        return any(v.status == "applies" and v.unmet for v in self.verdicts)

    def as_dict(self) -> dict[str, Any]:
        """Return the posting's verdicts as plain values, the shape `--format json` documents."""
        return {
            "role": self.role_id,
            "level": self.level_id,
            "location": self.location,
            "laws": [verdict.as_dict() for verdict in self.verdicts],
        }


def laws(options: LawsOptions) -> tuple[PostingLaws, ...]:
    """Judge the postings of the requested roles (every role when none) at their default levels."""
    from .context import read_context
    from .pipeline import open_workspace, resolve_role

    context = read_context()
    workspace = open_workspace(options.workspace, context)
    role_ids = list(dict.fromkeys(resolve_role(workspace, name) for name in options.roles))
    if options.location is not None:
        if not role_ids:  # every role posted there
            role_ids = [r for r, role in workspace.roles.items() if options.location in role.locations]
            if not role_ids:
                raise CommandLineError(f"jdgen: no role is posted in '{options.location}'")
        for role_id in role_ids:
            check_location_option(role_id, workspace.roles[role_id], options.location)
    found = []
    for role_id in role_ids or list(workspace.roles):
        level_id = workspace.roles[role_id].default_level
        for _, place, verdicts in place_verdicts(workspace, role_id, level_id, context.today):
            if options.location is None or place.id == options.location:
                found.append(PostingLaws(role_id, level_id, place_name(place), verdicts))
    return tuple(found)


def format_text(postings: tuple[PostingLaws, ...]) -> str:
    """Return a readable report: per posting, each law with its status, reason and requirements."""
    lines: list[str] = []
    for posting in postings:
        lines.append(f"{posting.role_id} ({posting.level_id}) at {posting.location}:")
        if not posting.verdicts:
            lines.append("  no law of the table covers this country")
        for verdict in posting.verdicts:
            lines.append(f"  {verdict.law.id}: {_STATUS_WORDS[verdict.status]}: {verdict.reason}")
            for check in verdict.checks:
                mark = "met" if check.met else "NOT MET"
                fix = f"; fix: {check.fix}" if check.fix else ""
                lines.append(f"    {mark} {check.requirement}: {check.detail}{fix}")
    failing = sum(posting.failing for posting in postings)
    lines.append(f"laws: {counted(len(postings), 'posting')}, {failing} breaking a law in force")
    return "\n".join(lines) + "\n"


def format_json(postings: tuple[PostingLaws, ...]) -> str:
    """Return the report as a JSON list, one {role, level, location, laws: [...]} object per posting."""
    return json.dumps([posting.as_dict() for posting in postings], indent=2, ensure_ascii=False) + "\n"
