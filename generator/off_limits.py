"""Topics interviewers must never raise: the shipped list, a workspace's additions, and matching."""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .workspace import PACKAGE_LOADER

DATA_PATH = Path(__file__).parent / "data" / "off-limits.yaml"
MAX_PATTERN_CHARS = 1000  #: longest pattern a workspace may add
MAX_REPEAT_COUNT = 1000  #: largest {m,n} count; re2 refuses bigger ones
#: memory re2 may use for one pattern's program and its match cache; past it re2 falls back to a
#: slower but still linear search, or refuses to compile a pattern that is too big
RE2_MAX_MEM = 8 << 20
SCREEN_MAX_MEM = 64 << 20  #: the same for all of a workspace's patterns in one program

# Workspace patterns run on re2, which never backtracks, but re2's \b and \w only know ASCII
# letters: "café" would not end at a word boundary and "réunion" would hold the word "union".
# So the text carries the boundaries itself: before every character, and at the end, goes one
# marker saying whether a word starts or ends there (Python's rule: a word character is one
# str.isalnum() accepts, or "_"). The pattern, read by Python's own parser so that its syntax
# means what a Python regular expression means, is rewritten for re2: \b reads a boundary
# marker, \B a plain one, and everything that matches a character may skip the marker before
# it. Markers are Unicode noncharacters, which no text should hold; a text's own are replaced.
_AT_BOUNDARY, _INSIDE = "\ufdd0", "\ufdd1"
_MARKS = r"\x{fdd0}\x{fdd1}"
_SKIP = rf"[{_MARKS}]?"
_NEVER = r"[^\x00-\x{10ffff}]"
_NO_MARKS = str.maketrans({_AT_BOUNDARY: "\ufffd", _INSIDE: "\ufffd"})
#: Python's \w, \d and \s for text, as re2 classes (\s: every character str.isspace() accepts)
_CLASSES = {
    sre.CATEGORY_WORD: r"\p{L}\p{N}_",
    sre.CATEGORY_DIGIT: r"\p{Nd}",
    sre.CATEGORY_SPACE: r"\t-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}",
}
_NEGATED = {
    sre.CATEGORY_NOT_WORD: sre.CATEGORY_WORD,
    sre.CATEGORY_NOT_DIGIT: sre.CATEGORY_DIGIT,
    sre.CATEGORY_NOT_SPACE: sre.CATEGORY_SPACE,
}
_LOOKAROUND = {
    (sre.ASSERT, -1): "a look-behind",
    (sre.ASSERT, 1): "a look-ahead",
    (sre.ASSERT_NOT, -1): "a negative look-behind",
    (sre.ASSERT_NOT, 1): "a negative look-ahead",
}
_UNSUPPORTED = {
    sre.GROUPREF: ("a backreference", "write out the text it repeats"),
    sre.GROUPREF_EXISTS: ("a conditional group", "write the alternatives with |"),
    sre.ATOMIC_GROUP: ("an atomic group", "use a plain group (?:...)"),
    sre.POSSESSIVE_REPEAT: ("a possessive quantifier", "drop the + that follows the quantifier"),
}


@dataclass(frozen=True)
class SafeMatch:
    """Where a workspace pattern matched, in the text it was given."""

    start: int
    end: int
    text: str

    def group(self) -> str:
        """Return the matched text, as `re.Match.group()` does."""
        return self.text


@dataclass(frozen=True)
class SafePattern:
    """A workspace pattern compiled for re2: its time is linear in the text, whatever it says."""

    pattern: str  #: as written in jdgen.yaml
    program: Any  #: the re2 expression, which reads marked text

    def search(self, text: str) -> SafeMatch | None:
        """Return the first match in `text`, or None."""
        found = self.program.search(_marked(text))
        if found is None:
            return None
        # in the marked text the character at i sits at 2i + 1 and its marker at 2i
        start, end = found.start() // 2, found.end() // 2
        return SafeMatch(start, end, text[start:end])


