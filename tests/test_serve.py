"""`jdgen serve`: a real server process on 127.0.0.1, read with a real HTTP client; every wait has a timeout."""

from __future__ import annotations

import contextlib
import html
import http.client
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from browser import dump_dom, needs_chromium
from conftest import REPO, copy_builtin, edit_file, tree_digest

from generator.cli import cli

pytest.importorskip("starlette", reason="jdgen serve needs the serve extra: pip install 'jdgen[serve]'")

ENV = {**{k: v for k, v in os.environ.items() if k != "JDGEN_WORKSPACE"}, "PYTHONPATH": str(REPO)}
TPM = "competencies/roles/tpm.yaml"
#: Seconds a server may take to answer its first request, and a change to show on a page.
STARTUP_SECONDS = 20
CHANGE_SECONDS = 15


@dataclass
class Server:
    """A `jdgen serve` process and where it listens."""

    process: subprocess.Popen
    port: int
    root: Path
    log_dir: Path

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """Return the status and text of GET `path`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def poll(self, path: str, done: Callable[[int, str], bool], seconds: float = CHANGE_SECONDS) -> tuple[int, str]:
        """GET `path` until `done(status, text)`; fail after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            status, text = self.get(path)
            if done(status, text):
                return status, text
            if time.monotonic() > deadline:
                pytest.fail(f"{path} still {status} after {seconds} s:\n{text[:3000]}")
            time.sleep(0.1)

    def output(self) -> tuple[str, str]:
        """Return what the server printed so far: standard output, standard error."""
        return (self.log_dir / "stdout").read_text(), (self.log_dir / "stderr").read_text()


def free_port() -> int:
    """Return a port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(root: Path, log_dir: Path, *args: str) -> Iterator[Server]:
    """Run `jdgen serve` on a free port until it answers; stop it (Ctrl-C, then kill) whatever happens."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "generator", "--workspace", str(root), "serve", "--port", str(port), *args]
    with (log_dir / "stdout").open("w") as out, (log_dir / "stderr").open("w") as err:
        process = subprocess.Popen(command, env=ENV, stdout=out, stderr=err, cwd=log_dir)
    server = Server(process, port, root, log_dir)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"jdgen serve ended with {process.returncode}: {server.output()}")
            try:
                server.get("/events-probe")  # any answer will do: a 404 page is an answer
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"jdgen serve did not answer within {STARTUP_SECONDS} s: {server.output()}")
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in workspace that the module's shared server previews and no test edits."""
    return copy_builtin(tmp_path_factory.mktemp("served") / "ws")


@pytest.fixture(scope="module")
def untouched(workspace: Path) -> dict[str, str]:
    """The shared workspace's files before the server starts."""
    return tree_digest(workspace)


