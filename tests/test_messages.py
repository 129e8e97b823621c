"""Recruiters' YAML slips: each is one located line that names the slip and its fix, exit 1,
no traceback, and out/ exactly as it was."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import tree_digest

import generator.workspace
from generator.cli import cli

ROLE = "competencies/roles/coordinator.yaml"
AREA = "competencies/delivery.yaml"


@dataclass(frozen=True)
class Case:
    """One slip: how to make it, the line it must produce, and the command that meets it."""

    name: str
    change: Callable[[Path], None]  #: makes the slip in a copy of the minimal workspace
    message: str  #: a regular expression the first line of standard error must match
    args: tuple[str, ...] = ("validate",)


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        text = (ws / relative).read_text(encoding="utf-8")
        assert old in text, old
        (ws / relative).write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        with (ws / relative).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return apply


def _copy(relative: str, target: str, old: str = "", new: str = "") -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        (ws / target).write_text((ws / relative).read_text().replace(old, new, 1), encoding="utf-8")

    return apply


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        for change in changes:
            change(ws)

    return apply


MINUTES = "        minutes: 8\n"  # the first question of the area file, line 17
Q_MINUTES = re.escape("competencies[0].questions[0].minutes: ")
SUMMARY = "summary: Keeps delivery work moving."  # line 4 of the role
ITEM = "  - Keep the shared calendar current"  # line 18 of the role
SALARY = "{min: 50000, max: 60000, currency: USD, period: year}"  # line 13 of the role
BLOCK_SALARY = "\n      min: 50,000\n      max: 60000\n      currency: USD"

CASES = [
    # 1. numbers YAML 1.1 reads otherwise than they look
    Case(
        "octal minutes",
        _replace(AREA, MINUTES, "        minutes: 075\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 075 as the octal number 61; write 75, or put it in quotes if it is text$",
    ),
    Case(
        "minutes in base 60",
        _replace(AREA, MINUTES, "        minutes: 1:30\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 1:30 as 90 \(base 60\); write the number of minutes, e.g\. 90, "
        "or put text in quotes$",
    ),
    Case(
        "a float in base 60",
        _replace(ROLE, SALARY, "{min: 50:00.5, max: 60000, currency: USD, period: year}"),
        rf"^{ROLE}:13: levels\.mid\.salary\.min: YAML reads 50:00\.5 as 3000\.5 \(base 60\); write the number, ",
    ),
    Case(
        "hexadecimal minutes",
        _replace(AREA, MINUTES, "        minutes: 0x1E\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 0x1E as the hexadecimal number 30; write 30",
    ),
    Case(
        "binary minutes",
        _replace(AREA, MINUTES, "        minutes: 0b101\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 0b101 as the binary number 5; write 5",
    ),
    Case(
        "a leading zero YAML keeps as text",
        _replace(AREA, MINUTES, "        minutes: 08\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 08 as text because of the leading zero; write 8$",
    ),
    # 2. invisible characters
    Case(
        "a right-to-left override in text",
        _replace(ROLE, SUMMARY, "summary: Keeps delivery \u202ework moving."),
        rf"^{ROLE}:4: the text holds U\+202E RIGHT-TO-LEFT OVERRIDE, an invisible character that can disguise "
        "text; remove it$",
    ),
    Case(
        "a zero-width space in a key",
        _replace(ROLE, "summary:", "sum\u200bmary:"),
        rf"^{ROLE}:4: the key holds U\+200B ZERO WIDTH SPACE, an invisible character",
    ),
    Case(
        "a byte order mark inside text",
        _replace(ROLE, SUMMARY, "summary: Keeps \ufeffdelivery work moving."),
        rf"^{ROLE}:4: the text holds U\+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible character",
    ),
    Case(
        "a soft hyphen hiding a word",
        _replace(ROLE, SUMMARY, "summary: Keeps deli\u00advery work moving."),
        rf"^{ROLE}:4: the text holds U\+00AD SOFT HYPHEN, an invisible character",
    ),
    Case(
        "a joiner between ASCII letters",
        _replace(ROLE, SUMMARY, "summary: Keeps deli\u200dvery work moving."),
        rf"^{ROLE}:4: the text holds U\+200D ZERO WIDTH JOINER, an invisible character",
    ),
    Case(
        "a left-to-right mark on the third line of a block of text",
        _replace(ROLE, "  You work with every team.", "  You work with \u200eevery team."),
        rf"^{ROLE}:8: the text holds U\+200E LEFT-TO-RIGHT MARK, an invisible character",
    ),
    Case(
        "a no-break space indenting a key",
        _replace(ROLE, "  senior:\n", "\u00a0 senior:\n"),
        rf"^{ROLE}:14: a U\+00A0 NO-BREAK SPACE indents this line; YAML indents with plain spaces only",
    ),
    # 3. tabs
    Case(
        "a tab indenting a line of jdgen.yaml",
        _replace("jdgen.yaml", "  eeo_statement:", "\teeo_statement:"),
        r"^jdgen\.yaml:7: a tab indents this line; YAML indents with spaces only: replace the tab with spaces$",
        ("build", "coordinator"),
    ),
    Case(
        "a tab after spaces in a list",
        _replace(ROLE, ITEM, "  \t- Keep the shared calendar current"),
        rf"^{ROLE}:18: a tab indents this line",
    ),
    # 4. thousands separators
    Case(
        "a comma in a number of a flow mapping",
        _replace(ROLE, SALARY, "{min: 50,000, max: 60,000, currency: USD, period: year}"),
        rf"^{ROLE}:13: levels\.mid\.salary\.min: YAML splits 50,000 at the comma; write 50000, without the comma$",
    ),
    Case(
        "two commas in a number of a flow mapping",
        _replace(ROLE, SALARY, "{min: 1,050,000, max: 2000000, currency: USD, period: year}"),
        rf"^{ROLE}:13: levels\.mid\.salary\.min: YAML splits 1,050,000 at the comma; write 1050000, without",
    ),
    Case(
        "a comma in a number of a block mapping",
        _replace(ROLE, SALARY, BLOCK_SALARY),
        rf"^{ROLE}:14: levels\.mid\.salary\.min: YAML reads 50,000 as text because of the comma; write 50000, "
        "without the comma$",
    ),
    Case(
        "spaces in a whole number",
        _replace(AREA, MINUTES, "        minutes: 1 000\n"),
        rf"^{AREA}:17: {Q_MINUTES}YAML reads 1 000 as text because of the space; write 1000, without the space$",
    ),
    Case(
        "a unit after a number",
        _replace(AREA, MINUTES, "        minutes: 8 min\n"),
        rf"^{AREA}:17: {Q_MINUTES}write the number alone: 8$",
    ),
    # 5. quoted numbers and true/false values
    Case(
        "quoted minutes",
        _replace(AREA, MINUTES, "        minutes: '30'\n"),
        rf"^{AREA}:17: {Q_MINUTES}'30' is text because of the quotes; remove the quotes$",
    ),
    Case(
        "a quoted true",
        _append("jdgen.yaml", "publish:\n  direct_apply: 'true'\n"),
        r"^jdgen\.yaml:17: publish\.direct_apply: 'true' is text because of the quotes; remove the quotes$",
    ),
    Case(
        "a quoted rating key",
        _append("jdgen.yaml", 'rating_scale:\n  "1": Poor\n  2: Mixed\n'),
        r"^jdgen\.yaml:17: rating_scale\.1: \"1\" is text because of the quotes; remove the quotes$",
    ),
    Case(
        "text where true or false belongs",
        _append("jdgen.yaml", "publish:\n  direct_apply: maybe\n"),
        r"^jdgen\.yaml:17: publish\.direct_apply: expected true or false, got 'maybe'$",
    ),
    # 6. dates where text belongs
    Case(
        "a date as the summary",
        _replace(ROLE, SUMMARY, "summary: 2026-01-01"),
        rf'^{ROLE}:4: summary: expected text, but YAML reads \'2026-01-01\' as a date; put it in quotes: "2026-01-01"$',
        ("build", "coordinator"),
    ),
    Case(
        "a date as the title",
        _replace(ROLE, "title: Delivery Coordinator\naliases", "title: 2026-01-01\naliases"),
        rf"^{ROLE}:1: title: expected text, but YAML reads '2026-01-01' as a date; put it in quotes",
    ),
    Case(
        "a date and time as a list item",
        _replace(ROLE, ITEM, "  - 2026-01-01 10:00:00"),
        rf"^{ROLE}:18: responsibilities\[0\]: expected text, but YAML reads '2026-01-01 10:00:00' as a date and time",
    ),
    # 7. a competency twice
    Case(
        "a role listing a competency twice",
        _replace(
            ROLE,
            "  - {id: runs-meetings, emphasis: supporting}\n",
            "  - {id: runs-meetings, emphasis: supporting}\n" * 2,
        ),
        rf"^{ROLE}:29: competency 'runs-meetings' is listed twice$",
    ),
    Case(
        "a role listing more competencies than allowed",
        _replace(
            ROLE,
            "  - {id: runs-meetings, emphasis: supporting}\n",
            "  - {id: runs-meetings, emphasis: supporting}\n" * 7,
        ),
        rf"^{ROLE}:23: competencies: lists 11 items, more than the 10 allowed; remove some$",
    ),
    # (an area file defining an id twice, and two files defining it, are tests of their own below)
    # 10. other slips
    Case(
        "a list item holding ': '",
        _replace(ROLE, ITEM, "  - Follow-up: what changed?"),
        rf"^{ROLE}:18: responsibilities\[0\]: this line holds ': ' so YAML reads it as a key and a value; "
        r'put the whole line in quotes: "Follow-up: what changed\?"$',
    ),
    Case(
        "a text holding ': '",
        _replace(ROLE, SUMMARY, "summary: Keeps delivery: on time."),
        rf'^{ROLE}:4: text containing \': \' must be in quotes: write summary: "Keeps delivery: on time\."$',
    ),
    Case(
        "no space after a list dash",
        _replace(ROLE, ITEM, "  -Keep the shared calendar current"),
        rf"^{ROLE}:17: responsibilities: expected a list, got the text '-Keep the shared calendar current'; "
        r"a list item needs a space after its '-'",
    ),
    Case(
        "a Word bullet instead of a dash",
        _replace(ROLE, ITEM, "  \u2013 Keep the shared calendar current"),
        rf"^{ROLE}:17: responsibilities: expected a list, .*; list items start with '- ' \(a plain hyphen and a "
        "space\\), not '\u2013'$",
    ),
    Case(
        "an asterisk bullet",
        _replace(ROLE, ITEM, "  * Keep the shared calendar current"),
        rf"^{ROLE}:18: list items start with '- ', not '\* '",
    ),
    Case(
        "no space after a key's colon",
        _replace(ROLE, SUMMARY, "summary:Keeps delivery work moving."),
        rf"^{ROLE}:4: a key needs a space after its colon: write summary: Keeps delivery work moving\.$",
    ),
    Case(
        "text starting with '*'",
        _replace(ROLE, ITEM, "  - *Keep the shared calendar current"),
        rf"^{ROLE}:18: YAML reads '\*Keep' as an alias \(a reference to an anchor\); put the whole text in quotes: "
        '"\\*Keep the shared calendar current"$',
    ),
    Case(
        "text starting with '&'",
        _replace(ROLE, ITEM, "  - &Keep the shared calendar current"),
        rf"^{ROLE}:18: YAML reads '&Keep' as an anchor and drops it; put text that starts with '&' in quotes: "
        '"&Keep the shared calendar current"$',
    ),
    *(
        Case(
            f"text starting with '{char}'",
            _replace(ROLE, ITEM, f"  - {char}Keep the shared calendar current"),
            rf"^{ROLE}:18: YAML cannot read text that starts with '{re.escape(char)}'; put the whole text in quotes",
        )
        for char in "@`%"
    ),
    Case(
        "text starting with '!'",
        _replace(ROLE, SUMMARY, "summary: !important Keeps delivery"),
        rf"^{ROLE}:4: YAML reads '!important' as a tag; put the whole text in quotes: \"!important Keeps delivery\"$",
    ),
    Case(
        "an apostrophe inside single quotes",
        _replace(ROLE, SUMMARY, "summary: 'It's how delivery keeps moving'"),
        rf"^{ROLE}:4: an apostrophe inside single quotes ends the text early; "
        'write summary: "It\'s how delivery keeps moving"$',
    ),
    Case(
        "text after a closing quote",
        _replace(ROLE, SUMMARY, 'summary: "Keeps" delivery moving.'),
        rf"^{ROLE}:4: the closing quote ends the text early; put the whole text in quotes: "
        "summary: '\"Keeps\" delivery moving\\.'$",
    ),
    Case(
        "text after brackets",
        _replace(ROLE, SUMMARY, "summary: [Remote] Keeps delivery moving."),
        rf"^{ROLE}:4: YAML reads \[Remote\] as a list; put the whole text in quotes: "
        'summary: "\\[Remote\\] Keeps delivery moving\\."$',
    ),
    Case(
        "a dash after a key",
        _replace(ROLE, SUMMARY, "summary: - Keeps delivery moving."),
        rf"^{ROLE}:4: a value cannot start with '-' on its key's line; put the whole text in quotes",
    ),
    Case(
        "a block indicator with text after it",
        _replace(ROLE, SUMMARY, "summary: | Keeps delivery moving."),
        rf"^{ROLE}:4: '\|' must end its line, with the text indented on the lines below",
    ),
    Case(
        "a key indented under a line with a value",
        _replace(ROLE, "default_level: mid\n", "default_level: mid\n  levels_note: x\n"),
        rf"^{ROLE}:10: 'levels_note:' is indented more than the line above",
    ),
    Case(
        "a key indented by one space",
        _replace(ROLE, "    salary: {min: 60000", "   salary: {min: 60000"),
        rf"^{ROLE}:16: this line is indented 3 spaces, which lines it up with nothing above it",
    ),
    Case(
        "text that continues without indentation",
        _replace(ROLE, "summary: Keeps delivery work moving.", "summary:\nKeeps delivery work moving."),
        rf"^{ROLE}:5: YAML expects 'key: value' on this line; if it continues the text above, indent it under its key$",
    ),
    Case(
        "a key with no value",
        _replace(ROLE, SUMMARY, "summary:"),
        rf"^{ROLE}:4: summary: has no value; write the text after the colon",
    ),
    Case(
        "two lines where one belongs",
        _replace(ROLE, "title: Delivery Coordinator\naliases", "title: |\n  Delivery\n  Coordinator\naliases"),
        rf"^{ROLE}:1: title: must be one line; join the lines, or write '>-' after the colon to fold them into one$",
    ),
    Case(
        "a second document",
        _replace(ROLE, "default_level: mid\n", "---\ndefault_level: mid\n"),
        rf"^{ROLE}:9: '---' starts a second YAML document, and a workspace file holds one; remove the line$",
    ),
    Case(
        "minutes with no value",
        _replace(AREA, MINUTES, "        minutes:\n"),
        rf"^{AREA}:17: {Q_MINUTES}has no value; write a whole number$",
    ),
]


@pytest.fixture
def workspace(minimal: Path) -> Path:
    """The minimal workspace with an earlier build under out/, to prove a refusal writes nothing."""
    (minimal / "out/coordinator").mkdir(parents=True)
    (minimal / "out/coordinator/posting.md").write_text("an earlier build\n")
    return minimal


def _refused(runner, args: list[str], pattern: str, out: Path | None = None) -> str:
    """Run jdgen; check it exits 1 with `pattern` on the first line of stderr; return stderr."""
    before = tree_digest(out) if out else None
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert re.search(pattern, first), first
    if out:
        assert tree_digest(out) == before
    return result.stderr


#: libyaml where PyYAML was built with it, and PyYAML's own parser, jdgen's fallback: same messages
LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "pyyaml": yaml.SafeLoader}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_slip_gets_one_located_line_with_its_fix(
    case: Case, loader: str, runner, workspace: Path, monkeypatch
) -> None:
    if LOADERS[loader] is None:
        pytest.skip("this PyYAML was built without libyaml")
    monkeypatch.setattr(generator.workspace, "_Loader", LOADERS[loader])
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    case.change(workspace)
    _refused(runner, ["--workspace", str(workspace), *case.args], case.message, workspace / "out")


def test_the_text_of_a_builtin_role_refuses_a_right_to_left_override(runner, builtin_copy: Path) -> None:
    _replace("competencies/roles/tpm.yaml", "  - technical-project-manager", "  - technical-\u202eproject-manager")(
        builtin_copy
    )
    _refused(
        runner,
        ["--workspace", str(builtin_copy), "validate"],
        r"^competencies/roles/tpm\.yaml:3: the text holds U\+202E RIGHT-TO-LEFT OVERRIDE, an invisible character "
        "that can disguise text; remove it$",
    )


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("digits grouped by underscores", _replace(ROLE, "    minutes: 45\n", "    minutes: 4_5\n")),
        ("a leading zero that changes nothing", _replace(AREA, MINUTES, "        minutes: 07\n")),
        (
            "a byte order mark at the start of a file",
            lambda ws: (ws / ROLE).write_bytes(b"\xef\xbb\xbf" + (ws / ROLE).read_bytes()),
        ),
        (
            "a joiner inside an emoji",
            _replace(ROLE, SUMMARY, "summary: Keeps delivery work moving \U0001f469\u200d\U0001f4bb."),
        ),
        ("a joiner in Persian", _replace(ROLE, SUMMARY, "summary: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")),
        ("a tab inside a line", _replace(ROLE, SUMMARY, "summary:\tKeeps delivery work moving.")),
        ("text with an ampersand inside", _replace(ROLE, SUMMARY, "summary: Keeps R&D work moving.")),
        (
            "an anchor an alias uses",
            _both(
                _replace(ROLE, "  - Clear written English", "  - &english Clear written English"),
                _replace(ROLE, "  - Experience with spreadsheets", "  - *english"),
            ),
        ),
    ],
)
def test_what_only_looks_like_a_slip_is_accepted(name: str, change, runner, minimal: Path) -> None:
    change(minimal)
    result = runner.invoke(cli, ["--workspace", str(minimal), "validate"])
    assert result.exit_code == 0, result.output
    assert ": valid; 2 roles, " in result.stdout


def test_a_competency_defined_twice_in_one_area_file_names_the_first(runner, workspace: Path) -> None:
    second = (workspace / AREA).read_text().splitlines().index("  - id: tracks-progress") + 1
    _replace(AREA, "  - id: tracks-progress", "  - id: plans-projects")(workspace)
    _refused(
        runner,
        ["--workspace", str(workspace), "validate"],
        rf"^{AREA}:{second}: (?=.*'plans-projects')(?=.*(twice|duplicate)).*{AREA}:5\b",
        workspace / "out",
    )


def test_a_competency_defined_in_two_area_files_names_the_first(runner, workspace: Path) -> None:
    _copy(AREA, "competencies/extra.yaml", "area: delivery", "area: extra")(workspace)
    _refused(
        runner,
        ["--workspace", str(workspace), "build", "coordinator"],
        rf"^competencies/extra\.yaml:5: (?=.*'plans-projects')(?=.*(twice|duplicate)).*{AREA}:5\b",
        workspace / "out",
    )


def test_yml_role_and_area_files_are_read(runner, minimal: Path) -> None:
    (minimal / ROLE).rename(minimal / "competencies/roles/coordinator.yml")
    (minimal / AREA).rename(minimal / "competencies/delivery.yml")
    result = runner.invoke(cli, ["--workspace", str(minimal), "build", "coordinator", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (minimal / "out/coordinator/posting.md").is_file()


def test_a_broken_yml_file_is_reported_not_ignored(runner, workspace: Path) -> None:
    (workspace / "competencies/roles/extra.YML").write_text("title: x\n")
    _refused(
        runner,
        ["--workspace", str(workspace), "validate"],
        r"^competencies/roles/extra\.YML:1: missing required field '\w+'$",
        workspace / "out",
    )


def test_a_role_in_both_yaml_and_yml_names_both_files(runner, workspace: Path) -> None:
    _copy(ROLE, "competencies/roles/coordinator.yml")(workspace)
    _refused(
        runner,
        ["--workspace", str(workspace), "build", "coordinator"],
        r"^competencies/roles/coordinator\.yml: this file and coordinator\.yaml both define 'coordinator'; "
        "keep one of them$",
        workspace / "out",
    )


def test_an_area_in_both_yaml_and_yml_names_both_files(runner, builtin_copy: Path) -> None:
    _copy("competencies/leadership.yaml", "competencies/leadership.yml")(builtin_copy)
    _refused(
        runner,
        ["--workspace", str(builtin_copy), "validate"],
        r"^competencies/leadership\.yml: this file and leadership\.yaml both define 'leadership'; keep one of them$",
    )


@pytest.fixture
def no_hang():
    """Fail, rather than hang, if reading a workspace ever blocks (on a FIFO, say)."""

    def stop(*_):
        raise TimeoutError("jdgen blocked")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _place(kind: str, folder: Path) -> Path:
    """Make what $JDGEN_WORKSPACE will point at in `folder`; return its path."""
    if kind == "a file":
        (folder / "file").write_text("x\n")
        return folder / "file"
    if kind == "a FIFO":
        os.mkfifo(folder / "fifo")
        return folder / "fifo"
    if kind == "jdgen.yml":
        (folder / "jdgen.yml").write_text("company: {}\n")
    return folder / "nope" if kind == "missing" else folder


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("missing", "no such folder"),
        ("no config", "no jdgen\\.yaml there"),
        ("a file", "it is a file, not a folder"),
        ("a FIFO", "it is not a folder"),
        ("jdgen.yml", "it holds jdgen\\.yml; rename it to jdgen\\.yaml"),
    ],
)
def test_a_workspace_variable_pointing_nowhere_names_the_variable(
    kind: str, reason: str, runner, tmp_path: Path, monkeypatch, no_hang
) -> None:
    target = _place(kind, tmp_path)
    monkeypatch.setenv("JDGEN_WORKSPACE", str(target))
    _refused(
        runner,
        ["validate"],
        rf"^jdgen: JDGEN_WORKSPACE={re.escape(str(target))} is not a jdgen workspace \({reason}\); "
        "fix or unset the variable, or pass --workspace$",
    )


def test_a_workspace_option_pointing_nowhere_names_the_option(runner, tmp_path: Path, monkeypatch, no_hang) -> None:
    monkeypatch.setenv("JDGEN_WORKSPACE", str(tmp_path / "unused"))
    os.mkfifo(tmp_path / "fifo")
    for target, reason in ((tmp_path / "nope", "no such folder"), (tmp_path / "fifo", "it is not a folder")):
        _refused(
            runner,
            ["--workspace", str(target), "validate"],
            rf"^{re.escape(str(target))}: not a jdgen workspace \({reason}\); create one with `jdgen init DIR` "
            "or point --workspace at the right folder$",
        )


def test_a_workspace_option_naming_a_file_is_a_usage_error(runner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x\n")
    result = runner.invoke(cli, ["--workspace", str(tmp_path / "file"), "validate"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "'--workspace'" in result.stderr and "is a file" in result.stderr


def test_a_jdgen_yml_found_by_the_search_is_not_skipped(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    (tmp_path / "jdgen.yml").write_text("company: {}\n")
    (tmp_path / "inner").mkdir()
    monkeypatch.chdir(tmp_path / "inner")
    _refused(
        runner,
        ["validate"],
        rf"^{re.escape(str(tmp_path.resolve() / 'jdgen.yml'))}: jdgen reads its settings from jdgen\.yaml; "
        "rename the file$",
    )
