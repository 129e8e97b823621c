"""Write generator/data/subdivisions.json: pycountry's ISO 3166-2 subdivisions, already loaded.

Loading pycountry's subdivision database takes about 0.08 s, on every run that checks a posting's
place (build, lint, check); reading this table of the same entries takes a few milliseconds. Run
this after upgrading pycountry; a test fails until then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

TARGET = Path(__file__).resolve().parent.parent / "generator" / "data" / "subdivisions.json"


def subdivision_table() -> dict:
    """Return each country's subdivisions in pycountry, by code: [code, name, whether top-level]."""
    countries = {}
    for country in pycountry.countries:
        # pycountry gives them in an order that changes from one run to the next: sorted, they do not
        found = sorted(pycountry.subdivisions.get(country_code=country.alpha_2) or (), key=lambda each: each.code)
        countries[country.alpha_2] = [[each.code, each.name, each.parent_code is None] for each in found]
    return {
        "source": f"pycountry {pycountry.__version__}, ISO 3166-2",
        "countries": countries,
    }


if __name__ == "__main__":
    TARGET.write_text(
        json.dumps(subdivision_table(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {TARGET}", file=sys.stderr)
