"""Legal risk is an error: age-coded wording, a pronoun for the hire, pay stand-ins; EEO grounds for US postings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import cli
from generator.lint.checker import LintSettings, check_words, missing_grounds
from generator.lint.rules import load_rules
from generator.lint.sources import PostingText, Segment

ROLE = "competencies/roles/coordinator.yaml"
SUMMARY = "summary: Keeps delivery work moving."
FIXTURE_EEO = "eeo_statement: Fixture Works is an equal opportunity employer."
#: the minimal fixture's statement made to name every US federal ground
COMPLETE_EEO = (
    "eeo_statement: Fixture Works is an equal opportunity employer; we welcome applicants of every race, color, "
    "religion, sex (including pregnancy), sexual orientation, gender identity, national origin, age, disability, "
    "genetic information and veteran status."
)
#: the same without genetic information and pregnancy
PARTIAL_EEO = (
    "eeo_statement: Fixture Works is an equal opportunity employer; we welcome applicants of every race, colour, "
    "religion, gender, sexual orientation, gender identity, national origin, age, disability and protected "
    "veteran status."
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _lint(runner, workspace: Path, *args: str):
    return runner.invoke(cli, ["--workspace", str(workspace), "lint", "coordinator", *args])


def _found(stdout: str) -> set[tuple[str, str, str]]:
    """Return (level, rule, match) of every finding line."""
    return set(re.findall(r" (error|warning|notice) \[([a-z-]+)\](?: '([^']*)')?:", stdout))


def _words(text: str) -> list[tuple[str, str, str]]:
    segment = Segment(text, ROLE, 4, "summary")
    posting = PostingText((segment,), ROLE, 1, (), 3, True, "")
    return [(f.level, f.rule, f.match) for f in check_words(posting, load_rules(), LintSettings())]


def test_the_acceptance_sentence_fails_lint_and_check_with_the_default_settings(runner, minimal: Path) -> None:
    _edit(minimal / "jdgen.yaml", FIXTURE_EEO, COMPLETE_EEO)
    _edit(minimal / ROLE, SUMMARY, "summary: We want a young rockstar. He will...")
    result = _lint(runner, minimal)
    assert result.exit_code == 1
    assert {("error", "age-coded", "young"), ("error", "candidate-pronoun", "He will"),
            ("warning", "joke-title", "rockstar")} <= _found(result.stdout)  # fmt: skip
    assert f"{ROLE}:4 summary: error [candidate-pronoun] 'He will':" in result.stdout
    assert "jdgen: 2 findings at or above 'error'" in result.stderr
    checked = runner.invoke(cli, ["--workspace", str(minimal), "check"])
    assert checked.exit_code == 1
    assert "check failed: 2 lint findings at or above 'error'" in checked.stderr


@pytest.mark.parametrize(
    ("text", "rule", "match"),
    [
        ("Digital natives welcome.", "age-coded", "Digital natives"),
        ("Ideal for a recent graduate.", "age-coded", "recent graduate"),
        ("Pay: DOE.", "pay-stand-in", "DOE"),
        ("We pay up to $120k.", "pay-stand-in", "pay up to $1"),
        ("What is your current salary?", "salary-history", "current salary"),
        ("She'll own the plan.", "candidate-pronoun", "She'll"),
        ("He should know SQL.", "candidate-pronoun", "He should"),
        ("He or she must travel.", "candidate-pronoun", "He or she"),
        ("Describe his/her last project.", "candidate-pronoun", "his/her"),
        ("S/he leads the team.", "candidate-pronoun", "S/he"),
    ],
)
def test_legal_risks_are_errors_and_reported_once(text: str, rule: str, match: str) -> None:
    assert _words(text) == [("error", rule, match)]


def test_a_pronoun_for_someone_else_stays_a_warning(runner, minimal: Path) -> None:
    assert _words("She founded our company.") == [("warning", "gendered-pronoun", "She")]
    _edit(minimal / "jdgen.yaml", FIXTURE_EEO, COMPLETE_EEO)
    _edit(minimal / ROLE, SUMMARY, "summary: She founded our company.")
    result = _lint(runner, minimal)
    assert result.exit_code == 0, result.output
    assert _found(result.stdout) == {("warning", "gendered-pronoun", "She"), ("notice", "length", "")}


def test_switching_the_candidate_rule_off_leaves_the_pronoun_a_warning(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  disable: [candidate-pronoun]\n")
    _edit(minimal / ROLE, SUMMARY, "summary: He will plan.")
    result = _lint(runner, minimal)
    assert result.exit_code == 0, result.output
    assert ("warning", "gendered-pronoun", "He") in _found(result.stdout)


def test_a_us_statement_missing_grounds_is_a_warning_that_names_them(runner, minimal: Path) -> None:
    _edit(minimal / "jdgen.yaml", FIXTURE_EEO, PARTIAL_EEO)
    result = _lint(runner, minimal)
    assert result.exit_code == 0, result.output  # a warning: the default fail_on is error
    assert (
        f"{ROLE}:1 posting: warning [eeo-incomplete]: the equal opportunity statement of a US posting does not "
        "name pregnancy and genetic information;"
    ) in result.stdout
    _edit(minimal / "jdgen.yaml", PARTIAL_EEO, COMPLETE_EEO)
    assert "eeo-incomplete" not in _lint(runner, minimal).stdout


def test_a_posting_outside_the_us_is_not_held_to_us_grounds(runner, minimal: Path) -> None:
    _edit(minimal / "jdgen.yaml", "    region: Ohio\n    country: US", "    region: Ontario\n    country: CA")
    assert "eeo-incomplete" not in _lint(runner, minimal).stdout
    # the role's own location wins over the company's
    _edit(minimal / ROLE, "default_level: mid", "default_level: mid\nlocation: {locality: Austin, country: US}")
    assert "warning [eeo-incomplete]" in _lint(runner, minimal).stdout


@pytest.mark.parametrize(
    ("wording", "missing"),
    [
        ("gender identity, pregnancy, color, veterans, disability", ["sex"]),  # its own ground, not sex
        ("gender, gender identity, pregnancy, color, veteran status, disability", []),
        ("sex (including pregnancy), gender identity, colour, protected veteran status, disabilities", []),
        (
            "gender or gender expression, pregnant workers, color, military service, disabled people",
            ["gender identity"],
        ),
        ("sex, gender identity, color, veteran status, disability", ["pregnancy"]),
    ],
)
def test_each_ground_is_recognised_in_its_common_wordings(wording: str, missing: list[str]) -> None:
    others = "race, religion, sexual orientation, national origin, age, genetic information"
    statement = f"We are an equal opportunity employer and welcome every {others}, {wording}."
    posting = PostingText((), ROLE, 1, (), 3, True, statement, country="US")
    assert missing_grounds(posting, load_rules()) == missing


def test_the_us_grounds_are_the_federal_ones() -> None:
    names = [ground.name for ground in load_rules().eeo_grounds["US"]]
    assert names == ["race", "color", "religion", "sex", "pregnancy", "sexual orientation", "gender identity",
                     "national origin", "age", "disability", "genetic information", "veteran status"]  # fmt: skip


def test_the_builtin_workspace_passes_check_and_lints_without_warnings(runner, builtin_copy: Path) -> None:
    checked = runner.invoke(cli, ["--workspace", str(builtin_copy), "check"])
    assert checked.exit_code == 0, checked.output
    linted = runner.invoke(cli, ["--workspace", str(builtin_copy), "lint", "--fail-on", "warning"])
    assert linted.exit_code == 0, linted.output
    assert "eeo-incomplete" not in linted.stdout
