"""The Word styles jdgen's DOCX output uses: which a reference.docx must have, and which it may lack."""

from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import RGBColor

from .errors import TemplateError

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
#: pandoc's paragraph style for body text, so a company's reference.docx can restyle it apart from
#: Normal; added at write time, in Normal's look, to a reference.docx that lacks it (as is Compact).
BODY_STYLE = "BodyText"
#: pandoc's paragraph style for table cells, so a company's reference.docx can space them apart from
#: body text; added, with no space before or after, to a reference.docx that lacks it.
CELL_STYLE = "Compact"


def check_reference_styles(document: docx.document.Document, rel: str) -> None:
    """Refuse a reference document without a required style, or with a numbered-list style that does not number."""
    present = {(style.style_id, style.type) for style in document.styles}
    missing = [sid for sid, kind in REQUIRED_STYLES.items() if (sid, kind) not in present]
    if missing:
        raise TemplateError(
            rel, None, f"missing styles: {', '.join(missing)}; add them in Word or start from jdgen's reference.docx"
        )
    unnumbered = [
        sid
        for sid in ("ListNumber", "ListNumber2", "ListNumber3")
        if numbering_id(document.styles.get_by_id(sid, WD_STYLE_TYPE.PARAGRAPH)) is None
    ]
    if unnumbered:
        raise TemplateError(
            rel, None, f"styles without list numbering: {', '.join(unnumbered)}; give them numbering in Word"
        )


def numbering_id(style) -> int | None:
    """Return the numbering instance a list style points at, if any."""
    properties = style.element.pPr
    if properties is None or properties.numPr is None or properties.numPr.numId is None:
        return None
    return properties.numPr.numId.val


def ensure_styles(document: docx.document.Document) -> None:
    """Add the styles the body uses that a reference.docx may lack: python-docx's default has no Hyperlink."""
    styles = document.styles
    present = {style.style_id for style in styles} | {style.name for style in styles}
    if HYPERLINK_STYLE not in present:
        style = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor(0x1F, 0x4E, 0x9A)
        style.font.underline = True
    # add_style makes the id from the name without spaces; a style by that name under another id is left alone
    for style_id, name in ((BODY_STYLE, "Body Text"), (CELL_STYLE, "Compact")):
        if style_id in present or name in present:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles.get_by_id("Normal", WD_STYLE_TYPE.PARAGRAPH)
        if style_id == BODY_STYLE:
            style.element.customStyle = None  # one of Word's own styles, which Word tells by this flag
        else:  # a cell's margins space its text, not the paragraph spacing body text needs
            style.paragraph_format.space_before = style.paragraph_format.space_after = 0
