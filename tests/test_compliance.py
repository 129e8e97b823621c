"""The pay-law table and the engine that applies it, on synthetic postings (no workspace needed)."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from generator.compliance import (
    LawDataError,
    LawVerdict,
    PayRange,
    PostingFacts,
    TextField,
    evaluate,
    load_laws,
    places,
    read_laws,
)
from generator.compliance.laws import DATA_PATH, REQUIREMENTS

DAY = datetime.date(2026, 12, 1)
USD = PayRange(Decimal(125000), Decimal(155000), "USD")


def posting(**changes: object) -> PostingFacts:
    """A Denver onsite posting with a closed range; `changes` replace any field."""
    base = PostingFacts(
        location_id="denver",
        country="US",
        region="US-CO",
        locality="Denver",
        work_model="onsite",
        date_posted=DAY,
        title="Technical Project Manager",
        pay=USD,
        has_benefits=True,
        employees=180,
    )
    return dataclasses.replace(base, **changes)


def toronto(**changes: object) -> PostingFacts:
    """A Toronto hybrid posting that meets every Ontario requirement but the ones `changes` break."""
    facts = posting(
        location_id="toronto",
        country="CA",
        region="CA-ON",
        locality="Toronto",
        work_model="hybrid",
        pay=PayRange(Decimal(90000), Decimal(130000), "CAD"),
        vacancy="existing",
    )
    return dataclasses.replace(facts, **changes)


def verdict(facts: PostingFacts, law_id: str) -> LawVerdict:
    found = [v for v in evaluate(facts) if v.law.id == law_id]
    assert found, f"{law_id} was not considered for {facts.location_id}"
    return found[0]


def check(facts: PostingFacts, law_id: str, requirement: str):
    found = [c for c in verdict(facts, law_id).checks if c.requirement == requirement]
    assert len(found) == 1, f"{law_id} has no check of {requirement}"
    return found[0]


# --- applicability and requirements ------------------------------------------------------------


def test_denver_without_closing_date_breaks_colorado():
    colorado = verdict(posting(), "colorado")
    assert colorado.status == "applies"
    closes = check(posting(), "colorado", "closes_on")
    assert not closes.met
    assert "closes_on" in closes.fix
    assert "closes_on" in [c.requirement for c in colorado.unmet]


def test_denver_with_closing_date_meets_colorado():
    facts = posting(closes_on=datetime.date(2027, 1, 31))
    assert check(facts, "colorado", "closes_on").met
    assert verdict(facts, "colorado").unmet == ()


def test_closing_date_before_posting_is_not_met():
    closes = check(posting(closes_on=datetime.date(2026, 11, 1)), "colorado", "closes_on")
    assert not closes.met
    assert "before the posting date" in closes.detail


def test_requirement_added_by_amendment_is_not_checked_before_it():
    facts = posting(date_posted=datetime.date(2023, 6, 1))
    colorado = verdict(facts, "colorado")
    assert colorado.status == "applies"
    assert "closes_on" not in [c.requirement for c in colorado.checks]


def test_colorado_benefits_and_missing_pay():
    facts = posting(has_benefits=False, pay=None)
    assert not check(facts, "colorado", "benefits").met
    pay = check(facts, "colorado", "pay_range")
    assert not pay.met
    assert "salary_by_location.denver" in pay.fix


def test_ontario_range_wider_than_the_cap_is_not_met():
    width = check(toronto(pay=PayRange(Decimal(90000), Decimal(150000), "CAD")), "ontario", "pay_range")
    assert not width.met
    assert "CAD 60,000 wide" in width.detail
    assert "CAD 50,000" in width.fix and "salary_by_location.toronto" in width.fix


def test_ontario_cap_lapses_above_the_top():
    width = check(toronto(pay=PayRange(Decimal(150000), Decimal(260000), "CAD")), "ontario", "pay_range")
    assert width.met
    assert "lapses" in width.detail


def test_ontario_range_within_the_cap_is_met():
    assert check(toronto(), "ontario", "pay_range").met
    assert verdict(toronto(), "ontario").unmet == ()


def test_ontario_hourly_range_is_checked_as_stated():
    hourly = PayRange(Decimal("22.50"), Decimal(35), "CAD", "hour")
    assert check(toronto(pay=hourly), "ontario", "pay_range").met


def test_ontario_width_in_another_currency_cannot_be_checked():
    width = check(toronto(pay=PayRange(Decimal(90000), Decimal(130000), "USD")), "ontario", "pay_range")
    assert not width.met
    assert "cannot check" in width.detail
    assert "CAD" in width.fix


def test_ai_screening_needs_a_statement():
    assert not check(toronto(ai_screening=True), "ontario", "ai_disclosure").met
    assert "hiring.ai_statement" in check(toronto(ai_screening=True), "ontario", "ai_disclosure").fix
    assert check(toronto(ai_screening=True, ai_statement=True), "ontario", "ai_disclosure").met
    assert check(toronto(ai_screening=False), "ontario", "ai_disclosure").met


def test_ontario_vacancy_status_and_local_experience():
    assert not check(toronto(vacancy=None), "ontario", "vacancy_status").met
    texts = (TextField("requirements[1]", "Five years of project work. Canadian experience is required."),)
    local = check(toronto(texts=texts), "ontario", "no_local_experience_requirement")
    assert not local.met
    assert "requirements[1]" in local.detail and "Canadian experience" in local.detail


def test_pay_history_question_breaks_british_columbia():
    facts = toronto(region="CA-BC", locality="Vancouver")
    asked = (TextField("hiring.screening[1].text", "What is your current salary?"),)
    history = check(dataclasses.replace(facts, texts=asked), "british-columbia", "no_pay_history_question")
    assert not history.met
    assert "hiring.screening[1].text" in history.fix
    negated = (TextField("company.about", "We never ask about your salary history."),)
    assert check(dataclasses.replace(facts, texts=negated), "british-columbia", "no_pay_history_question").met


def test_eu_title_must_name_no_gender():
    berlin = posting(
        country="DE", region="DE-BE", locality="Berlin", pay=PayRange(Decimal(60000), Decimal(80000), "EUR")
    )
    assert verdict(berlin, "eu-pay-transparency").status == "applies"
    assert check(berlin, "eu-pay-transparency", "gender_neutral_title").met
    title = check(dataclasses.replace(berlin, title="Senior Salesman"), "eu-pay-transparency", "gender_neutral_title")
    assert not title.met
    assert "Salesman" in title.detail


def test_eu_law_is_coming_before_its_date():
    berlin = posting(country="DE", region=None, locality=None, date_posted=datetime.date(2026, 5, 1))
    assert verdict(berlin, "eu-pay-transparency").status == "coming"


def test_only_laws_of_the_posting_country_are_considered():
    ids = {v.law.id for v in evaluate(toronto())}
    assert ids == {"british-columbia", "ontario"}


# --- employer size ------------------------------------------------------------------------------


def test_small_company_is_not_bound_in_california():
    facts = posting(region="US-CA", locality="San Francisco", employees=10)
    california = verdict(facts, "california")
    assert california.status == "not_applicable"
    assert "15" in california.reason
    assert california.checks == ()


def test_headcount_not_given_is_assumed_to_meet_the_threshold():
    california = verdict(posting(region="US-CA", locality="San Francisco", employees=None), "california")
    assert california.status == "applies"
    assert california.assumed_headcount
    assert "assumed" in california.reason and "15" in california.reason


def test_minnesota_counts_employees_in_minnesota():
    facts = posting(region="US-MN", locality="Minneapolis", employees=500)
    met = verdict(dataclasses.replace(facts, employees_in={"US-MN": 30}), "minnesota")
    assert met.status == "applies" and not met.assumed_headcount
    assert verdict(dataclasses.replace(facts, employees_in={"US-MN": 29}), "minnesota").status == "not_applicable"
    assumed = verdict(facts, "minnesota")
    assert assumed.status == "applies" and assumed.assumed_headcount
    small = verdict(dataclasses.replace(facts, employees=20), "minnesota")
    assert small.status == "not_applicable"  # 20 in all cannot be 30 in Minnesota


def test_columbus_counts_in_the_city_and_says_it_assumed():
    facts = posting(region="US-OH", locality="Columbus", employees=None, date_posted=datetime.date(2027, 2, 1))
    columbus = verdict(facts, "columbus")
    assert columbus.status == "applies"
    assert columbus.assumed_headcount
    assert (
        "Columbus, Ohio's law counts employees in the city; the company gave no count there, "
        "so jdgen assumed it meets the threshold of 15" in columbus.reason
    )
    few = verdict(dataclasses.replace(facts, employees_in={"US-OH": 10}), "columbus")
    assert few.status == "not_applicable"
    assert "10 in Ohio" in few.reason


# --- dates --------------------------------------------------------------------------------------


def test_columbus_is_coming_before_enforcement():
    facts = posting(region="US-OH", locality="Columbus", date_posted=datetime.date(2026, 11, 15))
    columbus = verdict(facts, "columbus")
    assert columbus.status == "coming"
    assert "2027-01-01" in columbus.reason and "47 days" in columbus.reason
    assert columbus.checks  # the warning can say what would be missing


def test_columbus_in_force_long_before_enforcement_is_still_coming():
    facts = posting(region="US-OH", locality="Columbus", date_posted=datetime.date(2026, 3, 1))
    assert verdict(facts, "columbus").status == "coming"


def test_a_law_not_yet_in_force_binds_nothing_then_comes_within_90_days():
    early = posting(region="US-OH", locality="Columbus", date_posted=datetime.date(2025, 6, 1))
    assert verdict(early, "columbus").status == "not_applicable"
    assert "2025-12-03" in verdict(early, "columbus").reason
    near = dataclasses.replace(early, date_posted=datetime.date(2025, 10, 1))
    assert verdict(near, "columbus").status == "coming"
    ontario = toronto(date_posted=datetime.date(2025, 12, 15))
    assert verdict(ontario, "ontario").status == "coming"
    assert verdict(dataclasses.replace(ontario, date_posted=datetime.date(2025, 9, 1)), "ontario").status == (
        "not_applicable"
    )


def test_on_the_day_of_force_the_law_applies():
    assert verdict(toronto(date_posted=datetime.date(2026, 1, 1)), "ontario").status == "applies"


# --- place --------------------------------------------------------------------------------------


def test_remote_anywhere_in_the_country_answers_to_laws_covering_remote_work():
    remote = posting(location_id="remote-us", region=None, locality=None, work_model="remote")
    statuses = {v.law.id: v.status for v in evaluate(remote)}
    assert statuses["colorado"] == "applies"
    assert statuses["washington"] == "applies"
    assert statuses["new-york-city"] == "applies"
    assert statuses["hawaii"] == "not_applicable"
    assert statuses["columbus"] == "not_applicable"


def test_onsite_without_region_is_placed_in_no_state():
    facts = posting(region=None, locality=None)
    colorado = verdict(facts, "colorado")
    assert colorado.status == "not_applicable"
    assert "names no region" in colorado.reason


def test_new_york_city_by_its_aliases():
    facts = posting(region="US-NY", locality="New York")
    assert verdict(facts, "new-york-city").status == "applies"
    assert verdict(facts, "new-york-state").status == "applies"
    assert verdict(dataclasses.replace(facts, locality="Brooklyn"), "new-york-city").status == "applies"
    buffalo = verdict(dataclasses.replace(facts, locality="Buffalo"), "new-york-city")
    assert buffalo.status == "not_applicable"
    assert "Buffalo" in buffalo.reason


def test_remote_within_a_state_reaches_its_cities_only_if_they_cover_remote_work():
    facts = posting(region="US-NY", locality=None, work_model="remote")
    assert verdict(facts, "new-york-city").status == "applies"
    ohio = posting(region="US-OH", locality=None, work_model="remote")
    assert verdict(ohio, "cleveland").status == "not_applicable"


def test_other_state_is_not_bound():
    colorado = verdict(posting(region="US-CA", locality="Los Angeles"), "colorado")
    assert colorado.status == "not_applicable"
    assert "California" in colorado.reason


def test_verdict_as_plain_values():
    data = json.loads(json.dumps([v.as_dict() for v in evaluate(posting())]))
    colorado = next(d for d in data if d["law"] == "colorado")
    assert colorado["status"] == "applies"
    assert colorado["verified"] == "2026-12-02"
    assert {c["requirement"] for c in colorado["checks"]} == {"pay_range", "benefits", "other_pay", "closes_on"}


# --- places -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["New York", "NY", "US-NY", "new york ", "ny"])
def test_new_york_state_spellings(text):
    assert places.resolve_region(text, "US") == "US-NY"


@pytest.mark.parametrize("text", ["Ontario", "ON", "CA-ON"])
def test_ontario_spellings(text):
    assert places.resolve_region(text, "CA") == "CA-ON"


def test_unknown_or_foreign_region_is_none():
    assert places.resolve_region("Narnia", "US") is None
    assert places.resolve_region("CA-ON", "US") is None
    assert places.resolve_region("Ontario", "XX") is None
    assert places.resolve_region("", "US") is None


def test_region_names_fold_accents():
    assert places.resolve_region("Québec", "CA") == places.resolve_region("Quebec", "CA") == "CA-QC"


def test_countries_and_the_eu():
    assert places.resolve_country("USA") == "US"
    assert places.resolve_country("Canada") == "CA"
    assert places.resolve_country("Atlantis") is None
    assert places.is_eu("DE") and places.is_eu("Germany")
    assert not places.is_eu("GB") and not places.is_eu("US")


# --- the data file ------------------------------------------------------------------------------

REQUIRED = {
    "colorado": "US-CO",
    "california": "US-CA",
    "washington": "US-WA",
    "new-york-state": "US-NY",
    "new-york-city": "US-NY",
    "hawaii": "US-HI",
    "washington-dc": "US-DC",
    "maryland": "US-MD",
    "illinois": "US-IL",
    "minnesota": "US-MN",
    "new-jersey": "US-NJ",
    "vermont": "US-VT",
    "massachusetts": "US-MA",
    "cleveland": "US-OH",
    "columbus": "US-OH",
    "british-columbia": "CA-BC",
    "ontario": "CA-ON",
}


def test_every_required_jurisdiction_is_present():
    laws = {law.id: law for law in load_laws()}
    for law_id, region in REQUIRED.items():
        assert laws[law_id].applies_in.region == region
    assert laws["eu-pay-transparency"].applies_in.country_codes == places.EU_MEMBERS


def test_every_record_has_source_and_verification_date():
    for law in load_laws():
        assert law.source.strip()
        assert law.verified == datetime.date(2026, 12, 2)
        assert law.requirements and all(r.name in REQUIREMENTS for r in law.requirements)
        assert law.enforced_from is None or law.enforced_from >= law.in_force


def test_laws_are_loaded_once():
    assert load_laws() is load_laws()


def test_massachusetts_notes_the_disagreeing_dates():
    massachusetts = next(law for law in load_laws() if law.id == "massachusetts")
    assert massachusetts.in_force == datetime.date(2025, 10, 29)
    assert "2025-07-31" in (massachusetts.notes or "")


def _broken_copy(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """Write the data file with its first `old` replaced; return the copy and the 1-based line changed."""
    text = DATA_PATH.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "laws.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("region: US-CO}", "region: US-XX}", "laws[0].applies_in.region: 'US-XX' is not an ISO 3166-2"),
        ("      - other_pay\n", "      - other_pay\n      - pay_rnage\n", "did you mean 'pay_range'?"),
        ("enforced_from: 2027-01-01", "enforced_from: 2025-01-01", "is before in_force (2025-12-03)"),
        ("    covers_remote: true", "    covers_remote: yes please", "laws[0].covers_remote: expected true or false"),
        ("  - id: california", "  - id: colorado", "duplicate id 'colorado'"),
    ],
)
def test_a_broken_record_is_a_located_error(tmp_path, old, new, message):
    path, line = _broken_copy(tmp_path, old, new)
    if "pay_rnage" in new:
        line += 1  # the new item is on the line after
    with pytest.raises(LawDataError) as caught:
        read_laws(path, tmp_path)
    problems = caught.value.problems
    assert any(p.path == "laws.yaml" and p.line == line and message in p.message for p in problems), problems


def test_max_width_belongs_to_pay_range(tmp_path):
    path, _ = _broken_copy(
        tmp_path, "      - ai_disclosure\n", "      - ai_disclosure: {max_width: {amount: 1, currency: CAD}}\n"
    )
    with pytest.raises(LawDataError, match="max_width belongs to pay_range"):
        read_laws(path, tmp_path)


def test_packaged_file_is_shown_relative_to_the_package(tmp_path):
    from generator.compliance.laws import _PACKAGE_PARENT

    assert (_PACKAGE_PARENT / "generator/compliance/data/laws.yaml") == DATA_PATH
