"""Values that used to crash or come out wrong: money, dates, addresses, ids that become file
names, problems hidden behind others, lint settings, and terminals that cannot show every
character. Each case is seen as a user sees it: exit code, the message line, out/ untouched."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_digest

from generator.cli import cli

ROLE = "competencies/roles/coordinator.yaml"
PLANNER = "competencies/roles/planner.yaml"
AREA = "competencies/delivery.yaml"
MID_SALARY = "    salary: {min: 50000, max: 60000, currency: USD, period: year}\n"


def _edit(workspace: Path, relative: str, old: str, new: str) -> None:
    path = workspace / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_old_outputs(workspace: Path) -> dict[str, str]:
    """Give the workspace an earlier build's out/ and return its digest, to show it stays as it was."""
    (workspace / "out/coordinator").mkdir(parents=True)
    (workspace / "out/coordinator/posting.md").write_text("an earlier build\n")
    return tree_digest(workspace / "out")


def _refused(runner, workspace: Path, args: list[str], pattern: str, exit_code: int = 1) -> list[str]:
    """Run jdgen, expect it to refuse cleanly with `pattern` on a line of stderr; return stderr's lines."""
    before = _with_old_outputs(workspace)
    result = runner.invoke(cli, ["--workspace", str(workspace), *args])
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    lines = result.stderr.splitlines()
    assert any(re.search(pattern, line) for line in lines), result.stderr
    assert tree_digest(workspace / "out") == before
    return lines


def _json_ld(page: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, flags=re.DOTALL)
    return json.loads(block)


# 1. Money --------------------------------------------------------------------------------------

BAD_AMOUNTS = [
    ("max", ".inf", r"levels\.mid\.salary\.max: \.inf is not an amount; write the top of the range as a number, "),
    ("max", ".nan", r"levels\.mid\.salary\.max: \.nan is not an amount; write the top"),
    ("min", "-.inf", r"levels\.mid\.salary\.min: -\.inf is not an amount; write the bottom of the range"),
    ("max", "123456789012345678901", r"levels\.mid\.salary\.max: 123456789012345678901 is more than any pay reaches"),
    (
        "max",
        "60000.125",
        r"levels\.mid\.salary\.max: 60000\.125 has more than two decimal places; round it to two, e\.g\. 60000\.13",
    ),
    (
        "max",
        "'60000'",
        r"levels\.mid\.salary\.max: '60000' is text, not an amount; write the top of the range as a number without",
    ),
    ("min", "0", r"levels\.mid\.salary\.min: 0 is not a positive amount"),
]


@pytest.mark.parametrize(("end", "written", "pattern"), BAD_AMOUNTS, ids=[case[1] for case in BAD_AMOUNTS])
def test_an_amount_that_is_not_real_pay_is_a_located_error(runner, minimal: Path, end, written, pattern) -> None:
    new = MID_SALARY.replace("min: 50000", f"min: {written}") if end == "min" else MID_SALARY.replace("60000", written)
    _edit(minimal, ROLE, MID_SALARY, new)
    _refused(runner, minimal, ["build", "coordinator"], rf"^{ROLE}:13: {pattern}")


