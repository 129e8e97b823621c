"""Word: DOCX files from the Markdown, styled by the workspace's reference.docx, written by worker processes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from ..documents import RenderedDoc
from .base import DocumentFormat, EncodeContext, Submit


def _jobs(docs: Sequence[RenderedDoc], context: EncodeContext) -> list:
    from ..docx_writer import DocxMeta

    return [
        (doc.markdown, DocxMeta(doc.title, doc.subject, context.author, doc.keywords, doc.template)) for doc in docs
    ]


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> Iterable[bytes]:
    from ..docx_batch import write_docx_batch  # python-docx loads only when DOCX is asked for

    return write_docx_batch(context.templates_dir, context.moment, _jobs(docs, context))


@contextlib.contextmanager
def _session(context: EncodeContext, expected: int) -> Iterator[Submit]:
    """Fork the workers once for the build; each batch goes to them as soon as it is rendered."""
    from ..docx_batch import DocxPool

    with DocxPool(context.templates_dir, context.moment, expected) as pool:
        yield lambda docs: pool.submit(_jobs(docs, context))


FORMAT = DocumentFormat(
    name="docx",
    suffix=".docx",
    documents=frozenset({"posting", "interview-kit", "candidate-guide", "comparison"}),
    encode=_encode,
    session=_session,
)
