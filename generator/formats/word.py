"""Word: DOCX files from the Markdown, styled by the workspace's reference.docx, written by a worker pool."""

from __future__ import annotations

from collections.abc import Sequence

from ..documents import RenderedDoc
from .base import DocumentFormat, EncodeContext


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> list[bytes]:
    from ..docx_batch import write_docx_batch  # python-docx loads only when DOCX is asked for
    from ..docx_writer import DocxMeta

    jobs = [
        (doc.markdown, DocxMeta(doc.title, doc.subject, context.author, doc.keywords, doc.template)) for doc in docs
    ]
    return write_docx_batch(context.templates_dir, context.moment, jobs, context.advance)


FORMAT = DocumentFormat(
    name="docx",
    suffix=".docx",
    documents=frozenset({"posting", "interview-kit", "candidate-guide", "comparison"}),
    encode=_encode,
)
