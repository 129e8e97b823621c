"""Rendered documents → the files of every requested format, batch by batch, each format open for the build.

A large build goes through in batches of roles: while the DOCX workers write one batch, the
parent renders the next, and the files of each batch go to the build's file store as they come
back, so neither core waits long and memory holds a batch or two, not the build.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path

from .documents import RenderedDoc
from .formats import DOCUMENT_FORMATS, document_format
from .formats.base import EncodeContext

#: Called after each document is encoded with (documents done, documents in all).
Progress = Callable[[int, int], None]
#: Puts a submitted batch's files into the build's file store, waiting for the workers as needed.
Collect = Callable[[MutableMapping[Path, bytes]], None]


class Encoding:
    """Every requested format, open for one build; use it as a context manager."""

    def __init__(
        self,
        context: EncodeContext,
        formats: Sequence[str],
        kinds: Counter[str],
        progress: Progress | None = None,
    ) -> None:
        """Prepare `formats` for a build of `kinds` (how many documents of each kind it will encode)."""
        self.context = context
        self.formats = [document_format(name) for name in DOCUMENT_FORMATS if name in set(formats)]
        for fmt in self.formats:
            fmt.require()  # a missing optional extra stops the build before anything is encoded
        self.expected = [sum(count for kind, count in kinds.items() if kind in fmt.documents) for fmt in self.formats]
        self.total = sum(self.expected)
        self.done = 0
        self.progress = progress
        self._stack = contextlib.ExitStack()
        self._submits: list = []

    def __enter__(self) -> Encoding:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)

    def _open(self) -> None:
        """Open every format, at the first batch: a template's error shows before the reference document's."""
        for fmt, expected in zip(self.formats, self.expected, strict=True):
            self._submits.append(self._stack.enter_context(fmt.open(self.context, expected)))

    def submit(self, placed: Sequence[tuple[Path, RenderedDoc]]) -> Collect:
        """Start encoding a batch of (folder, document); return what stores its files when called."""
        if not self._submits:
            self._open()
        pending = []
        for fmt, submit in zip(self.formats, self._submits, strict=True):
            items = [(folder, doc) for folder, doc in placed if fmt.applies_to(doc)]
            pending.append((fmt, items, submit([doc for _, doc in items])))

        def collect(files: MutableMapping[Path, bytes]) -> None:
            for fmt, items, blobs in pending:
                for (folder, doc), blob in zip(items, blobs(), strict=True):
                    files[folder / fmt.file_name(doc.name)] = blob
                    self.done += 1
                    if self.progress:
                        self.progress(self.done, self.total)

        return collect
