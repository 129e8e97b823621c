"""Build plain values from composed YAML, keeping lines and refusing what YAML would read by surprise."""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

#: A YAML document may expand aliases up to this many nodes; more is an attack or a mistake.
MAX_NODES = 200_000
#: Hand-written data never nests this deep; deeper is refused before Python's stack runs out.
MAX_DEPTH = 50

Loc = tuple[str | int, ...]

#: Characters XML 1.0 cannot hold, so neither can DOCX or HTML outputs.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Joiners that Persian, Indic scripts and emoji sequences need; next to ASCII they only hide words.
_JOINERS = frozenset("\u200c\u200d")
_NULL_TAG = "tag:yaml.org,2002:null"


def format_loc(loc: Loc) -> str:
    """Write a location in a file's data as people read it, e.g. `competencies[0].levels.mid`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else f".{part}"
    return out.lstrip(".")


def quoted(text: str) -> str:
    """Return `text` as a YAML quoted scalar, for a message's suggested fix."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


@dataclass
class SourceFile:
    """One YAML file: its data and the line of every key and list item in it."""

    path: Path
    rel: str  #: the path shown in messages, relative to the workspace root
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)  #: scalar text as written
    #: the quote mark of each quoted scalar; a quoted key is at `(*loc, key, "[key]")`, as pydantic names it
    quotes: dict[Loc, str] = field(default_factory=dict)

    #: after keep_lines_only: the hash of each location, sorted, and the line of each, in step
    _hashes: array | None = field(default=None, repr=False, compare=False)
    _hash_lines: array | None = field(default=None, repr=False, compare=False)

    def line(self, loc: Loc) -> int | None:
        """Return the line of `loc`, or of its nearest enclosing value that has one."""
        for end in range(len(loc), -1, -1):
            found = self._find(tuple(loc[:end]))
            if found is not None:
                return found
        return None

    def _find(self, loc: Loc) -> int | None:
        if self._hashes is None:
            return self.lines.get(loc)
        key = hash(loc)
        index = bisect_left(self._hashes, key)
        if index < len(self._hashes) and self._hashes[index] == key:
            return self._hash_lines[index]
        return None

    def problem(self, loc: Loc, message: str) -> Problem:
        """Return a problem located at `loc` in this file."""
        return Problem(self.rel, self.line(loc), message)

    def keep_lines_only(self) -> None:
        """Drop the values and how they were written, once validated: later messages need only lines.

        A workspace of a thousand roles would otherwise hold every file's data twice, as YAML
        values and as models, for the whole build.
        """
        self.data = None
        self.raw = {}
        self.quotes = {}
        if self._hashes is not None:
            return  # already kept: the marks are in the arrays
        # Two flat arrays instead of a dict of tuples: 16 bytes a mark instead of about 120, and a
        # thousand roles hold about 300,000 marks. A location's hash stands for it; two of one
        # file's locations sharing a 64-bit hash is too unlikely to plan for (and would only
        # misplace a message's line).
        marks = sorted((hash(loc), line) for loc, line in self.lines.items())
        self._hashes = array("q", [key for key, _ in marks])
        self._hash_lines = array("l", [line for _, line in marks])
        self.lines = {}


def build_values(source: SourceFile, node: yaml.Node, text: str, loader: type) -> list[Problem]:
    """Fill `source` with the values of `node`; return, by line, what in them cannot be accepted."""
    builder = _Builder(source, text)
    try:
        source.data = builder.build(node, ())
    except _TooLargeError:
        return [Problem(source.rel, None, f"the YAML expands to more than {MAX_NODES:,} values (aliases?)")]
    except _TooDeepError as err:
        return [Problem(source.rel, err.line, f"the YAML is nested more than {MAX_DEPTH} levels deep")]
    problems = builder.problems + _unused_anchors(source.rel, text, builder.text_lines, loader)
    # a value repeated by aliases is one mistake, reported once
    return sorted(dict.fromkeys(problems), key=lambda p: p.line or 0)


class _TooLargeError(Exception):
    pass


