"""The output formats jdgen writes: one module each, registered here by name.

A new format is a module in this package defining `FORMAT` (a `DocumentFormat` or a
`FeedFormat` from `base`) and one line below. The CLI's `--format` choices, `build.formats` and
`publish.feeds` validation, the output names `check` and `--clean` know, and the progress total
all come from these tables. Modules load only when a build asks for their format, so `--help`
pays for none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import DocumentFormat, FeedFormat

#: Formats of single documents (posting, kit, guide, comparison): name → module.
DOCUMENT_FORMATS = {
    "md": "markdown",
    "docx": "word",
    "html": "html",
    "pdf": "pdf",
}

#: What a build writes when neither `--format` nor `build.formats` says: the formats that need no extra.
DEFAULT_FORMATS = ("md", "docx", "html")

#: Feeds over every open posting of a full build (`publish.feeds`): name → module.
FEED_FORMATS = {
    "indeed": "indeed",
    "linkedin": "linkedin",
    "hropen": "hropen",
}


def document_format(name: str) -> DocumentFormat:
    """Return the document format registered under `name`."""
    return importlib.import_module(f"{__name__}.{DOCUMENT_FORMATS[name]}").FORMAT


def feed_format(name: str) -> FeedFormat:
    """Return the feed registered under `name`."""
    return importlib.import_module(f"{__name__}.{FEED_FORMATS[name]}").FORMAT
