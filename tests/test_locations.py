"""Locations and pay by place: one posting per place, its pay, its JobPosting data, its checks."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.cli import cli
from generator.documents import Place
from generator.models import Config, Location, RoleLevel
from generator.places import pay_at

PLACES = {
    "dayton": {"locality": "Dayton", "region": "Ohio", "country": "US", "work_model": "onsite"},
    "new-york": {"locality": "New York", "region": "NY", "country": "US", "work_model": "hybrid", "pay_zone": "zone-a"},
    "remote-us": {"country": "US", "work_model": "remote"},
}
ZONES = {"zone-a": {"name": "New York", "factor": 1.15, "round_to": 1000}}


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _place(workspace: Path, locations: list[str], **role_fields) -> Path:
    """Give the fixture's jdgen.yaml the places and zones above, and the coordinator `locations`."""
    _edit(workspace / "jdgen.yaml", lambda d: d.update(locations=PLACES, pay_zones=ZONES))

    def role(data: dict) -> None:
        data["locations"] = locations
        data.update(role_fields)

    _edit(workspace / "competencies/roles/coordinator.yaml", role)
    return workspace


def _run(runner, workspace: Path, *args: str):
    return runner.invoke(cli, ["--workspace", str(workspace), *args])


def _json_ld(page: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, flags=re.DOTALL)
    return json.loads(block)


def _config(zone: dict) -> Config:
    company = {"name": "X", "about": "X.", "eeo_statement": "X.", "location": {"country": "US"}}
    return Config.model_validate(
        {"company": company, "levels": [{"id": "mid", "name": "Mid"}], "pay_zones": {"z": zone}}
    )


def _level(salary: dict, **extra) -> RoleLevel:
    return RoleLevel.model_validate({"title": "T", "salary": salary, **extra})


ZONED = Place("ny", Location(country="US", pay_zone="z"), split=True)


def test_yearly_pay_is_scaled_and_rounded_to_the_thousand() -> None:
    level = _level({"min": 112000, "max": 140000, "currency": "USD"})
    pay = pay_at(_config({"name": "A", "factor": 1.15}), level, ZONED)
    assert (pay.min, pay.max) == (Decimal(129000), Decimal(161000))  # 128,800 and 161,000 exactly


def test_hourly_pay_rounds_to_the_quarter_half_up() -> None:
    level = _level({"min": 20, "max": 30.5, "currency": "USD", "period": "hour"})
    pay = pay_at(_config({"name": "A", "factor": 1.1}), level, ZONED)
    assert (pay.min, pay.max) == (Decimal(22), Decimal("33.50"))  # 33.55 → 33.50; 22.00 stays
    pay = pay_at(_config({"name": "A", "factor": 1.0125}), level, ZONED)
    assert pay.min == Decimal("20.25")  # 20.25 exactly; 30.88125 → 31.00
    assert pay.max == Decimal(31)


def test_salary_by_location_wins_over_the_zone() -> None:
    own = {"min": 150000, "max": 170000, "currency": "USD"}
    level = _level({"min": 112000, "max": 140000, "currency": "USD"}, salary_by_location={"ny": own})
    pay = pay_at(_config({"name": "A", "factor": 1.15, "round_to": 500}), level, ZONED)
    assert (pay.min, pay.max) == (Decimal(150000), Decimal(170000))


def test_a_place_without_zone_gets_the_level_salary() -> None:
    level = _level({"min": 112000, "max": 140000, "currency": "USD"})
    place = Place("dayton", Location(country="US"))
    assert pay_at(_config({"name": "A", "factor": 2}), level, place) == level.salary