class _TooDeepError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Builder:
    """Build Python values from YAML nodes, recording lines and refusing duplicate keys."""

    def __init__(self, source: SourceFile, text: str) -> None:
        self.source = source
        self.text_lines = text.splitlines()
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLargeError
        if len(loc) > MAX_DEPTH:
            raise _TooDeepError(node.start_mark.line + 1)
        self.source.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return dict(self._mapping(node, loc))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        self.source.raw[loc] = node.value
        if node.style in ("'", '"'):
            self.source.quotes[loc] = node.style
        value = self._scalar(node, loc)
        if isinstance(value, str):
            self._check_text(node, value, "text")
        return value

    def _add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.rel, line + 1, message))

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        """Construct a scalar; one YAML cannot construct, or reads as a number nobody meant, is a problem."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as err:
            self._add(node.start_mark.line, self._unreadable(node, err))
            return node.value
        if not node.style and (surprise := _number_surprise(node.value, value, loc)):
            self._add(node.start_mark.line, _prefix(loc) + surprise)
        return value

    def _unreadable(self, node: yaml.ScalarNode, err: Exception) -> str:
        if node.tag.startswith("!"):  # a local tag: text that happens to start with '!'
            written = _rest_of_line(self.text_lines, node.start_mark)
            return f"YAML reads '{node.tag}' as a tag; put the whole text in quotes: {quoted(written)}"
        reason = getattr(err, "problem", None) or str(err)
        return f"cannot read {node.value!r}: {reason}; quote it"

    def _check_text(self, node: yaml.ScalarNode, value: str, what: str) -> None:
        """Refuse characters documents cannot hold, and invisible ones that can disguise text."""
        if bad := _XML_INVALID.search(value):
            self._add(
                self._line_of(node, bad.group()),
                f"the {what} holds the control character U+{ord(bad.group()):04X}, which documents cannot hold; "
                "remove it",
            )
        elif not value.isascii() and (char := _invisible(value)):
            name = unicodedata.name(char, "FORMAT CHARACTER")
            self._add(
                self._line_of(node, char),
                f"the {what} holds U+{ord(char):04X} {name}, an invisible character that can disguise text; remove it",
            )

    def _line_of(self, node: yaml.ScalarNode, char: str) -> int:
        """Return the 0-based line where `char` appears in the node's text, for values over several lines."""
        last = min(node.end_mark.line, len(self.text_lines) - 1)
        for number in range(node.start_mark.line, last + 1):
            if char in self.text_lines[number]:
                return number
        return node.start_mark.line  # written as an escape ("\u202e"), not as the character

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> Iterator[tuple[Any, Any]]:
        seen: dict[Any, int] = {}
        split = _SplitNumber(loc)
        for key_node, value_node in node.value:
            if node.flow_style and split.continues(key_node, value_node):
                continue
            self._report_split(split)
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(self.source.rel, line, "merge keys ('<<') are not supported; write the keys out")
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.source.rel, line, "a key must be plain text, not a list or mapping"))
                continue
            key = self._key(key_node, loc)
            if key in seen:
                self.problems.append(
                    Problem(self.source.rel, line, f"duplicate key '{key}' (first at line {seen[key]}); keep one")
                )
                continue
            seen[key] = line
            self.source.lines[(*loc, key)] = line
            value = self.build(value_node, (*loc, key))
            if node.flow_style:
                split.start(key, value_node)
            yield key, value
        self._report_split(split)

    def _key(self, key_node: yaml.ScalarNode, loc: Loc) -> Any:
        key = self._scalar(key_node, loc)
        if key_node.style in ("'", '"'):
            self.source.quotes[(*loc, key, "[key]")] = key_node.style
        if isinstance(key, str) and key[:1].isspace() and key[0] != " ":
            name = unicodedata.name(key[0], "SPACE")
            self._add(
                key_node.start_mark.line,
                f"a U+{ord(key[0]):04X} {name} indents this line; YAML indents with plain spaces only: "
                "retype the indentation",
            )
        elif isinstance(key, str):
            self._check_text(key_node, key, "key")
        return key

    def _report_split(self, split: _SplitNumber) -> None:
        if found := split.finish():
            line, message = found
            self.problems.append(Problem(self.source.rel, line, message))


