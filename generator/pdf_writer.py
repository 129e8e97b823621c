"""HTML page → PDF with WeasyPrint: tagged, fonts embedded, scorecards as form fields, reproducible.

WeasyPrint is an optional extra (`jdgen[pdf]`); this module imports it only when a PDF is written,
and `require_weasyprint` says how to install it when it is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

from lxml import etree, html

from .documents import KEEP_TOGETHER_ROWS, SCORECARD_LAST_HEADER
from .errors import MissingExtraError
from .slugs import heading_slug

#: Used for the document dates when SOURCE_DATE_EPOCH is not set; never the clock (as for DOCX).
FIXED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
INSTALL_HINT = (
    "PDF output needs jdgen's PDF extra: pip install 'jdgen[pdf]' "
    "(WeasyPrint also needs the Pango library, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


def require_weasyprint() -> None:
    """Stop with the install hint when WeasyPrint or the system library it loads is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as err:  # OSError: the Pango library cannot be loaded
        raise MissingExtraError(f"{INSTALL_HINT}; {err}") from err


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF's document information says, beyond the page's title and language."""

    subject: str
    author: str
    keywords: str
    moment: datetime.datetime | None  #: SOURCE_DATE_EPOCH, or None for the fixed date


def write_pdf(page_html: str, meta: PdfMeta) -> bytes:
    """Return the PDF of a page made by the page template, laid out with jdgen's print stylesheet."""
    import weasyprint

    document = html.document_fromstring(page_html)
    _prepare_head(document, meta)
    source = etree.tostring(document, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    # nothing is fetched: no file, no network; a template's <img> or <link> to elsewhere is left out
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    # its notes on the web page's CSS, a font's header or a refused fetch mean nothing to a recruiter
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        return weasyprint.HTML(string=source, url_fetcher=fetcher).write_pdf(
            pdf_forms=True,
            pdf_tags=True,
            # an identifier from the content: the same page gives the same file
            pdf_identifier=hashlib.sha256(source.encode("utf-8")).hexdigest()[:32].encode("ascii"),
        )
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _prepare_head(document: Any, meta: PdfMeta) -> None:
    """Add the document information and, last in the head, the print stylesheet.

    The stylesheet goes in as the page's own last <style>, so it wins over the template's screen
    rules of the same weight (WeasyPrint ranks a stylesheet passed to it below the page's own).
    """
    head = document.find("head")
    if head is None:
        head = etree.Element("head")
        document.insert(0, head)
    stamp = (meta.moment or FIXED_DATE).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = {
        "author": meta.author,
        "description": meta.subject,
        "keywords": meta.keywords,
        "generator": "jdgen",
        "dcterms.created": stamp,
        "dcterms.modified": stamp,
    }
    for element in head.findall("meta"):
        if element.get("name") in entries:
            head.remove(element)  # the template's own description would describe the web page
    for name, content in entries.items():
        etree.SubElement(head, "meta", name=name, content=content)
    etree.SubElement(head, "style").text = resources.files("generator.data").joinpath("print.css").read_text("utf-8")


@dataclass(frozen=True)
class ScorecardForm:
    """What the kit's scorecards become as form fields."""

    stages: tuple[tuple[int, tuple[tuple[str, str], ...]], ...]  #: (stage number, ((competency id, name), …))
    ratings: tuple[tuple[int, str], ...]  #: the rating scale: (score, label)
    recommendations: tuple[str, ...]  #: the overall recommendation's choices


def print_body(body_html: str, form: ScorecardForm | None = None) -> str:
    """Prepare a document's HTML for print; with `form`, a kit's scorecards become fields a tablet can fill.

    In a scorecard each row gets a rating choice and a multi-line evidence field; below the table go the
    interviewer's name, the date and the overall recommendation. The printed line listing the
    recommendation's choices, when it follows the table, gives way to the field that makes them.
    Field names are stable: stage-N-COMPETENCY-rating, -evidence; stage-N-interviewer, -date,
    -recommendation.
    """
    fragment = html.fragment_fromstring(body_html, create_parent="div")
    if form is not None:
        tables = [table for table in fragment.iter("table") if _is_scorecard(table)]
        for table, (number, competencies) in zip(tables, form.stages, strict=False):
            _fill_table(table, number, competencies, form.ratings)
            _add_signoff(table, number, form.recommendations)
    _mark_page_flow(fragment)
    return "".join(html.tostring(child, encoding="unicode") for child in fragment)


def _is_scorecard(table: Any) -> bool:
    header = table.findall("thead/tr/th")
    return len(header) == 3 and header[-1].text_content().strip() == SCORECARD_LAST_HEADER


def _fill_table(table: Any, number: int, competencies: tuple[tuple[str, str], ...], ratings: Any) -> None:
    table.set("class", "scorecard")
    columns = etree.Element("colgroup")
    for name in ("competency", "rating", "evidence"):
        etree.SubElement(columns, "col", {"class": name})
    table.insert(0, columns)
    ids = {name: competency_id for competency_id, name in competencies}
    for row in table.findall("tbody/tr"):
        cells = row.findall("td")
        if len(cells) != 3:
            continue
        name = cells[0].text_content().strip()
        key = ids.get(name) or heading_slug(name)  # a template that renames a row still gets a stable name
        where = f"Stage {number}, {name}"
        choice = etree.SubElement(cells[1], "select", name=f"stage-{number}-{key}-rating", title=f"{where}: rating")
        etree.SubElement(choice, "option", value="").text = ""
        for score, label in ratings:
            etree.SubElement(choice, "option", value=str(score)).text = f"{score} {label}"
        etree.SubElement(cells[2], "textarea", name=f"stage-{number}-{key}-evidence", title=f"{where}: evidence")


def _add_signoff(table: Any, number: int, recommendations: tuple[str, ...]) -> None:
    following = table.getnext()
    if following is not None and following.tag == "p":
        text = following.text_content()
        if recommendations and all(choice in text for choice in recommendations):
            following.getparent().remove(following)
    block = etree.Element("div", {"class": "signoff"})
    for field, label in (("interviewer", "Interviewer"), ("date", "Date")):
        wrapper = etree.SubElement(block, "label")
        wrapper.text = label
        etree.SubElement(
            wrapper, "input", type="text", name=f"stage-{number}-{field}", title=f"Stage {number}: {label}"
        )
    wrapper = etree.SubElement(block, "label")
    wrapper.text = "Overall recommendation"
    choice = etree.SubElement(
        wrapper, "select", name=f"stage-{number}-recommendation", title=f"Stage {number}: overall recommendation"
    )
    etree.SubElement(choice, "option", value="").text = ""
    for option in recommendations:
        etree.SubElement(choice, "option", value=option).text = option
    table.addnext(block)


def _mark_page_flow(fragment: Any) -> None:
    """Mark what the print stylesheet keeps together: labels with what follows, short tables and lists whole."""
    for paragraph in fragment.iter("p"):
        following = paragraph.getnext()
        if following is not None and following.tag in ("ul", "ol", "table"):
            paragraph.set("class", " ".join(filter(None, (paragraph.get("class"), "label"))))
    for table in fragment.iter("table"):
        if len(table.findall(".//tr")) <= KEEP_TOGETHER_ROWS:  # as in DOCX: a rubric or scorecard stays whole
            table.set("class", " ".join(filter(None, (table.get("class"), "together"))))
    for listing in (*fragment.iter("ul"), *fragment.iter("ol")):
        if len(listing.findall("li")) <= KEEP_TOGETHER_ROWS:  # as in DOCX: probes, look-fors, the rating scale
            listing.set("class", " ".join(filter(None, (listing.get("class"), "together"))))
