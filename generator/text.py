"""Plain-text helpers shared by the assemble steps."""

from __future__ import annotations

import re


def paragraphs(text: str) -> tuple[str, ...]:
    """Split text on blank lines into paragraphs, each joined onto one line."""
    return tuple(one_paragraph(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def one_paragraph(text: str) -> str:
    """Join text onto one line, with single spaces."""
    return " ".join(text.split())


def counted(count: int, noun: str) -> str:
    """Return "1 role", "2 roles": a count with its noun, plural with an s when it is not one."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
