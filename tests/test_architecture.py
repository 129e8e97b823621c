"""The house style, checked on the source: the outside world is read once, and writers never see the workspace."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
#: The modules allowed to read the working folder, the environment or the clock: the edge
#: (entry.py reads the terminal's width, $COLUMNS included, as click would).
EDGE = {"context.py", "clock.py", "entry.py"}
#: Writers turn documents into bytes; they never see the validated workspace.
WRITERS = [
    "html_writer.py",
    "docx_writer.py",
    "docx_batch.py",
    "pdf_batch.py",
    "workers.py",
    "docx_tables.py",
    "docx_styles.py",
    "pdf_writer.py",
    *(f"formats/{p.name}" for p in (PACKAGE / "formats").glob("*.py")),
]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _reads_outside_world(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
            if (owner, node.attr) in {("os", "environ"), ("os", "getenv"), ("Path", "cwd"), ("os", "getcwd")}:
                found.append(f"{owner}.{node.attr}")
            if node.attr in {"now", "today", "utcnow"} and owner in {"datetime", "date"}:
                found.append(f"{owner}.{node.attr}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_edge_reads_the_working_folder_the_environment_or_the_clock(path: Path) -> None:
    rel = path.relative_to(PACKAGE).as_posix()
    if rel in EDGE:
        return
    assert _reads_outside_world(ast.parse(path.read_text(encoding="utf-8"))) == [], rel


@pytest.mark.parametrize("rel", WRITERS)
def test_writers_never_import_the_validation_step(rel: str) -> None:
    tree = ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[-1] in {"validate", "core"}}, rel


def test_the_validated_workspace_lives_in_the_core_not_in_validate() -> None:
    from generator import core, validate

    assert core.Workspace.__module__ == "generator.core"
    assert not hasattr(core.Workspace, "resolve_role")  # a command-line concern, in the pipeline
    assert "class Workspace" not in (PACKAGE / "validate.py").read_text(encoding="utf-8")
    assert validate.load_workspace.__module__ == "generator.validate"


def test_the_check_finds_what_it_looks_for() -> None:
    source = "import os, datetime\nfrom pathlib import Path\nPath.cwd(); os.environ.get('X'); datetime.datetime.now()\n"
    assert sorted(_reads_outside_world(ast.parse(source))) == ["Path.cwd", "datetime.now", "os.environ"]
