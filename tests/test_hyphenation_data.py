"""Readability counts syllables with pyphen's patterns, shipped already parsed: they must be pyphen's own."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

from generator.lint.checker import HYPHENATION_DATA, _syllables


def test_the_shipped_patterns_are_exactly_pyphens_parse_of_its_dictionary() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from make_hyphenation_data import parsed_patterns
    finally:
        sys.path.remove(str(REPO / "scripts"))
    shipped = json.loads(HYPHENATION_DATA.read_text())
    fresh = parsed_patterns()
    # after a pyphen upgrade: run scripts/make_hyphenation_data.py
    assert (shipped["maxlen"], shipped["patterns"]) == (fresh["maxlen"], fresh["patterns"])


def test_syllables_counted_from_the_shipped_patterns_match_pyphen_reading_its_own_file() -> None:
    words = ["hyphenation", "stakeholders", "requirements", "project", "a", "communication", "infrastructure"]
    ours = [_syllables(word) for word in words]
    # a fresh interpreter where pyphen parses its file itself, as it would without jdgen's data
    code = f"import pyphen; d = pyphen.Pyphen(lang='en_US'); print([len(d.positions(w)) + 1 for w in {words!r}])"
    theirs = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert str(ours) == theirs.strip()
    assert ours == [3, 3, 3, 1, 1, 5, 4]  # pyphen keeps two letters at each end, so "project" is one
