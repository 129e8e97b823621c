"""DOCX table layout: widths come from what a cell shows, not from its Markdown."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from generator.docx_tables import SCORECARD_SHARES, lay_out_table, plain_text

TEXT_WIDTH = 5943600  # 6.5 inches in EMU, a letter page with one-inch margins


def _table(markdown: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(MarkdownIt("commonmark").enable("table").parse(markdown)).children[0]


def test_a_linked_or_bold_header_gets_the_width_of_its_text() -> None:
    body = "| Sprint estimation and backlog refinement | ✓ |\n"
    plain = lay_out_table(_table(f"| Competency | Hiring manager interview |\n|---|:-:|\n{body}"), TEXT_WIDTH)
    linked = lay_out_table(
        _table(f"| Competency | [Hiring manager **interview**](#stage-2) |\n|---|:-:|\n{body}"), TEXT_WIDTH
    )
    assert linked.widths == plain.widths
    inline = SyntaxTreeNode(MarkdownIt("commonmark").parse("[a **b** `c`](#x)")).children[0].children[0]
    assert plain_text(inline) == "a b c"


def test_a_scorecard_has_its_fixed_shares_and_tall_body_rows() -> None:
    layout = lay_out_table(_table("| Competency | Rating | Evidence |\n|---|---|---|\n| A | | |\n"), TEXT_WIDTH)
    assert layout.scorecard
    assert [round(w / sum(layout.widths), 2) for w in layout.widths] == list(SCORECARD_SHARES)
    assert layout.row_height(0) is None and layout.row_height(1) is not None
    assert layout.keeps_with_next(0) and not layout.keeps_with_next(1)
