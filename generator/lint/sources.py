"""The text of a posting, piece by piece, with the file, line and field each piece came from."""

from __future__ import annotations

from dataclasses import dataclass

from ..validate import Workspace
from ..workspace import SourceFile, format_loc


@dataclass(frozen=True)
class Segment:
    """One piece of posting text and where it was written."""

    text: str
    path: str  #: file relative to the workspace
    line: int | None
    field: str  #: e.g. "summary", "competencies[3].posting", "company.benefits[2]"


@dataclass(frozen=True)
class PostingText:
    """Everything the language rules read from one posting."""

    segments: tuple[Segment, ...]  #: text the word rules check
    role_path: str  #: where findings about the whole posting point
    role_line: int | None
    titles: tuple[str, ...]  #: job titles and the company name: never counted as coded words
    must_haves: int
    has_benefits: bool
    eeo_statement: str


def posting_text(workspace: Workspace, role_id: str, level_id: str) -> PostingText:
    """Collect the checkable text of a role's posting, with its provenance."""
    role = workspace.roles[role_id]
    role_source = workspace.role_sources[role_id]
    segments = [_at(role_source, ("summary",), role.summary), _at(role_source, ("about",), role.about)]
    segments += [_at(role_source, ("differs_from", i, "how"), d.how) for i, d in enumerate(role.differs_from)]
    for item in role.competencies:
        source, loc = workspace.competency_sources[item.id]
        competency = workspace.competencies[item.id]
        segments.append(_at(source, (*loc, "posting"), competency.posting, f"{competency.id}.posting"))
        if item.emphasis == "core":
            segments.append(_at(source, (*loc, "requirement"), competency.requirement, f"{competency.id}.requirement"))
    for name in ("responsibilities", "requirements", "nice_to_have"):
        segments += [_at(role_source, (name, i), text) for i, text in enumerate(getattr(role, name))]
    company = workspace.config.company
    config = workspace.config_source
    if config is not None:
        segments.append(_at(config, ("company", "about"), company.about))
        segments += [_at(config, ("company", "benefits", i), text) for i, text in enumerate(company.benefits)]
    titles = {company.name}
    for other in workspace.roles.values():
        titles.add(other.title)
        titles.update(level.title for level in other.levels.values())
    core = sum(1 for item in role.competencies if item.emphasis == "core")
    return PostingText(
        segments=tuple(segments),
        role_path=role_source.rel,
        role_line=role_source.line(("title",)),
        titles=tuple(sorted(titles, key=len, reverse=True)),
        must_haves=core + len(role.requirements),
        has_benefits=bool(company.benefits),
        eeo_statement=company.eeo_statement,
    )


def _at(source: SourceFile, loc: tuple, text: str, field: str | None = None) -> Segment:
    return Segment(text=text, path=source.rel, line=source.line(loc), field=field or format_loc(loc))