@dataclass(frozen=True)
class OffLimitsTopic:
    """One forbidden topic: its name, how the kit lists it, and the patterns that find it."""

    topic: str
    kit: str
    patterns: tuple[re.Pattern[str] | SafePattern, ...]


@dataclass(frozen=True)
class OffLimitsMatch:
    """Where a text touches a forbidden topic."""

    topic: str
    matched: str


class _UnsupportedError(Exception):
    """A pattern feature re2 cannot run; the message names it and says what to write instead."""


def builtin_topics() -> list[OffLimitsTopic]:
    """Load the topics shipped with jdgen."""
    # The shipped patterns stay on Python's re: one needs a look-ahead ("your health" but not
    # "your health check"), they are reviewed data, and none has nested or overlapping
    # repetition, so none can backtrack on a long text.
    return list(_builtin_topics())


@lru_cache(maxsize=1)
def _builtin_topics() -> tuple[OffLimitsTopic, ...]:
    entries = yaml.load(DATA_PATH.read_text(encoding="utf-8"), Loader=PACKAGE_LOADER)
    return tuple(
        OffLimitsTopic(entry["topic"], entry["kit"], tuple(re.compile(p, re.IGNORECASE) for p in entry["patterns"]))
        for entry in entries
    )


def find_off_limits(text: str, topics: list[OffLimitsTopic]) -> OffLimitsMatch | None:
    """Return the first forbidden topic `text` touches, or None."""
    shipped, workspace = _screens(topics)
    # most texts touch no topic: when a screen finds nothing, none of the patterns it joins can match
    skip_shipped = shipped is not None and shipped.search(text) is None
    skip_workspace = workspace is not None and workspace.search(_marked(text)) is None
    for topic in topics:
        for pattern in topic.patterns:
            if skip_workspace if isinstance(pattern, SafePattern) else skip_shipped:
                continue
            found = pattern.search(text)
            if found:
                return OffLimitsMatch(topic.topic, found.group())
    return None


#: the topic list screened last, and its screens: validation asks about every question with one list
_last_screens: tuple[list[OffLimitsTopic], re.Pattern[str] | None, Any | None] | None = None


def _screens(topics: list[OffLimitsTopic]) -> tuple[re.Pattern[str] | None, Any | None]:
    """Return one pattern matching wherever a shipped pattern of `topics` does, and one for the workspace's.

    Either is None where there is nothing to join. The shipped patterns stay on Python's re, so
    their screen is one Python pattern; the workspace's run on re2, so theirs is one re2 program.
    """
    global _last_screens
    if _last_screens is not None and _last_screens[0] is topics:
        return _last_screens[1], _last_screens[2]
    shipped = tuple(p for topic in topics for p in topic.patterns if not isinstance(p, SafePattern))
    programs = tuple(p.program.pattern for topic in topics for p in topic.patterns if isinstance(p, SafePattern))
    _last_screens = (
        topics,
        _join_shipped(tuple(p.pattern for p in shipped), frozenset(p.flags for p in shipped)),
        _compile_screen(programs) if len(programs) > 1 else None,
    )
    return _last_screens[1], _last_screens[2]


@lru_cache(maxsize=4)
def _join_shipped(patterns: tuple[str, ...], flags: frozenset[int]) -> re.Pattern[str] | None:
    """Join the shipped patterns into one; None for fewer than two, or patterns compiled with different flags."""
    if len(patterns) < 2 or len(flags) != 1:
        return None
    (common,) = flags
    # each in its own group, so one's alternatives and look-ahead stay its own
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), common)


@lru_cache(maxsize=4)
def _compile_screen(programs: tuple[str, ...]) -> Any | None:
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = SCREEN_MAX_MEM
    options.log_errors = False
    try:
        return re2.compile("|".join(f"(?:{program})" for program in programs), options)
    except re2.error:  # too big to screen them all at once: each pattern still runs on its own
        return None


