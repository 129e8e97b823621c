"""Apply the language rules to a posting: word rules per piece of text, then whole-posting checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .rules import LEVEL_RANK, Level, Rules
from .sources import PostingText, Segment

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


@dataclass
class _Spans:
    taken: list[tuple[int, int]] = field(default_factory=list)

    def claim(self, start: int, end: int) -> bool:
        if any(start < other_end and other_start < end for other_start, other_end in self.taken):
            return False
        self.taken.append((start, end))
        return True


def check_words(text: PostingText, rules: Rules, settings: LintSettings) -> list[Finding]:
    """Run every word rule over every piece of text; a span is reported once, by the first rule."""
    findings = []
    active = [rule for rule in rules.word_rules if rule.id not in settings.disabled]
    allowed = [re.compile(rf"(?<![\w-]){re.escape(a)}(?![\w-])", re.IGNORECASE) for a in settings.allowed]
    for segment in text.segments:
        spans = _Spans()
        for pattern in allowed:
            for match in pattern.finditer(segment.text):
                spans.claim(*match.span())
        hits = [
            (m.start(), -(m.end() - m.start()), order, m)
            for order, rule in enumerate(active)
            for m in rule.pattern.finditer(segment.text)
        ]
        for _, _, order, match in sorted(hits, key=lambda hit: hit[:3]):
            if match.end() > match.start() and spans.claim(*match.span()):
                rule = active[order]
                findings.append(_finding(rule.id, rule.level, rule.message, rule.fix, segment, match))
    return findings


def measure(text: PostingText, rules: Rules, rendered_words: int) -> Metrics:
    """Count coded words and compute readability over the posting's own text."""
    masculine, feminine = [], []
    for segment in text.segments:
        plain = segment.text
        for title in text.titles:  # job titles and the company name are not the posting's wording
            plain = re.sub(re.escape(title), " ", plain, flags=re.IGNORECASE)
        for token in _WORD.findall(plain):
            masculine += _coded(token, rules.masculine, rules.gender_spare)
            feminine += _coded(token, rules.feminine, rules.gender_spare)
    ease, grade = readability(segment.text for segment in text.segments)
    return Metrics(rendered_words, ease, grade, tuple(masculine), tuple(feminine))


def check_posting(text: PostingText, metrics: Metrics, rules: Rules, settings: LintSettings) -> list[Finding]:
    """Checks about the whole posting: coded balance, readability, length, must-haves, benefits, EEO."""
    checks: list[tuple[str, Level, dict, str]] = []
    score = metrics.gender_score
    if score <= -1:
        verdict = "strongly masculine-coded" if score <= -4 else "masculine-coded"
        level: Level = "warning" if score <= -4 else "notice"
        counts = {"verdict": verdict, "masculine": len(metrics.masculine), "feminine": len(metrics.feminine)}
        checks.append(("gender-coded", level, counts, ", ".join(sorted(set(metrics.masculine)))))
    if metrics.flesch_reading_ease < 60 or metrics.flesch_kincaid_grade > 10:
        figures = {"ease": metrics.flesch_reading_ease, "grade": metrics.flesch_kincaid_grade}
        checks.append(("readability", "notice", figures, ""))
    if not 300 <= metrics.words <= 700:
        checks.append(("length", "notice", {"words": metrics.words}, ""))
    if text.must_haves > 7:
        checks.append(("too-many-must-haves", "warning", {"count": text.must_haves}, ""))
    if not text.has_benefits:
        checks.append(("missing-benefits", "warning", {}, ""))
    if not re.search(r"equal (employment )?opportunit", text.eeo_statement, re.IGNORECASE):
        checks.append(("missing-eeo", "error", {}, ""))
    findings = []
    for rule_id, level, values, matched in checks:
        if rule_id in settings.disabled:
            continue
        rule = rules.posting_rules[rule_id]
        message = rule.message.format(**values)
        findings.append(
            Finding(rule_id, level, message, rule.fix, text.role_path, text.role_line, "posting", matched, "")
        )
    return findings


def readability(pieces) -> tuple[float, float]:
    """Return Flesch reading ease and Flesch-Kincaid grade, each bullet or line counted as a sentence."""
    import pyphen

    dictionary = pyphen.Pyphen(lang="en_US")
    sentences = words = syllables = 0
    for piece in pieces:
        for sentence in _SENTENCE_END.split(piece.strip()):
            tokens = _WORD.findall(sentence)
            if not tokens:
                continue
            sentences += 1
            words += len(tokens)
            syllables += sum(len(dictionary.positions(token)) + 1 for token in tokens)
    if not words:
        return 100.0, 0.0
    per_sentence, per_word = words / sentences, syllables / words
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word, 0.39 * per_sentence + 11.8 * per_word - 15.59


def worst(findings: list[Finding]) -> Level | None:
    """Return the most serious level among the findings."""
    return max((f.level for f in findings), key=LEVEL_RANK.__getitem__, default=None)


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
