"""What an output format declares: its name, what it applies to, its file names and its encoder."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
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
    advance: Callable[[], None] = field(default=lambda: None)  #: call once per document encoded


@dataclass(frozen=True)
class DocumentFormat:
    """A format each document is written in, one file per document."""

    name: str  #: as `--format` and `build.formats` name it, e.g. "md"
    suffix: str  #: e.g. ".md"
    documents: frozenset[str]  #: the kinds it applies to: posting, interview-kit, candidate-guide, comparison
    #: the bytes of each document, in order; called once per build with every document it applies to
    encode: Callable[[Sequence[RenderedDoc], EncodeContext], list[bytes]]
    #: raises MissingExtraError, before any document is encoded, when the format's optional libraries are missing
    require: Callable[[], None] = field(default=lambda: None)

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
