"""Templates and the reference DOCX cannot make jdgen hang, exhaust memory or crash: each limit ends
in one located line and exit 1 (run in a child process, with a timeout to prove it ends), and a
reference DOCX cannot carry a link to the outside into the outputs."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

POSTING = "templates/posting.md.j2"
#: Reports the peak memory of the command it runs (in kB), after the command's own output.
PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)
EVIL = "evil.example"


def _jdgen(workspace: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--workspace", str(workspace), "build", "coordinator", *args]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a child process; the timeout proves that it ends."""
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=cwd)


def _assert_one_located_line(result: subprocess.CompletedProcess[str], pattern: str, workspace: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert re.search(pattern, result.stderr), result.stderr
    assert not (workspace / "out").exists()


def _prepend(workspace: Path, text: str) -> None:
    path = workspace / POSTING
    path.write_text(text + path.read_text())


CASES = {
    "nested range loops with no output": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        r"^templates/posting\.md\.j2:1: the template does more than 1,000,000 steps of work",
    ),
    "calls that double at every level": (
        "{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% endif %}{% endmacro %}\n"
        "{{ twice(60) }}\n",
        r"^templates/posting\.md\.j2:1: the template does more than 1,000,000 steps",
    ),
    "a huge string multiplication": (
        "{{ 'x' * 1000000000000 }}\n",
        r"^templates/posting\.md\.j2:1: '\*' would make a text or list longer than 1,000,000 characters or items",
    ),
    "a huge power": (
        "# {{ 7 ** 123456789 }}\n",
        r"^templates/posting\.md\.j2:1: the number would have more than 10,000 bits",
    ),
    "output past the limit from a loop": (
        "\n{% for i in range(100000) %}{{ 'y' * 99 }}\n{% endfor %}\n",
        r"^templates/posting\.md\.j2:2: the document would be longer than 5,000,000 characters",
    ),
    "a value doubled until memory runs out": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n",
        r"^templates/posting\.md\.j2:1: the template needs more than 512 MB of memory to render",
    ),
    "a recursive include": (
        "\n\n{% include 'posting.md.j2' %}\n",
        r"^templates/posting\.md\.j2:3: the template includes or calls itself without end",
    ),
    "a recursive macro": (
        "{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}\n",
        r"^templates/posting\.md\.j2:1: the template includes or calls itself without end",
    ),
    "a missing include": (
        "# Title\n\n{% include 'footer.md.j2' %}\n",
        r"^templates/posting\.md\.j2:3: \{% include 'footer\.md\.j2' %\}: templates/footer\.md\.j2 does not exist; "
        r"create it or fix the name$",
    ),
    "an include that leaves the templates folder": (
        "{% include '../jdgen.yaml' %}\n",
        r"^templates/posting\.md\.j2:1: \{% include '\.\./jdgen\.yaml' %\}: '\.\./jdgen\.yaml' points outside",
    ),
    "a value given as the template to extend": (
        "{% extends posting %}\n",
        r"^templates/posting\.md\.j2:1: \{% extends posting %\}: needs the name of a template in quotes",
    ),
    "an include of nothing": (
        "# Title\n{% include [] %}\n",
        r"^templates/posting\.md\.j2:2: \{% include \[\] %\}: needs the name of a template in quotes",
    ),
    "a division by zero": (
        "{{ 1 / 0 }}\n",
        r"^templates/posting\.md\.j2:1: the template cannot compute a value: division by zero$",
    ),
    "a control character no document can hold": (
        "# Title \x07\n",
        r"^templates/posting\.md\.j2: the rendered document holds the control character U\+0007 \(line 1 ",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_template_past_a_limit_is_stopped_with_one_located_line(name: str, minimal: Path) -> None:
    if name.startswith("a value doubled") and not Path("/proc/self/statm").exists():
        pytest.skip("the memory cap needs Linux's /proc")
    text, pattern = CASES[name]
    _prepend(minimal, text)
    _assert_one_located_line(_run(_jdgen(minimal), minimal), pattern, minimal)


def test_a_slow_render_is_stopped_by_the_clock_and_the_clock_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resource
    import signal

    from generator import sandbox
    from generator.errors import TemplateError
    from generator.render import Renderer

    (tmp_path / "templates").mkdir()
    # within the step budget, but far slower than the tiny limit this test sets
    slow = "# Slow\n\n{% for i in range(80000) %}{% for c in 'abcdefghij' %}{% endfor %}{% endfor %}\n"
    (tmp_path / "templates/t.md.j2").write_text(slow)
    renderer = Renderer(tmp_path)
    renderer.env.get_template("t.md.j2")  # compiled now, so the clock runs out while it renders
    monkeypatch.setattr(sandbox, "MAX_RENDER_SECONDS", 0.001)
    handler = signal.getsignal(signal.SIGALRM)
    address_space = resource.getrlimit(resource.RLIMIT_AS)

    with pytest.raises(TemplateError, match=r"^templates/t\.md\.j2:3: the template took longer than 0\.001 seconds"):
        renderer.render("t.md.j2")

    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert resource.getrlimit(resource.RLIMIT_AS) == address_space


def test_an_include_inside_the_templates_folder_still_works(minimal: Path) -> None:
    (minimal / "templates/footer.md.j2").write_text("Footer for {{ posting.title }}.\n")
    path = minimal / POSTING
    path.write_text(path.read_text() + "\n{% include 'footer.md.j2' %}\n")
    result = _run(_jdgen(minimal, "--format", "md"), minimal)
    assert result.returncode == 0, result.stderr
    assert "Footer for " in (minimal / "out/coordinator/posting.md").read_text()


def _reference(path: Path, extra: dict[str, str | bytes] | None = None, edit=None) -> None:
    """Write the shipped reference document with parts added and parts edited by `edit(name, text)`."""
    source = zipfile.ZipFile(REPO / "templates/reference.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if edit is not None:
                data = edit(entry.filename, data.decode()).encode()
            target.writestr(entry.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)


def _zeros_member(path: Path, name: str, megabytes: int) -> None:
    """Append a member of zeros, streamed, so building it takes little memory."""
    block = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name, "w", force_zip64=True) as f,
    ):
        for _ in range(megabytes):
            f.write(block)


