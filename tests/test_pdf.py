"""PDF: posting, kit and guide printed from their pages; fillable scorecards; tagged; reproducible; optional."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_builtin

from generator.cli import cli
from generator.html_writer import markdown_to_html
from generator.pdf_writer import ScorecardForm, print_body
from generator.pipeline import render_role
from generator.render import Renderer
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

try:
    import pypdf
    import weasyprint  # noqa: F401
except (ImportError, OSError):  # OSError: WeasyPrint is installed but the Pango library is not
    HAVE_PDF = False
else:
    HAVE_PDF = True

# .ci/run installs the PDF extra with the test extra and sets JDGEN_REQUIRE_PDF, so CI never skips these
needs_pdf = pytest.mark.skipif(
    not HAVE_PDF and not os.environ.get("JDGEN_REQUIRE_PDF"),
    reason="WeasyPrint or pypdf is not installed (pip install -e '.[test]'; apt-get install libpango-1.0-0)",
)
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _build(runner: CliRunner, workspace: Path, *args: str, epoch: str | None = EPOCH):
    env = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    return runner.invoke(cli, ["--workspace", str(workspace), "build", *args], env=env)


@pytest.fixture(scope="module")
def tpm_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in TPM's PDFs, built once for this module."""
    workspace = copy_builtin(tmp_path_factory.mktemp("pdf") / "ws")
    result = _build(CliRunner(), workspace, "tpm", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return workspace


def _kit_view(workspace: Path):
    loaded = load_workspace(WorkspaceDirs(workspace, builtin=False))
    return render_role(loaded, Renderer(workspace), "tpm", "mid")[1].view


@needs_pdf
def test_build_tpm_writes_the_posting_kit_and_guide_as_pdf(tpm_pdfs: Path) -> None:
    out = tpm_pdfs / "out" / "tpm"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    # one posting per place the TPM is posted in, one kit and one guide
    assert written == [
        "candidate-guide.pdf",
        "columbus/posting.pdf",
        "interview-kit.pdf",
        "new-york/posting.pdf",
        "remote-us/posting.pdf",
    ]
    for name in written:
        assert (out / name).read_bytes().startswith(b"%PDF-")
    posting = pypdf.PdfReader(out / "columbus" / "posting.pdf")
    text = "".join(page.extract_text() for page in posting.pages)
    assert "Technical Project Manager" in text
    assert "$102,000 to $132,000 a year" in text
    guide = "".join(page.extract_text() for page in pypdf.PdfReader(out / "candidate-guide.pdf").pages)
    assert "Your interviews for the Technical Project Manager role" in guide
    assert "Evaluators' key" not in guide


@needs_pdf
def test_the_kit_s_text_can_be_searched_and_copied_whole(tpm_pdfs: Path) -> None:
    # Carlito's ligature glyphs ("ti", "tf") carried no text: "meeting" was found as "mee ng"
    kit = pypdf.PdfReader(tpm_pdfs / "out" / "tpm" / "interview-kit.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in kit.pages)
    for word in ("meetings", "new-platform projects", "at a time", "stakeholders", "first", "confirm"):
        assert word in text, word
    assert "mee ng" not in text and "pla orm" not in text


@needs_pdf
def test_every_competency_of_every_stage_has_a_rating_and_an_evidence_field(tpm_pdfs: Path) -> None:
    kit = _kit_view(tpm_pdfs)
    reader = pypdf.PdfReader(tpm_pdfs / "out" / "tpm" / "interview-kit.pdf")
    fields = reader.get_fields()
    expected = set()
    for stage in kit.stages:
        for block in stage.blocks:
            rating = fields[f"stage-{stage.number}-{block.id}-rating"]
            assert rating["/FT"] == "/Ch"  # a choice from the rating scale
            assert [option[1] for option in rating["/Opt"]] == ["", *(f"{s} {label}" for s, label in kit.scale)]
            assert rating["/TU"] == f"Stage {stage.number}, {block.name}: rating"
            evidence = fields[f"stage-{stage.number}-{block.id}-evidence"]
            assert evidence["/FT"] == "/Tx"
            assert evidence["/Ff"] & (1 << 12)  # multi-line
            expected |= {f"stage-{stage.number}-{block.id}-rating", f"stage-{stage.number}-{block.id}-evidence"}
        for name in ("interviewer", "date", "recommendation"):
            expected.add(f"stage-{stage.number}-{name}")
        recommendation = fields[f"stage-{stage.number}-recommendation"]
        assert [option[1] for option in recommendation["/Opt"]] == ["", "Strong no", "No", "Yes", "Strong yes"]
    assert set(fields) == expected
    assert len(kit.stages) == 5


@needs_pdf
def test_the_pdf_is_tagged_titled_in_its_language_with_fonts_embedded(tpm_pdfs: Path) -> None:
    for name in ("interview-kit.pdf", "columbus/posting.pdf", "candidate-guide.pdf"):
        reader = pypdf.PdfReader(tpm_pdfs / "out" / "tpm" / name)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en"
        assert root["/MarkInfo"]["/Marked"]
        assert "/StructTreeRoot" in root
        info = reader.metadata
        assert info.title.endswith("| Northwind Analytics")
        assert info.author == "Northwind Analytics"
        assert info["/CreationDate"].startswith("D:20260101000000")
        fonts = []
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                fonts.append(any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
        assert fonts and all(fonts), name


@needs_pdf
@pytest.mark.parametrize("epoch", [EPOCH, None])
def test_two_builds_give_identical_pdfs(builtin_copy: Path, runner: CliRunner, tmp_path: Path, epoch) -> None:
    outputs = []
    for run in ("first", "second"):
        result = _build(runner, builtin_copy, "tpm", "--format", "pdf", "--out", str(tmp_path / run), epoch=epoch)
        assert result.exit_code == 0, result.output
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in (tmp_path / run).rglob("*.pdf")})
    assert len(outputs[0]) == 5
    assert outputs[0] == outputs[1]


@needs_pdf
def test_a_template_cannot_make_the_pdf_read_files(builtin_copy: Path, runner: CliRunner, tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text('main::before { content: "LEAKED-SECRET"; }', encoding="utf-8")
    picture = tmp_path / "secret.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">LEAKED-PICTURE</text></svg>')
    page = builtin_copy / "templates" / "page.html.j2"
    text = page.read_text(encoding="utf-8").replace(
        "</head>", f'<link rel="stylesheet" href="file://{secret}">\n</head>'
    )
    text = text.replace("<main>", f'<main><img src="file://{picture}" alt="">')
    page.write_text(text, encoding="utf-8")
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf")
    assert result.exit_code == 0, result.output
    posting = pypdf.PdfReader(builtin_copy / "out" / "tpm" / "columbus" / "posting.pdf")
    text = "".join(p.extract_text() for p in posting.pages)
    assert "Technical Project Manager" in text
    assert "LEAKED" not in text
    assert "secret" not in result.output  # nor a word about what was refused


def test_without_the_extra_pdf_says_how_to_install_it(
    builtin_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf")
    assert result.exit_code == 2
    assert "pip install 'jdgen[pdf]'" in result.stderr
    assert "Traceback" not in result.output
    assert not (builtin_copy / "out").exists()


def test_a_scorecard_becomes_fields_and_labels_stay_with_their_lists() -> None:
    markdown = (
        "## Stage 1: Screen\n\nProbes:\n\n- one\n- two\n\n"
        "| Competency | Rating (1–4) | Evidence |\n|---|---|---|\n| Planning | | |\n| Renamed row | | |\n\n"
        "**Overall recommendation** (choose one): No · Yes\n\n"
        "| Part | Minutes |\n|---|---|\n| Intro | 5 |\n"
    )
    form = ScorecardForm(((1, (("plans", "Planning"),)),), ((1, "Poor"), (2, "Good")), ("No", "Yes"))
    body = print_body(markdown_to_html(markdown, heading_ids=True), form)
    assert '<p class="label">Probes:</p>' in body
    assert 'name="stage-1-plans-rating"' in body
    assert 'name="stage-1-plans-evidence"' in body
    assert 'name="stage-1-renamed-row-rating"' in body  # a row the kit does not name still gets a stable name
    assert '<option value="2">2 Good</option>' in body
    assert "<label>Overall recommendation<select" in body  # the label wraps its field
    assert "(choose one)" not in body  # the printed choice gives way to the field that makes it
    assert 'name="stage-1-interviewer"' in body and 'name="stage-1-date"' in body
    # only the scorecard becomes a form; the agenda stays a table
    assert body.count("<select") == 3  # two ratings and the recommendation
    assert body.count('class="scorecard together"') == 1
    assert '<ul class="together">\n<li>one</li>' in body  # a short list prints on one page
    long = print_body(markdown_to_html("".join(f"- item {n}\n" for n in range(9))))
    assert "together" not in long  # past eight items a list may break


two_cores = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs two cores for workers"
)


@needs_pdf
@two_cores
def test_pages_laid_out_on_workers_are_the_bytes_laid_out_here(
    builtin_copy: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import pdf_batch
    from generator import workers as worker_pool

    pids = tmp_path / "laid-out-by.txt"  # a file, since the workers' memory is their own
    write_pdf = pdf_batch.write_pdf

    def recording(page: str, meta):
        with pids.open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        return write_pdf(page, meta)

    def laid_out_by() -> list[int]:
        found = [int(pid) for pid in pids.read_text(encoding="utf-8").split()]
        pids.unlink()
        return found

    monkeypatch.setattr(pdf_batch, "write_pdf", recording)
    on_workers = _build(runner, builtin_copy, "tpm", "--format", "pdf", "--out", str(tmp_path / "workers"))
    assert on_workers.exit_code == 0, on_workers.output
    by_workers = laid_out_by()
    assert len(by_workers) == 5 and os.getpid() not in by_workers  # every page, none in this process
    monkeypatch.setattr(worker_pool, "cores", lambda: 1)
    here = _build(runner, builtin_copy, "tpm", "--format", "pdf", "--out", str(tmp_path / "here"))
    assert here.exit_code == 0, here.output
    assert laid_out_by() == [os.getpid()] * 5

    def pdfs(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}

    assert len(pdfs(tmp_path / "here")) == 5
    assert pdfs(tmp_path / "workers") == pdfs(tmp_path / "here")


@two_cores
def test_a_pdf_worker_that_is_killed_is_one_clear_line(
    builtin_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import pdf_batch

    parent = os.getpid()

    def killed(page: str, meta):
        if os.getpid() != parent:  # only ever a worker: the system's OOM killer does this
            os._exit(9)
        raise AssertionError("several pages are laid out on workers")

    monkeypatch.setattr(pdf_batch, "write_pdf", killed)
    monkeypatch.setattr("generator.formats.pdf._require", lambda: None)  # WeasyPrint itself is not needed here
    monkeypatch.setitem(sys.modules, "weasyprint", type(sys)("weasyprint"))
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "jdgen: a process writing PDF files stopped unexpectedly (out of memory?); nothing was written\n"
    )
    assert not (builtin_copy / "out").exists()


@needs_pdf
@pytest.mark.parametrize("cores", [1, 2], ids=["in this process", "in worker processes"])
def test_a_page_template_that_makes_layout_run_away_is_one_line_and_writes_nothing(
    cores: int, builtin_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import pdf_batch
    from generator import workers as worker_pool

    # pages 30 pixels square: WeasyPrint lays out hundreds of thousands of them, for hours
    page = builtin_copy / "templates" / "page.html.j2"
    squeeze = (
        "<style>@page { size: 30px 30px !important; margin: 0 !important } * { font-size: 20px !important }</style>"
    )
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", squeeze + "</head>"), encoding="utf-8")
    monkeypatch.setattr(pdf_batch, "MAX_PDF_SECONDS", 2)  # stands for the minute a real build allows
    monkeypatch.setattr(worker_pool, "cores", lambda: cores)
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf", "--location", "columbus")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"jdgen: laying out the PDF of '[A-Za-z' ]+' \(tpm, mid(, columbus)?\) took longer than 2 seconds; simplify "
        r"the page's template and styles \(templates/page\.html\.j2\)\n",
        result.stderr,
    ), result.stderr
    assert not (builtin_copy / "out").exists()


@needs_pdf
def test_a_page_nested_too_deeply_to_lay_out_is_one_line(builtin_copy: Path, runner: CliRunner) -> None:
    page = builtin_copy / "templates" / "page.html.j2"
    deep = "{% for i in range(3000) %}<div>{% endfor %}deep{% for i in range(3000) %}</div>{% endfor %}"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", deep + "</body>"), encoding="utf-8")
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf", "--location", "columbus")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "(tpm, mid, columbus) nests its elements too deeply to lay out; nest fewer in templates/page.html.j2\n"
    ), result.stderr
    assert not (builtin_copy / "out").exists()


@pytest.mark.parametrize("cores", [1, 2], ids=["in this process", "in worker processes"])
def test_running_out_of_memory_laying_out_a_pdf_is_one_line(
    cores: int, builtin_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import pdf_batch
    from generator import workers as worker_pool

    def exhausted(page: str, meta):
        raise MemoryError

    monkeypatch.setattr(pdf_batch, "write_pdf", exhausted)
    monkeypatch.setattr(worker_pool, "cores", lambda: cores)
    monkeypatch.setattr("generator.formats.pdf._require", lambda: None)
    monkeypatch.setitem(sys.modules, "weasyprint", type(sys)("weasyprint"))
    result = _build(runner, builtin_copy, "tpm", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith("jdgen: ran out of memory writing the PDF of '")
    assert result.stderr.endswith("); make it shorter\n")
    assert "(tpm, mid" in result.stderr  # which role and level
    assert not (builtin_copy / "out").exists()


def _children(pid: int) -> set[int]:
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            children.update(int(child) for child in (task / "children").read_text().split())
    return children


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # ended, waiting only to be reaped


@needs_pdf
@two_cores
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from Linux's /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_request_while_pages_are_laid_out_ends_the_workers_and_writes_nothing(
    signum: int, builtin_copy: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "--workspace", str(builtin_copy), "build", "tpm", "--format", "pdf"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and child.poll() is None and time.monotonic() < deadline:
            workers = _children(child.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the PDF workers never started"
        time.sleep(0.5)  # pages under way
        child.send_signal(signum)
        stderr = child.communicate(timeout=60)[1]
    finally:
        child.kill()
    assert child.returncode in {1, 128 + signum, -signum}, stderr
    assert "Traceback" not in stderr
    assert not (builtin_copy / "out").exists()
    deadline = time.monotonic() + 10
    while not all(map(_gone, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(map(_gone, workers)), "a PDF worker outlived the build"


@two_cores
def test_build_all_as_pdf_forks_the_pdf_workers_before_loading_the_workspace_and_only_once(
    builtin_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import pdf_batch, pipeline
    from generator import workers as worker_pool

    events: list[str] = []
    fork, load = worker_pool.fork_pool, pipeline.load_workspace
    monkeypatch.setattr(worker_pool, "fork_pool", lambda workers: events.append("fork") or fork(workers))
    monkeypatch.setattr(pipeline, "load_workspace", lambda dirs: events.append("load") or load(dirs))
    # no page is laid out for real: the order of the steps is what is checked here
    monkeypatch.setattr(pdf_batch, "write_pdf", lambda page, meta: b"%PDF-1.7 laid out\n")
    monkeypatch.setattr("generator.formats.pdf._require", lambda: None)
    monkeypatch.setitem(sys.modules, "weasyprint", type(sys)("weasyprint"))

    def build(*args: str) -> None:
        events.clear()
        result = _build(runner, builtin_copy, *args)
        assert result.exit_code == 0, result.output
        assert pdf_batch._EARLY.held is None

    build("--all", "--format", "pdf")
    assert events == ["fork", "load"]  # the build's pool adopted the early workers: no second fork
    assert (builtin_copy / "out" / "tpm" / "interview-kit.pdf").read_bytes() == b"%PDF-1.7 laid out\n"
    build("tpm", "--format", "pdf")
    assert events == ["load", "fork"]  # one role: forked when its pages are ready
    build("--all", "--format", "md")
    assert events == ["load"]  # no PDF asked for: no workers
