"""Hostile and broken inputs: one clear message naming the file, the right exit code, no
traceback, and out/ exactly as it was (hashed before and after)."""

from __future__ import annotations

import importlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_workspace, tree_digest

from generator.cli import cli

ROLE = "competencies/roles/coordinator.yaml"
AREA = "competencies/delivery.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], list[str]]  #: breaks the workspace; returns the command line
    exit_code: int
    message: str  #: a regular expression the first line of standard error must match


def _write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        path = ws / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())

    return apply


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        text = (ws / relative).read_text()
        assert old in text, old
        (ws / relative).write_text(text.replace(old, new, 1))

    return apply


def _build(*changes: Callable[[Path], None], args: tuple[str, ...] = ("build", "coordinator")):
    def setup(ws: Path) -> list[str]:
        for change in changes:
            change(ws)
        return list(args)

    return setup


def _alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    return "\n".join(lines) + "\n"


def _deep_block(levels: int) -> str:
    return "title: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf: 1\n"


def _remove(relative: str) -> Callable[[Path], None]:
    def apply(ws: Path) -> None:
        target = ws / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()

    return apply


CASES = [
    Case("empty config", _build(_write("jdgen.yaml", "")), 1, r"^jdgen\.yaml:1: the file is empty$"),
    Case("empty area file", _build(_write(AREA, "")), 1, rf"^{AREA}:1: the file is empty$"),
    Case("blank role file", _build(_write(ROLE, "  \n\n")), 1, rf"^{ROLE}:1: the file is empty$"),
    Case(
        "non-UTF-8 config",
        _build(_write("jdgen.yaml", b"company:\n  name: Caf\xe9\n")),
        1,
        r"^jdgen\.yaml:2: the file is not UTF-8 text",
    ),
    Case(
        "binary garbage as a role",
        _build(_write("competencies/roles/garbage.yaml", bytes(range(256)) * 4)),
        1,
        r"^competencies/roles/garbage\.yaml:2: the file is not UTF-8 text",  # the first byte that is not UTF-8
    ),
    Case(
        "non-UTF-8 template",
        _build(_write("templates/posting.md.j2", b"# \xff\xfe broken\n")),
        1,
        r"^templates/posting\.md\.j2: the template is not UTF-8 text",
    ),
    Case(
        "alias bomb", _build(_write(AREA, _alias_bomb())), 1, rf"^{AREA}: the YAML expands to more than 200,000 values"
    ),
    Case(
        "10 MB role file",
        _build(_write(ROLE, "title: x\nabout: '" + "a" * 10_000_000 + "'\n")),
        1,
        rf"^{ROLE}: the file is 10\.0 MB; workspace files are limited to 2 MB$",
    ),
    Case(
        "deeply nested flow",
        _build(_write(ROLE, "title: " + "[" * 5000 + "]" * 5000 + "\n")),
        1,
        # by libyaml's own limit, PyYAML's recursion limit, or jdgen's depth check, whichever comes first
        rf"^{ROLE}:?\d*: the YAML is nested (too deeply|more than 50 levels deep)",
    ),
    Case(
        "deeply nested block",
        _build(_write(ROLE, _deep_block(60))),
        1,
        rf"^{ROLE}:\d+: the YAML is nested more than 50",
    ),
    Case(
        "raw control character",
        _build(_replace(AREA, "area: delivery", "area: deli\x07very")),
        1,
        rf"^{AREA}:1: the control character U\+0007 is not allowed",
    ),
    Case(
        "a list where a role's fields belong",
        _build(_write(ROLE, "- title: x\n")),
        1,
        rf"^{ROLE}:1: expected a mapping of fields at the top level, found list$",
    ),
    Case(
        "role id with a path separator",
        _build(args=("build", "../coordinator")),
        2,
        r"^jdgen: unknown role '\.\./coordinator'",
    ),
    Case("role id ..", _build(args=("build", "..")), 2, r"^jdgen: unknown role '\.\.'"),
    Case("absolute path as a role id", _build(args=("build", "/etc/passwd")), 2, r"^jdgen: unknown role '/etc/passwd'"),
    Case(
        "role file name that is not an id",
        _build(_write("competencies/roles/Team Lead.yaml", "title: x\n")),
        1,
        r"^competencies/roles/Team Lead\.yaml: 'Team Lead' is not a valid role id",
    ),
    Case(
        "output path is a file",
        _build(_write("taken", "a file\n"), args=("build", "coordinator", "--out", "taken")),
        2,
        r"taken: a file stands where an output folder must go",
    ),
    Case(
        "output path below a file",
        _build(_write("taken", "a file\n"), args=("build", "coordinator", "--out", "taken/deeper")),
        2,
        r"taken: a file stands where an output folder must go",
    ),
    Case(
        "missing templates folder",
        _build(_remove("templates")),
        1,
        r"^templates/posting\.md\.j2: template not found in .*\(missing\)",
    ),
    Case(
        "missing one template",
        _build(_remove("templates/candidate-guide.md.j2")),
        1,
        r"^templates/candidate-guide\.md\.j2: template not found",
    ),
    Case(
        "reference DOCX that is not a DOCX",
        _build(_write("templates/reference.docx", "PK but not a zip\n")),
        1,
        r"^templates/reference\.docx: not a readable Word document",
    ),
    Case(
        "template reaching for __class__",
        _build(_replace("templates/posting.md.j2", "{{ posting.summary }}", "{{ posting.__class__.__mro__ }}")),
        1,
        r"^templates/posting\.md\.j2:\d+: the sandbox refused the template: access to attribute '__class__'",
    ),
    Case(
        "template reaching for __subclasses__",
        _build(
            _replace("templates/interview-kit.md.j2", "{{ kit.title }}", "{{ ().__class__.__base__.__subclasses__() }}")
        ),
        1,
        r"^templates/interview-kit\.md\.j2:\d+: the sandbox refused the template",
    ),
    Case(
        "template reaching for globals",
        _build(_replace("templates/posting.md.j2", "{{ posting.summary }}", "{{ cycler.__init__.__globals__ }}")),
        1,
        r"^templates/posting\.md\.j2:\d+: ",
    ),
    Case(
        "missing workspace folder",
        _build(args=("--workspace", "nowhere", "build", "coordinator")),
        1,
        r"nowhere: not a jdgen workspace",
    ),
    Case(
        "an empty level scale",
        _build(
            _replace(
                "jdgen.yaml",
                "levels:\n  - {id: mid, name: Mid-level}\n  - {id: senior, name: Senior}\n",
                "levels: []\n",
            )
        ),
        1,
        r"^jdgen\.yaml:13: levels: list should have at least 1 item",
    ),
    Case(
        "a stage of zero minutes",
        _build(_replace(ROLE, "    minutes: 40\n", "    minutes: 0\n")),
        1,
        rf"^{ROLE}:\d+: interview_loop\[1\]\.minutes: input should be greater than or equal to 1",
    ),
    Case(
        "a question about age",
        _build(_replace(AREA, "text: Question 2 about plans projects?", "text: How old are you now?")),
        1,
        rf"^{AREA}:\d+: question 'plans-projects-q2' touches an off-limits topic, age",
    ),
    Case(
        "an unknown lint rule switched off",
        _build(
            _replace(
                "jdgen.yaml",
                "  - {id: senior, name: Senior}\n",
                "  - {id: senior, name: Senior}\nlint:\n  disable: [jargn]\n",
            )
        ),
        1,
        r"^jdgen\.yaml:17: unknown lint rule 'jargn' \(did you mean 'jargon'\?\)",
    ),
    Case("an unknown output format", _build(args=("build", "coordinator", "--format", "rtf")), 2, r"^Usage: "),
]


