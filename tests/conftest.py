"""Shared fixtures: copies of small workspaces in temporary folders, and a CLI runner."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_workspace(source: Path, target: Path, overlay: Path | None = None) -> Path:
    """Copy a fixture workspace (with the repository's templates) and lay `overlay` over it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("expected.txt"))
    if not (target / "templates").exists():
        shutil.copytree(REPO / "templates", target / "templates")
    if overlay is not None:
        shutil.copytree(overlay, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return target


def copy_builtin(target: Path) -> Path:
    """Copy the repository's own workspace (jdgen.yaml, competencies/, templates/) to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "jdgen.yaml", target)
    for folder in ("competencies", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def edit_file(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in a workspace file with `new`; the text must be there."""
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def tree_digest(folder: Path) -> dict[str, str]:
    """Return every file under `folder` with the sha256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the small valid fixture workspace."""
    return copy_workspace(FIXTURES / "minimal", tmp_path / "ws")


@pytest.fixture
def levels(tmp_path: Path) -> Path:
    """The minimal workspace with the levels overlay: level content, an exercise, screening and a hire bar."""
    return copy_workspace(FIXTURES / "minimal", tmp_path / "ws", FIXTURES / "levels")


@pytest.fixture
def builtin_copy(tmp_path: Path) -> Path:
    """A copy of the repository's own workspace (the built-in one)."""
    return copy_builtin(tmp_path / "builtin")


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()
