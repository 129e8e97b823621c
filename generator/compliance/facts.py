"""Gather what the law engine needs to know about one posting from the workspace."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ..places import pay_at, region_code
from .engine import PayRange, PostingFacts, TextField

if TYPE_CHECKING:
    from ..core import Workspace
    from ..documents import Place


def posting_facts(
    workspace: Workspace, role_id: str, level_id: str, place: Place, today: datetime.date
) -> PostingFacts:
    """Return the facts of the posting of `role_id` at `level_id` in `place`, were it built on `today`."""
    config = workspace.config
    role = workspace.roles[role_id]
    level = role.levels[level_id]
    location = place.location
    salary = pay_at(config, level, place)
    hiring = config.hiring
    company = config.company
    return PostingFacts(
        # a role posted at its own location has no id; its fixes then name the role's location
        location_id=place.id or "location",
        country=location.country,
        region=region_code(location),
        locality=location.locality,
        work_model=location.work_model,
        date_posted=role.date_posted or today,
        title=level.title,
        pay=PayRange(salary.min, salary.max, salary.currency, salary.period),
        has_benefits=bool(company.benefits),
        other_pay=tuple(level.other_pay),
        closes_on=role.closes_on,
        ai_screening=bool(hiring and hiring.ai_screening),
        ai_statement=bool(hiring and hiring.ai_statement),
        vacancy=role.vacancy,
        texts=posting_texts(workspace, role_id),
        employees=company.employees,
        employees_in=dict(company.employees_in),
    )


def posting_texts(workspace: Workspace, role_id: str) -> tuple[TextField, ...]:
    """Return the lines of a posting a law may forbid wording in, each named by its field."""
    role = workspace.roles[role_id]
    texts = [TextField("summary", role.summary), TextField("about", role.about)]
    for item in role.competencies:
        competency = workspace.competencies[item.id]
        texts.append(TextField(f"{competency.id}.posting", competency.posting))
        if item.emphasis == "core":
            texts.append(TextField(f"{competency.id}.requirement", competency.requirement))
    for name in ("responsibilities", "requirements", "nice_to_have"):
        texts += [TextField(f"{name}[{i}]", text) for i, text in enumerate(getattr(role, name))]
    hiring = workspace.config.hiring
    # the recruiter screen is asked of every applicant, so a pay-history question there counts too
    for i, question in enumerate(hiring.screening if hiring else ()):
        texts.append(TextField(f"hiring.screening[{i}].text", question.text))
    return tuple(texts)
