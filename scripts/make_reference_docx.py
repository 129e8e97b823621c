"""Regenerate templates/reference.docx, the Word styles jdgen's DOCX output uses.

Run it after changing a look below: `python scripts/make_reference_docx.py`. The result is
committed; companies may replace it with their own document, keeping the style ids.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

BODY_FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
INK = RGBColor(0x22, 0x22, 0x22)
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)

#: style id: (size in points, bold, italic, colour, space before, space after)
LOOKS = {
    "Normal": (11, False, False, INK, 0, 4),
    "Heading1": (22, True, False, NAVY, 0, 8),
    "Heading2": (15, True, False, BLUE, 12, 4),
    "Heading3": (12.5, True, False, BLUE, 10, 3),
    "Heading4": (11, True, True, GREY, 8, 2),
    "Quote": (11, False, True, INK, 4, 8),
    "Header": (9, False, False, GREY, 0, 0),
    "Footer": (9, False, False, GREY, 0, 0),
}


def _drop_theme_fonts(element) -> None:
    """Theme font attributes beat explicit names in Word; remove them so one font rules."""
    for fonts in element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), BODY_FONT)


#: Styles kept besides the ones jdgen requires: the defaults Word expects to find.
_ALSO_KEEP = {"DefaultParagraphFont", "TableNormal", "NoList", "ListParagraph", "Hyperlink", "Title"}
#: Parts Word does not need and every document would otherwise carry and recompress.
_DROPPED_PARTS = ("stylesWithEffects", "customXml", "webSettings")


def _slim(document) -> None:
    """Keep only the styles jdgen uses and drop optional parts, so each output stays small and fast."""
    from generator.docx_styles import BODY_STYLE, CELL_STYLE, REQUIRED_STYLES

    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    keep = set(REQUIRED_STYLES) | {BODY_STYLE, CELL_STYLE} | _ALSO_KEEP
    for style_id in list(keep):  # styles a kept style builds on or links to must stay too
        while style_id in by_id:
            keep.add(style_id)
            based = by_id[style_id].find(qn("w:basedOn"))
            linked = by_id[style_id].find(qn("w:link"))
            if linked is not None:
                keep.add(linked.get(qn("w:val")))
            style_id = based.get(qn("w:val")) if based is not None else None
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for rel_id, rel in list(document.part.rels.items()):
        if any(name in rel.reltype for name in _DROPPED_PARTS):
            document.part.drop_rel(rel_id)
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)


def make_reference(path: Path) -> None:
    """Write the reference document to `path`."""
    document = docx.Document()
    styles = document.styles
    _drop_theme_fonts(styles.element)
    for style_id, (size, bold, italic, colour, before, after) in LOOKS.items():
        style = styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
        style.font.name = BODY_FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        style.font.color.rgb = colour
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        if style_id.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
    styles.get_by_id("Normal", WD_STYLE_TYPE.PARAGRAPH).paragraph_format.line_spacing = 1.1
    quote = styles.get_by_id("Quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.paragraph_format.left_indent = Inches(0.3)
    for style_id in ("ListBullet", "ListBullet2", "ListBullet3", "ListNumber", "ListNumber2", "ListNumber3"):
        styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH).paragraph_format.space_after = Pt(1)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x1F, 0x5F, 0xBF)
    link.font.underline = True
    # Body Text (in Normal's look) and Compact (table cells, no paragraph spacing): pandoc's names,
    # so a company restyles body text and cells apart from Normal
    from generator.docx_styles import ensure_styles

    ensure_styles(document)
    for section in document.sections:
        section.top_margin = section.bottom_margin = Inches(0.8)
        section.left_margin = section.right_margin = Inches(1)
    _slim(document)
    props = document.core_properties
    props.title = "jdgen reference styles"
    props.author = "jdgen"
    props.last_modified_by = "jdgen"
    props.created = props.modified = datetime.datetime(2026, 1, 1)
    document.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "templates" / "reference.docx"
    make_reference(target)
    print(f"wrote {target}")
