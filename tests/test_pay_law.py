"""The `pay-law` lint family and `jdgen laws`: which pay-transparency laws bind a posting, per place."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.cli import cli

POSTED = "2026-11-02"  #: pinned, so no test depends on today's date
PLACES = {
    "denver": {"locality": "Denver", "region": "Colorado", "country": "US", "work_model": "onsite"},
    "toronto": {"locality": "Toronto", "region": "Ontario", "country": "CA", "work_model": "onsite"},
    "los-angeles": {"locality": "Los Angeles", "region": "CA", "country": "US", "work_model": "onsite"},
    "remote-us": {"country": "US", "work_model": "remote"},
}
TORONTO_WIDE = {"toronto": {"min": 90000, "max": 150000, "currency": "CAD"}}
TORONTO_NARROW = {"toronto": {"min": 100000, "max": 140000, "currency": "CAD"}}
ROLE = "competencies/roles/coordinator.yaml"


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _post(workspace: Path, locations: list[str], salary_by_location: dict | None = None, **fields) -> Path:
    """Post the fixture's coordinator in `locations`, dated POSTED, with the role fields given."""
    _edit(workspace / "jdgen.yaml", lambda d: d.update(locations=PLACES))

    def role(data: dict) -> None:
        data.update(locations=locations, date_posted=POSTED, **fields)
        if salary_by_location is not None:
            data["levels"]["mid"]["salary_by_location"] = salary_by_location

    _edit(workspace / ROLE, role)
    return workspace


def _company(workspace: Path, **fields) -> None:
    _edit(workspace / "jdgen.yaml", lambda d: d["company"].update(fields))


def _run(runner, workspace: Path, *args: str):
    return runner.invoke(cli, ["--workspace", str(workspace), *args])


def _laws(runner, workspace: Path, *args: str) -> tuple[int, dict[str, dict[str, dict]]]:
    """Run `jdgen laws --format json`; return the exit code and each posting's verdicts by law id."""
    result = _run(runner, workspace, "laws", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    postings = json.loads(result.stdout)
    return result.exit_code, {p["location"]: {law["law"]: law for law in p["laws"]} for p in postings}


def _checks(verdict: dict) -> dict[str, bool]:
    return {check["requirement"]: check["met"] for check in verdict["checks"]}


def test_denver_without_closing_date_fails_check_naming_colorado(runner, minimal: Path) -> None:
    _post(minimal, ["denver"])
    result = _run(runner, minimal, "check")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "[pay-law]" in line]
    assert line.startswith(f"{ROLE}:") and "locations[0]: error" in line
    assert "Colorado" in line and "closes_on" in line and "when applications close" in line
    assert "fix: set closes_on in the role file" in line


def test_denver_with_closing_date_passes_and_shows_it(runner, minimal: Path) -> None:
    _post(minimal, ["denver"], closes_on="2027-01-31")
    result = _run(runner, minimal, "check")
    assert result.exit_code == 0, result.output
    shown = _run(runner, minimal, "show", "coordinator")
    assert "31 January 2027" in shown.output


def test_pay_law_findings_in_lint_json_and_build_summary(runner, minimal: Path) -> None:
    _post(minimal, ["denver"])
    result = _run(runner, minimal, "lint", "--format", "json")
    assert result.exit_code == 1
    (posting,) = [p for p in json.loads(result.stdout)["postings"] if p["role"] == "coordinator"]
    (finding,) = [f for f in posting["findings"] if f["rule"] == "pay-law"]
    assert finding["level"] == "error" and finding["field"] == "locations[0]" and finding["line"]
    built = _run(runner, minimal, "build", "coordinator")
    assert built.exit_code == 0, built.output
    assert "lint coordinator (mid): 1 error" in built.output


def test_toronto_range_wider_than_ontario_allows_fails(runner, minimal: Path) -> None:
    _post(minimal, ["toronto"], TORONTO_WIDE, vacancy="existing")
    result = _run(runner, minimal, "check")
    assert result.exit_code == 1
    assert "Ontario" in result.stderr and "more than the CAD 50,000 allowed" in result.stderr
    code, verdicts = _laws(runner, minimal)
    assert code == 1 and _checks(verdicts["toronto"]["ontario"])["pay_range"] is False


def test_toronto_ai_disclosure_is_met_when_the_statement_is_shown(runner, minimal: Path) -> None:
    statement = "An AI tool ranks applications; a recruiter reads every one."
    _edit(minimal / "jdgen.yaml", lambda d: d.update(hiring={"ai_screening": True, "ai_statement": statement}))
    _post(minimal, ["toronto"], TORONTO_NARROW, vacancy="existing")
    code, verdicts = _laws(runner, minimal)
    ontario = verdicts["toronto"]["ontario"]
    assert code == 0 and ontario["status"] == "applies"
    assert all(_checks(ontario).values()) and "ai_disclosure" in _checks(ontario)
    assert statement in _run(runner, minimal, "show", "coordinator").output
    assert _run(runner, minimal, "check").exit_code == 0