class _SplitNumber:
    """Spot `{min: 112,000}`: in a flow mapping YAML ends the number at the comma and makes `000` a key."""

    def __init__(self, loc: Loc) -> None:
        self.loc = loc
        self.key: Any = None
        self.text = ""
        self.line = 0
        self.end: yaml.Mark | None = None

    def start(self, key: Any, value_node: yaml.Node) -> None:
        """Remember an entry whose value may be the first digits of a split number."""
        plain = isinstance(value_node, yaml.ScalarNode) and not value_node.style
        self.key = key if plain and re.fullmatch(r"\d{1,3}", value_node.value) else None
        self.text, self.line, self.end = value_node.value, value_node.start_mark.line + 1, value_node.end_mark

    def continues(self, key_node: yaml.Node, value_node: yaml.Node) -> bool:
        """Take in a key that is the next digit group of the remembered number, right after its comma."""
        if self.key is None or self.end is None or not isinstance(key_node, yaml.ScalarNode) or key_node.style:
            return False
        empty = isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL_TAG and not value_node.value
        mark = key_node.start_mark
        adjacent = (mark.line, mark.column) == (self.end.line, self.end.column + 1)
        if not (empty and adjacent and re.fullmatch(r"\d{3}(\.\d+)?", key_node.value)):
            return False
        self.text += "," + key_node.value
        self.end = key_node.end_mark
        return True

    def finish(self) -> tuple[int, str] | None:
        """Return the line and message of a number split at its commas, if one was seen; forget it."""
        found = None
        if self.key is not None and "," in self.text:
            where = _prefix((*self.loc, self.key))
            joined = self.text.replace(",", "")
            found = (self.line, f"{where}YAML splits {self.text} at the comma; write {joined}, without the comma")
        self.key = None
        return found


def _prefix(loc: Loc) -> str:
    return f"{format_loc(loc)}: " if loc else ""


def _rest_of_line(lines: list[str], mark: yaml.Mark) -> str:
    """Return what is written on a mark's line from the mark on, without a trailing comment."""
    text = lines[mark.line][mark.column :] if mark.line < len(lines) else ""
    return text.split(" #", 1)[0].strip()


def _invisible(value: str) -> str | None:
    """Return the first invisible format character (Unicode category Cf) in `value` that is not needed."""
    for index, char in enumerate(value):
        if char.isascii() or unicodedata.category(char) != "Cf":
            continue
        # soft hyphens are refused too: they hide words from the language checks and from job-board search
        neighbours = value[index - 1 : index] + value[index + 1 : index + 2]
        if char in _JOINERS and not neighbours.isascii():
            continue
        return char
    return None


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _number_surprise(raw: str, value: Any, loc: Loc) -> str | None:
    """Explain a plain number YAML 1.1 reads otherwise than it looks (075 is 61, 1:30 is 90); else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # 1_000 is read as the 1000 it shows, so underscores pass; YAML 1.2 tools would read it as text,
    # which the schema then refuses out loud, never as another number
    digits = raw.lstrip("+-").replace("_", "").lower()
    if ":" in digits:
        unit = "the number of minutes" if "minutes" in str(loc[-1] if loc else "") else "the number"
        shown = _show(value)
        return f"YAML reads {raw} as {shown} (base 60); write {unit}, e.g. {shown}, or put text in quotes"
    base = {"0x": "hexadecimal", "0b": "binary"}.get(digits[:2])
    meant = value
    if base is None and isinstance(value, int) and len(digits) > 1 and digits.startswith("0") and digits.isdigit():
        # 07 is 7 whichever way it is read; only a reading that changes the number is a surprise
        meant = int(raw.replace("_", ""), 10)
        base = "octal" if meant != value else None
    if base is None:
        return None
    return f"YAML reads {raw} as the {base} number {value}; write {meant}, or put it in quotes if it is text"


def _unused_anchors(rel: str, text: str, lines: list[str], loader: type) -> list[Problem]:
    """Refuse anchors no alias uses: text that starts with '&' becomes one, and YAML drops it silently."""
    if "&" not in text:
        return []
    marks: dict[str, yaml.Mark] = {}
    used: set[str] = set()
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                used.add(event.anchor)
            elif isinstance(event, yaml.NodeEvent) and event.anchor:
                marks.setdefault(event.anchor, event.start_mark)
    except yaml.YAMLError:  # composing succeeded, so this does not happen; the composed values stand
        return []
    problems = []
    for name, mark in marks.items():
        if name in used:
            continue
        written = _rest_of_line(lines, mark)
        fix = f"put text that starts with '&' in quotes: {quoted(written)}" if written != f"&{name}" else "remove it"
        problems.append(Problem(rel, mark.line + 1, f"YAML reads '&{name}' as an anchor and drops it; {fix}"))
    return problems
