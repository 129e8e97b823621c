"""Sign-off of postings: record who approved them, and say which are not approved as they are now."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .approvals import Approval, add_approvals, approval_state, format_moment, is_repeat, load_approvals, posting_digest
from .context import BuildContext, read_context
from .core import Workspace
from .documents import Place, PostingDoc
from .errors import CommandLineError, WorkspaceError
from .options import ApproveOptions, WorkspaceOptions
from .pipeline import RenderedDoc, open_workspace, posting_folder, render_posting, resolve_level, resolve_role
from .places import check_location_option, role_places
from .render import Renderer

#: Longer is a paste gone wrong, not a name.
MAX_NAME_LENGTH = 100
#: Joiners that Persian and Indic names need; approvals.yaml is read back with the workspace's rules.
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True)
class ApproveResult:
    """What `jdgen approve` recorded."""

    path: Path  #: approvals.yaml
    added: tuple[Approval, ...]  #: the records written now
    repeated: tuple[Approval, ...] = ()  #: already on record: the same person signed the same version before


@dataclass(frozen=True)
class PostingState:
    """One posting's sign-off state, for check, build --all and list."""

    folder: str  #: the posting's folder under out/, e.g. "tpm/columbus": the key in approvals.yaml
    title: str
    status: Literal["approved", "changed", "unapproved"]
    approvers: tuple[str, ...]  #: who approved the posting as it is now
    previous: Approval | None  #: the latest sign-off of an earlier version, when status is "changed"
    role_id: str
    level_id: str
    default_level: bool  #: the role's default level, so signing again needs no --level
    location: str | None = None  #: the --location to sign it again: its place, when the role is posted in several

    @property
    def approve_command(self) -> str:
        """Return the command that signs this posting off as it is now."""
        parts = ["jdgen approve", self.role_id]
        if not self.default_level:
            parts.append(f"--level {self.level_id}")
        if self.location:
            parts.append(f"--location {self.location}")
        return " ".join([*parts, "--by NAME"])


def approve(options: ApproveOptions, context: BuildContext | None = None) -> ApproveResult:
    """Record the sign-off by `options.by` of the postings of the roles named, as they are now."""
    by = _approver(options.by)
    if not options.roles:
        raise CommandLineError("jdgen: name at least one role to approve (see `jdgen list`)")
    context = context or read_context()
    workspace = open_workspace(options.workspace, context)
    if workspace.dirs.builtin:  # the packaged workspace is part of the installation, not a company's record
        raise WorkspaceError(
            "jdgen: approvals are kept in a workspace of your own, not the built-in one; "
            "start one with `jdgen init DIR` or pass --workspace"
        )
    at = format_moment(context.now.replace(microsecond=0))
    records = [
        Approval(
            posting=folder,
            role=_posting_view(doc).role_id,
            level=_posting_view(doc).level_id,
            location=_posting_view(doc).place.id,
            digest=posting_digest(doc.markdown),
            by=by,
            at=at,
        )
        for folder, doc in _render_postings(workspace, options)
    ]
    earlier = load_approvals(workspace.dirs.root)
    path = add_approvals(workspace.dirs.root, records)
    added = tuple(record for record in records if not is_repeat(earlier, record))
    repeated = tuple(record for record in records if is_repeat(earlier, record))
    return ApproveResult(path, added, repeated)


def posting_states(workspace: Workspace, postings: list[tuple[str, RenderedDoc]]) -> list[PostingState]:
    """Return the sign-off state of each (posting folder, rendered posting), in order."""
    records = load_approvals(workspace.dirs.root)
    states = []
    for folder, doc in postings:
        view = _posting_view(doc)
        # a build keeps only the digest of each posting it lists, not its Markdown
        digest = doc.page.digest if doc.page is not None and doc.page.digest else posting_digest(doc.markdown)
        state = approval_state(records, folder, digest)
        states.append(
            PostingState(
                folder=folder,
                title=doc.title,
                status=state.status,
                approvers=state.approvers,
                previous=state.previous,
                role_id=view.role_id,
                level_id=view.level_id,
                default_level=view.level_id == workspace.roles[view.role_id].default_level,
                location=view.place.folder,
            )
        )
    return states


