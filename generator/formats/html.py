"""HTML: each posting as a standalone page with its schema.org JobPosting data (or marked closed), and each
candidate guide as a page a recruiter can send by link."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..documents import CandidateGuideDoc, RenderedDoc
from .base import DocumentFormat, EncodeContext

#: Shown at the top of a page whose posting is past its closing date; it carries no JobPosting data.
CLOSED_NOTICE = '<p class="closed"><strong>Applications for this role have closed.</strong></p>\n'


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> Iterable[bytes]:
    from ..html_writer import PageContent, SiteInfo, markdown_to_html, render_page

    site = SiteInfo(context.language, context.author)
    blobs = []
    for doc in docs:
        page = doc.page
        if page is None:  # a candidate guide: a page a recruiter sends by link, never listed or indexed
            content = PageContent(
                doc.title, _guide_summary(doc), markdown_to_html(doc.markdown, heading_ids=True), robots="noindex"
            )
        else:
            body = CLOSED_NOTICE + page.body_html if page.closed else page.body_html
            summary = getattr(doc.view, "summary", doc.title)
            content = PageContent(
                doc.title, summary, body, canonical=page.url, json_ld=page.json_ld, index_href=page.index_href
            )
        blobs.append(render_page(context.renderer, site, content).encode("utf-8"))
    return blobs


def _guide_summary(doc: RenderedDoc) -> str:
    guide = doc.view
    if isinstance(guide, CandidateGuideDoc):
        return (
            f"How the {len(guide.stages)} interviews for the {guide.title} role at {guide.company_name} work, "
            "and how to prepare."
        )
    return doc.subject


FORMAT = DocumentFormat(
    name="html", suffix=".html", documents=frozenset({"posting", "candidate-guide"}), encode=_encode
)
