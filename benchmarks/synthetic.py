"""A synthetic workspace for benchmarks: the built-in one with copies of its roles."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def copy_workspace(target: Path, copies: int) -> Path:
    """Copy the built-in workspace; add `copies` extra copies of each role under new ids."""
    target.mkdir()
    shutil.copy(REPO / "jdgen.yaml", target)
    for folder in ("competencies", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    roles = target / "competencies" / "roles"
    for role_file in sorted(roles.glob("*.yaml")):
        text = role_file.read_text()
        # aliases must stay unique, so the copies go without them
        lines, skipping = [], False
        for line in text.splitlines():
            if line.startswith("aliases:"):
                skipping = True
                continue
            if skipping and line.startswith("  - "):
                continue
            skipping = False
            lines.append(line)
        for number in range(2, copies + 2):
            (roles / f"{role_file.stem}-copy{number}.yaml").write_text("\n".join(lines) + "\n")
    return target
