"""Write generator/data/hyph-en-us.json: pyphen's en_US hyphenation patterns, already parsed.

Parsing the dictionary takes about 0.14 s, on every run that lints a posting; reading the
parsed patterns takes about 0.02 s. Run this after upgrading pyphen; a test fails until then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyphen

TARGET = Path(__file__).resolve().parent.parent / "generator" / "data" / "hyph-en-us.json"


def parsed_patterns() -> dict:
    """Return pyphen's own parse of its en_US dictionary, as JSON-ready data."""
    source = pyphen.LANGUAGES["en_US"]
    parsed = pyphen.HyphDict(source)
    return {
        "source": f"pyphen {pyphen.__version__}, {source.name} (the en-US TeX hyphenation patterns)",
        "maxlen": parsed.maxlen,
        "patterns": {tag: [start, list(values)] for tag, (start, values) in sorted(parsed.patterns.items())},
    }


if __name__ == "__main__":
    TARGET.write_text(json.dumps(parsed_patterns(), separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
