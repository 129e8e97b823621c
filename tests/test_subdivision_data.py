"""ISO 3166-2 subdivisions come from a table shipped with jdgen: it must be the installed pycountry's own."""

from __future__ import annotations

import json
import sys

import pycountry
from conftest import REPO

from generator.compliance.places import SUBDIVISION_TABLE, is_region, region_name, resolve_region, subdivisions


def test_the_shipped_table_is_exactly_pycountry_s_subdivisions() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from make_subdivisions import subdivision_table
    finally:
        sys.path.remove(str(REPO / "scripts"))
    shipped = json.loads(SUBDIVISION_TABLE.read_text(encoding="utf-8"))
    # after a pycountry upgrade: run scripts/make_subdivisions.py
    assert shipped["countries"] == subdivision_table()["countries"]


def test_every_country_s_subdivisions_are_pycountry_s_by_code() -> None:
    for country in pycountry.countries:
        theirs = pycountry.subdivisions.get(country_code=country.alpha_2) or ()
        ours = subdivisions(country.alpha_2)
        assert sorted((s.code, s.name, s.parent_code is None) for s in theirs) == [tuple(s) for s in ours]
    assert len(subdivisions("US")) == 57
    assert subdivisions("XX") == ()


def test_lookups_answer_as_pycountry_does() -> None:
    for code in ("US-NY", "CA-ON", "FR-75C", "GB-WLS", "ES-MD", "US-XX", "XX-NY", "us-ny", ""):
        assert is_region(code) is (pycountry.subdivisions.get(code=code) is not None)
    assert region_name("US-OH") == "Ohio"
    assert region_name("ES-MD") == "Madrid"  # pycountry's "Madrid, Comunidad de"
    assert region_name("GB-WLS") == "Wales"  # pycountry's "Wales [Cymru GB-CYM]"
    assert region_name("ZZ-99") == "ZZ-99"
    assert resolve_region("New York", "US") == "US-NY"
    assert resolve_region("quebec", "CA") == "CA-QC"
    assert resolve_region("Paris", "FR") == "FR-75C"  # the city, a top-level subdivision since 2019
    assert resolve_region("Île-de-France", "FR") == "FR-IDF"
    assert resolve_region("Springfield", "US") is None
