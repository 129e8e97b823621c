"""Resolve the free-text places of the workspace to ISO 3166 codes, with pycountry as the only list.

Countries come from pycountry itself. Its subdivisions come from generator/data/subdivisions.json,
pycountry's own entries written out by scripts/make_subdivisions.py: loading pycountry's database
of them costs every build, lint and check about 0.08 s, the table a few milliseconds. A test keeps
the table equal to the installed pycountry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pycountry

SUBDIVISION_TABLE = Path(__file__).resolve().parent.parent / "data" / "subdivisions.json"

#: The 27 member states of the European Union since 1 February 2020, when the United Kingdom left.
#: ISO 3166 has no notion of the EU, so this one list is kept by hand (Greece is GR here, EL in EU
#: documents). Verified 2026-12-02 against two published lists of the EU-27; tests/test_compliance.py
#: checks that the EU record of the law table lists the same countries.
# fmt: off
EU_MEMBERS = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
))
# fmt: on

_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def resolve_country(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of `text` ("US", "USA", "Canada"); None when unknown."""
    text = text.strip()
    if not text:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def resolve_region(text: str, country: str) -> str | None:
    """Return the ISO 3166-2 code of `text` inside `country` ("New York", "NY", "US-NY"); None when unknown."""
    text = text.strip()
    country = country.strip().upper()
    if not text or pycountry.countries.get(alpha_2=country) is None:
        return None
    upper = text.upper()
    if _CODE.fullmatch(upper):  # a full code must belong to the posting's country
        return upper if upper.startswith(f"{country}-") and is_region(upper) else None
    if is_region(f"{country}-{upper}"):  # "NY", "ON", "75"
        return f"{country}-{upper}"
    return _regions_by_name(country).get(fold(text))


def is_region(code: str) -> bool:
    """Say whether `code` is an ISO 3166-2 subdivision code ("US-CO")."""
    return code.upper() in _subdivisions_by_code()  # pycountry ignores case


def is_country(code: str) -> bool:
    """Say whether `code` is an ISO 3166-1 alpha-2 code."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def is_eu(country: str) -> bool:
    """Say whether the country (a code or a name) is a member state of the European Union."""
    return resolve_country(country) in EU_MEMBERS


def country_name(code: str) -> str:
    """Return the short English name of a country code ("United States"), or the code when unknown."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name  # "Bolivia", not "Bolivia, Plurinational State of"


def region_name(code: str) -> str:
    """Return the English name of a subdivision code ("Ohio"), or the code when unknown."""
    found = _subdivisions_by_code().get(code.upper())
    return _names(found.name)[-1] if found is not None else code


class Subdivision(NamedTuple):
    """One ISO 3166-2 subdivision, as pycountry lists it."""

    code: str  #: "US-OH"
    name: str  #: "Ohio"; pycountry's English name, which may hold variants ("Madrid, Comunidad de")
    top: bool  #: not inside another subdivision ("FR-IDF", not the department "FR-75")


def subdivisions(country: str) -> tuple[Subdivision, ...]:
    """Return the subdivisions of a country code, by code; none for an unknown country."""
    return _subdivision_table().get(country, ())


@cache
def _subdivision_table() -> dict[str, tuple[Subdivision, ...]]:
    table = json.loads(SUBDIVISION_TABLE.read_text(encoding="utf-8"))["countries"]
    return {country: tuple(Subdivision(*row) for row in rows) for country, rows in table.items()}


@cache
def _subdivisions_by_code() -> dict[str, Subdivision]:
    return {each.code: each for rows in _subdivision_table().values() for each in rows}


@lru_cache(maxsize=64)
def _regions_by_name(country: str) -> dict[str, str]:
    """Map each folded subdivision name of `country` to its code; a name two subdivisions share maps to none."""
    found: dict[str, tuple[bool, str]] = {}
    ambiguous: set[str] = set()
    for subdivision in subdivisions(country):
        top = subdivision.top
        for key in {fold(name) for name in _names(subdivision.name)}:
            if key not in found or (top and not found[key][0]):
                # a top-level name wins: "Paris" the region over "Paris" the department below it
                found[key] = (top, subdivision.code)
                ambiguous.discard(key)
            elif found[key][0] == top and found[key][1] != subdivision.code:
                ambiguous.add(key)
    return {key: code for key, (_, code) in found.items() if key not in ambiguous}


def _names(name: str) -> tuple[str, ...]:
    """Return the ways people write a subdivision name: "Madrid, Comunidad de" is also "Madrid"."""
    names = [name]
    plain = name.split(" [", 1)[0]  # "Wales [Cymru GB-CYM]"
    if plain != name:
        names.append(plain)
    if ", " in plain:
        names.append(plain.split(", ", 1)[0])
    return tuple(names)


def fold(text: str) -> str:
    """Fold case, accents and spacing, so "Québec", "quebec" and "QUEBEC " compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())
