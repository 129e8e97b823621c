"""PDF: posting, kit and guide printed from their HTML pages; the kit's scorecards are fillable forms.

Needs the optional extra `jdgen[pdf]` (WeasyPrint); without it `--format pdf` says how to install it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from ..documents import InterviewKitDoc, RenderedDoc
from .base import DocumentFormat, EncodeContext, Submit


def _require() -> None:
    from ..pdf_writer import require_weasyprint

    require_weasyprint()


def _scorecard_form(kit: InterviewKitDoc):
    from ..pdf_writer import ScorecardForm

    stages = tuple((stage.number, tuple((block.id, block.name) for block in stage.blocks)) for stage in kit.stages)
    return ScorecardForm(stages, kit.scale, kit.recommendations)


def _pages(docs: Sequence[RenderedDoc], context: EncodeContext) -> list:
    """Return each document's print page and document information, as the PDF writer takes them."""
    from ..html_writer import PageContent, SiteInfo, markdown_to_html, render_page
    from ..pdf_writer import PdfMeta, print_body

    site = SiteInfo(context.language, context.author)
    pages = []
    for doc in docs:
        form = _scorecard_form(doc.view) if isinstance(doc.view, InterviewKitDoc) else None
        body = print_body(markdown_to_html(doc.markdown, heading_ids=True), form)
        page = render_page(context.renderer, site, PageContent(doc.title, doc.subject, body))
        pages.append((page, PdfMeta(doc.subject, context.author, doc.keywords, context.moment)))
    return pages


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> Iterable[bytes]:
    from ..pdf_writer import write_pdf

    return [write_pdf(page, meta) for page, meta in _pages(docs, context)]


@contextlib.contextmanager
def _session(context: EncodeContext, expected: int) -> Iterator[Submit]:
    """Fork the workers once for the build; each batch's pages go to them as soon as they are rendered."""
    from ..pdf_batch import PdfPool

    with PdfPool(expected) as pool:
        yield lambda docs: pool.submit(_pages(docs, context))


FORMAT = DocumentFormat(
    name="pdf",
    suffix=".pdf",
    documents=frozenset({"posting", "interview-kit", "candidate-guide", "comparison"}),
    encode=_encode,
    require=_require,
    session=_session,
)