@pytest.mark.parametrize(
    ("member", "megabytes", "pattern"),
    [
        (
            "word/media/zeros.bin",
            1024,
            r"the document inflates to 1,07\d MB; reference documents are limited to 100 MB",
        ),
        ("word/media/zeros.bin", 60, r"the part word/media/zeros\.bin is compressed [\d,]+ to 1, more than any real"),
        ("word/glossary.xml", 12, r"the part word/glossary\.xml is 12\.6 MB of XML; a reference document's parts are"),
    ],
)
def test_a_zip_bomb_reference_docx_is_refused_before_it_inflates(
    member: str, megabytes: int, pattern: str, minimal: Path
) -> None:
    reference = minimal / "templates/reference.docx"
    _reference(reference)
    _zeros_member(reference, member, megabytes)
    assert reference.stat().st_size < 5_000_000  # the bomb is small; only inflating it would be huge
    result = _run([sys.executable, "-c", PEAK_RSS, *_jdgen(minimal, "--format", "docx")], minimal)
    *output, peak_kb = result.stdout.splitlines()
    result.stdout = "\n".join(output)
    _assert_one_located_line(result, rf"^templates/reference\.docx: {pattern}", minimal)
    assert int(peak_kb) < 300_000


def test_an_xml_part_named_like_something_else_is_held_to_the_xml_limit(minimal: Path) -> None:
    # python-docx parses a part by the content type [Content_Types].xml gives it, not by its name
    def declare(name: str, text: str) -> str:
        if name != "[Content_Types].xml":
            return text
        override = (
            '<Override PartName="/word/styles.dat" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        )
        return text.replace("</Types>", override + "</Types>")

    reference = minimal / "templates/reference.docx"
    _reference(reference, {"word/styles.dat": os.urandom(6 << 20).hex()}, edit=declare)
    result = _run(_jdgen(minimal, "--format", "docx"), minimal)
    _assert_one_located_line(
        result, r"^templates/reference\.docx: the part word/styles\.dat is 12\.6 MB of XML; a reference", minimal
    )


def test_a_reference_docx_with_too_many_parts_is_refused(minimal: Path) -> None:
    reference = minimal / "templates/reference.docx"
    _reference(reference, {f"customXml/item{n}.xml": "<a/>" for n in range(1001)})
    result = _run(_jdgen(minimal, "--format", "docx"), minimal)
    _assert_one_located_line(result, r"^templates/reference\.docx: the document has more than 1,000 parts", minimal)


def _attach_evil_template(name: str, text: str) -> str:
    if name == "word/settings.xml":
        return text.replace("<w:zoom ", '<w:attachedTemplate r:id="rIdEvil"/><w:zoom ', 1)
    if name == "word/document.xml":  # the reference's own body, with a link, must not reach the outputs
        body = '<w:p><w:hyperlink r:id="rIdEvil"><w:r><w:t>Sample text</w:t></w:r></w:hyperlink></w:p>'
        return text.replace("<w:body>", "<w:body>" + body, 1)
    if name == "word/_rels/document.xml.rels":
        link = (
            '<Relationship Id="rIdEvil" TargetMode="External" Target="https://evil.example/body" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
        )
        return text.replace("</Relationships>", link + "</Relationships>")
    return text


SETTINGS_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdEvil" TargetMode="External" Target="https://evil.example/t.dotm" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
    "</Relationships>"
)


