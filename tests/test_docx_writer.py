"""DOCX output: read back against the Markdown, reproducible bytes, styles, unsupported constructs."""

from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx_reader import convert_to_pdf, docx_blocks, markdown_blocks, needs_libreoffice

from generator.docx_writer import DocxMeta, DocxWriter, bookmark_name
from generator.errors import TemplateError
from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

META = DocxMeta(
    title="Sample", subject="Job posting", author="Fixture Works", keywords="sample, mid", template="t.md.j2"
)
SAMPLE = """# Sample title

A paragraph with **bold**, *italic*, `code` and a [link](https://example.com/a_b).

## Lists

- one
  - one point one
    - one point one point one
- two

1. first
2. second

Between the lists.

1. again first
2. again second

### Table

| Name | Minutes |
|---|--:|
| Opening | 5 |
| **Total** | **5** |

> A quoted question?

---

#### After the break

Visit <https://example.com/careers/tpm>.
"""


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A templates folder holding the shipped reference document."""
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(Path(__file__).parent.parent / "templates" / "reference.docx", folder)
    return folder


def test_every_block_of_the_markdown_reads_back_from_the_docx(templates: Path) -> None:
    data = DocxWriter(templates).write(SAMPLE, META)
    assert docx_blocks(data) == markdown_blocks(SAMPLE)
    blocks, links = docx_blocks(data)
    assert ("item", "bullet", 3, None, "one point one point one") in blocks
    assert [b[3] for b in blocks if b[0] == "item" and b[1] == "number"] == [1, 2, 1, 2]
    assert links == [
        ("link", "https://example.com/a_b"),
        ("https://example.com/careers/tpm", "https://example.com/careers/tpm"),
    ]


def test_each_numbered_list_has_its_own_numbering_starting_at_one(templates: Path) -> None:
    document = docx.Document(io.BytesIO(DocxWriter(templates).write(SAMPLE, META)))
    numbered = [p for p in document.paragraphs if p.style.style_id == "ListNumber"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = document.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[2]}:
        num = numbering.num_having_numId(num_id)
        assert num.lvlOverride_lst[0].startOverride.val == 1


def test_properties_header_and_page_footer(templates: Path) -> None:
    moment = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    document = docx.Document(io.BytesIO(DocxWriter(templates, moment).write(SAMPLE, META)))
    props = document.core_properties
    assert (props.title, props.subject, props.author, props.keywords) == (
        "Sample",
        "Job posting",
        "Fixture Works",
        "sample, mid",
    )
    assert props.created == props.modified == moment
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Sample"
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "Page " in section.footer.paragraphs[0].text
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml


def test_the_same_input_gives_the_same_bytes_and_the_epoch_sets_every_date(templates: Path) -> None:
    first = DocxWriter(templates).write(SAMPLE, META)
    assert DocxWriter(templates).write(SAMPLE, META) == first
    moment = datetime.datetime(2024, 5, 6, 7, 8, 10, tzinfo=datetime.UTC)
    dated = DocxWriter(templates, moment).write(SAMPLE, META)
    assert dated != first
    assert DocxWriter(templates, moment).write(SAMPLE, META) == dated
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 5, 6, 7, 8, 10)}
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_builds_are_byte_identical_with_and_without_source_date_epoch(builtin_copy: Path, runner, monkeypatch) -> None:
    from generator.cli import cli

    def build_hashes() -> dict[str, str]:
        shutil.rmtree(builtin_copy / "out", ignore_errors=True)
        result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "tpm"])
        assert result.exit_code == 0, result.output
        out = builtin_copy / "out/tpm"
        return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*.docx")}

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = build_hashes()
    postings = [f"{place}/posting.docx" for place in ("columbus", "new-york", "remote-us")]  # one per place
    assert sorted(plain) == sorted(["candidate-guide.docx", "interview-kit.docx", *postings])
    assert build_hashes() == plain
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    epoch = build_hashes()
    assert build_hashes() == epoch
    assert epoch != plain


def test_the_built_documents_carry_exactly_the_markdown_content(builtin_copy: Path) -> None:
    workspace = load_workspace(WorkspaceDirs(builtin_copy, builtin=False))
    writer = DocxWriter(builtin_copy / "templates")
    for doc in render_role(workspace, Renderer(builtin_copy), "tpm", "mid"):
        data = writer.write(doc.markdown, META)
        assert docx_blocks(data) == markdown_blocks(doc.markdown), doc.name


def test_without_a_reference_document_python_docx_defaults_are_used(tmp_path: Path) -> None:
    data = DocxWriter(tmp_path).write(SAMPLE, META)
    assert docx_blocks(data) == markdown_blocks(SAMPLE)


def test_a_reference_document_missing_styles_names_them(tmp_path: Path) -> None:
    document = docx.Document()
    for style_id in ("ListBullet3", "Quote"):
        style = document.styles.get_by_id(style_id, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        style.element.getparent().remove(style.element)
    document.save(tmp_path / "reference.docx")
    with pytest.raises(TemplateError) as caught:
        DocxWriter(tmp_path)
    assert str(caught.value) == (
        "templates/reference.docx: missing styles: ListBullet3, Quote; "
        "add them in Word or start from jdgen's reference.docx"
    )


def test_a_reference_document_that_is_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "reference.docx").write_text("not a zip\n")
    with pytest.raises(TemplateError, match=r"^templates/reference.docx: not a readable Word document"):
        DocxWriter(tmp_path)


def test_a_code_excerpt_keeps_its_lines_and_indentation_in_a_monospaced_shaded_paragraph(templates: Path) -> None:
    markdown = "Before\n\n```sql\nSELECT a,\n       b\n  FROM t  -- # not a heading\n```\n\n    indented\n"
    document = docx.Document(io.BytesIO(DocxWriter(templates).write(markdown, META)))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert [p.text for p in paragraphs] == [
        "Before",
        "SELECT a,\n       b\n  FROM t  -- # not a heading",
        "indented",
    ]
    code = paragraphs[1]
    assert {run.font.name for run in code.runs if run.text.strip()} == {"Consolas"}
    assert code._p.pPr.find(qn("w:shd")).get(qn("w:fill")) == "F2F2F2"


@pytest.mark.parametrize(
    ("markdown", "construct"),
    [
        ("Text\n\n<div>raw</div>\n", "raw HTML (line 3 of the rendered Markdown)"),
        ("Some <b>bold</b>\n", "raw HTML"),
        ("![alt](image.png)\n", "images"),
        ("##### Deep\n", "heading level 5 (use levels 1 to 4)"),
        ("- a\n  - b\n    - c\n      - d\n", "lists nested deeper than 3 levels"),
    ],
)
def test_unsupported_markdown_is_an_error_naming_the_construct(templates: Path, markdown: str, construct: str) -> None:
    with pytest.raises(TemplateError) as caught:
        DocxWriter(templates).write(markdown, META)
    assert str(caught.value).startswith(f"t.md.j2: the DOCX writer does not support {construct}")


@needs_libreoffice
def test_libreoffice_converts_both_documents_to_pdf(builtin_copy: Path, runner, tmp_path: Path) -> None:
    from generator.cli import cli

    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "tpm", "--format", "docx"])
    assert result.exit_code == 0, result.output
    pdf_dir = tmp_path / "pdf"
    sources = [builtin_copy / "out/tpm/columbus/posting.docx", builtin_copy / "out/tpm/interview-kit.docx"]
    convert_to_pdf(sources, pdf_dir, tmp_path / "lo")
    for name, title in (
        ("posting", "Technical Project Manager"),
        ("interview-kit", "Interview kit: Technical Project Manager"),
    ):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf_dir / f"{name}.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert title in text
        assert "Page 1 of" in text
    kit_text = subprocess.run(
        ["pdftotext", str(pdf_dir / "interview-kit.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Scorecard: Recruiter screen" in kit_text


def test_a_large_batch_uses_workers_and_gives_the_same_bytes_in_order(templates: Path) -> None:
    from generator.docx_batch import PARALLEL_THRESHOLD, write_docx_batch

    jobs = [(SAMPLE.replace("Sample title", f"Title {n}"), META) for n in range(PARALLEL_THRESHOLD + 2)]
    batch = write_docx_batch(templates, None, jobs)
    writer = DocxWriter(templates)
    assert batch == [writer.write(markdown, meta) for markdown, meta in jobs]


def test_an_error_in_a_worker_reaches_the_caller_as_a_template_error(templates: Path) -> None:
    from generator.docx_batch import PARALLEL_THRESHOLD, write_docx_batch

    jobs = [(SAMPLE, META)] * PARALLEL_THRESHOLD + [("![alt](image.png)\n", META)]
    with pytest.raises(TemplateError, match=r"^t\.md\.j2: the DOCX writer does not support images"):
        write_docx_batch(templates, None, jobs)


def test_a_numbered_list_style_without_numbering_is_named(tmp_path: Path) -> None:
    document = docx.Document()
    style = document.styles.get_by_id("ListNumber2", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.element.pPr.remove(style.element.pPr.numPr)
    document.save(tmp_path / "reference.docx")
    with pytest.raises(TemplateError) as caught:
        DocxWriter(tmp_path)
    assert str(caught.value) == (
        "templates/reference.docx: styles without list numbering: ListNumber2; give them numbering in Word"
    )


LINKED = """# Guide