def test_several_locations_give_a_posting_each(runner, minimal: Path) -> None:
    _place(minimal, ["dayton", "new-york", "remote-us"], closes_on="2027-01-31")
    result = _run(runner, minimal, "build", "--all")
    assert result.exit_code == 0, result.output
    out = minimal / "out" / "coordinator"
    for place in PLACES:
        assert (out / place / "posting.md").is_file()
        assert (out / place / "posting.docx").is_file()
        assert (out / place / "posting.html").is_file()
    assert not (out / "posting.md").exists()
    assert (out / "interview-kit.md").is_file() and (out / "candidate-guide.md").is_file()
    assert not (out / "dayton" / "interview-kit.md").exists()
    ny = (out / "new-york" / "posting.md").read_text(encoding="utf-8")
    assert "New York, NY, US · Hybrid" in ny
    assert "$58,000 to $69,000 a year (USD)" in ny  # 50,000 and 60,000 × 1.15
    assert "Applications close on 31 January 2027." in ny
    assert "$50,000 to $60,000 a year (USD)" in (out / "dayton" / "posting.md").read_text(encoding="utf-8")
    jobs = json.loads((minimal / "out" / "jobs.json").read_text(encoding="utf-8"))
    assert len(jobs) == 1 + 3  # the planner, and the coordinator in three places
    index = (minimal / "out" / "index.md").read_text(encoding="utf-8")
    assert index.count("coordinator/") == 3 and "coordinator/new-york/posting.md" in index


def test_json_ld_per_place(runner, minimal: Path) -> None:
    _place(minimal, ["dayton", "new-york", "remote-us"], closes_on="2027-01-31", date_posted="2026-11-02")
    assert _run(runner, minimal, "build", "coordinator").exit_code == 0
    out = minimal / "out" / "coordinator"
    data = {place: _json_ld((out / place / "posting.html").read_text(encoding="utf-8")) for place in PLACES}
    remote = data["remote-us"]
    assert remote["jobLocationType"] == "TELECOMMUTE"
    assert remote["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}
    assert "jobLocation" not in remote
    address = data["new-york"]["jobLocation"]["address"]
    assert address == {
        "@type": "PostalAddress",
        "addressCountry": "US",
        "addressLocality": "New York",
        "addressRegion": "NY",
    }
    assert data["dayton"]["jobLocation"]["address"]["addressRegion"] == "OH"  # "Ohio" resolved to US-OH
    assert data["new-york"]["baseSalary"]["value"]["minValue"] == 58000
    assert data["new-york"]["validThrough"] == "2027-01-31"
    ids = [d["identifier"]["value"] for d in data.values()]
    assert ids == ["coordinator-mid-dayton", "coordinator-mid-new-york", "coordinator-mid-remote-us"]
    assert _run(runner, minimal, "build", "coordinator").exit_code == 0
    again = [_json_ld((out / p / "posting.html").read_text(encoding="utf-8"))["identifier"]["value"] for p in PLACES]
    assert again == ids


def test_one_location_keeps_the_role_folder(runner, minimal: Path) -> None:
    _place(minimal, ["new-york"])
    assert _run(runner, minimal, "build", "coordinator", "--level", "senior").exit_code == 0
    out = minimal / "out" / "coordinator-senior"
    assert (out / "posting.md").is_file() and not (out / "new-york").exists()
    assert "$69,000 to $83,000 a year (USD)" in (out / "posting.md").read_text(encoding="utf-8")


def test_other_levels_of_several_places_go_under_their_folder(runner, minimal: Path) -> None:
    _place(minimal, ["dayton", "new-york"])
    assert _run(runner, minimal, "build", "coordinator", "--level", "senior").exit_code == 0
    assert (minimal / "out" / "coordinator-senior" / "new-york" / "posting.md").is_file()
    assert (minimal / "out" / "coordinator-senior" / "interview-kit.md").is_file()


def test_location_option_builds_one_place(runner, minimal: Path) -> None:
    _place(minimal, ["dayton", "new-york", "remote-us"])
    result = _run(runner, minimal, "build", "coordinator", "--location", "new-york")
    assert result.exit_code == 0, result.output
    out = minimal / "out" / "coordinator"
    assert (out / "new-york" / "posting.md").is_file()
    assert not (out / "dayton").exists() and (out / "interview-kit.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["coordinator", "--location", "new-yrok"], "not posted in 'new-yrok' (did you mean 'new-york'?)"),
        (["planner", "--location", "dayton"], "role 'planner' lists no `locations`"),
        (["--all", "--location", "dayton"], "--location builds one place"),
    ],
)
def test_location_option_usage_errors(runner, minimal: Path, args: list[str], message: str) -> None:
    _place(minimal, ["dayton", "new-york"])
    result = _run(runner, minimal, "build", *args)
    assert result.exit_code == 2
    assert message in result.output


