"""Rewrite the golden TPM documents from the built-in workspace (run after a deliberate change); print the diff."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    workspace = load_workspace(WorkspaceDirs(REPO, builtin=False))
    golden = REPO / "tests" / "golden" / "tpm"
    golden.mkdir(parents=True, exist_ok=True)
    # the TPM is posted in several places; the golden posting is its first, Columbus
    for doc in render_role(workspace, Renderer(REPO), "tpm", "mid"):
        path = golden / f"{doc.name}.md"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        # printed so that nobody accepts a change they have not read
        rel = path.relative_to(REPO).as_posix()
        diff = difflib.unified_diff(old.splitlines(True), doc.markdown.splitlines(True), f"a/{rel}", f"b/{rel}")
        print("".join(diff), end="")
        path.write_text(doc.markdown, encoding="utf-8")
        print(f"wrote {path}")
