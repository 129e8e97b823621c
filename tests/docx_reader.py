"""Read a DOCX back into comparable blocks, and extract the same blocks from Markdown.

Blocks are tuples: ("heading", level, text), ("paragraph", text), ("quote", text),
("item", kind, depth, number, text) where kind is "bullet" or "number" and number is the
item's position in its list (None for bullets), ("table", rows), ("break",). Text keeps bold
as **...**; links are listed apart as (text, url), in document order, tables included. A link
to a bookmark reads as "#" and the anchor of the heading that holds the bookmark, by the slug
rule of generator/slugs.py, so it compares with the Markdown's `#anchor`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from docx.oxml.ns import qn
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from generator.slugs import HeadingSlugs

_LIST_STYLE = re.compile(r"^List(Bullet|Number)(\d?)$")


def docx_blocks(data: bytes) -> tuple[list[tuple], list[tuple[str, str]]]:
    """Return the blocks and the links of a DOCX document."""
    document = docx.Document(io.BytesIO(data))
    rels = document.part.rels
    anchors = heading_anchors(document.element.body)
    blocks: list[tuple] = []
    links: list[tuple[str, str]] = []
    counters: dict[str, int] = {}
    for element in document.element.body.iterchildren():
        for link in element.iter(qn("w:hyperlink")):
            bookmark = link.get(qn("w:anchor"))
            target = f"#{anchors.get(bookmark, f'no heading has {bookmark}')}" if bookmark else None
            links.append((_text(link).replace("**", ""), target or rels[link.get(qn("r:id"))].target_ref))
        if element.tag == qn("w:tbl"):
            rows = [[_text(cell) for cell in row.iterchildren(qn("w:tc"))] for row in element.iterchildren(qn("w:tr"))]
            blocks.append(("table", rows))
            continue
        if element.tag != qn("w:p"):
            continue
        style = _style(element)
        text = _text(element)
        if element.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']"):
            blocks.append(("break",))
        elif style.startswith("Heading"):
            blocks.append(("heading", int(style.removeprefix("Heading")), text))
        elif match := _LIST_STYLE.match(style):
            kind = "bullet" if match.group(1) == "Bullet" else "number"
            depth = int(match.group(2) or 1)
            number = None
            if kind == "number":
                num_id = element.pPr.numPr.numId.val
                counters[num_id] = counters.get(num_id, 0) + 1
                number = counters[num_id]
            blocks.append(("item", kind, depth, number, text))
        elif style == "Quote":
            blocks.append(("quote", text))
        elif text:
            blocks.append(("paragraph", text))
    return blocks, links


def heading_anchors(body) -> dict[str, str]:
    """Return each bookmark on a heading of a DOCX body → the anchor the heading's text gives."""
    slugs = HeadingSlugs()
    anchors = {}
    for paragraph in body.iterchildren(qn("w:p")):
        if _style(paragraph).startswith("Heading"):
            anchor = slugs.next("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
            for start in paragraph.iter(qn("w:bookmarkStart")):
                anchors[start.get(qn("w:name"))] = anchor
    return anchors


def _style(paragraph) -> str:
    properties = paragraph.pPr
    return properties.pStyle.val if properties is not None and properties.pStyle is not None else "Normal"


def _text(element) -> str:
    """Concatenate the runs' text, marking bold runs with **."""
    out = []
    for run in element.iter(qn("w:r")):
        if run.getparent().tag == qn("w:fldSimple"):
            continue
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
        out.append(f"**{text}**" if bold and text.strip() else text)
    return re.sub(r"\*\*\*\*", "", "".join(out))


def markdown_blocks(markdown: str) -> tuple[list[tuple], list[tuple[str, str]]]:
    """Return the blocks and links a Markdown document should produce."""
    tree = SyntaxTreeNode(MarkdownIt("commonmark").enable("table").parse(markdown))
    blocks: list[tuple] = []
    links: list[tuple[str, str]] = []
    _walk(tree.children, blocks, links, depth=0, quote=False)
    return blocks, links


def _walk(nodes, blocks, links, depth: int, quote: bool) -> None:
    for node in nodes:
        if node.type == "heading":
            blocks.append(("heading", int(node.tag[1]), _inline(node.children[0], links)))
        elif node.type == "paragraph":
            blocks.append(("quote" if quote else "paragraph", _inline(node.children[0], links)))
        elif node.type in ("bullet_list", "ordered_list"):
            kind = "number" if node.type == "ordered_list" else "bullet"
            for number, item in enumerate(node.children, start=int(node.attrs.get("start", 1))):
                for child in item.children:
                    if child.type == "paragraph":
                        text = _inline(child.children[0], links)
                        blocks.append(("item", kind, depth + 1, number if kind == "number" else None, text))
                    else:
                        _walk([child], blocks, links, depth + 1, quote)
        elif node.type == "table":
            rows = []
            for section in node.children:
                for row in section.children:
                    cells = [_inline(cell.children[0], links) if cell.children else "" for cell in row.children]
                    rows.append([f"**{c}**" if section.type == "thead" and c else c for c in cells])
            blocks.append(("table", rows))
        elif node.type == "blockquote":
            _walk(node.children, blocks, links, depth, quote=True)
        elif node.type == "hr":
            blocks.append(("break",))


def _inline(node, links, bold: bool = False) -> str:
    out = []
    for child in node.children:
        if child.type in ("text", "code_inline"):
            out.append(f"**{child.content}**" if bold and child.content.strip() else child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "strong":
            out.append(_inline(child, links, bold=True))
        elif child.type == "em":
            out.append(_inline(child, links, bold))
        elif child.type == "link":
            text = _inline(child, [], bold)
            href = str(child.attrs["href"])  # markdown-it percent-encodes it; an anchor compares as the heading's
            links.append((text.replace("**", ""), unquote(href) if href.startswith("#") else href))
            out.append(text)
    return re.sub(r"\*\*\*\*", "", "".join(out))


#: CI installs LibreOffice and sets JDGEN_REQUIRE_LIBREOFFICE, so a missing one fails there instead of skipping.
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("JDGEN_REQUIRE_LIBREOFFICE"),
    reason="LibreOffice is not installed (CI installs it and sets JDGEN_REQUIRE_LIBREOFFICE)",
)


def convert_to_pdf(sources: list[Path], out_dir: Path, profile_dir: Path) -> None:
    """Convert DOCX files to PDF with LibreOffice, in a profile of their own so runs never share one."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile_dir}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
