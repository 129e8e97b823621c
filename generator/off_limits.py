"""Topics interviewers must never raise: the shipped list, a workspace's additions, and matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_PATH = Path(__file__).parent / "data" / "off-limits.yaml"


@dataclass(frozen=True)
class OffLimitsTopic:
    """One forbidden topic: its name, how the kit lists it, and the patterns that find it."""

    topic: str
    kit: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class OffLimitsMatch:
    """Where a text touches a forbidden topic."""

    topic: str
    matched: str


def builtin_topics() -> list[OffLimitsTopic]:
    """Load the topics shipped with jdgen."""
    entries = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
    return [
        OffLimitsTopic(entry["topic"], entry["kit"], tuple(re.compile(p, re.IGNORECASE) for p in entry["patterns"]))
        for entry in entries
    ]


def find_off_limits(text: str, topics: list[OffLimitsTopic]) -> OffLimitsMatch | None:
    """Return the first forbidden topic `text` touches, or None."""
    for topic in topics:
        for pattern in topic.patterns:
            found = pattern.search(text)
            if found:
                return OffLimitsMatch(topic.topic, found.group())
    return None