INTERRUPTS = {
    # name: (module, object in it, attribute that raises KeyboardInterrupt when called)
    "interrupted while rendering": ("generator.pipeline", None, "render_role"),
    "interrupted while writing DOCX": ("generator.docx_writer", "DocxWriter", "write"),
    "interrupted while writing HTML": ("generator.publish", None, "render_page"),
}


def _interrupt(monkeypatch: pytest.MonkeyPatch, module: str, owner: str | None, attribute: str) -> None:
    target = importlib.import_module(module)
    if owner:
        target = getattr(target, owner)

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(target, attribute, stop)


def _workspace_with_old_outputs(tmp_path: Path) -> Path:
    workspace = copy_workspace(FIXTURES / "minimal", tmp_path / "ws")
    (workspace / "out/coordinator").mkdir(parents=True)
    (workspace / "out/coordinator/posting.md").write_text("an earlier build\n")
    return workspace


def test_the_corpus_is_large_enough() -> None:
    spine = 14  # the spine's cases live in fixtures/invalid/, with more besides
    extra_folders = len(list((FIXTURES / "invalid").iterdir())) - spine
    assert len(CASES) + len(INTERRUPTS) + extra_folders >= 25 + 10


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_refused_cleanly(case: Case, runner, tmp_path: Path, monkeypatch) -> None:
    workspace = _workspace_with_old_outputs(tmp_path)
    monkeypatch.chdir(workspace)
    before = tree_digest(workspace / "out")
    args = case.setup(workspace)
    full = args if args[0] == "--workspace" else ["--workspace", str(workspace), *args]

    result = runner.invoke(cli, full)

    assert result.exit_code == case.exit_code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert re.search(case.message, first), first
    assert tree_digest(workspace / "out") == before
    assert not list((workspace / "out").rglob("*.tmp"))


@pytest.mark.parametrize("name", list(INTERRUPTS))
def test_an_interrupted_build_leaves_out_unchanged(name: str, runner, tmp_path: Path, monkeypatch) -> None:
    workspace = _workspace_with_old_outputs(tmp_path)
    before = tree_digest(workspace / "out")
    _interrupt(monkeypatch, *INTERRUPTS[name])
    result = runner.invoke(cli, ["--workspace", str(workspace), "build", "--all"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Aborted!"
    assert "Traceback" not in result.output
    assert tree_digest(workspace / "out") == before


def test_an_invalid_source_date_epoch_is_a_clear_error(runner, tmp_path: Path, monkeypatch) -> None:
    workspace = _workspace_with_old_outputs(tmp_path)
    before = tree_digest(workspace / "out")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(cli, ["--workspace", str(workspace), "build", "coordinator"])
    assert result.exit_code == 1
    assert result.stderr.startswith("jdgen: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970")
    assert tree_digest(workspace / "out") == before