@lru_cache(maxsize=256)
def compile_user_pattern(pattern: str) -> SafePattern:
    """Compile a workspace's pattern, case-insensitive; raise ValueError saying what to change."""
    import re2

    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(
            f"'{pattern[:40]}…' is {len(pattern)} characters long; jdgen accepts patterns of up to "
            f"{MAX_PATTERN_CHARS}: split it into several shorter patterns"
        )
    try:
        with warnings.catch_warnings():
            # Python warns of what a later version will read otherwise ("[[:alpha:]]", a nested set):
            # a pattern whose meaning may change is refused, not printed around as a FutureWarning
            warnings.simplefilter("error", FutureWarning)
            parsed = sre_parse.parse(pattern)
        rewritten = _rewrite(parsed, parsed.state.flags)
    except FutureWarning as warning:
        raise ValueError(
            f"'{pattern}' may change meaning in a later Python ({warning}); escape a literal '[' as '\\[', "
            "and write a class such as [[:alpha:]] as [a-z]"
        ) from None
    except re.error as err:
        raise ValueError(f"'{pattern}' is not a valid regular expression: {err}") from err
    except _UnsupportedError as err:
        raise ValueError(f"'{pattern}' uses {err}") from None
    except RecursionError:
        raise ValueError(f"'{pattern}' nests groups too deeply; write it with fewer levels of parentheses") from None
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = RE2_MAX_MEM
    options.log_errors = False
    try:
        return SafePattern(pattern, re2.compile(rewritten, options))
    except re2.error as err:
        reason = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
        raise ValueError(f"'{pattern}' is too complex for jdgen's safe matcher ({reason}); simplify it") from None


@lru_cache(maxsize=16)
def _marked(text: str) -> str:
    """Return `text` with a marker before each character and at the end: does a word start or end there?"""
    pieces = []
    previous = False
    for char in text.translate(_NO_MARKS):
        word = char.isalnum() or char == "_"
        pieces.append(_AT_BOUNDARY if word != previous else _INSIDE)
        pieces.append(char)
        previous = word
    pieces.append(_AT_BOUNDARY if previous else _INSIDE)
    return "".join(pieces)


def _refuse(feature: str, fix: str = "write the pattern without it") -> _UnsupportedError:
    return _UnsupportedError(f"{feature}, which jdgen's safe matcher does not support; {fix}")


def _rewrite(items, flags: int) -> str:
    """Return the re2 form of a parsed sequence, under the scoped `flags`."""
    if flags & sre.SRE_FLAG_ASCII:
        raise _refuse("the ASCII flag (?a)", "remove it")
    pieces = []
    previous_test = None
    for op, av in items:
        if op is sre.AT and av in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            # two tests in a row read the same marker, so they are merged into one
            if previous_test is not None:
                if previous_test != av:
                    pieces[-1] = _NEVER
                continue
            previous_test = av
        else:
            previous_test = None
        pieces.append(_rewrite_item(op, av, flags))
    return "".join(pieces)


def _rewrite_item(op, av, flags: int) -> str:
    """Return the re2 form of one parsed element."""
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        raise _refuse(_LOOKAROUND[op, av[0]])
    if op in _UNSUPPORTED:
        raise _refuse(*_UNSUPPORTED[op])
    if op is sre.LITERAL:  # a marker in the pattern could only match jdgen's own markers
        return _SKIP + (_NEVER if chr(av) in (_AT_BOUNDARY, _INSIDE) else _char(av))
    if op is sre.NOT_LITERAL:
        return f"{_SKIP}[^{_char(av)}{_MARKS}]"
    if op is sre.ANY:
        return f"{_SKIP}[^{_MARKS}]" if flags & sre.SRE_FLAG_DOTALL else rf"{_SKIP}[^\n{_MARKS}]"
    if op is sre.IN:
        return _SKIP + _rewrite_set(av)
    if op is sre.BRANCH:
        return "(?:" + "|".join(_rewrite(branch, flags) for branch in av[1]) + ")"
    if op is sre.SUBPATTERN:
        return _rewrite_group(av, flags)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return _rewrite_repeat(av, flags, lazy=op is sre.MIN_REPEAT)
    if op is sre.AT:
        return _rewrite_at(av, flags)
    raise _refuse(f"'{op}'")


