"""Markdown → DOCX: markdown-it's syntax tree written with python-docx, reproducible to the byte."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .documents import KEEP_TOGETHER_ROWS
from .docx_reference import read_reference
from .docx_styles import BODY_STYLE, HYPERLINK_STYLE, check_reference_styles, ensure_styles, numbering_id
from .docx_tables import add_table, plain_text
from .docx_tables import sub as _sub
from .errors import TemplateError
from .slugs import HeadingSlugs

REFERENCE_DOCX = "reference.docx"

MAX_LIST_DEPTH = 3
#: Blocks that a paragraph directly before them labels, so the two are kept on one page.
_LABELLED = ("bullet_list", "ordered_list", "table")
#: A label's space before and after, in twips: apart from the list above it, close to its own. Direct
#: formatting, as a company's reference.docx has no style for labels.
LABEL_SPACING = {"before": "200", "after": "40"}
_AFTER_ONLY = {"after": LABEL_SPACING["after"]}
#: Word's limit on a bookmark's name.
BOOKMARK_LENGTH = 40
#: Used for every embedded date when SOURCE_DATE_EPOCH is not set; never the clock.
FIXED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


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
        check_reference_styles(document, self.reference_rel)
        return data

    def write(self, markdown: str, meta: DocxMeta) -> bytes:
        """Return the DOCX bytes of one Markdown document."""
        document = docx.Document(io.BytesIO(self._template) if self._template else None)
        ensure_styles(document)
        _Builder(document, meta).add_document(SyntaxTreeNode(self.parser.parse(markdown)))
        _set_header_and_footer(document, meta.title)
        _set_properties(document, meta, self.moment)
        return _save(document, self.moment)


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
        self.bookmarks: Iterator[tuple[int, str]] = iter(())  #: each heading's bookmark id and name, in order
        self.anchors: dict[str, str] = {}  #: a heading's anchor (its slug) → its bookmark's name

    def add_document(self, root: SyntaxTreeNode) -> None:
        """Add every block, with a bookmark on each heading that links to it can name."""
        # the headings are named first, so a link resolves whether its heading comes before or after it
        slugs = HeadingSlugs()
        names: dict[str, None] = {}  # the bookmarks' names, in order and quick to look up
        for node in root.walk():
            if node.type == "heading":
                slug = slugs.next(plain_text(node.children[0]))
                name = bookmark_name(slug, len(names), names)
                names[name] = None
                self.anchors.setdefault(slug, name)  # a repeated slug leads to the first, as in HTML
        self.bookmarks = enumerate(names)
        self.add_blocks(root.children)

    def unsupported(self, node: SyntaxTreeNode, what: str) -> TemplateError:
        line = f" (line {node.map[0] + 1} of the rendered Markdown)" if node.map else ""
        return TemplateError(self.meta.template, None, f"the DOCX writer does not support {what}{line}")

    def add_blocks(self, nodes: Iterable[SyntaxTreeNode], quote: bool = False) -> None:
        nodes = list(nodes)
        for before, node, after in zip([None, *nodes[:-1]], nodes, [*nodes[1:], None], strict=True):
            if node.type == "heading":
                level = int(node.tag[1])
                if level > 4:
                    raise self.unsupported(node, f"heading level {level} (use levels 1 to 4)")
                # direct formatting as well as the style's: a company's reference.docx may lack it
                self._bookmark(self._paragraph(node.children[0], f"Heading{level}", keep=("keepNext",)))
            elif node.type == "paragraph":
                # a paragraph right before a list or table labels it ("Probes:", "Rubric: …")
                label = after is not None and after.type in _LABELLED
                style_id = "Quote" if quote else BODY_STYLE
                paragraph = self._paragraph(node.children[0], style_id, keep=("keepNext",) if label else ())
                if label:  # spacing comes after keepNext in the schema's order; a heading above is apart already
                    spacing = LABEL_SPACING if before is None or before.type != "heading" else _AFTER_ONLY
                    _sub(paragraph.find(_W + "pPr"), "spacing", **spacing)
            elif node.type in ("bullet_list", "ordered_list"):
                self._list(node, depth=1)
            elif node.type == "table":
                add_table(self._block("tbl"), node, self.text_width, self._add_inline)
                self._block("p")  # Word joins tables that touch; keep a gap
            elif node.type == "blockquote":
                self.add_blocks(node.children, quote=True)
            elif node.type in ("fence", "code_block"):
                self._code(node.content)
            elif node.type == "hr":
                _sub(_sub(self._block("p"), "r"), "br", type="page")
            else:
                raise self.unsupported(node, _describe(node))

    def _bookmark(self, paragraph: etree._Element) -> None:
        """Put the next heading's bookmark around the runs of its paragraph, which follow its properties."""
        number, name = next(self.bookmarks)
        paragraph.find(_W + "pPr").addnext(_sub(paragraph, "bookmarkStart", id=str(number), name=name))
        _sub(paragraph, "bookmarkEnd", id=str(number))

    def _block(self, tag: str) -> etree._Element:
        element = self.anchor.makeelement(_W + tag)
        self.anchor.addprevious(element)
        return element

    def _paragraph(
        self, inline: SyntaxTreeNode, style_id: str | None, num_id: int | None = None, keep: Collection[str] = ()
    ) -> etree._Element:
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
        return paragraph

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
        # a short list stays on one page, as a short table does: each item but the last keeps with the next
        together = len(node.children) <= KEEP_TOGETHER_ROWS
        for index, item in enumerate(node.children):
            first = True
            nested = any(child.type in ("bullet_list", "ordered_list") for child in item.children)
            keeps_with_next = nested or (together and index < len(node.children) - 1)
            for child in item.children:
                if child.type == "paragraph" and first:
                    # an item never breaks inside, and stays with the first item of its sublist
                    keep = ("keepNext", "keepLines") if keeps_with_next else ("keepLines",)
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
            style_num = numbering_id(self.document.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH))
            self.abstract_ids[style_id] = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(self.abstract_ids[style_id])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

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
                href = str(node.attrs["href"])
                if href.startswith("#"):
                    bookmark = self.anchors.get(unquote(href[1:]))  # markdown-it percent-encodes the href
                    if bookmark is None:  # no heading has this anchor: the text alone, not a link to nowhere
                        self._add_inline(parent, node.children, marks)
                        continue
                    link = _sub(parent, "hyperlink", anchor=bookmark, history="1")
                else:
                    link = _sub(parent, "hyperlink")
                    link.set(_R + "id", self._link_id(href))
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
_NOT_IN_BOOKMARK = re.compile(r"[^A-Za-z0-9_]")


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