def test_a_company_of_ten_is_not_bound_in_california(runner, minimal: Path) -> None:
    _company(minimal, employees=10)
    _post(minimal, ["los-angeles"])
    code, verdicts = _laws(runner, minimal)
    california = verdicts["los-angeles"]["california"]
    assert code == 0 and california["status"] == "not_applicable" and california["checks"] == []
    assert "10 employees, below the threshold of 15" in california["reason"]
    text = _run(runner, minimal, "laws", "coordinator")
    assert "california: does not apply" in text.output and "below the threshold of 15" in text.output


def test_remote_us_answers_to_colorado_and_washington(runner, minimal: Path) -> None:
    _post(minimal, ["remote-us"])
    code, verdicts = _laws(runner, minimal)
    remote = verdicts["remote-us"]
    assert remote["colorado"]["status"] == "applies" and remote["washington"]["status"] == "applies"
    assert _checks(remote["colorado"])["closes_on"] is False  # so the remote posting fails
    assert code == 1
    _edit(minimal / ROLE, lambda d: d.update(closes_on="2027-01-31"))
    assert _laws(runner, minimal)[0] == 0


def test_a_posting_dated_long_before_a_law_is_not_bound(runner, minimal: Path) -> None:
    _post(minimal, ["toronto"], TORONTO_WIDE)
    _edit(minimal / ROLE, lambda d: d.update(date_posted="2025-06-01"))  # Ontario's law: 2026-01-01
    code, verdicts = _laws(runner, minimal)
    assert code == 0 and verdicts["toronto"]["ontario"]["status"] == "not_applicable"
    assert _run(runner, minimal, "check").exit_code == 0


def test_a_law_within_90_days_gives_warnings_not_errors(runner, minimal: Path) -> None:
    _post(minimal, ["toronto"], TORONTO_WIDE)
    _edit(minimal / ROLE, lambda d: d.update(date_posted="2025-11-15"))  # 47 days before Ontario's law
    code, verdicts = _laws(runner, minimal)
    assert code == 0 and verdicts["toronto"]["ontario"]["status"] == "coming"
    lint = json.loads(_run(runner, minimal, "lint", "coordinator", "--format", "json").stdout)
    levels = {f["level"] for f in lint["postings"][0]["findings"] if f["rule"] == "pay-law"}
    assert levels == {"warning"}  # the width and the missing vacancy status
    messages = [f["message"] for f in lint["postings"][0]["findings"] if f["rule"] == "pay-law"]
    assert all("from 2026-01-01, when it comes into force" in message for message in messages)
    assert _run(runner, minimal, "check").exit_code == 0


def test_laws_json_shape(runner, minimal: Path) -> None:
    _post(minimal, ["denver", "remote-us"], closes_on="2027-01-31")
    result = _run(runner, minimal, "laws", "coordinator", "--format", "json")
    assert result.exit_code == 0, result.output
    postings = json.loads(result.stdout)
    assert [(p["role"], p["level"], p["location"]) for p in postings] == [
        ("coordinator", "mid", "denver"),
        ("coordinator", "mid", "remote-us"),
    ]
    law = postings[0]["laws"][0]
    keys = {"law", "name", "source", "verified", "status", "reason", "assumed_headcount", "checks"}
    assert set(law) == keys
    assert set(law["checks"][0]) == {"requirement", "met", "detail", "fix"}
    one = _run(runner, minimal, "laws", "coordinator", "--location", "denver", "--format", "json")
    assert [p["location"] for p in json.loads(one.stdout)] == ["denver"]


def test_laws_usage_errors_suggest(runner, minimal: Path) -> None:
    _post(minimal, ["denver"])
    role = _run(runner, minimal, "laws", "coordinatr")
    assert role.exit_code == 2 and "did you mean 'coordinator'" in role.stderr
    place = _run(runner, minimal, "laws", "coordinator", "--location", "denvr")
    assert place.exit_code == 2 and "did you mean 'denver'" in place.stderr


def test_a_role_without_locations_is_judged_at_the_company_location(runner, minimal: Path) -> None:
    _company(minimal, location=PLACES["denver"])
    result = _run(runner, minimal, "lint", "coordinator", "--format", "json")
    (finding,) = [f for f in json.loads(result.stdout)["postings"][0]["findings"] if f["rule"] == "pay-law"]
    assert finding["field"] == "title" and finding["line"] == 1
    assert "binds the posting at Denver, Colorado, US" in finding["message"]


def test_disabling_pay_law_silences_the_family(runner, minimal: Path) -> None:
    _post(minimal, ["denver"])
    _edit(minimal / "jdgen.yaml", lambda d: d.update(lint={"disable": ["pay-law"]}))
    result = _run(runner, minimal, "check")
    assert result.exit_code == 0, result.output
    assert "pay-law" not in _run(runner, minimal, "lint").output


def test_builtin_workspace_passes_every_law(runner, builtin_copy: Path) -> None:
    result = _run(runner, builtin_copy, "check")
    assert result.exit_code == 0, result.output
    laws = _run(runner, builtin_copy, "laws", "tpm")
    assert laws.exit_code == 0, laws.output
    for place in ("columbus", "new-york", "remote-us"):
        assert f"tpm (mid) at {place}:" in laws.output
    assert "colorado: applies" in laws.output and "NOT MET" not in laws.output
