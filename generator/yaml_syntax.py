"""Turn a YAML syntax error into one located line that names the trap a person fell into, and its fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from .errors import Problem
from .yaml_reader import quoted

#: One line of a block: indentation, list dashes, an optional `key:`, then the value.
_ENTRY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>(?:-[ \t]+)*)(?:(?P<key>[\w.-]+):(?:[ \t]+|$))?(?P<value>.*)$")
#: `key:value`: a colon with no space after it, and not a URL's `scheme://`.
_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):([^\s/\\].*)$")


@dataclass(frozen=True)
class _Spot:
    """Where the parser stopped, and the lines around it."""

    err: yaml.MarkedYAMLError
    lines: list[str]
    line: int  #: 0-based
    column: int

    @property
    def problem(self) -> str:
        return self.err.problem or ""

    @property
    def context(self) -> str:
        return self.err.context or ""

    def text(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def entry(self, index: int) -> re.Match[str]:
        found = _ENTRY.match(self.text(index))
        assert found is not None  # every part of the pattern may be empty
        return found

    def previous(self) -> int:
        """Return the last line before the problem that holds more than a comment, or -1."""
        for index in range(self.line - 1, -1, -1):
            if self.text(index).strip() and not self.text(index).lstrip().startswith("#"):
                return index
        return -1


_Found = tuple[int, str] | None


def syntax_problem(rel: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """Turn a PyYAML syntax error into one located line, with the fix where a known trap caused it."""
    mark = err.problem_mark or err.context_mark
    if mark is None:
        return Problem(rel, None, f"YAML syntax error: {err.problem or err}")
    spot = _Spot(err, text.splitlines(), mark.line, mark.column)
    for hint in _HINTS:
        if found := hint(spot):
            return Problem(rel, found[0] + 1, found[1])
    return _generic(rel, spot)


def _clean(text: str) -> str:
    return text.split(" #", 1)[0].strip()


def _question_in_flow(spot: _Spot) -> _Found:
    """`[Why?, How?]`: PyYAML's own parser (not libyaml) reads '? ' as a mapping key."""
    line = spot.text(spot.line)
    if "[" in line and "?" in line and spot.context.startswith("while parsing a flow"):
        return spot.line, "a '?' inside [...] breaks YAML: write the list as a block list ('- item' per line)"
    return None


def _second_document(spot: _Spot) -> _Found:
    if "another document" in spot.problem:
        return spot.line, "'---' starts a second YAML document, and a workspace file holds one; remove the line"
    return None


def _tab(spot: _Spot) -> _Found:
    line = spot.text(spot.line)
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation and spot.column <= len(indentation):
        return spot.line, "a tab indents this line; YAML indents with spaces only: replace the tab with spaces"
    return None


def _reserved_start(spot: _Spot) -> _Found:
    """Text that starts with a character YAML keeps for itself: @ ` % * &."""
    named = spot.context.startswith(("while scanning an alias", "while scanning an anchor"))
    mark = spot.err.context_mark if named else None
    line, column = (mark.line, mark.column) if mark else (spot.line, spot.column)
    rest = _clean(spot.text(line)[column:])
    char = rest[:1]
    fix = f"put the whole text in quotes: {quoted(rest)}"
    if "cannot start any token" in spot.problem and char in ("@", "`", "%"):
        return line, f"YAML cannot read text that starts with '{char}'; {fix}"
    if "undefined alias" in spot.problem and char == "*":
        return line, f"YAML reads '{rest.split()[0]}' as an alias (a reference to an anchor); {fix}"
    if mark and rest.startswith("* "):
        return line, f"list items start with '- ', not '* '; to start text with '*', {fix}"
    if mark:
        return line, f"YAML cannot read text that starts with '{char}' here; {fix}"
    return None


def _dash_after_key(spot: _Spot) -> _Found:
    entry = spot.entry(spot.line)
    if "sequence entries are not allowed" in spot.problem and entry["key"] and entry["value"].startswith("-"):
        text = _clean(entry["value"])
        return spot.line, (
            f"a value cannot start with '-' on its key's line; put the whole text in quotes: "
            f"{entry['key']}: {quoted(text)}, or start the list on the next line"
        )
    return None


def _block_indicator(spot: _Spot) -> _Found:
    mark = spot.err.context_mark
    if not (mark and spot.context.startswith("while scanning a block scalar") and "line break" in spot.problem):
        return None
    rest = _clean(spot.text(mark.line)[mark.column :])
    return mark.line, (
        f"'{rest[:1]}' must end its line, with the text indented on the lines below; "
        f"to start text with '{rest[:1]}', put it in quotes: {quoted(rest)}"
    )


