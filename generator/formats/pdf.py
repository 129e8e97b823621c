"""PDF: posting, kit and guide printed from their HTML pages; the kit's scorecards are fillable forms.

Needs the optional extra `jdgen[pdf]` (WeasyPrint); without it `--format pdf` says how to install it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..documents import InterviewKitDoc, RenderedDoc
from .base import DocumentFormat, EncodeContext


def _require() -> None:
    from ..pdf_writer import require_weasyprint

    require_weasyprint()


def _scorecard_form(kit: InterviewKitDoc):
    from ..pdf_writer import ScorecardForm

    stages = tuple((stage.number, tuple((block.id, block.name) for block in stage.blocks)) for stage in kit.stages)
    return ScorecardForm(stages, kit.scale, kit.recommendations)


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> Iterable[bytes]:
    from ..html_writer import PageContent, SiteInfo, markdown_to_html, render_page
    from ..pdf_writer import PdfMeta, print_body, write_pdf

    site = SiteInfo(context.language, context.author)
    blobs = []
    for doc in docs:
        form = _scorecard_form(doc.view) if isinstance(doc.view, InterviewKitDoc) else None
        body = print_body(markdown_to_html(doc.markdown, heading_ids=True), form)
        page = render_page(context.renderer, site, PageContent(doc.title, doc.subject, body))
        blobs.append(write_pdf(page, PdfMeta(doc.subject, context.author, doc.keywords, context.moment)))
    return blobs


FORMAT = DocumentFormat(
    name="pdf",
    suffix=".pdf",
    documents=frozenset({"posting", "interview-kit", "candidate-guide", "comparison"}),
    encode=_encode,
    require=_require,
)
