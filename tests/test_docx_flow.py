"""DOCX page flow: rows that never split, labels kept with what follows, scorecards with room to write."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import copy_builtin
from docx.oxml.ns import qn
from docx_reader import convert_to_pdf, needs_libreoffice
from lxml import etree

from generator.cli import cli
from generator.docx_tables import SCORECARD_ROW_HEIGHT
from generator.docx_writer import DocxMeta, DocxWriter

META = DocxMeta(title="Flow", subject="Test", author="Fixture Works", keywords="flow", template="t.md.j2")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in workspace's TPM documents and one comparison, built once as DOCX."""
    workspace = copy_builtin(tmp_path_factory.mktemp("flow") / "builtin")
    runner = CliRunner()
    for args in (["build", "tpm", "--format", "docx"], ["compare", "pm", "tpm", "--format", "docx"]):
        result = runner.invoke(cli, ["--workspace", str(workspace), *args])
        assert result.exit_code == 0, result.output
    return workspace / "out"


def _body(path: Path) -> etree._Element:
    return docx.Document(str(path)).element.body


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _has(paragraph: etree._Element, name: str) -> bool:
    properties = paragraph.find(qn("w:pPr"))
    return properties is not None and properties.find(qn(name)) is not None


def _scorecards(body: etree._Element) -> list[etree._Element]:
    tables = body.iterchildren(qn("w:tbl"))
    return [t for t in tables if _text(t.find(qn("w:tr"))) == "CompetencyRating (1–4)Evidence"]


def test_no_table_row_in_a_kit_or_comparison_can_split_across_pages(built: Path) -> None:
    paths = [built / "tpm/interview-kit.docx", built / "compare/pm-vs-tpm.docx"]
    for path in paths:
        rows = list(_body(path).iter(qn("w:tr")))
        assert rows, path
        assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows), path


def test_labels_and_headings_keep_with_what_follows(built: Path) -> None:
    for path in (built / "tpm/interview-kit.docx", built / "compare/pm-vs-tpm.docx"):
        blocks = [b for b in _body(path).iterchildren() if b.tag in (qn("w:p"), qn("w:tbl"))]
        labels = 0
        for block, after in itertools.pairwise(blocks):
            if block.tag != qn("w:p") or not _text(block):
                continue
            style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            style_id = style.get(qn("w:val")) if style is not None else "Normal"
            after_style = after.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            before_list = after_style is not None and after_style.get(qn("w:val")).startswith("List")
            if style_id.startswith("Heading") or (style_id == "BodyText" and (before_list or after.tag == qn("w:tbl"))):
                assert _has(block, "w:keepNext"), (path.name, _text(block))
                labels += style_id == "BodyText"
        assert labels, path  # the check saw labels, not only headings
    kit = _body(built / "tpm/interview-kit.docx")
    kept = {_text(p) for p in kit.iterchildren(qn("w:p")) if _has(p, "w:keepNext")}
    assert {"Probes:", "What to look for:", "Red flags:", "Rubric: Stakeholder management"} <= kept
    assert "Question 1: Situational, 7 minutes" in kept


def test_a_list_item_never_breaks_inside_and_an_ordinary_paragraph_is_free() -> None:
    markdown = "Label:\n\n- one\n  - nested\n- two\n\nClosing words.\n\nMore words.\n"
    body = docx.Document(io.BytesIO(DocxWriter(Path("/nonexistent")).write(markdown, META))).element.body
    paragraphs = {_text(p): p for p in body.iterchildren(qn("w:p"))}
    assert _has(paragraphs["Label:"], "w:keepNext")
    assert all(_has(paragraphs[t], "w:keepLines") for t in ("one", "nested", "two"))
    assert _has(paragraphs["one"], "w:keepNext")  # stays with its sublist
    assert not _has(paragraphs["Closing words."], "w:keepNext")


def test_a_short_list_stays_on_one_page_and_a_long_one_may_break() -> None:
    short = "".join(f"- short {n}\n" for n in range(1, 5))
    long = "".join(f"- long {n}\n" for n in range(1, 10))  # past KEEP_TOGETHER_ROWS items
    markdown = f"Rating scale:\n\n{short}\nClosing words.\n\n{long}"
    body = docx.Document(io.BytesIO(DocxWriter(Path("/nonexistent")).write(markdown, META))).element.body
    paragraphs = {_text(p): p for p in body.iterchildren(qn("w:p"))}
    assert [_has(paragraphs[f"short {n}"], "w:keepNext") for n in range(1, 5)] == [True, True, True, False]
    assert not any(_has(paragraphs[f"long {n}"], "w:keepNext") for n in range(1, 10))
    assert all(_has(paragraphs[f"long {n}"], "w:keepLines") for n in range(1, 10))


