"""Rewrite the golden TPM documents from the built-in workspace (run after a deliberate change)."""

from __future__ import annotations

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
    for doc in render_role(workspace, Renderer(REPO), "tpm", "mid"):
        (golden / f"{doc.name}.md").write_text(doc.markdown, encoding="utf-8")
        print(f"wrote {golden / doc.name}.md")