def test_amounts_print_exactly_and_json_ld_carries_ints_or_decimals(runner, minimal: Path) -> None:
    _edit(minimal, ROLE, MID_SALARY, "    salary: {min: 25, max: 32.5, currency: USD, period: hour}\n")
    result = runner.invoke(
        cli, ["--workspace", str(minimal), "build", "coordinator", "--format", "md", "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    assert "**$25 to $32.50 an hour (USD)**" in (minimal / "out/coordinator/posting.md").read_text()
    page = (minimal / "out/coordinator/posting.html").read_text()
    assert '"minValue": 25,' in page and '"maxValue": 32.5,' in page
    assert _json_ld(page)["baseSalary"]["value"]["unitText"] == "HOUR"


def test_a_currency_without_cents_refuses_decimals(runner, minimal: Path) -> None:
    _edit(minimal, ROLE, MID_SALARY, "    salary: {min: 5000000, max: 6000000.5, currency: JPY, period: year}\n")
    _refused(runner, minimal, ["build", "coordinator"], rf"^{ROLE}:13: levels\.mid\.salary: JPY has no smaller unit")


# 2. Dates --------------------------------------------------------------------------------------


def test_a_quoted_iso_date_is_a_date(runner, minimal: Path) -> None:
    _edit(minimal, ROLE, "default_level: mid\n", "default_level: mid\ndate_posted: '2026-11-02'\n")
    result = runner.invoke(cli, ["--workspace", str(minimal), "build", "coordinator", "--format", "html"])
    assert result.exit_code == 0, result.output
    data = _json_ld((minimal / "out/coordinator/posting.html").read_text())
    assert (data["datePosted"], data["validThrough"]) == ("2026-11-02", "2027-01-01")


@pytest.mark.parametrize(
    ("written", "pattern"),
    [
        ("9999-12-31", r"date_posted: 9999-12-31 is outside the dates jdgen accepts, 2000-01-01 to 2099-12-31"),
        ("'next monday'", r"date_posted: 'next monday' is not a date; write it as YYYY-MM-DD"),
        ("'2026-02-30'", r"date_posted: '2026-02-30' is not a day of the calendar; write it as YYYY-MM-DD"),
    ],
)
def test_a_date_outside_the_century_or_not_a_date_is_a_located_error(runner, minimal: Path, written, pattern) -> None:
    _edit(minimal, ROLE, "default_level: mid\n", f"default_level: mid\ndate_posted: {written}\n")
    _refused(runner, minimal, ["build", "coordinator", "--format", "html"], rf"^{ROLE}:10: {pattern}")


@pytest.mark.parametrize("value", ["5000000000", "99999999999999", "-1", "9" * 5000])
def test_a_source_date_epoch_zip_cannot_hold_is_one_clear_error(runner, minimal: Path, monkeypatch, value) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    lines = _refused(
        runner,
        minimal,
        ["build", "coordinator", "--format", "docx"],
        r"^jdgen: SOURCE_DATE_EPOCH=-?\d+…? is outside the range jdgen can record, "
        r"0 \(1970-01-01\) to 4354819199 \(2107-12-31",
    )
    assert len(lines) == 1


@pytest.mark.parametrize("value", ["0", "315532800", "4354819199"])
def test_the_ends_of_the_epoch_range_build(runner, minimal: Path, monkeypatch, value) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(cli, ["--workspace", str(minimal), "build", "coordinator"])
    assert result.exit_code == 0, result.output


# 3. Addresses ----------------------------------------------------------------------------------

APPLY = "  apply_url: https://fixture.example.com/jobs/{role}\n"


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        (
            "  apply_url: careers.example.com/{role}\n",
            r"company\.apply_url: 'careers\.example\.com/\{role\}' is not a full web address; start it with https://$",
        ),
        (
            "  apply_url: https://example.com/jobs/{id}\n",
            r"company\.apply_url: .* holds a placeholder other than \{role\}",
        ),
        (
            "  website: ftp://example.com\n",
            r"company\.website: 'ftp://example\.com' is not a web page address; start it",
        ),
        ("  website: https:///jobs\n", r"company\.website: 'https:///jobs' has no host name"),
    ],
)
def test_an_address_that_is_not_a_full_web_address_is_a_located_error(runner, minimal: Path, line, pattern) -> None:
    _edit(minimal, "jdgen.yaml", APPLY, line)
    _refused(runner, minimal, ["build", "coordinator"], rf"^jdgen\.yaml:4: {pattern}")


def test_a_base_url_with_a_query_is_refused(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "publish:\n  base_url: https://jobs.example.com/?ref=feed\n")
    _refused(
        runner, minimal, ["build", "coordinator"], r"^jdgen\.yaml:17: publish\.base_url: .* has a query or fragment"
    )


# 4. Ids that become file names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "pattern"),
    [
        ("con.yaml", r"role id 'con' is a reserved file name on Windows, .*; rename the file$"),
        ("lpt7.yaml", r"role id 'lpt7' is a reserved file name on Windows"),
        (
            "compare.yaml",
            r"role id 'compare' is the folder where jdgen writes comparisons under out/; rename the file$",
        ),
        ("feeds.yaml", r"role id 'feeds' is the folder where jdgen writes job-board feeds"),
        (
            "coordinator-senior.yaml",
            r"role id 'coordinator-senior' is also the folder of role 'coordinator' at level 'senior' "
            r"\(out/coordinator-senior/\), so one build would overwrite the other; "
            r"rename competencies/roles/coordinator-senior\.yaml$",
        ),
    ],
)
def test_a_role_id_that_cannot_be_its_own_folder_is_refused(runner, minimal: Path, file, pattern) -> None:
    role = minimal / "competencies/roles" / file
    role.write_text((minimal / PLANNER).read_text())
    _refused(runner, minimal, ["build", "--all"], rf"^competencies/roles/{re.escape(file)}: {pattern}")


def test_two_levels_that_share_a_folder_are_refused(runner, minimal: Path) -> None:
    # planner at x-senior and planner-x at senior would both write out/planner-x-senior/
    _edit(
        minimal,
        "jdgen.yaml",
        "  - {id: senior, name: Senior}\n",
        "  - {id: senior, name: Senior}\n  - {id: x-senior, name: X}\n",
    )
    extra = "  x-senior:\n    title: Planner X\n    salary: {min: 70000, max: 80000, currency: USD}\n"
    _edit(minimal, PLANNER, "levels:\n", "levels:\n" + extra)
    (minimal / "competencies/roles/planner-x.yaml").write_text(
        (minimal / PLANNER).read_text().replace("x-senior", "senior")
    )
    _refused(
        runner,
        minimal,
        ["build", "--all"],
        rf"^{PLANNER}:6: role 'planner' at level 'x-senior' writes out/planner-x-senior/, "
        "as does role 'planner-x' at level 'senior'; rename one of the roles$",
    )


