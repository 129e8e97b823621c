"""What a careers site and the job boards need: each posting's page facts, the index, jobs.json and feed entries."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .approvals import posting_digest
from .assemble import assemble_index
from .compliance.places import region_name
from .context import BuildContext
from .core import Workspace
from .documents import FeedContext, FeedEntry, PageFacts, PostingDoc, RenderedDoc
from .html_writer import PageContent, SiteInfo, markdown_to_html, page_url, render_page
from .jobposting import job_posting, posting_identifier, valid_through
from .places import region_code
from .render import INDEX_TEMPLATE, Renderer

INDEX_MD = "index.md"
INDEX_HTML = "index.html"
JOBS_JSON = "jobs.json"

#: A posting and the folder under out/ it is written to.
Posted = tuple[str, RenderedDoc]


def with_page_facts(
    workspace: Workspace, postings: list[Posted], context: BuildContext, with_index: bool = False
) -> list[Posted]:
    """Work out each posting's address, dates, JobPosting data and whether it has closed by the build's day."""
    base_url = workspace.config.publish.base_url
    result = []
    for folder, doc in postings:
        posting: PostingDoc = doc.view  # type: ignore[assignment]
        url = page_url(base_url, f"{folder}/posting.html")
        posted = context.posting_date(workspace.roles[posting.role_id].date_posted)
        last_day = valid_through(workspace, posting, posted)
        closed = context.today > last_day
        body = markdown_to_html(doc.markdown)
        # a closed posting carries no JobPosting data: search engines must not show it as open
        data = None if closed else job_posting(workspace, posting, body, posted, url)
        # the page links back to the index only when the build writes one beside it
        back = "../" * (folder.count("/") + 1) + INDEX_HTML if with_index else None
        facts = PageFacts(
            url, posted, last_day, closed, data, body_html=body, index_href=back, digest=posting_digest(doc.markdown)
        )
        result.append((folder, _replace_page(doc, facts)))
    return result


def index_files(
    workspace: Workspace, renderer: Renderer, postings: list[Posted], out_dir: Path, formats: tuple[str, ...]
) -> Iterator[tuple[Path, bytes]]:
    """Render the careers index of the open postings (Markdown always; HTML and jobs.json with html).

    Each file is yielded as soon as it is made, so the build's store can take it (to disk if
    large) before the next is made: at 2,000 postings jobs.json alone is 13 MB.
    """
    open_postings = _index_order(
        workspace, [(folder, doc) for folder, doc in postings if doc.page is None or not doc.page.closed]
    )
    index = assemble_index(workspace, [(folder, doc.view) for folder, doc in open_postings])
    yield out_dir / INDEX_MD, renderer.render(INDEX_TEMPLATE, index=index, link_ext="md").encode("utf-8")
    if "html" in formats:
        markdown = renderer.render(INDEX_TEMPLATE, index=index, link_ext="html")
        title = f"Open roles at {index.company_name}"
        content = PageContent(
            title, index.intro, markdown_to_html(markdown), page_url(workspace.config.publish.base_url, INDEX_HTML)
        )
        site = SiteInfo(workspace.config.publish.language, workspace.config.company.name)
        yield out_dir / INDEX_HTML, render_page(renderer, site, content).encode("utf-8")
        objects: list[dict[str, Any]] = [doc.page.json_ld for _, doc in open_postings if doc.page and doc.page.json_ld]
        yield out_dir / JOBS_JSON, (json.dumps(objects, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _index_order(workspace: Workspace, postings: list[Posted]) -> list[Posted]:
    """Sort postings by family, then career-path rank (entry roles first), then title, level and folder."""
    ranks = _career_ranks(workspace)

    def key(posted: Posted) -> tuple[str, int, str, str, str]:
        folder, doc = posted
        posting: PostingDoc = doc.view  # type: ignore[assignment]
        role = workspace.roles[posting.role_id]
        # roles without a family come after every family; "~" sorts after any slug
        return (role.family or "~", ranks[posting.role_id], posting.title, posting.level_name, folder)

    return sorted(postings, key=key)


def _career_ranks(workspace: Workspace) -> dict[str, int]:
    """Rank each role by its longest chain of predecessors along `career_path` (a topological order)."""
    roles = workspace.roles
    before: dict[str, set[str]] = {role_id: set() for role_id in roles}
    for role_id, role in roles.items():
        before[role_id].update(other for other in role.career_path.from_ if other in roles)
        for other in role.career_path.to:
            if other in roles:
                before[other].add(role_id)
    ranks: dict[str, int] = {}
    visiting: set[str] = set()

    def rank(role_id: str) -> int:
        if role_id not in ranks:
            visiting.add(role_id)
            # an edge back into the chain being ranked (a cycle in the data) is ignored, not followed forever
            ranks[role_id] = 1 + max((rank(p) for p in sorted(before[role_id]) if p not in visiting), default=-1)
            visiting.discard(role_id)
        return ranks[role_id]

    for role_id in sorted(roles):
        rank(role_id)
    return ranks


def feed_entries(workspace: Workspace, postings: list[Posted]) -> list[FeedEntry]:
    """Return one feed entry per open posting and place, in build order."""
    company = workspace.config.company
    entries = []
    for _, doc in postings:
        page, posting = doc.page, doc.view
        assert page is not None and isinstance(posting, PostingDoc)
        if page.closed:
            continue
        location = posting.place.location
        code = region_code(location)
        role = workspace.roles[posting.role_id]
        entries.append(
            FeedEntry(
                reference=posting_identifier(posting),
                requisition=f"{posting.role_id}-{posting.level_id}",
                title=posting.title,
                level_name=posting.level_name,
                company=company.name,
                company_url=company.website,
                url=page.url,
                apply_url=posting.apply_url,
                date_posted=page.date_posted,
                valid_through=page.valid_through,
                description_html=page.body_html,
                locality=location.locality,
                region_code=code.split("-", 1)[1] if code else None,
                region_name=region_name(code) if code else location.region,
                country=location.country,
                work_model=location.work_model,
                employment_type=role.employment_type,
                salary=posting.salary,
                onet=posting.onet,
            )
        )
    return entries


def feed_context(workspace: Workspace, entries: list[FeedEntry], context: BuildContext) -> FeedContext:
    """Say who publishes the feeds and when they were built: SOURCE_DATE_EPOCH, else the newest posting's day."""
    moment = context.moment
    if moment is None:
        newest = max((entry.date_posted for entry in entries), default=context.today)
        moment = datetime.datetime.combine(newest, datetime.time(), tzinfo=datetime.UTC)
    company = workspace.config.company
    return FeedContext(company.name, company.website, moment, workspace.config.publish.language)


def feed_files(
    workspace: Workspace, postings: list[Posted], out_dir: Path, context: BuildContext
) -> Iterator[tuple[Path, bytes]]:
    """Encode every feed `publish.feeds` names, each over the postings given (the open, listed ones).

    One feed at a time, each yielded once made: a feed of 2,000 postings is 12 to 14 MB.
    """
    from .formats import feed_format

    names = workspace.config.publish.feeds
    if not names:
        return
    entries = feed_entries(workspace, postings)
    about = feed_context(workspace, entries, context)
    for name in names:
        feed = feed_format(name)
        yield out_dir / feed.file_name, feed.encode(entries, about)


def _replace_page(doc: RenderedDoc, facts: PageFacts) -> RenderedDoc:
    return dataclasses.replace(doc, page=facts)
