"""The pages of `jdgen serve`, made in memory from one load of the workspace; nothing is written.

A document page is the HTML build's page (the workspace's page template around the same
Markdown → HTML), with a preview bar, the role's lint findings listed and marked where they
occur, and a script that reloads the page when the workspace changes. The overview and the
error pages use a small frame of their own, so they still show when the page template is broken.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote, urlencode

from .context import BuildContext
from .core import Workspace
from .documents import RenderedDoc
from .errors import InvalidWorkspaceError, JdgenError
from .formats.html import CLOSED_NOTICE
from .html_writer import PageContent, SiteInfo, markdown_to_html, render_page
from .laws_report import PostingLaws
from .lint import Finding, LintReport, lint_role
from .lint.pay_law import place_name, place_verdicts
from .lint.report import format_findings
from .options import WorkspaceOptions
from .pipeline import count_words, open_workspace, posting_folder, render_posting, render_role
from .places import role_places
from .publish import with_page_facts
from .render import Renderer
from .schema_errors import suggest
from .text import counted

log = logging.getLogger(__name__)

#: The documents a role has, by the name its address uses, with their index in `render_role`'s list.
KINDS = {"posting": 0, "kit": 1, "guide": 2}
_KIND_NAMES = {"posting": "Posting", "kit": "Interview kit", "guide": "Candidate guide"}
#: A posting with more findings than this has only the first ones marked in the text (all are listed).
MAX_MARKED = 200
#: Characters of text the lint context keeps on each side of a match (lint.checker.CONTEXT_CHARS).
_CONTEXT_CHARS = 30
#: Ids are slugs of at most 64 characters (DESIGN.md); a longer name in an address is shown cut short.
MAX_ID_LENGTH = 64
_TAG = re.compile(r"(<[^>]*>)")
_STYLE = """<style>
.jdgen-preview { font-size: .9rem; background: #f3f5f8; border: 1px solid #c9d3e0; padding: .5rem .75rem; }
.jdgen-findings { border-left: 4px solid #c9d3e0; padding: .25rem .75rem; margin: 1rem 0; font-size: .9rem; }
.jdgen-findings li.error, .jdgen-bad { color: #8a1c1c; }
.jdgen-findings li.warning, .jdgen-warn { color: #7a5500; }
mark.jdgen-error { background: #ffc9c9; }
mark.jdgen-warning { background: #ffe08a; }
mark.jdgen-notice { background: #d6ecff; }
@media print { .jdgen-preview, .jdgen-findings { display: none; } }
</style>
"""
_FRAME = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title} | jdgen preview</title>
<style>
  body {{ margin: 0 auto; max-width: 64rem; padding: 0 1.25rem 2rem; font: 1rem/1.5 system-ui, sans-serif; }}
  table {{ border-collapse: collapse; width: 100%; }}
  th, td {{ border: 1px solid #c9d3e0; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
  .problems li {{ font-family: ui-monospace, monospace; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Reply:
    """A page and its HTTP status."""

    status: int
    html: str


@dataclass(frozen=True)
class DocumentRequest:
    """Which document a visitor asked for, as the address gave it (nothing checked yet)."""

    kind: str  #: a key of KINDS
    role: str  #: role id or alias
    level: str | None = None  #: None: the role's default level
    place: str | None = None  #: a jdgen.yaml locations id; None: the role's first place


def reload_script(token: str) -> str:
    """Return the script that reloads the page once the workspace differs from the one it was made from."""
    address = escape("/events?" + urlencode({"since": token}))
    return (
        f'<script>(() => {{ const events = new EventSource("{address}"); '
        'events.addEventListener("change", () => { events.close(); location.reload(); }); })();</script>\n'
    )


def problem_lines(err: JdgenError) -> list[str]:
    """Return an error's located problems, one `file:line: message` each."""
    if isinstance(err, InvalidWorkspaceError):
        return [str(problem) for problem in err.problems]
    problem = getattr(err, "problem", None)  # TemplateError, OutputError, UnreadableFileError
    return [str(problem)] if problem is not None else err.format_message().splitlines()


def framed(title: str, body: str, token: str) -> str:
    """Return a page in the preview's own frame, independent of the workspace's templates."""
    return _FRAME.format(title=escape(title), body=_STYLE + body + reload_script(token))


def problems_reply(lines: Sequence[str], token: str, status: int = 500) -> Reply:
    """Return the page that shows why the workspace cannot be previewed, and how it comes back."""
    items = "".join(f"<li>{escape(line)}</li>\n" for line in lines)
    body = (
        '<h1>The workspace has problems</h1>\n<ul class="problems">\n'
        f'{items}</ul>\n<p>Fix the files and save: this page reloads by itself. <a href="/">Overview</a></p>\n'
    )
    return Reply(status, framed("Problems", body, token))


def not_found_reply(message: str, token: str) -> Reply:
    """Return a 404 page that says what was not found and links home."""
    body = f'<h1>Not found</h1>\n<p>{escape(message)}</p>\n<p><a href="/">Back to the overview</a></p>\n'
    return Reply(404, framed("Not found", body, token))


def document_href(kind: str, role_id: str, level_id: str | None = None, place_id: str | None = None) -> str:
    """Return the address of a role's document in the preview."""
    query = {key: value for key, value in (("level", level_id), ("place", place_id)) if value}
    return f"/role/{quote(role_id, safe='')}/{kind}" + (f"?{urlencode(query)}" if query else "")


class Snapshot:
    """The workspace as loaded at one change generation, with the pages made from it so far.

    Requests come from a thread pool and the renderer keeps per-document state, so one lock
    serialises the work on a snapshot; a page is made once and then served from memory.
    """

    def __init__(self, options: WorkspaceOptions, context: BuildContext, token: str) -> None:
        self.context = context
        self.token = token  #: the change generation the pages were made at; the reload script compares it
        self.failure: list[str] | None = None  #: why the workspace did not load, one located line each
        self.workspace: Workspace | None = None
        try:
            self.workspace = open_workspace(options, context)
        except JdgenError as err:
            self.failure = problem_lines(err)
        self._lock = threading.RLock()
        self._pages: dict[tuple[str, str, str, str | None], Reply] = {}
        self._roles: dict[tuple[str, str], tuple[list[RenderedDoc], LintReport]] = {}
        self._renderer = Renderer(self.workspace.dirs.root) if self.workspace is not None else None

    def overview(self) -> Reply:
        """Return the home page: every role, its postings, their lint and pay-law status."""
        with self._lock:
            if self.workspace is None:
                return problems_reply(self.failure or [], self.token)
            return Reply(200, framed("Overview", self._overview_body(self.workspace), self.token))

    def document(self, request: DocumentRequest) -> Reply:
        """Return a role's posting, interview kit or candidate guide page, or why it cannot be shown."""
        with self._lock:
            if self.workspace is None:
                return problems_reply(self.failure or [], self.token)
            found = self._resolve(self.workspace, request)
            if isinstance(found, Reply):
                return found
            key = (request.kind, *found)
            if key not in self._pages:
                try:
                    self._pages[key] = Reply(200, self._document_page(self.workspace, request.kind, *found))
                except JdgenError as err:
                    return problems_reply(problem_lines(err), self.token)
            return self._pages[key]

    def _resolve(self, workspace: Workspace, request: DocumentRequest) -> tuple[str, str, str | None] | Reply:
        """Return (role id, level id, place id) for a request, or the 404 page naming what does not exist."""
        role_id = workspace.aliases.get(request.role, request.role)
        if role_id not in workspace.roles:
            unknown = _unknown(request.role, [*workspace.roles, *workspace.aliases])
            return not_found_reply(f"No role in this workspace is called {unknown}.", self.token)
        role = workspace.roles[role_id]
        level_id = request.level or role.default_level
        if level_id not in role.levels:
            unknown = _unknown(level_id, role.levels)
            message = f"Role '{role_id}' has no level {unknown}; its levels: {', '.join(role.levels)}."
            return not_found_reply(message, self.token)
        if request.kind != "posting" or request.place is None:
            return role_id, level_id, None
        places = [place.id for place in role_places(workspace.config, role) if place.id is not None]
        if request.place not in places:
            known = ", ".join(places) or "none; it is posted in one place"
            message = f"Role '{role_id}' is not posted in {_unknown(request.place, places)}; its places: {known}."
            return not_found_reply(message, self.token)
        return role_id, level_id, request.place

    def _overview_body(self, workspace: Workspace) -> str:
        """Return every role with a row per posting (level × place, as build --all --level makes them)."""
        warnings = "".join(f"<li>{escape(str(warning))}</li>\n" for warning in workspace.warnings)
        parts = [
            f"<h1>Preview of {escape(str(workspace.dirs.root))}</h1>\n",
            f"<p>{counted(len(workspace.roles), 'role')}; pages reload when a file is saved.</p>\n",
            f'<ul class="problems">\n{warnings}</ul>\n' if warnings else "",
        ]
        head = "<tr><th>Posting</th><th>Level</th><th>Lint</th><th>Pay-transparency laws</th><th>Interviews</th></tr>"
        for role_id, role in workspace.roles.items():
            rows = []
            for level_id in role.levels:
                try:
                    report = self._role(role_id, level_id)[1]
                    verdicts = place_verdicts(workspace, role_id, level_id, self.context.today)
                except JdgenError as err:  # one role's broken render leaves the others listed
                    lines = "<br>".join(escape(line) for line in problem_lines(err))
                    rows.append(f'<tr><td colspan="5" class="jdgen-bad">{escape(level_id)}: {lines}</td></tr>')
                    continue
                default = " (default)" if level_id == role.default_level else ""
                kit = document_href("kit", role_id, level_id)
                guide = document_href("guide", role_id, level_id)
                for _, place, found in verdicts:
                    href = document_href("posting", role_id, level_id, place.id)
                    laws = PostingLaws(role_id, level_id, place_name(place), found)
                    folder = posting_folder(workspace, role_id, level_id, place)
                    rows.append(
                        f'<tr><td><a href="{escape(href)}">{escape(folder)}'
                        f"</a> ({escape(place_name(place))})</td><td>{escape(level_id)}{default}</td>"
                        f"<td>{_lint_cell(report)}</td><td>{_laws_cell(laws)}</td>"
                        f'<td><a href="{escape(kit)}">kit</a> · <a href="{escape(guide)}">guide</a></td></tr>'
                    )
            parts.append(f'<h2 id="{escape(role_id)}">{escape(role.title)} <code>{escape(role_id)}</code></h2>\n')
            parts.append(f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n")
        return "".join(parts)

    def _role(self, role_id: str, level_id: str) -> tuple[list[RenderedDoc], LintReport]:
        """Render a role's posting (first place), kit and guide at a level and lint the posting, as a build does."""
        assert self.workspace is not None and self._renderer is not None
        key = (role_id, level_id)
        if key not in self._roles:
            first = role_places(self.workspace.config, self.workspace.roles[role_id])[0]
            docs = render_role(self.workspace, self._renderer, role_id, level_id, first)
            words = count_words(docs[0].markdown)
            self._roles[key] = (docs, lint_role(self.workspace, role_id, level_id, words, self.context.today))
        return self._roles[key]

    def _document_page(self, workspace: Workspace, kind: str, role_id: str, level_id: str, place_id: str | None) -> str:
        """Render one document page the way `jdgen build --format html` does, plus the preview's parts."""
        assert self._renderer is not None
        docs, report = self._role(role_id, level_id)
        doc = docs[KINDS[kind]]
        site = SiteInfo(workspace.config.publish.language, workspace.config.company.name)
        chrome = _Chrome(self.token, report, _preview_bar(workspace, kind, role_id, level_id, place_id))
        if kind != "posting":
            # the build writes no HTML kit; it gets the guide's treatment: heading ids, never indexed
            body = chrome.around(markdown_to_html(doc.markdown, heading_ids=True))
            return render_page(
                self._renderer, site, PageContent(doc.title, doc.subject, body, robots="noindex", index_href="/")
            )
        places = role_places(workspace.config, workspace.roles[role_id])
        place = next((p for p in places if p.id == place_id), places[0])
        if place is not places[0]:
            doc = render_posting(workspace, self._renderer, role_id, level_id, place)
        folder = posting_folder(workspace, role_id, level_id, place)
        [(_, doc)] = with_page_facts(workspace, [(folder, doc)], self.context)
        page = doc.page
        assert page is not None
        body = chrome.around(CLOSED_NOTICE + page.body_html if page.closed else page.body_html)
        summary = getattr(doc.view, "summary", doc.title)
        content = PageContent(doc.title, summary, body, canonical=page.url, json_ld=page.json_ld, index_href="/")
        return render_page(self._renderer, site, content)


@dataclass(frozen=True)
class _Chrome:
    """What the preview adds around a document's HTML: the bar, the findings and the reload script."""

    token: str
    report: LintReport
    bar: str

    def around(self, body_html: str) -> str:
        """Return the body with the findings marked in it, under the bar and the list of findings."""
        marked = mark_findings(body_html, self.report.findings[:MAX_MARKED])
        return _STYLE + self.bar + findings_list(self.report) + marked + reload_script(self.token)


def _preview_bar(workspace: Workspace, kind: str, role_id: str, level_id: str, place_id: str | None) -> str:
    """Return the bar that says this is a preview and links the role's other documents."""
    role = workspace.roles[role_id]
    links = " · ".join(
        f"<strong>{_KIND_NAMES[other]}</strong>"
        if other == kind
        else f'<a href="{escape(document_href(other, role_id, level_id))}">{_KIND_NAMES[other]}</a>'
        for other in KINDS
    )
    levels = " ".join(
        f"<strong>{escape(level)}</strong>"
        if level == level_id
        else f'<a href="{escape(document_href(kind, role_id, level, place_id))}">{escape(level)}</a>'
        for level in role.levels
    )
    return (
        f'<nav class="jdgen-preview" aria-label="Preview">jdgen preview of <code>{escape(role_id)}</code>: {links}'
        f' · level: {levels} · <a href="/">overview</a></nav>\n'
    )


def findings_list(report: LintReport) -> str:
    """Return the role's lint findings as a list, each with its file:line, or a line saying there are none."""
    counts = ", ".join(counted(report.count(level), level) for level in ("error", "warning", "notice"))
    head = f"Lint of the {escape(report.role_id)} posting at {escape(report.level_id)}: {counts}"
    if not report.findings:
        return f'<section class="jdgen-findings" id="jdgen-findings"><p>{head}.</p></section>\n'
    lines = format_findings(report.findings)
    items = "".join(
        f'<li class="{escape(finding.level)}">{escape(line)}</li>\n'
        for finding, line in zip(report.findings, lines, strict=True)
    )
    return f'<section class="jdgen-findings" id="jdgen-findings"><p>{head}:</p>\n<ul>\n{items}</ul></section>\n'


def mark_findings(body_html: str, findings: Sequence[Finding]) -> str:
    """Wrap each finding's words in <mark>, with its message as the tooltip, in the text of `body_html`.

    The words are looked for where the finding's context puts them; when the page words that
    passage differently (the kit, a template's own wording), every occurrence of them is marked.
    A match that runs across an inline tag is left unmarked rather than breaking the markup.
    """
    parts = _TAG.split(body_html)  # even indexes: text between tags (escaped); odd: the tags
    texts = {index: unescape(parts[index]) for index in range(0, len(parts), 2)}
    plain, where = _collapsed_text(texts)
    spans: dict[int, list[tuple[int, int, Finding]]] = {}
    for finding in findings:
        if not finding.match:
            continue
        for start, end in _spans(plain, finding):
            (first_part, first), (last_part, last) = where[start], where[end - 1]
            if first_part == last_part:
                spans.setdefault(first_part, []).append((first, last + 1, finding))
    for index, found in spans.items():
        parts[index] = _marked(texts[index], found)
    return "".join(parts)


def _collapsed_text(texts: dict[int, str]) -> tuple[str, list[tuple[int, int]]]:
    """Return the text of the page with runs of white space as one space, and each character's (part, offset)."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for index, text in texts.items():
        for offset, char in enumerate(text):
            if char.isspace():
                if chars and chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            where.append((index, offset))
    return "".join(chars), where


def _spans(plain: str, finding: Finding) -> list[tuple[int, int]]:
    """Return where a finding's words are in the page's text: at its context, else wherever they occur."""
    words = " ".join(finding.match.split())
    context = finding.context.strip("…").strip()
    spans = []
    if context:
        # the context is up to _CONTEXT_CHARS characters, the match, then more: the match is its
        # last occurrence starting within that reach
        offsets = [m.start() for m in re.finditer(re.escape(words), context[: _CONTEXT_CHARS + len(words)])]
        offset = max((o for o in offsets if o <= _CONTEXT_CHARS), default=None)
        start = plain.find(context) if offset is not None else -1
        while start >= 0:
            spans.append((start + offset, start + offset + len(words)))
            start = plain.find(context, start + 1)
    if spans:
        return spans
    pattern = re.compile(rf"(?<![\w'-]){re.escape(words)}(?![\w'-])", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(plain)]


def _marked(text: str, spans: list[tuple[int, int, Finding]]) -> str:
    """Return `text` escaped, with each span (the first of any that overlap) inside a <mark>."""
    pieces, position = [], 0
    for start, end, finding in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < position:
            continue
        where = f"{finding.path}:{finding.line}" if finding.line else finding.path
        tip = f"{finding.level} [{finding.rule}] {where}: {finding.message}; fix: {finding.fix}"
        pieces.append(escape(text[position:start], quote=False))
        pieces.append(
            f'<mark class="jdgen-{finding.level}" title="{escape(tip)}">{escape(text[start:end], quote=False)}</mark>'
        )
        position = end
    pieces.append(escape(text[position:], quote=False))
    return "".join(pieces)


def _lint_cell(report: LintReport) -> str:
    """Return a posting's lint counts, coloured by the worst."""
    errors, warnings = report.count("error"), report.count("warning")
    css = "jdgen-bad" if errors else "jdgen-warn" if warnings else ""
    notices = report.count("notice")
    return f'<span class="{css}">{counted(errors, "error")}, {counted(warnings, "warning")}</span>, ' + counted(
        notices, "notice"
    )


def _laws_cell(laws: PostingLaws) -> str:
    """Return which pay-transparency laws bind a posting and whether it meets them; the reasons as a tooltip."""
    applying = [verdict for verdict in laws.verdicts if verdict.status == "applies"]
    coming = [verdict for verdict in laws.verdicts if verdict.status == "coming"]
    broken = [verdict for verdict in applying if verdict.unmet]
    if broken:
        text = "breaks " + "; ".join(
            f"{verdict.law.name} ({', '.join(check.requirement for check in verdict.unmet)})" for verdict in broken
        )
    elif applying:
        text = "meets " + ", ".join(verdict.law.name for verdict in applying)
    else:
        text = "no law in force applies"
    if coming:
        text += "; coming: " + ", ".join(verdict.law.name for verdict in coming)
    # one line per law in the tooltip, written as &#10; so that each table row stays one line of HTML
    tip = "&#10;".join(escape(f"{verdict.law.name}: {verdict.reason}") for verdict in (*applying, *coming))
    return f'<span class="{"jdgen-bad" if broken else ""}" title="{tip}">{escape(text)}</span>'


def _unknown(name: str, known: Sequence[str]) -> str:
    """Return a name from the address, quoted, with the closest known one; a name no id could be is cut short."""
    if len(name) > MAX_ID_LENGTH:  # a page need not echo a megabyte of address, nor compare it with every id
        return f"'{name[:MAX_ID_LENGTH]}…'"
    return f"'{name}'{suggest(name, known)}"
