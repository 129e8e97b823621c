"""Markdown: the rendered text itself, the source of every other format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..documents import RenderedDoc
from .base import DocumentFormat, EncodeContext


def _encode(docs: Sequence[RenderedDoc], context: EncodeContext) -> Iterable[bytes]:
    blobs = []
    for doc in docs:
        blobs.append(doc.markdown.encode("utf-8"))
    return blobs


FORMAT = DocumentFormat(
    name="md",
    suffix=".md",
    documents=frozenset({"posting", "interview-kit", "candidate-guide", "comparison"}),
    encode=_encode,
)