def stale_approval_messages(states: list[PostingState]) -> list[str]:
    """Return one line per posting not approved as it is now, with the command to sign it."""
    lines = []
    for state in states:
        if state.status == "changed" and state.previous is not None:
            signed = f"{state.previous.by} approved it on {state.previous.at[:10]}"
            lines.append(f"{state.folder}: changed since {signed}; after review, sign again: {state.approve_command}")
        elif state.status == "unapproved":
            lines.append(f"{state.folder}: not approved; after review: {state.approve_command}")
    return lines


@dataclass(frozen=True)
class PostingLine:
    """One posting as `jdgen list` shows it: where it goes, whether it is open, and its sign-off."""

    folder: str
    title: str
    open_until: datetime.date
    closed: bool
    sign_off: str  #: e.g. "approved by Dana Reyes", "changed since Dana Reyes approved it", "not approved"


def posting_overview(options: WorkspaceOptions) -> list[PostingLine]:
    """Describe every posting `build --all` publishes: open or closed, and signed off or not."""
    from .publish import with_page_facts

    context = read_context()
    workspace = open_workspace(options, context)
    postings = with_page_facts(workspace, default_postings(workspace), context)
    lines = []
    for (folder, doc), state in zip(postings, posting_states(workspace, postings), strict=True):
        assert doc.page is not None
        if state.status == "approved":
            sign_off = "approved by " + ", ".join(state.approvers)
        elif state.status == "changed" and state.previous is not None:
            sign_off = f"changed since {state.previous.by} approved it"
        else:
            sign_off = "not approved"
        lines.append(PostingLine(folder, doc.title, doc.page.valid_through, doc.page.closed, sign_off))
    return lines


def default_postings(workspace: Workspace) -> list[tuple[str, RenderedDoc]]:
    """Render every role's posting at its default level, in every place: what `build --all` publishes."""
    planned = [
        (role_id, role.default_level, place)
        for role_id, role in workspace.roles.items()
        for place in role_places(workspace.config, role)
    ]
    return _render_planned(workspace, planned)


def _render_postings(workspace: Workspace, options: ApproveOptions) -> list[tuple[str, RenderedDoc]]:
    """Resolve the roles, level and places asked for, then render each posting; usage errors come first."""
    planned: list[tuple[str, str, Place]] = []
    for role_id in dict.fromkeys(resolve_role(workspace, name) for name in options.roles):
        role = workspace.roles[role_id]
        level_id = resolve_level(workspace, role_id, options.level)
        places = role_places(workspace.config, role)
        if options.location is not None:
            check_location_option(role_id, role, options.location)
            places = tuple(place for place in places if place.id == options.location)
        planned += [(role_id, level_id, place) for place in places]
    return _render_planned(workspace, planned)


def _render_planned(workspace: Workspace, planned: list[tuple[str, str, Place]]) -> list[tuple[str, RenderedDoc]]:
    """Render the posting of each (role, level, place), keyed by its folder under out/."""
    renderer = Renderer(workspace.dirs.root)
    return [
        (
            posting_folder(workspace, role_id, level_id, place),
            render_posting(workspace, renderer, role_id, level_id, place),
        )
        for role_id, level_id, place in planned
    ]


def _posting_view(doc: RenderedDoc) -> PostingDoc:
    if not isinstance(doc.view, PostingDoc):
        raise TypeError(f"expected a rendered posting, got {doc.name}")  # a caller's bug, not the user's
    return doc.view


def _approver(name: str) -> str:
    """Return the approver's name as it goes on record; refuse what cannot be one (a usage error)."""
    name = name.strip()
    if not name:
        raise CommandLineError("jdgen: --by needs the approver's name, e.g. --by 'Dana Reyes'")
    if len(name) > MAX_NAME_LENGTH:
        raise CommandLineError(f"jdgen: --by takes a name of at most {MAX_NAME_LENGTH} characters")
    for index, char in enumerate(name):
        category = unicodedata.category(char)
        neighbours = name[max(index - 1, 0) : index] + name[index + 1 : index + 2]
        if char in _JOINERS and not neighbours.isascii():
            continue
        if category.startswith("C") or category in ("Zl", "Zp"):
            # control and invisible characters would make approvals.yaml unreadable, or disguise a name
            raise CommandLineError(f"jdgen: --by holds U+{ord(char):04X}, which a name cannot hold; remove it")
    return name