@pytest.fixture(scope="module")
def server(workspace: Path, untouched: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read."""
    with serving(workspace, tmp_path_factory.mktemp("logs")) as running:
        yield running


@pytest.fixture
def editable(tmp_path: Path) -> Iterator[Server]:
    """A server of its own over a copy the test may edit."""
    with serving(copy_builtin(tmp_path / "ws"), tmp_path / "logs") as running:
        yield running


def _role_data(root: Path) -> dict:
    return yaml.safe_load((root / TPM).read_text())


def _line_of(root: Path, rel: str, text: str) -> int:
    """Return the 1-based line of the first line of `rel` holding `text`."""
    return next(n for n, line in enumerate((root / rel).read_text().splitlines(), 1) if text in line)


def _main(page: str) -> str:
    return page.split("<main>", 1)[1].split("</main>", 1)[0]


def test_the_overview_lists_the_tpm_role_its_postings_and_their_status(server: Server) -> None:
    status, page = server.get("/")
    assert status == 200
    assert "Technical Project Manager <code>tpm</code>" in page
    # every level × place, named as build --all (--level) names their folders
    for level, place, folder in (("mid", "columbus", "tpm/columbus"), ("senior", "new-york", "tpm-senior/new-york")):
        assert f'<a href="/role/tpm/posting?level={level}&amp;place={place}">{folder}</a>' in page
    assert '<a href="/role/tpm/kit?level=mid">kit</a>' in page
    row = next(line for line in page.splitlines() if 'place=new-york">tpm/new-york<' in line)
    assert "0 errors, 0 warnings" in row
    assert "meets New York Labor Law" in row  # laws_report's verdict for the place


def test_the_posting_page_is_the_html_build_page_with_the_preview_around_it(server: Server, runner, tmp_path) -> None:
    status, page = server.get("/role/tpm/posting")
    assert status == 200
    title = _role_data(server.root)["title"]
    summary_start = " ".join(_role_data(server.root)["summary"].split()[:6])
    assert f"<h1>{title}</h1>" in page and summary_start in page
    assert '<script type="application/ld+json">' in page
    assert 'new EventSource("/events?since=' in page
    assert '<section class="jdgen-findings"' in page
    # the same page template and Markdown → HTML as `jdgen build --format html`
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["--workspace", str(server.root), "build", "tpm", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    built = (out / "tpm/columbus/posting.html").read_text()
    served = re.sub(r"<style>.*?</style>\n|<nav class=\"jdgen-preview\".*?</nav>\n", "", _main(page), flags=re.S)
    served = re.sub(r'<section class="jdgen-findings".*?</section>\n|<script>.*?</script>\n', "", served, flags=re.S)
    assert served == _main(built)
    assert (
        page.split("<main>")[0].replace(
            '<nav class="back" aria-label="Back"><a href="/">All open roles</a></nav>\n', ""
        )
        == built.split("<main>")[0]
    )


def test_the_kit_and_guide_show_the_stages(server: Server) -> None:
    stage = _role_data(server.root)["interview_loop"][0]["name"]
    for page_name in ("kit", "guide"):
        status, page = server.get(f"/role/tpm/{page_name}")
        assert status == 200 and stage in page, page_name
    assert server.get("/role/technical-pm/kit")[0] == 200  # an alias is a name of the role


def test_an_unknown_role_level_or_place_is_a_404_page_naming_it(server: Server) -> None:
    status, page = server.get("/role/tmp/posting")
    assert status == 404
    assert "No role in this workspace is called 'tmp' (did you mean 'tpm'?)." in html.unescape(page)
    assert '<a href="/">' in page
    assert "has no level 'zzz'" in html.unescape(server.get("/role/tpm/posting?level=zzz")[1])
    assert "not posted in 'mars'" in html.unescape(server.get("/role/tpm/posting?place=mars")[1])
    assert server.get("/role/tpm/resume")[0] == 404


def test_hostile_addresses_get_a_short_404_and_the_server_keeps_serving(server: Server) -> None:
    status, page = server.get("/role/..%2F..%2Fetc%2Fpasswd/posting")
    assert status == 404 and "root:" not in page
    status, page = server.get("/role/%3Cscript%3Ealert(1)%3C%2Fscript%3E/kit")
    assert status == 404 and "<script>alert" not in page
    status, page = server.get("/role/tpm/posting?level=" + "a" * 12_000)
    assert status in (400, 404, 414, 431) and len(page) < 10_000
    assert server.get("/")[0] == 200


def test_only_this_machine_can_connect(server: Server) -> None:
    stdout, _ = server.output()
    assert f"at http://127.0.0.1:{server.port}/" in stdout
    proc_net = Path("/proc/net/tcp")
    if proc_net.exists():
        listening = [
            line.split()[1]
            for table in ("tcp", "tcp6")
            if (proc_net.parent / table).exists()
            for line in (proc_net.parent / table).read_text().splitlines()[1:]
            if line.split()[3] == "0A" and int(line.split()[1].rsplit(":", 1)[1], 16) == server.port
        ]
        assert listening == [f"0100007F:{server.port:04X}"]  # 127.0.0.1 only, in /proc's byte order
    for address in _other_addresses():
        with pytest.raises(OSError), socket.create_connection((address, server.port), timeout=3):
            pass


def _other_addresses() -> set[str]:
    """Return this machine's IPv4 addresses other than loopback: its name's, and the one it would route out on."""
    found = set()
    with contextlib.suppress(OSError):
        found |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # a UDP "connection" only picks the route; nothing is sent
        found.add(probe.getsockname()[0])
    return {address for address in found if not ipaddress.ip_address(address).is_loopback}


def test_a_request_naming_another_host_is_refused(server: Server) -> None:
    assert server.get("/", host="evil.example")[0] == 400
    assert server.get("/", host=f"evil.example:{server.port}")[0] == 400
    assert server.get("/", host=f"localhost:{server.port}")[0] == 200


@needs_chromium("the page is not loaded in a browser")
def test_a_browser_shows_the_posting(server: Server, tmp_path: Path) -> None:
    dom = dump_dom(f"http://127.0.0.1:{server.port}/role/tpm/posting", tmp_path / "profile")
    assert f"<h1>{_role_data(server.root)['title']}</h1>" in dom


def test_nothing_is_written_to_the_workspace(server: Server, workspace: Path, untouched: dict[str, str]) -> None:
    for path in ("/", "/role/tpm/posting", "/role/tpm/kit", "/role/tpm/guide", "/role/pm/posting?level=senior"):
        assert server.get(path)[0] == 200
    assert tree_digest(workspace) == untouched
    assert not (workspace / "out").exists()


def test_a_saved_edit_shows_without_a_restart_and_the_last_of_two_quick_saves_wins(editable: Server) -> None:
    assert editable.get("/role/tpm/posting")[0] == 200
    edit_file(editable.root, TPM, "Some client projects take us onto new platforms.", "We try quantum platforms.")
    edit_file(editable.root, TPM, "We try quantum platforms.", "We try lunar platforms.")
    _, page = editable.poll("/role/tpm/posting", lambda status, text: "We try lunar platforms." in text)
    assert "quantum" not in page


def test_lint_findings_are_listed_with_file_line_and_marked_in_the_text(editable: Server) -> None:
    edit_file(editable.root, TPM, "You steer that work", "You steer that work like a rockstar")
    _, page = editable.poll("/role/tpm/posting", lambda status, text: "<mark" in text)
    line = _line_of(editable.root, TPM, "summary:")  # a finding points at the field
    assert f"competencies/roles/tpm.yaml:{line} summary: warning [joke-title] &#x27;rockstar&#x27;" in page
    mark = re.search(r'<mark class="jdgen-warning" title="([^"]*)">rockstar</mark>', page)
    assert mark and "joke job title" in mark.group(1)
    assert "1 warning" in editable.get("/")[1]


def test_invalid_yaml_shows_where_and_fixing_it_brings_the_page_back(editable: Server) -> None:
    original = (editable.root / TPM).read_text()
    edit_file(editable.root, TPM, "title: Technical Project Manager\n", "title: [Technical Project Manager\n")
    status, page = editable.poll("/role/tpm/posting", lambda status, text: "YAML syntax error" in text)
    assert status == 500 and "competencies/roles/tpm.yaml:1: YAML syntax error" in page
    assert "Traceback" not in page
    assert "YAML syntax error" in editable.get("/")[1]  # every page says so
    (editable.root / TPM).write_text(original)
    editable.poll("/role/tpm/posting", lambda status, text: status == 200)


def test_an_unknown_competency_shows_file_line_and_message_until_fixed(editable: Server) -> None:
    line = _line_of(editable.root, TPM, "{id: plans-projects, emphasis: core}")
    edit_file(editable.root, TPM, "{id: plans-projects, emphasis: core}", "{id: plan-projects, emphasis: core}")
    _, page = editable.poll("/role/tpm/kit", lambda status, text: "unknown competency" in text)
    expected = (
        f"competencies/roles/tpm.yaml:{line}: unknown competency 'plan-projects' (did you mean 'plans-projects'?)"
    )
    assert expected in html.unescape(page)
    edit_file(editable.root, TPM, "{id: plan-projects, emphasis: core}", "{id: plans-projects, emphasis: core}")
    editable.poll("/role/tpm/kit", lambda status, text: status == 200)


def test_a_file_deleted_while_serving_is_a_problem_until_it_is_back(editable: Server) -> None:
    saved = (editable.root / "jdgen.yaml").read_bytes()
    (editable.root / "jdgen.yaml").unlink()
    status, _ = editable.poll("/", lambda status, text: "no jdgen.yaml there" in text)
    assert status == 500  # still this workspace, never the built-in one found instead
    (editable.root / "jdgen.yaml").write_bytes(saved)
    editable.poll("/", lambda status, text: status == 200)


def test_the_event_stream_sends_a_change_after_a_save(editable: Server) -> None:
    token = re.search(r"/events\?since=([\w-]+)", editable.get("/role/tpm/posting")[1]).group(1)
    connection = http.client.HTTPConnection("127.0.0.1", editable.port, timeout=CHANGE_SECONDS)
    try:
        connection.request("GET", f"/events?since={token}")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")
        assert response.readline() == b"retry: 1000\n"  # the stream is open; nothing has changed
        edit_file(editable.root, TPM, "Some client projects", "Some new client projects")
        lines = [response.readline() for _ in range(3)]  # a timeout here fails the test
    finally:
        connection.close()
    assert b"event: change\n" in lines
    assert editable.poll("/role/tpm/posting", lambda status, text: "Some new client projects" in text)


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    with serving(copy_builtin(tmp_path / "ws"), tmp_path / "logs") as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        connection.request("GET", "/events?since=x")  # an open event stream must not hold the stop up
        connection.getresponse()
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=15) == 0
        connection.close()
        stdout, stderr = running.output()
    assert stdout.splitlines()[-1] == "stopped"
    assert "Traceback" not in stderr and "Aborted" not in stderr


def test_a_port_in_use_is_one_line_and_exit_1(builtin_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "generator", "--workspace", str(builtin_copy), "serve", "--port", str(port)]
        result = subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"jdgen: port {port} on 127.0.0.1 is in use; stop what uses it or choose another with --port"
    ]


def test_another_interface_only_when_asked_and_with_a_warning(tmp_path: Path) -> None:
    with serving(copy_builtin(tmp_path / "ws"), tmp_path / "logs", "--host", "0.0.0.0") as running:
        assert running.get("/", host=f"127.0.0.1:{running.port}")[0] == 200
        assert running.get("/", host="evil.example")[0] == 400
        _, stderr = running.output()
    assert "jdgen: warning: listening on 0.0.0.0; anyone on the network can read the preview" in stderr


def test_without_the_extra_the_command_says_how_to_install_it(runner, builtin_copy: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "serve"])
    assert result.exit_code == 2
    assert "pip install 'jdgen[serve]'" in result.stderr


def test_jdgen_help_loads_no_part_of_the_web_stack() -> None:
    code = (
        "import sys\nfrom generator.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'watchfiles', 'anyio')))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]"


def test_findings_are_marked_in_text_only_and_never_across_tags() -> None:
    from generator.lint import Finding
    from generator.serve_pages import mark_findings

    def finding(match: str, context: str) -> Finding:
        return Finding("joke-title", "warning", "joke", "fix", TPM, 6, "summary", match, context)

    body = '<p>A <a href="/ninja">ninja</a> &amp; a <em>rock</em>star ninja.</p>\n'
    marked = mark_findings(body, [finding("ninja", "a rockstar ninja."), finding("rockstar", "a rockstar ninja.")])
    assert marked.count("<mark") == 1  # 'rockstar' runs across </em>: left alone
    assert '<a href="/ninja">ninja</a> &amp; a <em>rock</em>star <mark class="jdgen-warning"' in marked
    # no context found on the page: every occurrence, in text only
    assert mark_findings(body, [finding("ninja", "elsewhere")]).count("<mark") == 2