See [the rubric](#rubric), [the second rubric](#rubric-1), [nowhere](#missing) and [the café](#café).

## Rubric

## Rubric

## 2 Café
"""


def _plain(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _bookmarks(body) -> list[tuple[str, str]]:
    return [(b.get(qn("w:id")), b.get(qn("w:name"))) for b in body.iter(qn("w:bookmarkStart"))]


def test_a_link_to_a_heading_becomes_a_link_to_its_bookmark(templates: Path) -> None:
    data = DocxWriter(templates).write(LINKED.replace("2 Café", "Café"), META)
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    assert _bookmarks(body) == [("0", "guide"), ("1", "rubric"), ("2", "rubric_1"), ("3", "caf_")]
    links = list(body.iter(qn("w:hyperlink")))
    assert [(link.get(qn("w:anchor")), link.get(qn("w:history"))) for link in links] == [
        ("rubric", "1"),
        ("rubric_1", "1"),
        ("caf_", "1"),  # markdown-it percent-encodes the href; the heading's slug keeps the é
    ]
    assert all(link.get(qn("r:id")) is None for link in links)
    assert not [rel for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert docx_blocks(data)[1] == [
        ("the rubric", "#rubric"),
        ("the second rubric", "#rubric-1"),
        ("the café", "#café"),
    ]
    assert markdown_blocks(LINKED)[1][3] == ("the café", "#café")


def test_a_link_to_an_anchor_no_heading_has_is_plain_text(templates: Path) -> None:
    body = docx.Document(io.BytesIO(DocxWriter(templates).write(LINKED, META))).element.body
    paragraph = next(p for p in body.iterchildren(qn("w:p")) if "nowhere" in _plain(p))
    plain = [run for run in paragraph.iterchildren(qn("w:r")) if _plain(run) == "nowhere"]
    assert len(plain) == 1 and plain[0].find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is None  # not styled as a link
    assert [_plain(link) for link in paragraph.iter(qn("w:hyperlink"))] == ["the rubric", "the second rubric"]


def test_a_bookmark_wraps_the_runs_of_its_heading(templates: Path) -> None:
    body = docx.Document(io.BytesIO(DocxWriter(templates).write(LINKED, META))).element.body
    for heading in [p for p in body.iterchildren(qn("w:p")) if p.find(f".//{qn('w:bookmarkStart')}") is not None]:
        children = [child.tag for child in heading]
        assert children[:2] == [qn("w:pPr"), qn("w:bookmarkStart")]
        assert children[-1] == qn("w:bookmarkEnd") and qn("w:r") in children
        assert heading[1].get(qn("w:id")) == heading[-1].get(qn("w:id"))
    assert _bookmarks(body)[-1] == ("3", "h_2_caf_")  # a bookmark starts with a letter


@pytest.mark.parametrize(
    ("slug", "taken", "name"),
    [
        ("stage-1-recruiter-screen", [], "stage_1_recruiter_screen"),
        ("1-intro", [], "h_1_intro"),
        ("", [], "h_"),
        ("a-b", ["a_b"], "a_b_7"),
        ("a-b", ["a_b", "a_b_7"], "a_b_8"),
        ("sprint-estimation-and-backlog-refinement-supporting", [], "sprint_estimation_and_backlog_refinement"),
        ("sprint-estimation-and-backlog-refinement-core", ["sprint_estimation_and_backlog_refinement"],
         "sprint_estimation_and_backlog_refineme_7"),
    ],
)  # fmt: skip
def test_a_bookmark_name_is_what_word_accepts_and_unique(slug: str, taken: list[str], name: str) -> None:
    assert bookmark_name(slug, 7, taken) == name  # the 8th heading, numbered from 0 like the bookmark ids
    assert len(name) <= 40 and name[0].isalpha()


def test_body_paragraphs_carry_body_text_cells_compact_and_quotes_quote(templates: Path) -> None:
    document = docx.Document(io.BytesIO(DocxWriter(templates).write(SAMPLE, META)))
    styles = {p.text: p.style.style_id for p in document.paragraphs if p.text}
    assert styles["Between the lists."] == "BodyText"
    assert styles["A quoted question?"] == "Quote"
    cells = [p for table in document.tables for cell in table._cells for p in cell.paragraphs]
    assert cells and {p.style.style_id for p in cells} == {"Compact"}


def test_a_reference_document_without_body_text_or_compact_still_writes_and_gets_both(templates: Path) -> None:
    reference = docx.Document(templates / "reference.docx")
    for style_id in ("BodyText", "Compact"):
        style = reference.styles.get_by_id(style_id, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        assert style.style_id == style_id  # the shipped reference has both
        style.element.getparent().remove(style.element)
    reference.save(templates / "reference.docx")
    data = DocxWriter(templates).write(SAMPLE, META)
    assert docx_blocks(data) == markdown_blocks(SAMPLE)
    styles = docx.Document(io.BytesIO(data)).styles
    body = styles.get_by_id("BodyText", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    compact = styles.get_by_id("Compact", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    assert (body.name, body.base_style.style_id) == ("Body Text", "Normal")
    assert (compact.name, compact.base_style.style_id) == ("Compact", "Normal")
    assert compact.paragraph_format.space_before == compact.paragraph_format.space_after == 0


def test_a_label_has_more_space_before_it_than_after_it(templates: Path) -> None:
    markdown = "# T\n\nIntro.\n\nFirst:\n\n- a\n\nLabel:\n\n- b\n\n## H\n\nUnder a heading:\n\n- c\n"
    body = docx.Document(io.BytesIO(DocxWriter(templates).write(markdown, META))).element.body
    spacing = {
        _plain(p): {k.split("}")[1]: int(v) for k, v in s.attrib.items()}
        for p in body.iterchildren(qn("w:p"))
        if (s := p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")) is not None
    }
    assert spacing["Label:"]["before"] > spacing["Label:"]["after"]
    assert spacing["First:"] == spacing["Label:"]
    assert spacing["Under a heading:"] == {"after": spacing["Label:"]["after"]}  # the heading sets it apart
    assert "Intro." not in spacing