def _describe(node: SyntaxTreeNode) -> str:
    names = {
        "code_block": "code blocks",
        "fence": "fenced code blocks",
        "html_block": "raw HTML",
        "html_inline": "raw HTML",
        "image": "images",
    }
    return names.get(node.type, f"'{node.type}'")


def bookmark_name(slug: str, number: int, taken: Collection[str]) -> str:
    """Return the Word bookmark for the anchor of heading `number`: a letter, then letters, digits and _, 40 at most.

    Where two anchors meet in one name ("a-b" and "a_b", or long ones alike in their first 40
    characters), the later ends in its heading's number, which no other heading has: one try, not a count.
    """
    name = _NOT_IN_BOOKMARK.sub("_", slug)
    if not name[:1].isalpha():  # a leading digit is not allowed; a leading _ would hide the bookmark in Word
        name = f"h_{name}"
    candidate = name[:BOOKMARK_LENGTH]
    while candidate in taken:
        candidate = f"{name[: BOOKMARK_LENGTH - len(str(number)) - 1]}_{number}"
        number += 1  # only where another heading's own anchor ends in that number
    return candidate


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
    props.created = props.modified = props.last_printed = moment.astimezone(datetime.UTC).replace(tzinfo=None)


def _save(document: docx.document.Document, moment: datetime.datetime) -> bytes:
    """Return the DOCX's bytes, each ZIP entry written once with one fixed time and mode.

    python-docx's own save stamps every entry with the clock; the package is written here instead,
    part by part in python-docx's order, with its serialisers, so nothing is deflated twice.
    """
    stamp = max(moment.astimezone(datetime.UTC), datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC))
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _FixedTimeEntries(archive, stamp.timetuple()[:6])
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    return out.getvalue()


class _FixedTimeEntries:
    """What python-docx's package writer writes to: ZIP entries with a fixed time and mode."""

    def __init__(self, archive: zipfile.ZipFile, date_time: tuple[int, ...]) -> None:
        self.archive = archive
        self.date_time = date_time

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o644 << 16
        self.archive.writestr(info, blob)