def _rewrite_group(av, flags: int) -> str:
    _, added, removed, items = av
    inner = _rewrite(items, (flags | added) & ~removed)
    if added & sre.SRE_FLAG_IGNORECASE:
        return f"(?i:{inner})"
    if removed & sre.SRE_FLAG_IGNORECASE:
        return f"(?-i:{inner})"
    return f"(?:{inner})"


def _rewrite_repeat(av, flags: int, lazy: bool) -> str:
    low, high, items = av
    if low > MAX_REPEAT_COUNT or (high is not sre.MAXREPEAT and high > MAX_REPEAT_COUNT):
        raise _refuse(f"a repetition count over {MAX_REPEAT_COUNT}", "use a smaller count, or + or *")
    if high is sre.MAXREPEAT:
        count = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    else:
        count = "?" if (low, high) == (0, 1) else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
    return f"(?:{_rewrite(items, flags)}){count}" + ("?" if lazy else "")


def _rewrite_at(av, flags: int) -> str:
    multiline = flags & sre.SRE_FLAG_MULTILINE
    if av is sre.AT_BOUNDARY:
        return r"\x{fdd0}"
    if av is sre.AT_NON_BOUNDARY:
        return r"\x{fdd1}"
    if av is sre.AT_BEGINNING:
        return "(?m:^)" if multiline else r"\A"
    if av is sre.AT_BEGINNING_STRING:
        return r"\A"
    if av is sre.AT_END and multiline:
        return f"{_SKIP}(?m:$)"
    if av is sre.AT_END:  # Python's $ also matches before a newline that ends the text
        return rf"{_SKIP}(?:\n{_SKIP})?\z"
    if av is sre.AT_END_STRING:
        return rf"{_SKIP}\z"
    raise _refuse(f"'{av}'")


def _rewrite_set(items) -> str:
    """Return the re2 form of a [...] set; no set ever matches a marker."""
    negated = items[0][0] is sre.NEGATE
    inside, apart = [], []
    for op, av in items[1:] if negated else items:
        if op is sre.LITERAL and chr(av) not in (_AT_BOUNDARY, _INSIDE):
            inside.append(_char(av))
        elif op is sre.RANGE:
            inside += _ranges_without_marks(*av)
        elif op is sre.CATEGORY and av in _CLASSES:
            inside.append(_CLASSES[av])
        elif op is sre.CATEGORY and negated and av is sre.CATEGORY_NOT_DIGIT:
            inside.append(r"\P{Nd}")
        elif op is sre.CATEGORY and negated:
            raise _refuse(r"\W or \S inside [^...]", "write the set without it, e.g. [a-zà-öø-ÿ] for letters")
        elif op is sre.CATEGORY:
            # re2 cannot take a negated class inside a set, so it becomes an alternative
            apart.append(f"[^{_CLASSES[_NEGATED[av]]}{_MARKS}]")
    if negated:
        return f"[^{''.join(inside)}{_MARKS}]"
    alternatives = ([f"[{''.join(inside)}]"] if inside else []) + apart
    if not alternatives:
        return _NEVER
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def _ranges_without_marks(low: int, high: int) -> list[str]:
    marks = (ord(_AT_BOUNDARY), ord(_INSIDE))
    if high < marks[0] or low > marks[1]:
        return [f"{_char(low)}-{_char(high)}"]
    pieces = [(low, marks[0] - 1), (marks[1] + 1, high)]
    return [f"{_char(a)}-{_char(b)}" for a, b in pieces if a <= b]


def _char(code: int) -> str:
    return chr(code) if chr(code).isascii() and chr(code).isalnum() else f"\\x{{{code:x}}}"
