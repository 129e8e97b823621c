"""Rendering: the Jinja environment, Markdown escaping of data, template errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.errors import TemplateError
from generator.pipeline import render_role
from generator.render import Renderer, escape_markdown, normalise_markdown
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

HOSTILE = "Ship *fast* | safely_and_well [x](y) <b>bold</b> `code`"


def _parse(markdown: str):
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def _inline_text(tokens) -> str:
    return "\n".join(
        child.content for token in tokens if token.type == "inline" for child in token.children if child.type == "text"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("*x* _y_", "\\*x\\* \\_y\\_"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a bullet", "\\- not a bullet"),
        ("&amp; stays literal", "&amp;amp; stays literal"),
        ("R&D is fine", "R&D is fine"),
    ],
)
def test_data_text_is_escaped_for_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_non_text_values_pass_through_unchanged() -> None:
    assert escape_markdown(45) == 45


def test_normalising_drops_trailing_spaces_and_repeated_blank_lines() -> None:
    assert normalise_markdown("\n\na  \n\n\n\nb\n\n") == "a\n\nb\n"


def test_special_characters_in_data_come_out_literally_everywhere(minimal: Path) -> None:
    role = minimal / "competencies/roles/coordinator.yaml"
    text = role.read_text()
    text = text.replace("summary: Keeps delivery work moving.", f"summary: '{HOSTILE}'")
    text = text.replace("    name: Screen\n", "    name: 'Screen | first_call *now*'\n")
    role.write_text(text)
    area = minimal / "competencies/delivery.yaml"
    area.write_text(area.read_text().replace("    name: Plans projects\n", "    name: 'Plans | projects_*'\n"))
    workspace = load_workspace(WorkspaceDirs(minimal, builtin=False))
    docs = {doc.name: doc.markdown for doc in render_role(workspace, Renderer(minimal), "coordinator", "mid")}

    for markdown in docs.values():
        tokens = _parse(markdown)
        inline = [child for t in tokens if t.type == "inline" for child in t.children]
        assert not any(child.type in ("em_open", "code_inline", "html_inline") for child in inline)
        text_content = _inline_text(tokens)
        assert "Plans | projects_*" in text_content
        for table_start in [i for i, t in enumerate(tokens) if t.type == "table_open"]:
            widths = set()
            for token in tokens[table_start:]:
                if token.type == "tr_open":
                    widths.add(0)
                    row = 0
                if token.type in ("th_open", "td_open"):
                    row += 1
                if token.type == "tr_close":
                    widths.add(row)
                if token.type == "table_close":
                    break
            assert len(widths - {0}) == 1, markdown
    posting_text = _inline_text(_parse(docs["posting"]))
    assert HOSTILE in posting_text
    kit_tokens = _parse(docs["interview-kit"])
    # a stage's column header is a link to the stage: its text is what shows
    headers = [
        "".join(child.content for child in t.children if child.type == "text")
        for i, t in enumerate(kit_tokens)
        if t.type == "inline" and kit_tokens[i - 1].type == "th_open" and t.children
    ]
    assert "Screen | first_call *now*" in headers


def test_an_undefined_variable_names_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md.j2").write_text("# Title\n\n{{ missing.thing }}\n")
    with pytest.raises(TemplateError) as caught:
        Renderer(tmp_path).render("t.md.j2")
    assert str(caught.value) == "templates/t.md.j2:3: undefined variable: 'missing' is undefined"


def test_a_missing_templates_folder_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"templates/posting.md.j2: template not found in .*templates \(missing\)"):
        Renderer(tmp_path).render("posting.md.j2")


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(
        TemplateError, match=r"templates/t.md.j2:1: the sandbox refused the template: access to attribute '__class__'"
    ):
        Renderer(tmp_path).render("t.md.j2")