def _bad_config(data: dict) -> None:
    data["locations"] = {
        "nyc": {"locality": "New York", "region": "Nu York", "country": "US", "work_model": "hybrid"},
        "con": {"country": "US", "work_model": "remote"},
        "xx": {"country": "QQ", "work_model": "remote"},
        "zoned": {"country": "US", "pay_zone": "zone-b"},
    }
    data["pay_zones"] = ZONES
    data["company"]["employees_in"] = {"US-ZZ": 3}


@pytest.mark.parametrize(
    "pattern",
    [
        r"jdgen\.yaml:\d+: locations\.nyc\.region: 'Nu York' is not a region of US \(did you mean 'New York'\?\)",
        r"jdgen\.yaml:\d+: locations\.con: location id 'con' is a reserved file name on Windows",
        r"jdgen\.yaml:\d+: locations\.xx\.country: 'QQ' is not an ISO 3166 country",
        r"jdgen\.yaml:\d+: locations\.zoned\.pay_zone: unknown 'zone-b' \(did you mean 'zone-a'\?\)",
        r"jdgen\.yaml:\d+: company\.employees_in: 'US-ZZ' is not an ISO 3166-2 code",
    ],
)
def test_config_errors_are_located(runner, minimal: Path, pattern: str) -> None:
    _edit(minimal / "jdgen.yaml", _bad_config)
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 1
    assert re.search(pattern, result.output), result.output


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (lambda d: d["company"].update(employees=0), r"jdgen\.yaml:\d+: company\.employees"),
        (lambda d: d.update(hiring={"ai_screening": True}), r"jdgen\.yaml:\d+: hiring: ai_screening is true but"),
        (lambda d: d.update(pay_zones={"z": {"name": "Z", "factor": 11}}), r"jdgen\.yaml:\d+: pay_zones\.z\.factor"),
    ],
)
def test_schema_errors_are_located(runner, minimal: Path, change, pattern: str) -> None:
    """Errors of the models themselves are reported before the cross-references, each at its line."""
    _edit(minimal / "jdgen.yaml", change)
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 1
    assert re.search(pattern, result.output), result.output


@pytest.mark.parametrize(
    ("role_fields", "pattern"),
    [
        ({"locations": ["dayton", "new-yrok"]}, r"coordinator\.yaml:\d+: unknown location 'new-yrok' \(did you mean"),
        ({"locations": ["dayton", "dayton"]}, r"coordinator\.yaml:\d+: location 'dayton' is listed twice"),
        (
            {"locations": ["dayton"], "closes_on": "2026-10-01", "date_posted": "2026-11-02"},
            r"coordinator\.yaml:\d+: closes_on 2026-10-01 is before date_posted 2026-11-02",
        ),
        (
            {
                "levels": {
                    "mid": {
                        "title": "T",
                        "salary": {"min": 1, "max": 2, "currency": "USD"},
                        "salary_by_location": {"remote-us": {"min": 1, "max": 2, "currency": "USD"}},
                    }
                },
                "locations": ["dayton"],
            },
            r"coordinator\.yaml:\d+: salary_by_location: 'remote-us' is not one of the role's locations",
        ),
    ],
)
def test_role_errors_are_located(runner, minimal: Path, role_fields: dict, pattern: str) -> None:
    locations = role_fields.pop("locations")
    _place(minimal, locations, **role_fields)
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 1
    assert re.search(pattern, result.output), result.output


def test_clean_keeps_every_place_and_removes_the_single_posting(runner, minimal: Path) -> None:
    assert _run(runner, minimal, "build", "--all").exit_code == 0
    out = minimal / "out" / "coordinator"
    assert (out / "posting.md").is_file()
    _place(minimal, ["dayton", "new-york"])
    result = _run(runner, minimal, "build", "--all", "--clean")
    assert result.exit_code == 0, result.output
    assert not (out / "posting.md").exists()  # the role is now posted per place
    assert (out / "interview-kit.md").is_file()
    result = _run(runner, minimal, "build", "coordinator", "--location", "dayton", "--clean")
    assert result.exit_code == 0, result.output
    assert (out / "new-york" / "posting.html").is_file()  # another place of the role is not stale


def test_other_pay_follows_the_pay_range(runner, minimal: Path) -> None:
    def bonus(data: dict) -> None:
        data["levels"]["mid"]["other_pay"] = ["Annual bonus of up to 10% of base pay"]

    _edit(minimal / "competencies/roles/coordinator.yaml", bonus)
    result = _run(runner, minimal, "show", "coordinator")
    assert result.exit_code == 0, result.output
    pay = result.output.index("The pay range for this role is")
    assert result.output.index("- Annual bonus of up to 10% of base pay") > pay


