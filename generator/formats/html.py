"""HTML: each posting as a standalone page with its schema.org JobPosting data, or marked closed."""

from __future__ import annotations

from collections.abc import Sequence

from ..documents import RenderedDoc
from .base import DocumentFormat, EncodeContext

#: Shown at the top of a page whose posting is past its closing date; it carries no JobPosting data.
CLOSED_NOTICE = '<p class="closed"><strong>Applications for this role have closed.</strong></p>\n'


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> list[bytes]:
    from ..html_writer import PageContent, SiteInfo, render_page

    site = SiteInfo(context.language, context.author)
    blobs = []
    for doc in docs:
        page = doc.page
        assert page is not None  # the pipeline works out every posting's page facts before encoding
        body = CLOSED_NOTICE + page.body_html if page.closed else page.body_html
        summary = getattr(doc.view, "summary", doc.title)
        content = PageContent(
            doc.title, summary, body, canonical=page.url, json_ld=page.json_ld, index_href=page.index_href
        )
        blobs.append(render_page(context.renderer, site, content).encode("utf-8"))
        context.advance()
    return blobs


FORMAT = DocumentFormat(name="html", suffix=".html", documents=frozenset({"posting"}), encode=_encode)
