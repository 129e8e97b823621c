"""DOCX tables: column widths from the cells' text, scorecards by their shape, short tables kept whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docx.shared import Emu, Pt
from lxml import etree
from markdown_it.tree import SyntaxTreeNode

from .documents import KEEP_TOGETHER_ROWS, SCORECARD_LAST_HEADER
from .docx_styles import CELL_STYLE

#: A scorecard's column shares of the text width (Competency, Rating, Evidence): the same in every stage.
SCORECARD_SHARES = (0.27, 0.16, 0.57)
#: The least height of a scorecard's body row, in twips (1.1 inch): room to write notes by hand.
SCORECARD_ROW_HEIGHT = 1584
#: The average width of one character of 11-point body text, for sharing out table columns.
_CHAR_WIDTH = Pt(6)
_ALIGNMENTS = ("left", "center", "right")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Adds a cell's inline Markdown to its paragraph, with marks such as {"bold": True}: the writer's own.
FillCell = Callable[[etree._Element, Iterable[SyntaxTreeNode], dict], None]


@dataclass(frozen=True)
class TableLayout:
    """How one Markdown table sits on the page."""

    rows: list[SyntaxTreeNode]  #: the header rows, then the body rows
    header_rows: int
    widths: list[int]  #: each column's width in twips
    scorecard: bool
    small: bool  #: 9-point type, where 11 points cannot fit the columns

    def row_height(self, index: int) -> int | None:
        """Return the least height of a row in twips, if it needs one."""
        return SCORECARD_ROW_HEIGHT if self.scorecard and index >= self.header_rows else None

    def keeps_with_next(self, index: int) -> bool:
        """Tell whether a row keeps with the next: a short table (a rubric, a scorecard) stays on one page."""
        return len(self.rows) <= KEEP_TOGETHER_ROWS and index < len(self.rows) - 1


def add_table(table: etree._Element, node: SyntaxTreeNode, text_width: int, fill: FillCell) -> None:
    """Build a Markdown table in an empty w:tbl element, `text_width` EMU wide."""
    layout = lay_out_table(node, text_width)
    properties = sub(table, "tblPr")
    sub(properties, "tblStyle", val="LightGrid-Accent1")
    sub(properties, "tblW", w="0", type="auto")
    sub(properties, "jc", val="center")
    sub(properties, "tblLayout", type="fixed")
    # emphasise the header row only, not the first column as Word's default look does
    sub(properties, "tblLook", val="0420", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
         noHBand="0", noVBand="1")  # fmt: skip
    grid = sub(table, "tblGrid")
    for width in layout.widths:
        sub(grid, "gridCol", w=str(width))
    for index, row_node in enumerate(layout.rows):
        row = sub(table, "tr")
        row_properties = sub(row, "trPr")
        sub(row_properties, "cantSplit")  # a row that breaks across pages is hard to read and to fill
        if (height := layout.row_height(index)) is not None:
            sub(row_properties, "trHeight", val=str(height), hRule="atLeast")
        if index < layout.header_rows:
            sub(row_properties, "tblHeader")
        cells = [*row_node.children, *[None] * (len(layout.widths) - len(row_node.children))]
        for cell_node, width in zip(cells, layout.widths, strict=True):
            cell = sub(row, "tc")
            sub(sub(cell, "tcPr"), "tcW", w=str(width), type="dxa")
            paragraph = sub(cell, "p")
            cell_properties = sub(paragraph, "pPr")
            sub(cell_properties, "pStyle", val=CELL_STYLE)
            if layout.keeps_with_next(index):
                sub(cell_properties, "keepNext")
            if align := cell_alignment(cell_node):
                sub(cell_properties, "jc", val=align)
            if cell_node is not None and cell_node.children:
                fill(
                    paragraph,
                    cell_node.children[0].children,
                    {"bold": index < layout.header_rows, "small": layout.small},
                )


def lay_out_table(node: SyntaxTreeNode, text_width: int) -> TableLayout:
    """Lay out a Markdown table across a text width given in EMU."""
    rows = [row for section in node.children for row in section.children]
    header_rows = len(node.children[0].children) if node.children[0].type == "thead" else 0
    columns = max(len(row.children) for row in rows)
    scorecard = _is_scorecard(rows[:header_rows], columns)
    if scorecard:
        twips = Emu(text_width).twips
        return TableLayout(rows, header_rows, [int(twips * share) for share in SCORECARD_SHARES], True, False)
    widths, small = _column_widths(rows[header_rows:] or rows, rows, columns, text_width)
    return TableLayout(rows, header_rows, widths, False, small)


def cell_alignment(cell: SyntaxTreeNode | None) -> str | None:
    """Return a cell's alignment from the Markdown table's delimiter row, if it has one."""
    align = str(cell.attrs.get("style", "")).removeprefix("text-align:") if cell is not None else ""
    return align if align in _ALIGNMENTS else None


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Add a WordprocessingML element with its attributes, all in the w: namespace."""
    return etree.SubElement(parent, _W + tag, {_W + name: value for name, value in attributes.items()})


def plain_text(inline: SyntaxTreeNode) -> str:
    """Return the text an inline node shows, without its Markdown: bold, italics and links are text too."""
    return "".join(node.content for node in inline.walk() if node.type in ("text", "code_inline"))


def _cell_text(cell: SyntaxTreeNode) -> str:
    return plain_text(cell.children[0]) if cell.children else ""


def _is_scorecard(header: list[SyntaxTreeNode], columns: int) -> bool:
    """Tell a scorecard by its shape: three columns, the last headed "Evidence"."""
    return columns == 3 and len(header) == 1 and _cell_text(header[0].children[-1]).strip() == SCORECARD_LAST_HEADER


def _column_widths(
    body: list[SyntaxTreeNode], rows: list[SyntaxTreeNode], columns: int, total: int
) -> tuple[list[int], bool]:
    """Share the text width by the body's text, and say whether the table needs small type to fit.

    Every column first gets room for its longest word (a header's too; a hyphen may end a
    line), the first column room for its longest body text on two lines, then the rest goes
    to the long texts.
    A header may wrap onto more lines, so it does not claim width beyond its longest word.
    """
    longest = [4] * columns
    widest_word = [4] * columns
    for row in rows:
        for index, cell in enumerate(row.children):
            words = _cell_text(cell).replace("-", "- ").split()
            widest_word[index] = max([widest_word[index], *(len(word) + 2 for word in words)])
    for row in body:
        for index, cell in enumerate(row.children):
            longest[index] = max(longest[index], min(len(_cell_text(cell)), 60))
    # the first column names the row (a competency, a part of the agenda): at most two lines
    two_lines = [max(widest_word[0], -(-longest[0] // 2) + 4), *widest_word[1:]]
    small = sum(two_lines) > total / _CHAR_WIDTH  # 9-point type where 11 points cannot fit two lines
    available = total / (_CHAR_WIDTH * (9 / 11 if small else 1))
    base = two_lines if sum(two_lines) <= available else widest_word
    spare = available - sum(base)
    wants = [max(length - least, 0) for length, least in zip(longest, base, strict=True)]
    if spare <= 0 or not sum(wants):
        chars = [float(least) for least in base]
    else:
        chars = [least + spare * want / sum(wants) for least, want in zip(base, wants, strict=True)]
    twips = Emu(total).twips
    return [int(twips * share / sum(chars)) for share in chars], small