def test_a_role_without_locations_has_no_new_lines(runner, minimal: Path) -> None:
    posting = _run(runner, minimal, "show", "coordinator").output
    assert "Applications close" not in posting and "AI in hiring" not in posting
    assert "Dayton, Ohio, US · On-site" in posting


def test_ai_statement_is_shown_when_ai_screens(runner, minimal: Path) -> None:
    statement = "An AI tool ranks applications; a recruiter reads every one."
    _edit(minimal / "jdgen.yaml", lambda d: d.update(hiring={"ai_screening": True, "ai_statement": statement}))
    result = _run(runner, minimal, "show", "coordinator")
    assert result.exit_code == 0, result.output
    assert statement in result.output


def test_builtin_check_passes_after_build_all(runner, builtin_copy: Path) -> None:
    assert _run(runner, builtin_copy, "build", "--all").exit_code == 0
    assert (builtin_copy / "out" / "tpm" / "new-york" / "posting.html").is_file()
    result = _run(runner, builtin_copy, "check")
    assert result.exit_code == 0, result.output


def test_the_company_and_role_locations_must_be_real_places(runner, minimal: Path) -> None:
    _edit(minimal / "jdgen.yaml", lambda d: d["company"]["location"].update(region="Ohoi"))
    role_location = {"locality": "Springfield", "region": "Xqzw", "country": "US"}
    _edit(minimal / "competencies/roles/coordinator.yaml", lambda d: d.update(location=role_location))
    result = _run(runner, minimal, "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.match(
        r"^jdgen\.yaml:\d+: company\.location\.region: 'Ohoi' is not a region of US \(did you mean 'Ohio'\?\)$",
        lines[0],
    )
    assert re.match(
        r"^competencies/roles/coordinator\.yaml:\d+: location\.region: 'Xqzw' is not a region of US$", lines[1]
    )
    assert lines[-1] == "jdgen: 2 problems in the workspace; nothing was written."


def test_a_place_with_no_region_where_pay_laws_are_regional_is_a_warning(tmp_path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--no-input", "--name", "Acme", "--role", "tpm"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["--workspace", str(tmp_path / "acme"), "validate"])
    assert result.exit_code == 0
    assert (
        "warning: company.location names no region of United States, so jdgen cannot tell which of its "
        "pay-transparency laws apply to the postings there (`jdgen laws` finds none); add `region:`"
    ) in result.stderr
    laws = runner.invoke(cli, ["--workspace", str(tmp_path / "acme"), "laws", "tpm"])
    assert "the posting names no region of United States, so jdgen cannot place it in Colorado" in laws.output
    # with the state named, the warning goes and Ohio's cities are judged
    config = tmp_path / "acme/jdgen.yaml"
    config.write_text(config.read_text().replace("    country: US\n", "    country: US\n    region: Ohio\n", 1))
    quiet = runner.invoke(cli, ["--workspace", str(tmp_path / "acme"), "validate"])
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr, quiet.output


@pytest.mark.parametrize(
    ("zone", "posted"),
    [({"round_to": 999_999_999_999}, "999,999,999,999 to 999,999,999,999"), ({"factor": 0.0000001}, "1,000 to 1,000")],
    ids=["a step larger than the pay", "a factor that leaves nothing"],
)
def test_a_zone_whose_rounding_misstates_the_pay_is_a_located_error(runner, minimal, zone, posted) -> None:
    workspace = _place(minimal, ["columbus", "new-york"])
    _edit(workspace / "jdgen.yaml", lambda d: d["pay_zones"]["zone-a"].update(zone))
    result = _run(runner, workspace, "build", "coordinator")
    assert result.exit_code == 1
    assert re.search(
        rf"^competencies/roles/coordinator\.yaml:\d+: levels\.mid\.salary: in new-york \(pay zone 'zone-a'\) rounding "
        rf"turns [\d,.]+ to [\d,.]+ into {posted}, more than 5% off; lower the zone's round_to or factor in "
        r"jdgen\.yaml, or give salary_by_location\.new-york$",
        result.stderr,
        flags=re.MULTILINE,
    ), result.stderr
    assert not (workspace / "out").exists()
