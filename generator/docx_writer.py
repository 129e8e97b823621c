"""Markdown → DOCX: markdown-it's syntax tree written with python-docx, reproducible to the byte."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .docx_reference import read_reference
from .errors import TemplateError

REFERENCE_DOCX = "reference.docx"

#: Paragraph and table styles every document needs, by style id (ids do not change with
#: Word's display language, names do).
REQUIRED_STYLES = {
    "Normal": WD_STYLE_TYPE.PARAGRAPH,
    "Heading1": WD_STYLE_TYPE.PARAGRAPH,
    "Heading2": WD_STYLE_TYPE.PARAGRAPH,
    "Heading3": WD_STYLE_TYPE.PARAGRAPH,
    "Heading4": WD_STYLE_TYPE.PARAGRAPH,
    "ListBullet": WD_STYLE_TYPE.PARAGRAPH,
    "ListBullet2": WD_STYLE_TYPE.PARAGRAPH,
    "ListBullet3": WD_STYLE_TYPE.PARAGRAPH,
    "ListNumber": WD_STYLE_TYPE.PARAGRAPH,
    "ListNumber2": WD_STYLE_TYPE.PARAGRAPH,
    "ListNumber3": WD_STYLE_TYPE.PARAGRAPH,
    "Quote": WD_STYLE_TYPE.PARAGRAPH,
    "Header": WD_STYLE_TYPE.PARAGRAPH,
    "Footer": WD_STYLE_TYPE.PARAGRAPH,
    "LightGrid-Accent1": WD_STYLE_TYPE.TABLE,
}
HYPERLINK_STYLE = "Hyperlink"
MAX_LIST_DEPTH = 3
#: Blocks that a paragraph directly before them labels, so the two are kept on one page.
_LABELLED = ("bullet_list", "ordered_list", "table")
#: A scorecard's column shares of the text width (Competency, Rating, Evidence): the same in every stage.
SCORECARD_SHARES = (0.27, 0.16, 0.57)
#: The least height of a scorecard's body row, in twips (1.1 inch): room to write notes by hand.
SCORECARD_ROW_HEIGHT = 1584
#: A table of at most this many rows is kept on one page (rubrics, scorecards); longer ones may break between rows.
KEEP_TOGETHER_ROWS = 8
#: Used for every embedded date when SOURCE_DATE_EPOCH is not set; never the clock.
FIXED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
#: The average width of one character of 11-point body text, for sharing out table columns.
_CHAR_WIDTH = Pt(6)


@dataclass(frozen=True)
class DocxMeta:
    """Document properties and the header text."""

    title: str
    subject: str
    author: str
    keywords: str
    template: str  #: the template the Markdown came from, for error messages


class DocxWriter:
    """Write Markdown documents as DOCX, styled by one reference document read once."""

    def __init__(self, templates_dir: Path, moment: datetime.datetime | None = None) -> None:
        self.root = templates_dir.parent  #: the workspace: the reference is read only from inside it
        self.reference = templates_dir / REFERENCE_DOCX
        self.reference_rel = f"templates/{REFERENCE_DOCX}"
        self.moment = moment or FIXED_DATE
        self.parser = MarkdownIt("commonmark").enable("table")
        self._template = self._load_reference()

    def _load_reference(self) -> bytes | None:
        """Read the reference document once and check that it has every required style."""
        if not self.reference.is_symlink() and not self.reference.exists():
            return None
        # a bounded ZIP without external links, or a clear refusal, before python-docx inflates anything
        data = read_reference(self.reference, self.root, self.reference_rel)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as err:  # python-docx raises several types for a file that is not a DOCX
            raise TemplateError(self.reference_rel, None, f"not a readable Word document ({err})") from err
        if document.element.body.sectPr is None:
            raise TemplateError(self.reference_rel, None, "the document has no page setup; save it again from Word")
        present = {(style.style_id, style.type) for style in document.styles}
        missing = [sid for sid, kind in REQUIRED_STYLES.items() if (sid, kind) not in present]
        if missing:
            raise TemplateError(
                self.reference_rel,
                None,
                f"missing styles: {', '.join(missing)}; add them in Word or start from jdgen's reference.docx",
            )
        unnumbered = [
            sid
            for sid in ("ListNumber", "ListNumber2", "ListNumber3")
            if _numbering_id(document.styles.get_by_id(sid, WD_STYLE_TYPE.PARAGRAPH)) is None
        ]
        if unnumbered:
            raise TemplateError(
                self.reference_rel,
                None,
                f"styles without list numbering: {', '.join(unnumbered)}; give them numbering in Word",
            )
        return data

    def write(self, markdown: str, meta: DocxMeta) -> bytes:
        """Return the DOCX bytes of one Markdown document."""
        document = docx.Document(io.BytesIO(self._template) if self._template else None)
        _ensure_hyperlink_style(document)
        _Builder(document, meta).add_blocks(SyntaxTreeNode(self.parser.parse(markdown)).children)
        _set_header_and_footer(document, meta.title)
        _set_properties(document, meta, self.moment)
        buffer = io.BytesIO()
        document.save(buffer)
        return _fix_zip_times(buffer.getvalue(), self.moment)


class _Builder:
    """Walk the Markdown syntax tree and build the body's WordprocessingML elements.

    Elements are made with lxml directly: python-docx's proxy objects cost far more per
    paragraph than the XML itself, and a kit has thousands of runs.
    """

    def __init__(self, document: docx.document.Document, meta: DocxMeta) -> None:
        self.document = document
        self.meta = meta
        body = document.element.body
        self.anchor = body.sectPr  # new blocks go before the section properties
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.link_ids: dict[str, str] = {}
        self.abstract_ids: dict[str, int] = {}  #: list style id → its numbering definition

    def unsupported(self, node: SyntaxTreeNode, what: str) -> TemplateError:
        line = f" (line {node.map[0] + 1} of the rendered Markdown)" if node.map else ""
        return TemplateError(self.meta.template, None, f"the DOCX writer does not support {what}{line}")

    def add_blocks(self, nodes: Iterable[SyntaxTreeNode], quote: bool = False) -> None:
        nodes = list(nodes)
        for node, after in zip(nodes, [*nodes[1:], None], strict=True):
            if node.type == "heading":
                level = int(node.tag[1])
                if level > 4:
                    raise self.unsupported(node, f"heading level {level} (use levels 1 to 4)")
                # direct formatting as well as the style's: a company's reference.docx may lack it
                self._paragraph(node.children[0], f"Heading{level}", keep=("keepNext",))
            elif node.type == "paragraph":
                # a paragraph right before a list or table labels it ("Probes:", "Rubric: …")
                label = after is not None and after.type in _LABELLED
                self._paragraph(node.children[0], "Quote" if quote else None, keep=("keepNext",) if label else ())
            elif node.type in ("bullet_list", "ordered_list"):
                self._list(node, depth=1)
            elif node.type == "table":
                self._table(node)
            elif node.type == "blockquote":
                self.add_blocks(node.children, quote=True)
            elif node.type in ("fence", "code_block"):
                self._code(node.content)
            elif node.type == "hr":
                page_break = _sub(_sub(self._block("p"), "r"), "br")
                page_break.set(_W + "type", "page")
            else:
                raise self.unsupported(node, _describe(node))

    def _block(self, tag: str) -> etree._Element:
        element = self.anchor.makeelement(_W + tag)
        self.anchor.addprevious(element)
        return element

    def _paragraph(
        self, inline: SyntaxTreeNode, style_id: str | None, num_id: int | None = None, keep: Collection[str] = ()
    ) -> None:
        """Add a paragraph; `keep` holds "keepNext" and "keepLines", the page-flow properties it gets."""
        paragraph = self._block("p")
        if style_id or num_id is not None or keep:
            properties = _sub(paragraph, "pPr")
            if style_id:
                _sub(properties, "pStyle", val=style_id)
            for name in ("keepNext", "keepLines"):  # the schema's order, after pStyle and before numPr
                if name in keep:
                    _sub(properties, name)
            if num_id is not None:
                numbering = _sub(properties, "numPr")
                _sub(numbering, "ilvl", val="0")
                _sub(numbering, "numId", val=str(num_id))
        self._add_inline(paragraph, inline.children, {})

    def _code(self, text: str) -> None:
        """Add a code excerpt as one shaded paragraph, line for line, in a monospaced font."""
        paragraph = self._block("p")
        properties = _sub(paragraph, "pPr")
        _sub(properties, "shd", val="clear", color="auto", fill="F2F2F2")
        # direct formatting, not a style: a company's reference.docx need not define one
        _sub(properties, "spacing", before="60", after="160", line="240", lineRule="auto")
        for index, line in enumerate(text.rstrip("\n").split("\n")):
            if index:
                _sub(_sub(paragraph, "r"), "br")
            _run(paragraph, line, {"code": True, "small": True})

    def _list(self, node: SyntaxTreeNode, depth: int) -> None:
        if depth > MAX_LIST_DEPTH:
            raise self.unsupported(node, f"lists nested deeper than {MAX_LIST_DEPTH} levels")
        ordered = node.type == "ordered_list"
        style_id = ("ListNumber" if ordered else "ListBullet") + (str(depth) if depth > 1 else "")
        num_id = self._restart_numbering(style_id, int(node.attrs.get("start", 1))) if ordered else None
        for item in node.children:
            first = True
            nested = any(child.type in ("bullet_list", "ordered_list") for child in item.children)
            for child in item.children:
                if child.type == "paragraph" and first:
                    # an item never breaks inside, and stays with the first item of its sublist
                    keep = ("keepNext", "keepLines") if nested else ("keepLines",)
                    self._paragraph(child.children[0], style_id, num_id, keep)
                    first = False
                elif child.type in ("bullet_list", "ordered_list"):
                    self._list(child, depth + 1)
                else:
                    raise self.unsupported(child, f"{_describe(child)} inside a list item")

    def _restart_numbering(self, style_id: str, start: int) -> int:
        """Give a numbered list its own numbering instance, so each list counts from its start."""
        numbering = self.document.part.numbering_part.element
        if style_id not in self.abstract_ids:
            style_num = _numbering_id(self.document.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH))
            self.abstract_ids[style_id] = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(self.abstract_ids[style_id])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    def _table(self, node: SyntaxTreeNode) -> None:
        rows = [row for section in node.children for row in section.children]
        header_rows = len(node.children[0].children) if node.children[0].type == "thead" else 0
        columns = max(len(row.children) for row in rows)
        scorecard = _is_scorecard(rows[:header_rows], columns)
        twips = Emu(self.text_width).twips
        small = False
        if scorecard:
            widths = [str(int(twips * share)) for share in SCORECARD_SHARES]
        else:
            numbers, small = _column_widths(rows[header_rows:] or rows, rows, columns, self.text_width)
            widths = [str(w) for w in numbers]
        table = self._block("tbl")
        properties = _sub(table, "tblPr")
        _sub(properties, "tblStyle", val="LightGrid-Accent1")
        _sub(properties, "tblW", w="0", type="auto")
        _sub(properties, "jc", val="center")
        _sub(properties, "tblLayout", type="fixed")
        # emphasise the header row only, not the first column as Word's default look does
        _sub(properties, "tblLook", val="0420", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
             noHBand="0", noVBand="1")  # fmt: skip
        grid = _sub(table, "tblGrid")
        for width in widths:
            _sub(grid, "gridCol", w=width)
        for index, row_node in enumerate(rows):
            row = _sub(table, "tr")
            row_properties = _sub(row, "trPr")
            _sub(row_properties, "cantSplit")  # a row that breaks across pages is hard to read and to fill
            if scorecard and index >= header_rows:
                _sub(row_properties, "trHeight", val=str(SCORECARD_ROW_HEIGHT), hRule="atLeast")
            if index < header_rows:
                _sub(row_properties, "tblHeader")
            cells = list(row_node.children) + [None] * (columns - len(row_node.children))
            for cell_node, width in zip(cells, widths, strict=True):
                cell = _sub(row, "tc")
                _sub(_sub(cell, "tcPr"), "tcW", w=width, type="dxa")
                paragraph = _sub(cell, "p")
                align = str(cell_node.attrs.get("style", "")).removeprefix("text-align:") if cell_node else ""
                together = len(rows) <= KEEP_TOGETHER_ROWS and index < len(rows) - 1
                if together or align in ("left", "center", "right"):
                    cell_properties = _sub(paragraph, "pPr")
                    if together:  # a short table (a rubric, a scorecard) stays on one page
                        _sub(cell_properties, "keepNext")
                    if align in ("left", "center", "right"):
                        _sub(cell_properties, "jc", val=align)
                if cell_node is None:
                    continue
                if cell_node.children:
                    marks = {"bold": index < header_rows, "small": small}
                    self._add_inline(paragraph, cell_node.children[0].children, marks)
        self._block("p")  # Word joins tables that touch; keep a gap

    def _add_inline(self, parent: etree._Element, nodes: Iterable[SyntaxTreeNode], marks: dict) -> None:
        for node in nodes:
            if node.type == "text":
                _run(parent, node.content, marks)
            elif node.type == "softbreak":
                _run(parent, " ", marks)
            elif node.type == "hardbreak":
                _sub(_sub(parent, "r"), "br")
            elif node.type == "strong":
                self._add_inline(parent, node.children, {**marks, "bold": True})
            elif node.type == "em":
                self._add_inline(parent, node.children, {**marks, "italic": True})
            elif node.type == "code_inline":
                _run(parent, node.content, {**marks, "code": True})
            elif node.type == "link":
                link = _sub(parent, "hyperlink")
                link.set(_R + "id", self._link_id(str(node.attrs["href"])))
                self._add_inline(link, node.children, {**marks, "link": True})
            else:
                raise self.unsupported(node, _describe(node))

    def _link_id(self, url: str) -> str:
        if url not in self.link_ids:
            self.link_ids[url] = self.document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        return self.link_ids[url]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _W + tag)
    for name, value in attributes.items():
        element.set(_W + name, value)
    return element


def _run(parent: etree._Element, text: str, marks: dict) -> None:
    run = _sub(parent, "r")
    if any(marks.values()):
        # children of w:rPr must come in the schema's order: rStyle, rFonts, b, i, sz
        properties = _sub(run, "rPr")
        if marks.get("link"):
            _sub(properties, "rStyle", val=HYPERLINK_STYLE)
        if marks.get("code"):
            _sub(properties, "rFonts", ascii="Consolas", hAnsi="Consolas", cs="Consolas")
        if marks.get("bold"):
            _sub(properties, "b")
        if marks.get("italic"):
            _sub(properties, "i")
        if marks.get("small"):
            _sub(properties, "sz", val="18")  # 9 pt: a code line of about 80 characters fits the width
    element = _sub(run, "t")
    element.text = text
    if text != text.strip():
        element.set(_SPACE, "preserve")


def _numbering_id(style) -> int | None:
    """Return the numbering instance a list style points at, if any."""
    properties = style.element.pPr
    if properties is None or properties.numPr is None or properties.numPr.numId is None:
        return None
    return properties.numPr.numId.val


def _describe(node: SyntaxTreeNode) -> str:
    names = {
        "code_block": "code blocks",
        "fence": "fenced code blocks",
        "html_block": "raw HTML",
        "html_inline": "raw HTML",
        "image": "images",
    }
    return names.get(node.type, f"'{node.type}'")


def _cell_text(cell: SyntaxTreeNode) -> str:
    return "".join(child.content for child in cell.children[0].children) if cell.children else ""


def _is_scorecard(header: list[SyntaxTreeNode], columns: int) -> bool:
    """Tell a scorecard by its shape: three columns, the last headed "Evidence"."""
    return columns == 3 and len(header) == 1 and _cell_text(header[0].children[-1]).strip() == "Evidence"


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


def _ensure_hyperlink_style(document: docx.document.Document) -> None:
    """Add the character style links use; python-docx's default template lacks it."""
    if any(s.style_id == HYPERLINK_STYLE for s in document.styles):
        return
    style = document.styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x1F, 0x4E, 0x9A)
    style.font.underline = True


def _set_header_and_footer(document: docx.document.Document, title: str) -> None:
    """Put the title in the running header, except on page 1 where the H1 shows it, and page numbers below."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own, empty header
    header = section.header.paragraphs[0]
    header.text = title
    header.style = document.styles.get_by_id("Header", WD_STYLE_TYPE.PARAGRAPH)
    for run in header.runs:
        run.font.size = Pt(9)
    for footer_part in (section.footer, section.first_page_footer):
        footer = footer_part.paragraphs[0]
        footer.style = document.styles.get_by_id("Footer", WD_STYLE_TYPE.PARAGRAPH)
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _add_field(footer, "PAGE")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(9)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the reader updates fields
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_properties(document: docx.document.Document, meta: DocxMeta, moment: datetime.datetime) -> None:
    props = document.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.keywords = meta.keywords
    props.last_modified_by = meta.author
    props.comments = ""
    props.revision = 1
    naive = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive


def _fix_zip_times(data: bytes, moment: datetime.datetime) -> bytes:
    """Rewrite the ZIP with one fixed time and mode on every entry, in the same order."""
    stamp = max(moment.astimezone(datetime.UTC), datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC))
    date_time = stamp.timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
