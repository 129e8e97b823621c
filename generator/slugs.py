"""Heading anchors: one slug rule for the Markdown links, the HTML ids and the DOCX bookmarks.

The rule is GitHub's, so a link such as `[Stage 1](#stage-1-recruiter-screen)` also works when
the Markdown is read on GitHub: lower case, punctuation dropped, spaces made hyphens, and a
repeated heading numbered -1, -2, … in document order.
"""

from __future__ import annotations

import re

_DROPPED = re.compile(r"[^\w\- ]")


def heading_slug(text: str) -> str:
    """Return the anchor of a heading with this plain text, before any repeat is numbered."""
    return _DROPPED.sub("", text.strip().lower()).replace(" ", "-")


class HeadingSlugs:
    """Hand out the anchors of one document's headings in order, numbering repeats."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(self, text: str) -> str:
        """Return the anchor of the next heading, whose plain text is `text`."""
        base = heading_slug(text)
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"
