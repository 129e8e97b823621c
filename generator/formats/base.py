"""What an output format declares: its name, what it applies to, its file names and its encoder."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents import FeedContext, FeedEntry, RenderedDoc

if TYPE_CHECKING:
    from ..render import Renderer


@dataclass(frozen=True)
class EncodeContext:
    """What encoders may know beyond the documents: the build's settings, never the workspace."""

    templates_dir: Path  #: the workspace's templates/ (reference.docx, page.html.j2)
    renderer: Renderer  #: renders the workspace's page template
    author: str  #: the company, as document properties name it
    language: str  #: pages' `lang`
    moment: datetime.datetime | None = None  #: SOURCE_DATE_EPOCH, for embedded dates


#: Starts encoding a batch of documents and returns what gives their bytes, in order, when called.
Submit = Callable[[Sequence[RenderedDoc]], Callable[[], Iterable[bytes]]]


@dataclass(frozen=True)
class DocumentFormat:
    """A format each document is written in, one file per document."""

    name: str  #: as `--format` and `build.formats` name it, e.g. "md"
    suffix: str  #: e.g. ".md"
    documents: frozenset[str]  #: the kinds it applies to: posting, interview-kit, candidate-guide, comparison
    #: the bytes of each document, in order; a large build calls it once per batch of documents
    encode: Callable[[Sequence[RenderedDoc], EncodeContext], Iterable[bytes]]
    #: raises MissingExtraError, before any document is encoded, when the format's optional libraries are missing
    require: Callable[[], None] = field(default=lambda: None)
    #: for a format that keeps something across a build's batches (DOCX: its worker processes): opens it
    #: for the number of documents expected and gives the Submit to use; otherwise `encode` runs per batch
    session: Callable[[EncodeContext, int], AbstractContextManager[Submit]] | None = None

    def open(self, context: EncodeContext, expected: int) -> AbstractContextManager[Submit]:
        """Open the format for a build of `expected` documents; the context gives the Submit to use."""
        if self.session is not None:
            return self.session(context, expected)

        def submit(docs: Sequence[RenderedDoc]) -> Callable[[], Iterable[bytes]]:
            blobs = list(self.encode(docs, context))
            return lambda: blobs

        return contextlib.nullcontext(submit)

    def applies_to(self, doc: RenderedDoc) -> bool:
        """Return whether this format writes `doc`."""
        return doc.document in self.documents

    def file_name(self, doc_name: str) -> str:
        """Return the file name of a document with this stem, e.g. posting.md."""
        return f"{doc_name}{self.suffix}"


@dataclass(frozen=True)
class FeedFormat:
    """A file over every open posting of a full build, in every place: a job-board or ATS feed."""

    name: str  #: as `publish.feeds` names it, e.g. "indeed"
    file_name: str  #: its path under out/, e.g. "feeds/indeed.xml"
    title: str  #: what it is, for messages and the README, e.g. "Indeed XML feed"
    #: the feed's bytes from the entries, in the order given; pure, deterministic
    encode: Callable[[Sequence[FeedEntry], FeedContext], bytes]