def test_every_scorecard_has_the_same_widths_with_evidence_widest_and_tall_rows(built: Path) -> None:
    scorecards = _scorecards(_body(built / "tpm/interview-kit.docx"))
    assert len(scorecards) == 5  # one per stage
    grids = {tuple(int(c.get(qn("w:w"))) for c in t.iter(qn("w:gridCol"))) for t in scorecards}
    assert len(grids) == 1
    (competency, rating, evidence), *_ = grids
    assert evidence > competency > rating
    assert evidence > (competency + rating + evidence) / 2
    for table in scorecards:
        body_rows = list(table.iterchildren(qn("w:tr")))[1:]
        heights = {row.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") for row in body_rows}
        assert all(h is not None and h.get(qn("w:hRule")) == "atLeast" for h in heights)
        assert {int(h.get(qn("w:val"))) for h in heights} == {SCORECARD_ROW_HEIGHT}


def test_the_coverage_table_gives_competency_names_the_widest_column(built: Path) -> None:
    body = _body(built / "tpm/interview-kit.docx")
    coverage = next(t for t in body.iterchildren(qn("w:tbl")) if _text(t).startswith("CompetencyEmphasis"))
    widths = [int(c.get(qn("w:w"))) for c in coverage.iter(qn("w:gridCol"))]
    assert widths[0] == max(widths)
    assert widths[0] >= 0.25 * sum(widths)  # "Sprint estimation and backlog refinement" on at most two lines


def test_page_one_has_no_header_and_every_page_a_page_number(built: Path) -> None:
    for path in (built / "tpm/columbus/posting.docx", built / "tpm/interview-kit.docx"):
        section = docx.Document(str(path)).sections[0]
        assert section.different_first_page_header_footer
        assert not section.first_page_header.is_linked_to_previous
        assert [p.text for p in section.first_page_header.paragraphs] == [""]
        assert section.header.paragraphs[0].text
        for footer in (section.footer, section.first_page_footer):
            xml = footer.paragraphs[0]._p.xml
            assert 'w:instr=" PAGE "' in xml and 'w:instr=" NUMPAGES "' in xml


@needs_libreoffice
def test_the_builtin_tpm_posting_renders_to_two_pages(built: Path, tmp_path: Path) -> None:
    convert_to_pdf([built / "tpm/columbus/posting.docx"], tmp_path, tmp_path / "lo")
    info = subprocess.run(["pdfinfo", str(tmp_path / "posting.pdf")], check=True, capture_output=True, text=True)
    pages = next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    assert pages == "2"


def test_short_tables_stay_on_one_page(built: Path) -> None:
    # every row of a rubric or scorecard but the last keeps with the next, so the table never breaks
    tables = list(_body(built / "tpm/interview-kit.docx").iterchildren(qn("w:tbl")))
    short = [table for table in tables if len(table.findall(qn("w:tr"))) <= 8]
    assert len(short) > 10
    for table in short:
        rows = table.findall(qn("w:tr"))
        for row in rows[:-1]:
            assert all(_has(paragraph, "w:keepNext") for paragraph in row.iter(qn("w:p")))
        assert not any(_has(paragraph, "w:keepNext") for paragraph in rows[-1].iter(qn("w:p")))


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else "Normal"


def test_the_coverage_table_links_each_stage_to_the_bookmark_on_its_heading(built: Path) -> None:
    body = _body(built / "tpm/interview-kit.docx")
    stages = [p for p in body.iterchildren(qn("w:p")) if _style(p) == "Heading2" and _text(p).startswith("Stage ")]
    assert len(stages) == 5
    bookmarks = [p.find(qn("w:bookmarkStart")).get(qn("w:name")) for p in stages]
    assert bookmarks[0] == "stage_1_recruiter_screen"
    assert all(re.fullmatch(r"[A-Za-z]\w{0,39}", name, re.ASCII) for name in bookmarks)
    ids = [start.get(qn("w:id")) for start in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids)) == len(list(body.iter(qn("w:bookmarkEnd"))))
    coverage = next(t for t in body.iterchildren(qn("w:tbl")) if _text(t).startswith("CompetencyEmphasis"))
    header = coverage.find(qn("w:tr"))
    links = [cell.find(f"{qn('w:p')}/{qn('w:hyperlink')}") for cell in header.iterchildren(qn("w:tc"))][2:]
    assert [link.get(qn("w:anchor")) for link in links] == bookmarks
    assert [_text(link) for link in links] == [_text(p).split(": ", 1)[1] for p in stages]


def test_body_paragraphs_are_body_text_cells_compact_and_labels_sit_with_their_list(built: Path) -> None:
    body = _body(built / "tpm/interview-kit.docx")
    paragraphs = {_text(p): p for p in body.iterchildren(qn("w:p"))}
    assert _style(paragraphs["This kit is for interviewers only; do not share it with candidates."]) == "BodyText"
    cells = list(body.iter(qn("w:tc")))
    assert cells and {_style(p) for cell in cells for p in cell.iterchildren(qn("w:p"))} == {"Compact"}
    spacing = paragraphs["Probes:"].find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert int(spacing.get(qn("w:before"))) > int(spacing.get(qn("w:after")))
