"""Language checks: what is flagged, what is not, readability figures and the report shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import cli
from generator.lint.checker import LintSettings, check_words, readability
from generator.lint.rules import load_rules
from generator.lint.sources import PostingText, Segment


def _posting(*segments: Segment, must_haves: int = 5, benefits: bool = True, eeo: str = "") -> PostingText:
    return PostingText(
        segments=segments,
        role_path="competencies/roles/x.yaml",
        role_line=1,
        titles=(),
        must_haves=must_haves,
        has_benefits=benefits,
        eeo_statement=eeo or "We are an equal opportunity employer.",
    )


def _findings(text: str, settings: LintSettings | None = None):
    posting = _posting(Segment(text, "competencies/roles/x.yaml", 7, "summary"))
    return check_words(posting, load_rules(), settings or LintSettings())


FLAGGED = [
    ("He will own the roadmap.", "candidate-pronoun", "He will"),
    ("Our founder says she loves maps.", "gendered-pronoun", "she"),
    ("The candidate should know her stakeholders.", "gendered-pronoun", "her"),
    ("Report to the chairman of the board.", "gendered-noun", "chairman"),
    ("Hey guys, join us!", "gendered-noun", "guys"),
    ("Plan the manpower for each sprint.", "gendered-noun", "manpower"),
    ("We want a delivery rockstar.", "joke-title", "rockstar"),
    ("Become our scrum ninja.", "joke-title", "ninja"),
    ("A data guru who loves SQL.", "joke-title", "guru"),
    ("Be the hero of every launch.", "joke-title", "hero"),
    ("A process wizard.", "joke-title", "wizard"),
    ("We are looking for a unicorn.", "joke-title", "unicorn"),
    ("We work hard, play hard.", "bro-culture", "work hard, play hard"),
    ("A hardcore engineering culture.", "bro-culture", "hardcore"),
    ("Sup dude.", "bro-culture", "dude"),
    ("Build sexy dashboards.", "sexualised", "sexy"),
    ("Ship damn good code.", "profanity", "damn"),
    ("A badass team.", "profanity", "badass"),
    ("Join a young and energetic team.", "age-coded", "young"),
    ("Digital natives welcome.", "age-coded", "Digital natives"),
    ("Ideal for recent graduates.", "age-coded", "recent graduates"),
    ("Class of 2024 preferred.", "age-coded", "Class of 2024"),
    ("No more than 5 years of experience.", "age-coded", "No more than 5 years"),
    ("3-5 years of experience in delivery.", "age-coded", "3-5 years"),
    ("This is crazy fast.", "ableist", "crazy"),
    ("An insane amount of data.", "ableist", "insane"),
    ("Run a sanity check on the plan.", "ableist", "sanity check"),
    ("Never be blind to risk.", "ableist", "blind to"),
    ("That idea is lame.", "ableist", "lame"),
    ("Configure master/slave replication.", "loaded-technical", "master/slave"),
    ("Maintain the IP blacklist.", "loaded-technical", "blacklist"),
    ("Keep the whitelist current.", "loaded-technical", "whitelist"),
    ("Free beer on Fridays.", "hollow-perk", "beer"),
    ("A ping pong table in the office.", "hollow-perk", "ping pong"),
    ("You will hit the ground running.", "pressure", "hit the ground running"),
    ("Deliver under tight deadlines.", "pressure", "tight deadlines"),
    ("Juggle many clients.", "pressure", "Juggle"),
    ("A fast-paced environment.", "pressure", "fast-paced"),
    ("Create synergy between teams.", "jargon", "synergy"),
    ("A new paradigm for delivery.", "jargon", "paradigm"),
    ("Our meritocracy rewards results.", "jargon", "meritocracy"),
    ("A visionary self-starter.", "jargon", "visionary"),
    ("Salary up to $90,000.", "pay-stand-in", "Salary up to $9"),
    ("Pay: DOE.", "pay-stand-in", "DOE"),
    ("Compensation depending on experience.", "pay-stand-in", "depending on experience"),
    ("We pay $120k+ for the right person.", "pay-stand-in", "$120k+"),
    ("Please send your salary history with your application.", "salary-history", "salary history"),
    ("Tell us your current salary.", "salary-history", "current salary"),
]


@pytest.mark.parametrize(("text", "rule", "match"), FLAGGED)
def test_classic_problems_are_flagged(text: str, rule: str, match: str) -> None:
    findings = _findings(text)
    assert (findings[0].rule, findings[0].match) == (rule, match)
    assert (findings[0].path, findings[0].line, findings[0].field) == ("competencies/roles/x.yaml", 7, "summary")


INNOCENT = [
    "A Master's degree in a related field is welcome.",
    "We offer a competitive salary and the range above.",
    "Join our talent pool for future roles.",
    "Your responsibilities include planning and tracking.",
    "Commit your changes and open a pull request.",
    "Map the dependencies between the teams.",
    "Set objectives and key results each quarter.",
    "Build data-driven reports for clients.",
    "Keep the project history up to date.",
    "Break the parent ticket into subtasks.",
    "Report on project health every week.",
    "Plan a cloud-native migration.",
    "Measure the heroics needed? None: we plan.",
    "Share the hello-world demo with the team.",
    "Check the class of problems we solve.",
    "Document the master data model.",
    "Keep the main branch green.",
    "Use the allowlist and the blocklist.",
    "Review the backlog with the product owner.",
    "Help the team estimate sprint work.",
    "A yearly learning budget of up to four courses.",
    "We hire people from every background.",
    "Write a short report for the client.",
    "Shepherd the team through the change.",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_look_alikes_are_not_flagged(text: str) -> None:
    assert _findings(text) == []


def test_a_span_is_reported_once_even_when_two_rules_match() -> None:
    assert [f.rule for f in _findings("We want a rockstar ninja guru.")] == ["joke-title"] * 3
    assert len(_findings("Work under pressure.")) == 1


def test_the_allow_list_and_rule_switches_are_honoured() -> None:
    assert _findings("A ping pong table.", LintSettings(allowed=("ping pong",))) == []
    assert _findings("He will plan.", LintSettings(disabled=frozenset({"candidate-pronoun", "gendered-pronoun"}))) == []


def test_readability_matches_hand_counted_figures() -> None:
    # 6 words, 6 syllables, 1 sentence
    ease, grade = readability(["The cat sat on the mat."])
    assert ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    assert grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)
    # two bullets are two sentences: 7 words, 8 syllables (re-port)
    ease, grade = readability(["Plan the work", "Write a short report"])
    assert ease == pytest.approx(206.835 - 1.015 * 3.5 - 84.6 * 8 / 7)
    assert grade == pytest.approx(0.39 * 3.5 + 11.8 * 8 / 7 - 15.59)


#: an equal opportunity statement that names every US federal ground
COMPLETE_EEO = (
    "is an equal opportunity employer; we welcome applicants of every race, color, religion, sex (including "
    "pregnancy), sexual orientation, gender identity, national origin, age, disability, genetic information "
    "and veteran status."
)


def _problem_workspace(minimal: Path) -> Path:
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(
        role.read_text()
        .replace(
            "summary: Keeps delivery work moving.",
            "summary: We want a young rockstar ninja who will hit the ground running; he must work hard, play hard.",
        )
        .replace(
            "  - Keep the shared calendar current", "  - Juggle tight deadlines in a fast-paced, crazy environment"
        )
        .replace("  - Clear written English", "  - Send your salary history; pay is DOE")
    )
    return minimal


def test_a_posting_full_of_problems_is_flagged_rule_by_rule_and_fails(runner, minimal: Path) -> None:
    workspace = _problem_workspace(minimal)
    result = runner.invoke(cli, ["--workspace", str(workspace), "lint", "coordinator"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    flagged = {
        match.group(1) for line in lines if (match := re.search(r" (?:error|warning|notice) \[([a-z-]+)\]", line))
    }
    assert {"age-coded", "joke-title", "pressure", "candidate-pronoun", "bro-culture", "ableist", "salary-history",
            "pay-stand-in"} <= flagged  # fmt: skip
    assert "competencies/roles/coordinator.yaml:4 summary: error [age-coded] 'young':" in result.stdout
    assert (
        "competencies/roles/coordinator.yaml:20 requirements[0]: error [salary-history] 'salary history':"
        in result.stdout
    )
    assert result.stderr.startswith("jdgen: ")
    assert "findings at or above 'error'" in result.stderr


def test_every_finding_names_file_line_and_field_in_json(runner, minimal: Path) -> None:
    workspace = _problem_workspace(minimal)
    result = runner.invoke(cli, ["--workspace", str(workspace), "lint", "--format", "json", "--fail-on", "notice"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [p["role"] for p in document["postings"]] == ["coordinator", "planner"]
    posting = document["postings"][0]
    assert set(posting) == {"role", "level", "summary", "metrics", "findings"}
    assert set(posting["metrics"]) == {
        "words", "flesch_reading_ease", "flesch_kincaid_grade", "masculine_coded", "feminine_coded", "gender_score",
    }  # fmt: skip
    for finding in posting["findings"]:
        assert set(finding) == {"rule", "level", "message", "fix", "path", "line", "field", "match", "context"}
        assert finding["path"].endswith(".yaml") and finding["line"] and finding["field"]


def test_a_clean_posting_with_classic_false_positives_passes(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"  # a US posting: the statement names every federal ground
    config.write_text(config.read_text().replace("is an equal opportunity employer.", COMPLETE_EEO))
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(
        role.read_text()
        .replace("  - Clear written English", "  - A Master's degree or equivalent experience with data dependencies")
        .replace(
            "  - Keep the shared calendar current", "  - Commit plans to the shared repository and track objectives"
        )
        .replace(
            "summary: Keeps delivery work moving.",
            "summary: A competitive salary, a data-driven team and clear responsibilities; join our talent pool.",
        )
    )
    result = runner.invoke(cli, ["--workspace", str(minimal), "lint", "coordinator", "--fail-on", "warning"])
    assert result.exit_code == 0, result.output


def test_an_unknown_rule_in_the_workspace_is_located(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "lint:\n  disable:\n    - jargonn\n")
    result = runner.invoke(cli, ["--workspace", str(minimal), "lint"])
    assert result.exit_code == 1
    assert result.stderr.startswith("jdgen.yaml:18: unknown lint rule 'jargonn' (did you mean 'jargon'?)")


def test_the_builtin_postings_have_no_errors_or_warnings(runner) -> None:
    result = runner.invoke(cli, ["--workspace", str(Path(__file__).parent.parent), "lint", "--fail-on", "warning"])
    assert result.exit_code == 0, result.output
    assert len([line for line in result.stdout.splitlines() if line.startswith("lint ")]) == 6


def test_build_prints_a_lint_summary_and_never_fails_on_lint(runner, minimal: Path) -> None:
    workspace = _problem_workspace(minimal)
    result = runner.invoke(cli, ["--workspace", str(workspace), "build", "coordinator", "--format", "md"])
    assert result.exit_code == 0
    assert any(line.startswith("lint coordinator (mid): ") and "error" in line for line in result.stdout.splitlines())


def test_whole_posting_checks_point_at_the_role_file() -> None:
    from generator.lint.checker import Metrics, check_posting

    posting = _posting(must_haves=9, benefits=False, eeo="We hire nice people.")
    metrics = Metrics(words=1200, flesch_reading_ease=35.0, flesch_kincaid_grade=14.0,
                      masculine=("lead", "decisive", "driven", "assertive", "competitive"), feminine=())  # fmt: skip
    found = {(f.rule, f.level) for f in check_posting(posting, metrics, load_rules(), LintSettings())}
    assert found == {
        ("gender-coded", "warning"),
        ("readability", "notice"),
        ("length", "notice"),
        ("too-many-must-haves", "warning"),
        ("missing-benefits", "warning"),
        ("missing-eeo", "error"),
    }
    mild = Metrics(words=500, flesch_reading_ease=70.0, flesch_kincaid_grade=7.0, masculine=("lead",), feminine=())
    first = check_posting(posting, mild, load_rules(), LintSettings())[0]
    assert (first.rule, first.level, first.path, first.field) == (
        "gender-coded", "notice", "competencies/roles/x.yaml", "posting",
    )  # fmt: skip