def _closes_early(spot: _Spot) -> _Found:
    """A quote or bracket at the start of a value that closes before the value ends."""
    entry = spot.entry(spot.line)
    value, start = _clean(entry["value"]), entry.start("value")
    if not value or value[0] not in "'\"[{" or spot.column <= start:
        return None
    key = f"{entry['key']}: " if entry["key"] else ""
    if value[0] == "'":
        inner = value[1:-1] if len(value) > 1 and value.endswith("'") else value[1:]
        if "'" in inner:
            fixed = f'"{inner}"' if '"' not in inner else "'" + inner.replace("'", "''") + "'"
            return spot.line, f"an apostrophe inside single quotes ends the text early; write {key}{fixed}"
    if value[0] in "'\"":
        return spot.line, f"the closing quote ends the text early; put the whole text in quotes: {key}{quoted(value)}"
    head = spot.text(spot.line)[start : spot.column].rstrip()
    kind = "a list" if value[0] == "[" else "a mapping"
    return spot.line, f"YAML reads {head} as {kind}; put the whole text in quotes: {key}{quoted(value)}"


def _colon_in_text(spot: _Spot) -> _Found:
    entry = spot.entry(spot.line)
    value = _clean(entry["value"])
    if "mapping values are not allowed" not in spot.problem or not entry["key"] or spot.column < entry.start("value"):
        return None
    if entry["dash"]:  # a list item: the whole line is the text
        return spot.line, f"text containing ': ' must be in quotes: write - {quoted(entry['key'] + ': ' + value)}"
    return spot.line, f"text containing ': ' must be in quotes: write {entry['key']}: {quoted(value)}"


def _key_without_space(spot: _Spot) -> _Found:
    if spot.context.startswith(("while scanning a quoted", "while parsing a flow")):
        return None  # an unclosed quote or bracket: the generic message blames where it opens
    context = spot.err.context_mark.line if spot.err.context_mark else -1
    for index in (spot.line, context, spot.previous()):
        if index >= 0 and (found := _KEY_WITHOUT_SPACE.match(spot.text(index))):
            key, rest = found.groups()
            return index, f"a key needs a space after its colon: write {key}: {_clean(rest)}"
    return None


def _indented_too_far(spot: _Spot) -> _Found:
    """A key indented under a line that already has its value, so YAML reads it as more of that text."""
    entry, above = spot.entry(spot.line), spot.entry(spot.previous())
    if "mapping values are not allowed" not in spot.problem or not entry["key"]:
        return None
    if len(above["indent"]) < len(entry["indent"]) and _clean(above["value"]):
        return spot.line, (
            f"'{entry['key']}:' is indented more than the line above, so YAML reads it as more of that line's "
            "text; line it up with the keys it belongs with, or put text holding ': ' in quotes"
        )
    return None


def _misaligned(spot: _Spot) -> _Found:
    entry = spot.entry(spot.line)
    expected_key = "expected key" in spot.problem or "expected <block end>" in spot.problem
    if expected_key and spot.column == len(entry["indent"]) and (entry["key"] or entry["dash"]):
        width = len(entry["indent"])
        spaces = "space" if width == 1 else "spaces"
        return spot.line, (
            f"this line is indented {width} {spaces}, which lines it up with nothing above it; "
            "indent it like the lines it belongs with"
        )
    return None


def _unindented_text(spot: _Spot) -> _Found:
    mark = spot.err.context_mark
    if mark and spot.context.startswith("while scanning a simple key") and ":" not in spot.text(mark.line):
        return mark.line, (
            "YAML expects 'key: value' on this line; if it continues the text above, indent it under its key"
        )
    return None


_HINTS: tuple[Callable[[_Spot], _Found], ...] = (
    _question_in_flow,
    _second_document,
    _tab,
    _reserved_start,
    _dash_after_key,
    _block_indicator,
    _closes_early,
    _colon_in_text,
    _key_without_space,
    _indented_too_far,
    _misaligned,
    _unindented_text,
)


def _generic(rel: str, spot: _Spot) -> Problem:
    """Say what the parser found, blaming an unclosed quote or bracket where it opens."""
    err, line = spot.err, spot.line
    what = err.problem or "syntax error"
    opener = err.context_mark
    unclosed = spot.context.startswith(("while scanning a quoted", "while parsing a flow"))
    if unclosed and opener and opener.line < line:
        # blame where it opened, not where the file ran out
        what = f"{err.context} that starts here, {what} at line {line + 1}"
        line = opener.line
    bad = spot.text(line)
    if spot.context.startswith("while scanning a quoted"):
        hint = "close the quote; inside '...' write an apostrophe twice ('')"
    elif spot.context.startswith("while parsing a flow"):
        hint = "close the bracket that opens here, or put text that starts with '[' or '{' in quotes"
    elif ": " in bad.split(":", 1)[-1]:
        hint = "text containing ': ' must be quoted"
    else:
        hint = "check the indentation and quote text that starts with a special character"
    return Problem(rel, line + 1, f"YAML syntax error: {what}; {hint}")