def test_an_area_with_a_reserved_windows_name_is_refused(runner, minimal: Path) -> None:
    (minimal / AREA).rename(minimal / "competencies/nul.yaml")
    _edit(minimal, "competencies/nul.yaml", "area: delivery\n", "area: nul\n")
    lines = _refused(
        runner, minimal, ["validate"], r"^competencies/nul\.yaml:1: 'nul' is a reserved file name on Windows"
    )
    assert len(lines) == 2  # that problem and the count: nothing else breaks


# 5. Every problem at once ----------------------------------------------------------------------


def test_loop_problems_of_two_roles_and_an_unrelated_error_come_in_one_run(runner, minimal: Path) -> None:
    # coordinator: a screen too short for its two focus competencies
    _edit(
        minimal,
        ROLE,
        "    minutes: 30\n    interviewers: Recruiter\n",
        "    minutes: 12\n    interviewers: Recruiter\n",
    )
    # planner: a fourth stage on plans-projects, whose two mid-level questions are used up
    (minimal / PLANNER).write_text(
        (minimal / PLANNER).read_text()
        + "  - id: extra\n    name: Extra\n    minutes: 30\n    interviewers: Peer\n"
        + "    focus:\n      - plans-projects\n"
    )
    # and a third role with a typo, which used to stop every loop from being planned
    scheduler = "competencies/roles/scheduler.yaml"
    (minimal / scheduler).write_text((minimal / PLANNER).read_text() + "responsibilites: [x]\n")
    pattern = rf"^{scheduler}:\d+: unknown field 'responsibilites' \(did you mean 'responsibilities'\?\)$"
    lines = _refused(runner, minimal, ["validate"], pattern)
    assert any(
        re.match(rf"^{ROLE}:\d+: stage 'screen' at level 'mid': one question per focus competency needs 16", x)
        for x in lines
    )
    assert any(
        re.match(rf"^{PLANNER}:\d+: stage 'extra' at level 'mid': every question of 'plans-projects'", x) for x in lines
    )
    # the screen is short at both levels, by different minutes: one line each
    assert lines[-1] == "jdgen: 4 problems in the workspace; nothing was written."


# 6. Lint settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "build", "check", "lint"])
def test_an_unknown_disabled_rule_is_refused_by_every_command(runner, minimal: Path, command: str) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  disable: [readabilty]\n")
    args = [command, "coordinator"] if command == "build" else [command]
    _refused(
        runner, minimal, args, r"^jdgen\.yaml:17: unknown lint rule 'readabilty' \(did you mean 'readability'\?\)$"
    )


def test_an_unknown_disabled_rule_with_no_close_match_lists_the_rules(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  disable: [zzz]\n")
    _refused(
        runner, minimal, ["validate"], r"^jdgen\.yaml:17: unknown lint rule 'zzz'; rule ids are ableist, age-coded, "
    )


def test_an_allowed_phrase_no_rule_flags_is_a_warning(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  allow:\n    - ping pong\n    - pingpong\n    - ping\n")
    result = runner.invoke(cli, ["--workspace", str(minimal), "validate"])
    assert result.exit_code == 0, result.output
    # "ping pong" is flagged by a rule and "ping" is a word of that rule's term: both do something
    assert result.stderr.splitlines() == [
        "jdgen.yaml:19: warning: lint.allow[1]: no language rule flags 'pingpong', so allowing it changes nothing; "
        "check its spelling or remove it"
    ]


def test_an_empty_allowed_phrase_is_an_error(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  allow: ['  ']\n")
    _refused(
        runner, minimal, ["validate"], r"^jdgen\.yaml:17: lint\.allow\[0\]: string should have at least 1 character"
    )


# 7. Any terminal -------------------------------------------------------------------------------


def _jdgen(workspace: Path, encoding: str, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JDGEN_", "LC_", "LANG"))}
    env |= {"PYTHONIOENCODING": encoding, "LC_ALL": "C"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--workspace", str(workspace), *args],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_list_prints_arrows_on_a_terminal_without_them(builtin_copy: Path, encoding: str) -> None:
    done = _jdgen(builtin_copy, encoding, "list")
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert re.search(rb"^tpm +Technical Project Manager .* tpm (\\u2192|\xe2\x86\x92) project-lead$", done.stdout, re.M)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_message_with_a_curly_quote_reaches_a_terminal_without_one(minimal: Path, encoding: str) -> None:
    _edit(minimal, ROLE, "nice_to_have:\n", "nice_to_h’ve: []\nnice_to_have:\n")
    done = _jdgen(minimal, encoding, "validate")
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr
    first = done.stderr.decode("utf-8").splitlines()[0]
    assert re.fullmatch(rf"{ROLE}:\d+: unknown field 'nice_to_h(\\u2019|’)ve' \(did you mean 'nice_to_have'\?\)", first)


# 8. Other values -------------------------------------------------------------------------------


def test_a_question_for_no_level_is_refused(runner, minimal: Path) -> None:
    _edit(minimal, AREA, "        levels:\n          - senior\n", "        levels: []\n")
    _refused(
        runner,
        minimal,
        ["validate"],
        rf"^{AREA}:\d+: competencies\[0\]\.questions\[2\]\.levels: an empty list suits no",
    )
