"""Every bullet of the seed article's three lists is covered by the built TPM documents (docs/seed-coverage.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "docs" / "seed-coverage.md"
#: How many bullets each of the seed's three lists has.
BULLETS = {"Technical knowledge": 8, "Leadership": 10, "Project management": 11}
KINDS = {"competency", "question", "posting line", "exercise"}


def _rows() -> list[dict[str, str]]:
    """Read the mapping table with a real Markdown parser: one dict per body row."""
    tokens = MarkdownIt("commonmark").enable("table").parse(TABLE.read_text(encoding="utf-8"))
    cells: list[list[str]] = []
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open") and row is not None:
            inline = tokens[index + 1]
            row.append("".join(child.content for child in inline.children or []).strip())
        elif token.type == "tr_close" and row is not None:
            cells.append(row)
    header, *body = cells
    assert header == ["Area", "Seed bullet", "Covered by", "Item"]
    return [dict(zip(header, values, strict=True)) for values in body]


@pytest.fixture(scope="module")
def tpm():
    workspace = load_workspace(WorkspaceDirs(REPO, builtin=False))
    docs = {d.name: d.markdown for d in render_role(workspace, Renderer(REPO), "tpm", "mid")}
    return workspace, docs


def _plain(markdown: str) -> str:
    """Undo the renderer's Markdown escapes, so text compares as written in the YAML."""
    return re.sub(r"\\([\\`*_\[\]<>|~#+=.-])", r"\1", markdown)


def test_the_table_maps_all_29_bullets_with_known_kinds() -> None:
    rows = _rows()
    assert {row["Covered by"] for row in rows} <= KINDS
    for area, count in BULLETS.items():
        assert len({row["Seed bullet"] for row in rows if row["Area"] == area}) == count, area


def test_a_bullet_that_is_not_a_tpm_competency_is_assessed_by_a_question_or_the_exercise(tpm) -> None:
    workspace, _ = tpm
    tpm_competencies = {item.id for item in workspace.roles["tpm"].competencies}
    by_bullet: dict[str, set[str]] = {}
    for row in _rows():
        kind = row["Covered by"]
        if kind == "competency" and row["Item"] in tpm_competencies:
            kind = "tpm competency"
        by_bullet.setdefault(row["Seed bullet"], set()).add(kind)
    for bullet, kinds in by_bullet.items():
        if "tpm competency" not in kinds:
            assert kinds & {"question", "exercise"}, bullet


def test_every_mapped_item_is_in_the_built_tpm_documents(tpm) -> None:
    workspace, docs = tpm
    posting, kit = _plain(docs["posting"]), _plain(docs["interview-kit"])
    questions = {q.id: q for comp in workspace.competencies.values() for q in comp.questions}
    for row in _rows():
        kind, item = row["Covered by"], row["Item"]
        if kind == "competency":
            name = workspace.competencies[item].name
            assert item in {c.id for c in workspace.roles["tpm"].competencies}, item
            assert f"### {name} (" in kit and name in posting, item
        elif kind == "question":
            assert item in questions, item
            assert f"> {questions[item].text}" in kit, f"the TPM kit does not ask {item}"
        elif kind == "posting line":
            assert f"- {item}\n" in posting, item
        else:
            assert f"### Exercise: {item}\n" in kit, item
