"""The language rules, read from the data files shipped beside this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from ..off_limits import builtin_topics
from ..workspace import PACKAGE_LOADER

DATA_DIR = Path(__file__).parent / "data"
_WORD_START = r"(?<![\w'-])"  #: no letter, digit, apostrophe or hyphen just before
Level = Literal["error", "warning", "notice"]
LEVEL_RANK = {"notice": 0, "warning": 1, "error": 2}


class _WordRuleData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    level: Level
    message: str
    fix: str
    terms: list[str] = []
    patterns: list[str] = []
    off_limits_topic: str | None = None


class _PostingRuleData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Level
    message: str
    fix: str


class _GroundData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ground: str
    law: str
    terms: list[str] = []
    patterns: list[str] = []

    @model_validator(mode="after")
    def _has_wordings(self) -> _GroundData:
        # with no wordings the compiled pattern would be empty and find every ground named
        if not (self.terms or self.patterns):
            raise ValueError(f"ground '{self.ground}' lists no terms or patterns")
        return self


class _RulesData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    word_rules: list[_WordRuleData]
    gender_spare: list[str]
    posting_rules: dict[str, _PostingRuleData]
    eeo_grounds: dict[str, list[_GroundData]]


@dataclass(frozen=True)
class WordRule:
    """A rule that flags words or phrases wherever they appear."""

    id: str
    level: Level
    message: str
    fix: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class EeoGround:
    """A ground an equal opportunity statement must name, and the wordings that name it."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """Every rule jdgen applies, with the word lists they use."""

    word_rules: tuple[WordRule, ...]
    posting_rules: dict[str, _PostingRuleData]
    eeo_grounds: dict[str, tuple[EeoGround, ...]]  #: by the posting's country code
    masculine: re.Pattern[str]  #: matches a whole lower-case word that is masculine-coded
    feminine: re.Pattern[str]
    gender_spare: frozenset[str]

    @property
    def ids(self) -> set[str]:
        """Return every rule id."""
        return {rule.id for rule in self.word_rules} | set(self.posting_rules)


@cache
def load_rules() -> Rules:
    """Read and compile the shipped rules (once per process)."""
    data = _RulesData.model_validate(
        yaml.load((DATA_DIR / "rules.yaml").read_text(encoding="utf-8"), Loader=PACKAGE_LOADER)
    )
    topics = {topic.topic: topic for topic in builtin_topics()}
    word_rules = []
    for rule in data.word_rules:
        extra = [p.pattern for p in topics[rule.off_limits_topic].patterns] if rule.off_limits_topic else []
        pattern = _words_pattern(rule.terms, [*rule.patterns, *extra])
        word_rules.append(WordRule(rule.id, rule.level, rule.message, rule.fix, pattern))
    grounds = {
        country: tuple(EeoGround(g.ground, _words_pattern(g.terms, g.patterns)) for g in listed)
        for country, listed in data.eeo_grounds.items()
    }
    return Rules(
        word_rules=tuple(word_rules),
        posting_rules=data.posting_rules,
        eeo_grounds=grounds,
        masculine=_stems("gaucher2011-masculine.txt", "gender-decoder-masculine.txt"),
        feminine=_stems("gaucher2011-feminine.txt", "gender-decoder-feminine.txt"),
        gender_spare=frozenset(word.lower() for word in data.gender_spare),
    )


def _words_pattern(terms: list[str], patterns: list[str]) -> re.Pattern[str]:
    """Compile list terms (whole words) and regular expressions into one case-insensitive pattern."""
    regexes = [_term_regex(term) for term in sorted(terms, key=len, reverse=True)]
    # Every term must start a word, so that test is made once per character rather than
    # once per term: inside a word no term is tried at all. The matches are the same.
    alternatives = [rf"{_WORD_START}(?:{'|'.join(regexes)})"] if regexes else []
    alternatives += [f"(?:{pattern})" for pattern in patterns]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _term_regex(term: str) -> str:
    """Turn a list term into a regular expression ending a word ("lead*" is a stem); its start is tested apart."""
    stem = term.endswith("*")
    words = [re.escape(word) for word in term.rstrip("*").split()]
    body = r"[\s,-]+".join(words) + (r"[\w'-]*" if stem else "")
    return rf"{body}(?![\w-])"


def _stems(*names: str) -> re.Pattern[str]:
    """Read coded-word lists: Gender Decoder's entries are stems; Gaucher's are stems when starred."""
    patterns = set()
    for name in names:
        for entry in (DATA_DIR / name).read_text(encoding="utf-8").split():
            word = entry.lower()
            if name.startswith("gaucher") and not word.endswith("*"):
                patterns.add(rf"{re.escape(word)}")
            else:
                patterns.add(rf"{re.escape(word.rstrip('*'))}[\w'-]*")
    return re.compile(rf"^(?:{'|'.join(sorted(patterns))})$")
