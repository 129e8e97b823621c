"""Apply the language rules to a posting: word rules per piece of text, then whole-posting checks."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

from .rules import LEVEL_RANK, Level, Rules
from .sources import PostingText, Segment, title_matcher

#: pyphen's en_US patterns, parsed once by scripts/make_hyphenation_data.py and shipped with jdgen
HYPHENATION_DATA = Path(__file__).resolve().parent.parent / "data" / "hyph-en-us.json"

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CONTEXT_CHARS = 30


@dataclass(frozen=True)
class Finding:
    """One thing a rule found, pointing at where the text was written."""

    rule: str
    level: Level
    message: str
    fix: str
    path: str
    line: int | None
    field: str
    match: str
    context: str


@dataclass(frozen=True)
class Metrics:
    """Figures about the whole posting."""

    words: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    masculine: tuple[str, ...]
    feminine: tuple[str, ...]

    @property
    def gender_score(self) -> int:
        """Return feminine minus masculine coded words, Gender Decoder's score."""
        return len(self.feminine) - len(self.masculine)


@dataclass(frozen=True)
class LintSettings:
    """What the workspace asks of the checker."""

    disabled: frozenset[str] = frozenset()
    allowed: tuple[str, ...] = ()  #: words and phrases never flagged
    today: datetime.date | None = None  #: the build's day, for laws by date; None: pay-law checks are not run


class AllowedSpans:
    """Spans the allow list protects in one piece of text, sorted, none overlapping another."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []  #: sorted too, since the spans do not overlap

    def overlaps(self, start: int, end: int) -> bool:
        """Return whether (start, end) shares a character with a protected span."""
        # the first span that ends after `start` is the only one that can begin before `end`
        index = bisect_right(self.ends, start)
        return index < len(self.starts) and self.starts[index] < end

    def add(self, spans: Iterable[tuple[int, int]]) -> None:
        """Protect the spans of one allowed phrase, each unless it overlaps one protected before."""
        fresh = [(start, end) for start, end in spans if not self.overlaps(start, end)]
        merged = sorted([*zip(self.starts, self.ends, strict=True), *fresh])
        self.starts, self.ends = [start for start, _ in merged], [end for _, end in merged]


def select_hits(allowed: AllowedSpans, hits: Iterable[tuple[int, int]]) -> list[int]:
    """Return the indexes of the hits to report; `hits` are non-empty, in priority order, starts ascending."""
    # A hit is dropped when it overlaps a protected span or a hit reported before it. Those hits
    # all start at or before it, so it overlaps one of them exactly when it starts before the
    # furthest end reported so far: one comparison instead of a scan of every earlier hit.
    chosen, furthest = [], -1
    for index, (start, end) in enumerate(hits):
        if start < furthest or allowed.overlaps(start, end):
            continue
        chosen.append(index)
        furthest = max(furthest, end)
    return chosen


def check_words(text: PostingText, rules: Rules, settings: LintSettings) -> list[Finding]:
    """Run every word rule over every piece of text; a span is reported once, by the first rule."""
    findings = []
    active = [rule for rule in rules.word_rules if rule.id not in settings.disabled]
    allowed = _allowed_patterns(settings.allowed)
    for segment in text.segments:
        protected = AllowedSpans()
        for pattern in allowed:
            protected.add(match.span() for match in pattern.finditer(segment.text))
        # earliest first, then the longest, then the rule listed first
        hits = sorted(
            (
                (m.start(), -(m.end() - m.start()), order, m)
                for order, rule in enumerate(active)
                for m in rule.pattern.finditer(segment.text)
                if m.end() > m.start()
            ),
            key=itemgetter(0, 1, 2),
        )
        for index in select_hits(protected, ((start, start - negative) for start, negative, _, _ in hits)):
            _, _, order, match = hits[index]
            rule = active[order]
            findings.append(_finding(rule.id, rule.level, rule.message, rule.fix, segment, match))
    return findings


def measure(text: PostingText, rules: Rules, rendered_words: int) -> Metrics:
    """Count coded words and compute readability over the posting's own text."""
    masculine, feminine = [], []
    # job titles and the company name are not the posting's wording
    titles = text.title_pattern if text.title_pattern is not None else title_matcher(text.titles)
    seen: dict[str, tuple[list[str], list[str]]] = {}  # a posting repeats its words: judge each once
    for segment in text.segments:
        plain = titles.sub(" ", segment.text) if titles is not None else segment.text
        for token in _WORD.findall(plain):
            if token not in seen:
                spare = rules.gender_spare
                seen[token] = (_coded(token, rules.masculine, spare), _coded(token, rules.feminine, spare))
            male, female = seen[token]
            masculine += male
            feminine += female
    ease, grade = readability(segment.text for segment in text.segments)
    return Metrics(rendered_words, ease, grade, tuple(masculine), tuple(feminine))


