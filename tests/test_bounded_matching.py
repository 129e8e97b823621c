"""Matching that cannot run away: workspace patterns on re2, lint linear in its findings, titles matched once."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.lint import rules as lint_rules
from generator.lint.checker import AllowedSpans, LintSettings, _finding, check_words, measure, select_hits
from generator.lint.rules import load_rules
from generator.lint.sources import PostingText, Segment, posting_text, title_matcher
from generator.off_limits import OffLimitsTopic, builtin_topics, compile_user_pattern, find_off_limits
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

REPO = Path(__file__).resolve().parent.parent
AREA = "competencies/delivery.yaml"
ROLE = "competencies/roles/coordinator.yaml"
QUESTION = "        text: Question 1 about plans projects?"
#: seconds: generous, to prove only that nothing hangs (the old code took minutes, or forever)
TIMEOUT = 60


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text()
    assert old in text
    (root / rel).write_text(text.replace(old, new, 1))


def _add_topic(root: Path, *patterns: str, kit: str | None = None) -> None:
    """Append one workspace topic to jdgen.yaml; its first pattern lands on line 20."""
    listed = "".join(f"        - '{pattern.replace(chr(39), chr(39) * 2)}'\n" for pattern in patterns)
    kit_line = f"      kit: {kit}\n" if kit else ""
    config = root / "jdgen.yaml"
    assert len(config.read_text().splitlines()) == 15
    config.write_text(
        config.read_text() + f"interview:\n  off_limits:\n    - topic: runaway\n{kit_line}      patterns:\n{listed}"
    )


def _jdgen(root: Path, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "generator", "--workspace", str(root), *args]
    return subprocess.run(command, timeout=TIMEOUT, text=True, stdout=stdout, stderr=subprocess.PIPE, check=False)


# --- workspace patterns on re2 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "matched"),
    [
        ("(a+)+$", "Rate this " + "a" * 50_000 + "!", None),
        ("(a+)+$", "Rate this " + "a" * 50_000, "a" * 50_000),
        ("(x+x+)+y", "Rate this " + "x" * 50_000, None),
        ("(x+x+)+y", "Rate this " + "x" * 50_000 + "y", "x" * 50_000 + "y"),
    ],
)
def test_a_catastrophic_pattern_finishes_with_the_right_verdict(minimal: Path, pattern, text, matched) -> None:
    _add_topic(minimal, pattern)
    _edit(minimal, AREA, QUESTION, f"        text: {text}")
    result = _jdgen(minimal, "validate")
    if matched:
        assert result.returncode == 1
        assert result.stderr.startswith(
            f"{AREA}:16: question 'plans-projects-q1' touches an off-limits topic, runaway ('{matched}'); "
        )
    else:
        assert result.returncode == 0, result.stderr[:300]
        assert "valid; 2 roles" in result.stdout


def test_patterns_the_safe_matcher_cannot_run_are_located_with_the_fix(runner, minimal: Path) -> None:
    _add_topic(minimal, r"\bunion\b", "(?<=x)y", r"(\w)\1", "a++")
    result = runner.invoke(cli, ["--workspace", str(minimal), "validate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "jdgen.yaml:21: interview.off_limits[0].patterns[1]: '(?<=x)y' uses a look-behind, which jdgen's safe "
        "matcher does not support; write the pattern without it",
        r"jdgen.yaml:22: interview.off_limits[0].patterns[2]: '(\w)\1' uses a backreference, which jdgen's safe "
        "matcher does not support; write out the text it repeats",
        "jdgen.yaml:23: interview.off_limits[0].patterns[3]: 'a++' uses a possessive quantifier, which jdgen's "
        "safe matcher does not support; drop the + that follows the quantifier",
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "a" * 1001,
            "'" + "a" * 40 + "…' is 1001 characters long; jdgen accepts patterns of up to 1000: "
            "split it into several shorter patterns",
        ),
        (
            r"[\w\d]{1000}\w{1000}",
            r"'[\w\d]{1000}\w{1000}' is too complex for jdgen's safe matcher (pattern too large - compile "
            "failed); simplify it",
        ),
        ("a{1001}", "'a{1001}' uses a repetition count over 1000, which jdgen's safe matcher does not support"),
    ],
)
def test_an_oversized_pattern_is_located(runner, minimal: Path, pattern: str, message: str) -> None:
    _add_topic(minimal, pattern)
    result = runner.invoke(cli, ["--workspace", str(minimal), "validate"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"jdgen.yaml:20: interview.off_limits[0].patterns[0]: {message}")


def _messages(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(root, builtin=False))
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("question", "matched"),
    [
        ("Would you join a UNION?", "UNION"),
        ("Êtes-vous SYNDIQUÉE ?", "SYNDIQUÉE"),  # re2's own \b would see no word end after the É
    ],
)
def test_workspace_patterns_match_whole_words_in_any_case(minimal: Path, question: str, matched: str) -> None:
    _add_topic(minimal, r"\bunion\b", r"\bsyndiqué(e)?\b")
    _edit(minimal, AREA, QUESTION, f"        text: {question}")
    assert _messages(minimal) == [
        f"{AREA}:16: question 'plans-projects-q1' touches an off-limits topic, runaway ('{matched}'); "
        "interviewers must never raise it: reword or remove it"
    ]


def test_a_word_holding_a_forbidden_one_passes_and_the_kit_lists_the_topic(minimal: Path) -> None:
    _add_topic(minimal, r"\bunion\b", kit="union membership")
    _edit(minimal, AREA, QUESTION, "        text: How do you run a réunion de lancement?")
    from generator.assemble import assemble_kit

    kit = assemble_kit(load_workspace(WorkspaceDirs(minimal, builtin=False)), "coordinator", "mid")
    assert "union membership" in kit.off_limits
    assert "age or birth year" in kit.off_limits


# Python's re is the reference: on patterns it runs quickly, the safe matcher must agree with it,
# match for match, on ASCII and non-ASCII text alike.
AGREEING_PATTERNS = [
    r"\bunion\b", r"\bcafé\b", r"caf[eé]", r"\w+", r"\W+", r"\d+", r"\D\d", r"\s+", r"\S+", r"[^\d\s]+",
    r"\Bni\B", r"ni\b", r"\b(married|single)\b", r"\b(?:very )?old\b", r"^how", r"you$", r"you\Z", r"\Ahow",
    r"a.b", r"(?s)a.b", r"[^a]+", r"[a-c]{2,3}", r"x{0,2}?y", r"(?i:ÉTÉ)", r"(?-i:Abc)", r"(ab|a)c",
    r"\b\bfoo", r"\b\Bfoo", r"[\w-]+", r"[\W_]+", r"[^\D]+", r"(?x) how \s old  # verbose", r"\bstra(ß|ss)e\b",
    r"\b\d{4}\b", r"(\bfoo|bar)\b", r"(?:foo\b|bar)baz", r"\bage\b|\bold\b", r"[ab]*?c", r"\bün", r"n\b",
    r"\N{LATIN SMALL LETTER E WITH ACUTE}t\u00e9", r"\x41ge",
]  # fmt: skip
TEXTS = [
    "union", "réunion", "Union!", "a union-member", "café", "Café au lait", "CAFÉ", "élan", "married", "very old",
    "How old", "how are you", "foo", "foobar baz", "fooba", "barbaz", "été", "Abc", "ABC", "straße", "strasse",
    "Année 2024", "٣ ١٢٣٤", "a\u00a0b", "a\u3000b", "x\ny", "a\nb", "ab c", "ü", "Kün", "n", "a\ufdd0union",
    "union\ufdd1", "", " ", "_x_", "né", "x-y", "yyyxxy", "age", "Age", "AGE",
]  # fmt: skip


@pytest.mark.parametrize("pattern", AGREEING_PATTERNS)
def test_the_safe_matcher_agrees_with_python_re(pattern: str) -> None:
    safe, reference = compile_user_pattern(pattern), re.compile(pattern, re.IGNORECASE)
    for text in TEXTS:
        expected = reference.search(text)
        found = safe.search(text)
        assert (found and (found.start, found.end, found.group())) == (
            expected and (*expected.span(), expected.group())
        ), text


def test_with_many_workspace_topics_the_first_that_matches_is_reported() -> None:
    # one screening search over every workspace pattern decides whether each must run
    topics = builtin_topics() + [
        OffLimitsTopic(f"topic {n}", f"topic {n}", (compile_user_pattern(rf"\bword{n}\b"), compile_user_pattern(p)))
        for n, p in enumerate([r"\bunion\b", r"caf[eé]", r"(a+)+$", r"\bsyndiqu", r"x{3}"] * 8)
    ]
    rng = random.Random(2)
    pieces = ["word3", "word12", "union", "réunion", "CAFÉ", "aaa", "x", "xx", "syndiqué", "How old", "plan", " "]
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        expected = next(
            ((topic.topic, found.group()) for topic in topics for p in topic.patterns if (found := p.search(text))),
            None,
        )
        found = find_off_limits(text, topics)
        assert (found and (found.topic, found.matched)) == expected, text


def test_white_space_is_what_python_calls_white_space() -> None:
    safe, reference = compile_user_pattern(r"a\sb"), re.compile(r"a\sb")
    for code in range(0x3001):  # the last white-space character is U+3000
        text = f"a{chr(code)}b"
        assert bool(safe.search(text)) == bool(reference.search(text)), hex(code)


# --- lint: linear in its findings -----------------------------------------------------------

#: words each flagged by exactly one rule, below the error level
FLAGGED = {
    "rockstar": "joke-title",
    "ninja": "joke-title",
    "guru": "joke-title",
    "crazy": "ableist",
    "insane": "ableist",
    "synergy": "jargon",
    "paradigm": "jargon",
    "juggle": "pressure",
    "dude": "bro-culture",
    "hardcore": "bro-culture",
}


def test_a_posting_full_of_flagged_words_lints_in_time(minimal: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    summary = [rng.choice(list(FLAGGED)) for _ in range(100_000)]
    about = [rng.choice(list(FLAGGED)) for _ in range(100_000)]
    _edit(minimal, ROLE, "summary: Keeps delivery work moving.", "summary: " + " ".join(summary))
    _edit(
        minimal,
        ROLE,
        "about: |-\n  You keep our delivery work on track.\n\n  You work with every team.",
        "about: " + " ".join(about),
    )
    assert 1_400_000 < (minimal / ROLE).stat().st_size < 2_000_000
    with (tmp_path / "lint.txt").open("w") as out:
        result = _jdgen(minimal, "lint", "coordinator", stdout=out)
    assert result.returncode == 0, result.stderr
    found = Counter()
    with (tmp_path / "lint.txt").open() as lines:
        for line in lines:
            if match := re.match(rf"{ROLE}:\d+ (summary|about): \w+ \[([a-z-]+)\] '(\w+)'", line):
                found[match.groups()] += 1
    expected = Counter(("summary", FLAGGED[w], w) for w in summary) + Counter(("about", FLAGGED[w], w) for w in about)
    assert found == expected


def _claim_one_by_one(allowed: list[list[tuple[int, int]]], hits: list[tuple[int, int]]) -> list[int]:
    """The checker as it was: every claim compared with every span taken before it."""
    taken: list[tuple[int, int]] = []

    def claim(start: int, end: int) -> bool:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return False
        taken.append((start, end))
        return True

    for spans in allowed:
        for span in spans:
            claim(*span)
    return [index for index, hit in enumerate(hits) if claim(*hit)]


def _random_case(rng: random.Random) -> tuple[list[list[tuple[int, int]]], list[tuple[int, int]]]:
    length = rng.randint(1, 120)
    allowed = []
    for _ in range(rng.randint(0, 4)):  # like finditer: ascending, no overlap within one phrase
        spans, position = [], rng.randint(0, 10)
        while position < length:
            end = position + rng.randint(1, 8)
            spans.append((position, end))
            position = end + rng.randint(0, 12)
        allowed.append(spans)
    hits = {(start, -rng.randint(1, 15), rng.randint(0, 5)) for start in (rng.randrange(length) for _ in range(60))}
    return allowed, [(start, start - negative) for start, negative, _ in sorted(hits)]


def test_span_selection_agrees_with_claiming_one_by_one() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        allowed, hits = _random_case(rng)
        protected = AllowedSpans()
        for spans in allowed:
            protected.add(spans)
        assert select_hits(protected, hits) == _claim_one_by_one(allowed, hits), (allowed, hits)


def test_findings_agree_with_the_old_checker_on_random_postings() -> None:
    rules = load_rules()
    vocabulary = ["rock star", "rockstar", "work hard play hard", "work hard", "play hard", "hot new", "new",
                  "high pressure", "work under pressure", "blind spot", "blind to", "ping pong", "he/she", "he",
                  "she", "salary history", "current salary", "DOE", "up to", "salary", "$90k+", "5 years",
                  "3-5 years", "plan", "the", "team", ",", "-", "Hell", "hello"]  # fmt: skip
    rng = random.Random(5)
    for _ in range(300):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 40)))
        allowed = tuple(rng.sample(["play hard", "blind", "ping pong", "new", "he"], rng.randint(0, 3)))
        settings = LintSettings(allowed=allowed)
        segment = Segment(text, "x.yaml", 1, "summary")
        posting = PostingText((segment,), "x.yaml", 1, (), 3, True, "")
        assert check_words(posting, rules, settings) == _old_check_words(segment, rules, allowed), text


def _old_check_words(segment: Segment, rules, allowed: tuple[str, ...]) -> list:
    """The findings as the checker made them before: sorted hits, each claimed against every earlier one."""
    text, active = segment.text, list(rules.word_rules)
    phrases = [re.compile(rf"(?<![\w-]){re.escape(a)}(?![\w-])", re.IGNORECASE) for a in allowed]
    spans = [[m.span() for m in phrase.finditer(text)] for phrase in phrases]
    hits = [
        (m.start(), m.start() - m.end(), order, m) for order, r in enumerate(active) for m in r.pattern.finditer(text)
    ]
    hits = [hit for hit in sorted(hits, key=lambda hit: hit[:3]) if hit[3].end() > hit[3].start()]
    chosen = [hits[index] for index in _claim_one_by_one(spans, [hit[3].span() for hit in hits])]
    return [_finding(active[order].id, active[order].level, active[order].message, active[order].fix, segment, match)
            for _, _, order, match in chosen]  # fmt: skip


def test_each_word_rule_matches_as_one_alternative_per_term_did() -> None:
    # the start-of-word test now comes once before all of a rule's terms instead of before each
    data = lint_rules._RulesData.model_validate(
        yaml.safe_load((lint_rules.DATA_DIR / "rules.yaml").read_text(encoding="utf-8"))
    )
    rng = random.Random(3)
    for rule, compiled in zip(data.word_rules, load_rules().word_rules, strict=True):
        if not rule.terms:
            continue
        terms = sorted(rule.terms, key=len, reverse=True)
        per_term = re.compile(
            "|".join(rf"(?<![\w'-]){lint_rules._term_regex(term)}" for term in terms)
            + "".join(f"|(?:{pattern})" for pattern in rule.patterns),
            re.IGNORECASE,
        )
        pieces = [t.rstrip("*") for t in terms] + ["x", "-", "'", " ", ",", "ing", "A"]
        for _ in range(200):
            text = "".join(rng.choice([*pieces, " "]) for _ in range(12))
            text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
            assert [m.span() for m in compiled.pattern.finditer(text)] == [m.span() for m in per_term.finditer(text)], (
                rule.id,
                text,
            )


# --- titles matched once --------------------------------------------------------------------


def test_coded_words_are_counted_as_with_one_substitution_per_title() -> None:
    workspace = load_workspace(WorkspaceDirs(REPO, builtin=False))
    rules = load_rules()
    for role_id, role in workspace.roles.items():
        text = posting_text(workspace, role_id, role.default_level)
        plain = []
        for segment in text.segments:
            stripped = segment.text
            for title in sorted(text.titles, key=len, reverse=True):
                stripped = re.sub(re.escape(title), " ", stripped, flags=re.IGNORECASE)
            plain.append(Segment(stripped, segment.path, segment.line, segment.field))
        reference = measure(PostingText(tuple(plain), "x", 1, (), 0, True, ""), rules, 0)
        metrics = measure(text, rules, 0)
        assert (metrics.masculine, metrics.feminine) == (reference.masculine, reference.feminine), role_id
        assert metrics.masculine or metrics.feminine


def _longest_first(titles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)), re.IGNORECASE)


@pytest.mark.parametrize(
    "titles",
    [
        ("Lead", "Lead Engineer", "Senior Lead Engineer", "Engineer", "LEAD ENGINEER II", "Acme", "Acme Corp"),
        tuple("a" * n for n in range(1, 301)),  # deeper than the trie nests
        ("Data", "Data Lead", "Lead Data", "Dat", "D", "Straße", "ÉTÉ Corp", "été"),
    ],
)
def test_the_title_matcher_removes_what_a_longest_first_alternation_does(titles: tuple[str, ...]) -> None:
    rng = random.Random(len(titles))
    pieces = [*titles, " ", "-", "x", "senior", "ENGINEER", "corp", "a", "aa"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        assert title_matcher(titles).sub(" ", text) == _longest_first(titles).sub(" ", text), text
