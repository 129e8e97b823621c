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

from generator.docx_writer import DocxMeta, DocxWriter
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