def check_posting(text: PostingText, metrics: Metrics, rules: Rules, settings: LintSettings) -> list[Finding]:
    """Checks about the whole posting: coded balance, readability, length, must-haves, benefits, EEO."""
    checks: list[tuple[str, dict, str]] = []
    score = metrics.gender_score
    if score <= -1:
        verdict = "strongly masculine-coded" if score <= -4 else "masculine-coded"
        counts = {"verdict": verdict, "masculine": len(metrics.masculine), "feminine": len(metrics.feminine)}
        checks.append(("gender-coded", counts, ", ".join(sorted(set(metrics.masculine)))))
    if metrics.flesch_reading_ease < 60 or metrics.flesch_kincaid_grade > 10:
        figures = {"ease": metrics.flesch_reading_ease, "grade": metrics.flesch_kincaid_grade}
        checks.append(("readability", figures, ""))
    if not 300 <= metrics.words <= 700:
        checks.append(("length", {"words": metrics.words}, ""))
    if text.must_haves > 7:
        checks.append(("too-many-must-haves", {"count": text.must_haves}, ""))
    if not text.has_benefits:
        checks.append(("missing-benefits", {}, ""))
    if not re.search(r"equal (employment )?opportunit", text.eeo_statement, re.IGNORECASE):
        checks.append(("missing-eeo", {}, ""))
    if missing := missing_grounds(text, rules):
        checks.append(("eeo-incomplete", {"country": text.country, "missing": _listed(missing)}, ""))
    findings = []
    for rule_id, values, matched in checks:
        if rule_id in settings.disabled:
            continue
        rule = rules.posting_rules[rule_id]
        # only a strongly masculine-coded posting gets the rule's level; a milder one is a notice
        level: Level = "notice" if rule_id == "gender-coded" and score > -4 else rule.level
        message = rule.message.format(**values)
        findings.append(
            Finding(rule_id, level, message, rule.fix, text.role_path, text.role_line, "posting", matched, "")
        )
    return findings


def missing_grounds(text: PostingText, rules: Rules) -> list[str]:
    """Return the protected grounds of the posting's country that its EEO statement does not name."""
    grounds = rules.eeo_grounds.get(text.country or "", ())
    return [ground.name for ground in grounds if not ground.pattern.search(text.eeo_statement)]


def readability(pieces) -> tuple[float, float]:
    """Return Flesch reading ease and Flesch-Kincaid grade, each bullet or line counted as a sentence."""
    sentences = words = syllables = 0
    for piece in pieces:
        for sentence in _SENTENCE_END.split(piece.strip()):
            tokens = _WORD.findall(sentence)
            if not tokens:
                continue
            sentences += 1
            words += len(tokens)
            syllables += sum(map(_syllables, tokens))
    if not words:
        return 100.0, 0.0
    per_sentence, per_word = words / sentences, syllables / words
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word, 0.39 * per_sentence + 11.8 * per_word - 15.59


def worst(findings: list[Finding]) -> Level | None:
    """Return the most serious level among the findings."""
    return max((f.level for f in findings), key=LEVEL_RANK.__getitem__, default=None)


@lru_cache(maxsize=8)
def _allowed_patterns(allowed: tuple[str, ...]) -> list[re.Pattern[str]]:
    """Compile the allow list once for every posting of a workspace."""
    return [re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE) for phrase in allowed]


@lru_cache(maxsize=1 << 16)
def _syllables(token: str) -> int:
    return len(_hyphenator().positions(token)) + 1


@cache
def _hyphenator():
    """Return the en_US hyphenator, its patterns read already parsed from jdgen's data.

    pyphen parses its dictionary file on first use, about 0.14 s of every run that lints;
    scripts/make_hyphenation_data.py stores that parse, and a test keeps the two equal.
    """
    import json

    import pyphen

    source = pyphen.LANGUAGES["en_US"]
    if source not in pyphen.hdcache:
        data = json.loads(HYPHENATION_DATA.read_text(encoding="utf-8"))
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns = {tag: (start, tuple(values)) for tag, (start, values) in data["patterns"].items()}
        parsed.maxlen = data["maxlen"]
        parsed.cache = {}
        pyphen.hdcache[source] = parsed
    return pyphen.Pyphen(lang="en_US")


def _listed(names: list[str]) -> str:
    """Return names as prose: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _coded(token: str, stems: re.Pattern[str], spare: frozenset[str]) -> list[str]:
    word = token.lower().strip("'-")
    if word in spare:
        return []
    parts = [word, *word.split("-")] if "-" in word else [word]
    for part in parts:
        if part not in spare and stems.match(part):
            return [part]
    return []


def _finding(rule_id: str, level: Level, message: str, fix: str, segment: Segment, match: re.Match[str]) -> Finding:
    start, end = match.span()
    text = segment.text
    before = ("…" if start > CONTEXT_CHARS else "") + text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS] + ("…" if end + CONTEXT_CHARS < len(text) else "")
    context = " ".join(f"{before}{match.group()}{after}".split())
    return Finding(rule_id, level, message, fix, segment.path, segment.line, segment.field, match.group(), context)