def test_external_links_in_the_reference_docx_reach_no_output(minimal: Path) -> None:
    reference = minimal / "templates/reference.docx"
    _reference(reference, {"word/_rels/settings.xml.rels": SETTINGS_RELS}, _attach_evil_template)
    assert EVIL.encode() in _inflated(reference.read_bytes())  # the test document does carry the links

    result = _run(_jdgen(minimal, "--format", "docx"), minimal)

    assert result.returncode == 0, result.stderr
    outputs = sorted((minimal / "out").rglob("*.docx"))
    assert len(outputs) == 3
    for output in outputs:
        every_part = _inflated(output.read_bytes())
        assert EVIL.encode() not in every_part, output.name
        assert b"Sample text" not in every_part, output.name
    # jdgen's own links are still there
    assert b"https://fixture.example.com/jobs/coordinator" in _inflated(
        (minimal / "out/coordinator/posting.docx").read_bytes()
    )


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    f'xmlns:r="{_R}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    "<w:p><w:r><w:t>Replaced by the title</w:t></w:r></w:p>"
    '<w:p><w:hyperlink r:id="rIdEvil"><w:r><w:t>Visit us</w:t></w:r></w:hyperlink></w:p>{extra}</w:hdr>'
)


def _header_rels(image: bool) -> str:
    picture = (
        f'<Relationship Id="rIdPic" Type="{_R}/image" Target="https://evil.example/logo.png" TargetMode="External"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdEvil" Type="{_R}/hyperlink" Target="https://evil.example/" TargetMode="External"/>'
        f"{picture if image else ''}</Relationships>"
    )


def _wire_header(name: str, text: str) -> str:
    """Make the reference's section use word/header1.xml, as Word does for a header."""
    if name == "word/document.xml":
        return text.replace("<w:pgSz ", '<w:headerReference w:type="default" r:id="rIdHeader"/><w:pgSz ', 1)
    if name == "word/_rels/document.xml.rels":
        header = f'<Relationship Id="rIdHeader" Type="{_R}/header" Target="header1.xml"/>'
        return text.replace("</Relationships>", header + "</Relationships>")
    if name == "[Content_Types].xml":
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
        return text.replace("</Types>", f'<Override PartName="/word/header1.xml" ContentType="{kind}"/></Types>')
    return text


def test_a_link_in_the_reference_header_is_removed_and_its_text_kept(minimal: Path) -> None:
    parts = {"word/header1.xml": HEADER.format(extra=""), "word/_rels/header1.xml.rels": _header_rels(image=False)}
    _reference(minimal / "templates/reference.docx", parts, _wire_header)

    result = _run(_jdgen(minimal, "--format", "docx"), minimal)

    assert result.returncode == 0, result.stderr
    posting = _inflated((minimal / "out/coordinator/posting.docx").read_bytes())
    assert b"Visit us" in posting
    assert EVIL.encode() not in posting


def test_a_linked_picture_in_the_reference_is_refused_naming_its_part(minimal: Path) -> None:
    picture = '<w:p><w:r><w:drawing><a:blip r:link="rIdPic"/></w:drawing></w:r></w:p>'
    parts = {"word/header1.xml": HEADER.format(extra=picture), "word/_rels/header1.xml.rels": _header_rels(image=True)}
    _reference(minimal / "templates/reference.docx", parts, _wire_header)
    result = _run(_jdgen(minimal, "--format", "docx"), minimal)
    pattern = (
        r"^templates/reference\.docx: word/header1\.xml holds a linked picture that points outside the document; "
        r"in Word, remove it or insert it embedded instead"
    )
    _assert_one_located_line(result, pattern, minimal)


def _inflated(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_the_shipped_reference_docx_passes_unchanged(tmp_path: Path) -> None:
    from generator.docx_reference import read_reference

    shipped = tmp_path / "templates/reference.docx"
    shipped.parent.mkdir()
    shutil.copy(REPO / "templates/reference.docx", shipped)
    assert read_reference(shipped, tmp_path, "templates/reference.docx") == shipped.read_bytes()


def _docx_jobs(count: int) -> list:
    from generator.docx_writer import DocxMeta

    meta = DocxMeta(title="T", subject="Job posting", author="A", keywords="k", template="templates/t.md.j2")
    return [("# Title\n", meta)] * count


@pytest.mark.parametrize("count", [1, 20], ids=["in this process", "in worker processes"])
def test_running_out_of_memory_writing_docx_is_a_located_line(
    count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.docx_batch import write_docx_batch
    from generator.docx_writer import DocxWriter
    from generator.errors import TemplateError

    def exhausted(self, markdown, meta):
        raise MemoryError

    monkeypatch.setattr(DocxWriter, "write", exhausted)
    with pytest.raises(TemplateError, match=r"^templates/t\.md\.j2: ran out of memory writing this document as DOCX"):
        write_docx_batch(tmp_path, None, _docx_jobs(count))


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs two cores for workers"
)
def test_a_docx_worker_that_is_killed_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.docx_batch import write_docx_batch
    from generator.docx_writer import DocxWriter
    from generator.errors import JdgenError

    parent = os.getpid()

    def killed(self, markdown, meta):
        if os.getpid() != parent:  # only ever a worker: the system's OOM killer does this
            os._exit(9)
        raise AssertionError("a large batch is written in workers")

    monkeypatch.setattr(DocxWriter, "write", killed)
    with pytest.raises(JdgenError, match=r"^jdgen: a process writing DOCX files stopped unexpectedly"):
        write_docx_batch(tmp_path, None, _docx_jobs(20))
