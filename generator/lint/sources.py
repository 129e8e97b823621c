"""The text of a posting, piece by piece, with the file, line and field each piece came from."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

from ..core import Workspace
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
    title_pattern: re.Pattern[str] | None = None  #: `titles` in one pattern; built from them when None
    country: str | None = None  #: where the work is (the role's location, else the company's)


def posting_text(workspace: Workspace, role_id: str, level_id: str) -> PostingText:
    """Collect the checkable text of a role's posting, with its provenance."""
    role = workspace.roles[role_id]
    role_source = workspace.role_sources[role_id]
    segments = [_at(role_source, ("summary",), role.summary), _at(role_source, ("about",), role.about)]
    segments += [_at(role_source, ("differs_from", i, "how"), d.how) for i, d in enumerate(role.differs_from)]
    for item in role.competencies:
        origin = workspace.competency_sources[item.id]
        competency = workspace.competencies[item.id]
        segments.append(_at(*origin.at(("posting",)), competency.posting, f"{competency.id}.posting"))
        if item.emphasis == "core":
            segments.append(_at(*origin.at(("requirement",)), competency.requirement, f"{competency.id}.requirement"))
    for name in ("responsibilities", "requirements", "nice_to_have"):
        segments += [_at(role_source, (name, i), text) for i, text in enumerate(getattr(role, name))]
    company = workspace.config.company
    config = workspace.config_source
    if config is not None:
        segments.append(_at(config, ("company", "about"), company.about))
        segments += [_at(config, ("company", "benefits", i), text) for i, text in enumerate(company.benefits)]
    titles, title_pattern = _workspace_titles(workspace)
    core = sum(1 for item in role.competencies if item.emphasis == "core")
    return PostingText(
        segments=tuple(segments),
        role_path=role_source.rel,
        role_line=role_source.line(("title",)),
        titles=titles,
        must_haves=core + len(role.requirements),
        has_benefits=bool(company.benefits),
        eeo_statement=company.eeo_statement,
        title_pattern=title_pattern,
        country=(role.location or company.location).country,
    )


#: the last workspace asked about, and its titles: every posting of a workspace shares them
_last_titles: tuple[weakref.ref[Workspace], tuple[str, ...], re.Pattern[str] | None] | None = None


def _workspace_titles(workspace: Workspace) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """Return every job title and the company name, longest first, and their matcher, once per workspace."""
    global _last_titles
    # a workspace is immutable but not hashable, so it is recognised by identity
    if _last_titles is not None and _last_titles[0]() is workspace:
        return _last_titles[1], _last_titles[2]
    names = {workspace.config.company.name}
    for role in workspace.roles.values():
        names.add(role.title)
        names.update(level.title for level in role.levels.values())
    titles = tuple(sorted(names, key=lambda name: (-len(name), name)))
    _last_titles = (weakref.ref(workspace), titles, title_matcher(titles))
    return _last_titles[1], _last_titles[2]


@lru_cache(maxsize=8)
def title_matcher(titles: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return one case-insensitive pattern that finds any of `titles`, the longest where several start."""
    # One alternative per title would try every title at every character, so the titles go into
    # a trie: at each character only the titles that begin with the text so far are tried, and a
    # greedy optional tail prefers the longest, as trying the titles longest first would.
    root: dict[str, dict] = {}
    for title in titles:
        node = root
        for char in title:
            node = node.setdefault(_fold(char), {})
        node[""] = {}
    return re.compile(_trie_pattern(root, depth=0), re.IGNORECASE) if titles else None


def _at(source: SourceFile, loc: tuple, text: str, field: str | None = None) -> Segment:
    return Segment(text=text, path=source.rel, line=source.line(loc), field=field or format_loc(loc))


#: past this many nested groups the rest of a branch is written flat, so that Python's regular
#: expression parser, which recurses once per group, never runs out of stack on odd titles
_MAX_TRIE_DEPTH = 100


def _trie_pattern(node: dict[str, dict], depth: int) -> str:
    """Return the pattern for the titles below `node`; the empty key marks where a title ends."""
    ends_here = "" in node
    if depth >= _MAX_TRIE_DEPTH:
        tails = sorted(_spell(node), key=len, reverse=True)
        return "(?:" + "|".join(map(re.escape, tails)) + ")"
    branches = [re.escape(char) + _trie_pattern(child, depth + 1) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")


def _spell(node: dict[str, dict]) -> list[str]:
    """Return every title tail below `node`, written out."""
    tails = []
    stack = [(node, "")]
    while stack:
        current, prefix = stack.pop()
        for char, child in current.items():
            if char:
                stack.append((child, prefix + char))
            else:
                tails.append(prefix)
    return tails


def _fold(char: str) -> str:
    """Return the key under which case-insensitive matching treats `char` (its one-character lower case)."""
    lower = char.lower()
    return lower if len(lower) == 1 else char
