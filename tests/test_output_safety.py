"""out/ is jdgen's only where jdgen wrote: --clean, links, special files, --out, signals, two runs at once."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

from generator import outlock
from generator import output as output_module
from generator.cli import cli
from generator.errors import CommandLineError
from generator.manifest import MANIFEST_NAME
from generator.output import choose_out_dir
from generator.workspace import WorkspaceDirs

fcntl = pytest.importorskip("fcntl", reason="links, FIFOs, signals and flock are POSIX matters")

MD = ("--format", "md")
MD_HTML = ("--format", "md", "--format", "html")
#: Runs jdgen, saying "ready" as the build starts: a signal sent after that meets jdgen, not the start-up
#: of Python and click (a Ctrl-C there is theirs to report, before jdgen has run at all).
READY_THEN_MAIN = (
    "import sys, generator.pipeline as pipeline; from generator.cli import main; build = pipeline.build; "
    "pipeline.build = lambda *args: (print('ready', file=sys.stderr, flush=True), build(*args))[1]; main()"
)
#: Subprocesses import this checkout's jdgen.
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
JDGEN = (sys.executable, "-m", "generator")
WAITING = "jdgen: waiting for another jdgen run writing to out/…"


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder`, never following a link: files by sha256, links by target, the rest by kind."""
    entries: dict[str, str] = {}
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(parent, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                entries[path.relative_to(folder).as_posix()] = f"link to {path.readlink()}"
            elif stat.S_ISREG(mode):
                entries[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                entries[path.relative_to(folder).as_posix()] = "folder" if stat.S_ISDIR(mode) else "special"
    return entries


def _temps(folder: Path) -> list[str]:
    return [rel for rel in _snapshot(folder) if rel.endswith(".tmp")]


def _record(out: Path) -> dict[str, str]:
    return json.loads((out / MANIFEST_NAME).read_text())["files"]


def _assert_record_matches(out: Path) -> None:
    """Every file the record lists holds the bytes it says jdgen wrote."""
    for rel, sha in _record(out).items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha, rel


def _jdgen(runner, workspace: Path, *args: str):
    return runner.invoke(cli, ["--workspace", str(workspace), *args])


def _delete_planner(workspace: Path) -> None:
    (workspace / "competencies/roles/planner.yaml").unlink()
    role = workspace / "competencies/roles/coordinator.yaml"
    link = "differs_from:\n  - role: planner\n    how: A planner sets the plan; a coordinator keeps it moving.\n"
    role.write_text(role.read_text().replace(link, ""))


@pytest.fixture
def built(runner, minimal: Path, monkeypatch) -> Path:
    """The minimal workspace built with --all and compared, run from inside it so messages say out/…."""
    monkeypatch.chdir(minimal)
    assert _jdgen(runner, minimal, "build", "--all", *MD).exit_code == 0
    assert _jdgen(runner, minimal, "compare", "coordinator", "planner", *MD).exit_code == 0
    return minimal


# --clean deletes only what jdgen wrote


def test_clean_removes_a_deleted_roles_outputs_and_nothing_written_by_hand(runner, built: Path) -> None:
    out = built / "out"
    hand_made = {
        "careers-faq/posting.md": "# FAQ, written by hand\n",
        "compare/coordinator-vs-planner-annotated.pdf": "%PDF- notes on the comparison\n",
        "coordinator/recruiter-notes.md": "call back Tuesday\n",
    }
    for rel, text in hand_made.items():
        (out / rel).parent.mkdir(exist_ok=True)
        (out / rel).write_text(text)
    _delete_planner(built)
    before = _snapshot(out)

    result = _jdgen(runner, built, "build", "--all", *MD, "--clean")

    assert result.exit_code == 0, result.output
    removed = {line for line in result.stdout.splitlines() if line.startswith(("removed", "kept"))}
    assert removed == {
        "removed out/compare/coordinator-vs-planner.md",
        "removed out/planner/candidate-guide.md",
        "removed out/planner/interview-kit.md",
        "removed out/planner/posting.md",
    }
    after = _snapshot(out)
    for rel in hand_made:
        assert after[rel] == before[rel]
    assert not (out / "planner").exists()  # emptied, so the folder went too
    assert (out / "compare").is_dir()  # still holds the annotated PDF
    assert "coordinator/posting.md" in after
    assert sorted(_record(out)) == [
        "coordinator/candidate-guide.md",
        "coordinator/interview-kit.md",
        "coordinator/posting.md",
        "index.md",
    ]
    _assert_record_matches(out)
    assert "Traceback" not in result.output


def test_clean_keeps_an_edited_output_of_a_deleted_role_and_says_so(runner, built: Path) -> None:
    out = built / "out"
    kit = out / "planner/interview-kit.md"
    kit.write_text(kit.read_text() + "\nNotes from the hiring manager.\n")
    _delete_planner(built)

    first = _jdgen(runner, built, "build", "--all", *MD, "--clean")
    again = _jdgen(runner, built, "build", "--all", *MD, "--clean")

    assert first.exit_code == 0 and again.exit_code == 0
    assert "kept out/planner/interview-kit.md: changed since jdgen wrote it" in first.stdout.splitlines()
    assert "removed out/planner/posting.md" in first.stdout.splitlines()
    assert kit.read_text().endswith("Notes from the hiring manager.\n")
    assert sorted(p.name for p in (out / "planner").iterdir()) == ["interview-kit.md"]
    # still recorded with jdgen's bytes, so it is reported each time and deleted only if put back as jdgen wrote it
    assert "kept out/planner/interview-kit.md: changed since jdgen wrote it" in again.stdout.splitlines()
    assert not any(line.startswith("removed") for line in again.stdout.splitlines())


def test_without_a_record_clean_owns_nothing_and_a_corrupt_one_is_said_to_be_unreadable(runner, built: Path) -> None:
    out = built / "out"
    _delete_planner(built)
    (out / MANIFEST_NAME).write_text('{"version": 1, "files": {"../outside.md": "' + "0" * 64 + '"}}\n')
    (built / "outside.md").write_text("not jdgen's\n")
    before = _snapshot(out)

    result = _jdgen(runner, built, "build", "--all", *MD, "--clean")

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "out/.jdgen-manifest.json: its entry '../outside.md' is not a path below out/ with a sha256; "
        "--clean removed nothing, since jdgen cannot tell which files it wrote"
    ]
    assert (built / "outside.md").read_text() == "not jdgen's\n"
    after = _snapshot(out)
    assert {rel for rel in before if rel.startswith("planner/")} <= set(after)
    assert sorted(_record(out)) == [  # a fresh record of what this build wrote
        "coordinator/candidate-guide.md",
        "coordinator/interview-kit.md",
        "coordinator/posting.md",
        "index.md",
    ]
    (out / MANIFEST_NAME).write_text("{not json")
    broken = _jdgen(runner, built, "build", "--all", *MD, "--clean")
    assert broken.exit_code == 0
    assert broken.stderr.startswith("out/.jdgen-manifest.json: it is not valid JSON; --clean removed nothing")
    assert (out / "planner/posting.md").is_file()
    (out / MANIFEST_NAME).unlink()
    missing = _jdgen(runner, built, "build", "--all", *MD, "--clean")
    assert missing.exit_code == 0 and missing.stderr == ""
    assert (out / "planner/posting.md").is_file()  # written before any record: not known to be jdgen's


# links are never followed


def test_a_linked_folder_in_out_is_never_written_through_nor_cleaned_through(runner, built: Path, tmp_path) -> None:
    out = built / "out"
    outside = tmp_path / "outside"
    shutil.copytree(out / "planner", outside)  # jdgen's very bytes, so only the link check can protect them
    shutil.rmtree(out / "planner")
    (out / "planner").symlink_to(outside, target_is_directory=True)
    (outside / "posting.md").write_text("someone else's posting\n")
    outside_before = _snapshot(outside)
    out_before = _snapshot(out)

    written = _jdgen(runner, built, "build", "--all", *MD)

    assert written.exit_code == 1
    assert written.stderr.splitlines() == [
        "out/planner: a symlink stands where an output folder goes; jdgen does not follow links, "
        "so move it away; nothing was written."
    ]
    assert _snapshot(out) == out_before
    _delete_planner(built)
    cleaned = _jdgen(runner, built, "build", "--all", *MD, "--clean")
    assert cleaned.exit_code == 0, cleaned.output
    assert "kept out/planner/candidate-guide.md: reached through a symlink; jdgen never follows links" in (
        cleaned.stdout.splitlines()
    )
    assert not any(line.startswith("removed out/planner") for line in cleaned.stdout.splitlines())
    assert _snapshot(outside) == outside_before
    assert "Traceback" not in written.output + cleaned.output


# --out must name a folder of outputs only


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (".", r"jdgen: --out . would put outputs among the workspace's own files \("),
        ("..", r"jdgen: --out .. would put outputs among the workspace's own files \("),
        ("", r"jdgen: --out is empty; name the folder for the outputs, e.g. --out out"),
        ("  ", r"jdgen: --out is empty"),
        ("competencies", r"jdgen: --out competencies lies inside the workspace's competencies/; choose a folder"),
        ("templates/site", r"jdgen: --out templates/site lies inside the workspace's templates/"),
        ("notes.txt", r"notes.txt: a file stands where an output folder must go; move it or choose another --out"),
    ],
)
def test_a_bad_out_is_a_usage_error_and_writes_nothing(
    given: str, message: str, runner, minimal: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(minimal)
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    (minimal / "notes.txt").write_text("mine\n")
    before = _snapshot(tmp_path)
    for command in (["build", "--all"], ["compare", "coordinator", "planner"], ["check"]):
        result = runner.invoke(cli, [*command, "--out", given])  # the workspace is found from the current folder
        assert result.exit_code == 2, (command, result.output)
        assert len(result.stderr.splitlines()) == 1
        assert re.match(message, result.stderr), result.stderr
        assert "Traceback" not in result.output and result.stdout == ""
    assert _snapshot(tmp_path) == before


def test_with_no_workspace_the_installed_package_is_guarded(tmp_path: Path) -> None:
    builtin = WorkspaceDirs(REPO, builtin=True)
    for given in (REPO.parent, REPO / "generator", REPO / "generator" / "site"):
        with pytest.raises(CommandLineError) as caught:
            choose_out_dir(given, builtin, tmp_path)
        assert caught.value.exit_code == 2
    assert choose_out_dir(Path("site"), builtin, tmp_path) == tmp_path.resolve() / "site"


def test_an_out_folder_given_as_a_link_is_followed_once(runner, minimal: Path, tmp_path: Path) -> None:
    (tmp_path / "real-out").mkdir()
    (tmp_path / "link-out").symlink_to(tmp_path / "real-out", target_is_directory=True)
    result = _jdgen(runner, minimal, "build", "coordinator", *MD, "--out", str(tmp_path / "link-out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "real-out/coordinator/posting.md").is_file()
    assert (tmp_path / "link-out").is_symlink()


def test_the_workspace_s_out_as_a_link_is_refused_and_nothing_is_written_through_it(
    runner, minimal: Path, tmp_path: Path, monkeypatch
) -> None:
    # a pull request may commit `out -> /anywhere`: only --out on the command line sends outputs away
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (minimal / "out").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(minimal)
    for args in (("build", "--all", *MD), ("build", "--all", *MD, "--clean"), ("compare", "coordinator", "planner")):
        result = _jdgen(runner, minimal, *args)
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            "out: a symlink stands where the output folder goes; jdgen does not follow links, so move it away "
            "or name the folder with --out; nothing was written.\n"
        )
    assert list(elsewhere.iterdir()) == []


def test_a_record_nested_past_reason_is_unreadable_not_an_internal_error(runner, built: Path) -> None:
    out = built / "out"
    (out / MANIFEST_NAME).write_text('{"files":' + "[" * 100_000 + "]" * 100_000 + "}")
    result = _jdgen(runner, built, "build", "--all", *MD)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "out/.jdgen-manifest.json: it is nested too deeply to be jdgen's record; jdgen starts its record afresh\n"
    )
    _assert_record_matches(out)


def test_an_existing_output_too_large_to_be_one_is_replaced_without_being_read_whole(
    runner, built: Path, monkeypatch
) -> None:
    from generator import outpaths

    monkeypatch.setattr(outpaths, "MAX_COMPARED_BYTES", 3 << 20)  # stands for a file of gigabytes
    kit = built / "out/coordinator/interview-kit.md"
    expected = kit.read_bytes()
    kit.write_bytes(b"x" * (5 << 20))
    found = outpaths.inspect_output(built / "out", kit)
    assert (found.kind, found.data) == ("file", None)  # reading stopped past the limit
    result = _jdgen(runner, built, "build", "--all", *MD)
    assert result.exit_code == 0, result.output
    assert kit.read_bytes() == expected


# anything in the way is found before the first byte is staged


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _replace_with_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def _replace_with_file(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.write_text("a file\n")


#: name: (make the obstacle in out/, given out/ and a file outside it; the one line; the output check calls stale)
IN_THE_WAY = {
    "a folder where jobs.json goes": (
        lambda out, outside: ((out / "jobs.json").unlink(), (out / "jobs.json").mkdir()),
        "out/jobs.json: a folder stands where an output file goes; move it away; nothing was written.",
        "out/jobs.json",
    ),
    "a file where a role folder goes": (
        lambda out, outside: _replace_with_file(out / "planner"),
        "out/planner: a file stands where an output folder must go; move it or choose another --out; "
        "nothing was written.",
        "out/planner/posting.md",
    ),
    "a FIFO where posting.md goes": (
        lambda out, outside: _replace_with_fifo(out / "coordinator/posting.md"),
        "out/coordinator/posting.md: a named pipe (FIFO) stands where an output file goes; move it away; "
        "nothing was written.",
        "out/coordinator/posting.md",
    ),
    "a link where posting.md goes": (
        lambda out, outside: _replace_with_link(out / "coordinator/posting.md", outside),
        "out/coordinator/posting.md: a symlink stands where an output file goes; jdgen does not follow links, "
        "so move it away; nothing was written.",
        "out/coordinator/posting.md",
    ),
}


@pytest.mark.parametrize("case", list(IN_THE_WAY))
def test_something_in_the_way_fails_in_one_line_with_out_unchanged(case: str, runner, built: Path, tmp_path) -> None:
    out = built / "out"
    assert _jdgen(runner, built, "build", "--all", *MD_HTML).exit_code == 0
    (out / "index.md").write_text("an older index\n")  # so that the refused build had something to write
    outside = tmp_path / "outside.md"
    outside.write_text("not jdgen's\n")
    make, message, stale = IN_THE_WAY[case]
    make(out, outside)
    before = _snapshot(out)

    code, stdout, stderr = _isolated(built, "build", "--all", *MD_HTML)
    check_code, _, check_stderr = _isolated(built, "check")

    assert code == 1, stderr
    assert stderr.splitlines() == [message]
    assert stdout == ""
    assert _snapshot(out) == before
    assert not _temps(out)
    assert outside.read_text() == "not jdgen's\n"
    assert check_code == 1
    assert f"{stale}: stale; rebuild with `jdgen build --all`" in check_stderr.splitlines()
    assert "Traceback" not in check_stderr
    assert _snapshot(out) == before


def _isolated(workspace: Path, *args: str) -> tuple[int, str, str]:
    """Run jdgen in its own process with a timeout, since opening a FIFO by mistake would hang it."""
    command = [*JDGEN, "--workspace", str(workspace), *args]
    done = subprocess.run(command, cwd=workspace, env=ENV, capture_output=True, text=True, timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr


def test_check_ignores_the_record_and_the_lock(runner, built: Path) -> None:
    config = built / "jdgen.yaml"
    config.write_text(config.read_text() + "build:\n  formats: [md]\n")
    assert _jdgen(runner, built, "build", "--all").exit_code == 0
    assert {MANIFEST_NAME, ".jdgen.lock"} <= {p.name for p in (built / "out").iterdir()}
    result = _jdgen(runner, built, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("7 outputs up to date\n")


# staging files of a killed run


def test_staging_files_of_a_killed_run_go_and_other_tmp_files_stay(runner, built: Path) -> None:
    out = built / "out"
    leftovers = [out / ".jdgen-jobs.json.0123abcd.tmp", out / "coordinator/.jdgen-posting.md.deadbeef.tmp"]
    strangers = [out / "notes.tmp", out / "coordinator/.posting.md.x1y2z3.tmp", out / ".jdgen-draft.tmp"]
    for path in leftovers + strangers:
        path.write_text("half a file\n")
    before = _snapshot(out)

    result = _jdgen(runner, built, "build", "--all", *MD)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("0 written, 7 unchanged")
    after = _snapshot(out)
    assert not any(path.exists() for path in leftovers)
    assert all(
        after[path.relative_to(out).as_posix()] == before[path.relative_to(out).as_posix()] for path in strangers
    )


# signals


def _interrupt_in_process(monkeypatch, signum: int, when: str) -> None:
    """Send `signum` to this process while jdgen stages its fourth file, or as it swaps the first one in."""
    if when == "staging":
        real, calls = output_module.temp_path, []

        def stage(target: Path) -> Path:
            calls.append(target)
            if len(calls) == 4:
                os.kill(os.getpid(), signum)
            return real(target)

        monkeypatch.setattr(output_module, "temp_path", stage)
    else:
        real_replace = Path.replace

        def replace(self: Path, target):
            if self.name.startswith(".jdgen-"):
                os.kill(os.getpid(), signum)
            return real_replace(self, target)

        monkeypatch.setattr(Path, "replace", replace)


@pytest.mark.parametrize(
    ("signum", "when", "code", "outcome"),
    [
        (signal.SIGINT, "staging", 130, "out/ was left as it was"),
        (signal.SIGTERM, "staging", 143, "out/ was left as it was"),
        (signal.SIGTERM, "swapping", 143, "out/ holds this build's outputs"),
    ],
)
def test_a_signal_while_writing_leaves_out_old_or_new_never_mixed(
    signum, when, code, outcome, runner, built: Path, monkeypatch
) -> None:
    out = built / "out"
    company = built / "jdgen.yaml"
    old = _snapshot(out)
    company.write_text(company.read_text().replace("Fixture Works", "Fixture Workshop"))
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    _interrupt_in_process(monkeypatch, signum, when)

    result = _jdgen(runner, built, "build", "--all", *MD)

    monkeypatch.undo()
    assert result.exit_code == code
    assert result.stderr == f"jdgen: interrupted; {outcome}\n"
    assert "Traceback" not in result.output
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers  # only around the write
    assert not _temps(out)
    _assert_record_matches(out)
    if when == "staging":
        assert _snapshot(out) == old
    else:  # held back until every file was swapped in
        assert _jdgen(runner, built, "build", "--all", *MD).stdout.splitlines()[-1].startswith("0 written")


def _start(workspace: Path) -> subprocess.Popen:
    """Start `jdgen build --all` and return once jdgen is loaded and running."""
    args = [sys.executable, "-c", READY_THEN_MAIN, "--workspace", str(workspace), "build", "--all", *MD_HTML]
    child = subprocess.Popen(args, cwd=workspace, env=ENV, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert child.stderr.readline() == "ready\n"
    return child


def _wait_for_staging(out: Path, child: subprocess.Popen) -> None:
    """Return once a staging file shows up under `out` (the write has begun), or the child has ended."""
    while child.poll() is None:
        if any(name.startswith(".jdgen-") and name.endswith(".tmp") for _, _, names in os.walk(out) for name in names):
            return


def _check_outcome(signum: int, code: int, stderr: str, tree: dict, old: dict, new: dict) -> None:
    """Whatever the moment, the run ends in a known way and out/ is wholly the old or the new build."""
    assert "Traceback" not in stderr
    assert tree in (old, new)
    # 1 is click's "Aborted!" for Ctrl-C or a stop request while rendering; -signum is the signal's
    # default action, once Python has put the defaults back on its way out
    assert code in {0, 1, 128 + signum, -signum}
    if code == 0:
        assert tree == new
    if code == 128 + signum:
        said = "out/ was left as it was" if tree == old else "out/ holds this build's outputs"
        assert stderr.splitlines()[-1] == f"jdgen: interrupted; {said}"
    if code == 1:
        assert stderr.splitlines()[-1] == "Aborted!"


def test_real_signals_at_any_moment_leave_every_file_old_or_new(builtin_copy: Path, tmp_path: Path) -> None:
    out = builtin_copy / "out"
    build = [*JDGEN, "--workspace", str(builtin_copy), "build", "--all", *MD_HTML]
    subprocess.run(build, env=ENV, check=True, capture_output=True, timeout=120)
    shutil.copytree(out, tmp_path / "old-out", symlinks=True)
    old = _snapshot(out)
    config = builtin_copy / "jdgen.yaml"
    config.write_text(config.read_text().replace("Northwind Analytics", "Northwind Analytix"))
    child = _start(builtin_copy)
    started = time.monotonic()
    assert child.wait(timeout=120) == 0
    duration = time.monotonic() - started
    new = _snapshot(out)
    assert sum(old[rel] != new[rel] for rel in old) >= 20  # most files change, so a mix would show

    # ten moments spread over the run, the two signals taking turns, then a few the moment staging begins
    sweep = [(signal.SIGTERM if step % 2 else signal.SIGINT, duration * step / 10) for step in range(10)]
    at_write = [(signum, None) for signum in (signal.SIGINT, signal.SIGTERM) for _ in range(2)]
    for signum, delay in sweep + at_write:
        shutil.rmtree(out)
        shutil.copytree(tmp_path / "old-out", out, symlinks=True)
        child = _start(builtin_copy)
        if delay is None:
            _wait_for_staging(out, child)
        else:
            time.sleep(delay)
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=120)
        tree = _snapshot(out)
        _check_outcome(signum, child.returncode, stderr, tree, old, new)
        assert not _temps(out)
        _assert_record_matches(out)


# two runs at once


def test_two_builds_at_once_both_succeed_and_leave_one_builds_tree(builtin_copy: Path, tmp_path: Path) -> None:
    out = builtin_copy / "out"
    build = [*JDGEN, "--workspace", str(builtin_copy), "build", "--all", *MD_HTML]
    subprocess.run(build, cwd=builtin_copy, env=ENV, check=True, capture_output=True, timeout=120)
    single = _snapshot(out)
    for round_ in range(3):
        if round_ % 2:
            (out / "index.md").write_text("an older index\n")
        else:
            shutil.rmtree(out)  # both race to make out/ and its lock
        children = [
            subprocess.Popen(
                build, cwd=builtin_copy, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for child in children:
            stdout, stderr = child.communicate(timeout=120)
            assert child.returncode == 0, stderr
            assert set(stderr.splitlines()) <= {WAITING}, stderr
            assert stdout.splitlines()[-1].endswith(f"unchanged in {out}")
        assert _snapshot(out) == single
        assert not _temps(out)


def _hold_lock(out: Path) -> int:
    """Lock out/ as another jdgen run writing to it would; return the handle that holds the lock."""
    handle = os.open(out / ".jdgen.lock", os.O_RDWR)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def test_a_run_waits_for_another_then_writes(runner, built: Path) -> None:
    out = built / "out"
    (out / "index.md").write_text("an older index\n")
    releaser = threading.Timer(0.5, os.close, [_hold_lock(out)])
    releaser.start()
    result = _jdgen(runner, built, "build", "--all", *MD)
    releaser.join()
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [WAITING]
    assert result.stdout.splitlines()[-1].startswith("1 written, 6 unchanged")


def test_a_run_gives_up_waiting_after_the_bound(runner, built: Path, monkeypatch) -> None:
    out = built / "out"
    (out / "index.md").write_text("an older index\n")
    before = _snapshot(out)
    monkeypatch.setattr(outlock, "LOCK_TIMEOUT", 1.0)
    handle = _hold_lock(out)
    try:
        result = _jdgen(runner, built, "build", "--all", *MD)
    finally:
        os.close(handle)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        WAITING,
        "out/.jdgen.lock: another jdgen run still writes to out/ after 1 s of waiting; let it finish and build "
        "again; nothing was written.",
    ]
    assert _snapshot(out) == before


def test_schemas_are_never_written_through_a_link(runner, minimal: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "area.schema.json").symlink_to(precious)
    result = _jdgen(runner, minimal, "schema", "--out", str(schemas))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "area.schema.json: a symlink stands where an output file goes; "
        "jdgen does not follow links, so move it away; nothing was written."
    )
    assert precious.read_text() == "keep me\n"
    assert sorted(p.name for p in schemas.iterdir()) == ["area.schema.json"]  # nothing else was written


def test_a_role_built_alone_after_a_full_build_keeps_the_link_to_the_index_so_check_passes(
    runner, builtin_copy: Path, monkeypatch
) -> None:
    monkeypatch.chdir(builtin_copy)
    assert _jdgen(runner, builtin_copy, "build", "--all").exit_code == 0
    page = builtin_copy / "out/tpm/new-york/posting.html"
    full = page.read_bytes()
    assert b"All open roles" in full
    assert _jdgen(runner, builtin_copy, "build", "tpm").exit_code == 0
    assert page.read_bytes() == full
    checked = _jdgen(runner, builtin_copy, "check")
    assert checked.exit_code == 0, checked.output
    # with no index beside it, a role built alone links to nothing that is not there
    (builtin_copy / "out/index.html").unlink()
    assert _jdgen(runner, builtin_copy, "build", "tpm").exit_code == 0
    assert b"All open roles" not in page.read_bytes()


def test_a_file_jdgen_never_wrote_is_never_replaced(runner, minimal: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(minimal)
    site = tmp_path / "site"  # a folder in use, given as --out
    (site / "coordinator").mkdir(parents=True)
    (site / "coordinator/posting.md").write_text("my own notes\n")
    (site / "about.md").write_text("not an output\n")
    result = _jdgen(runner, minimal, "build", "--all", *MD, "--out", str(site))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{site}/coordinator/posting.md: a file jdgen did not write stands where an output goes (its record, "
        ".jdgen-manifest.json, does not list it); move it away or delete it; nothing was written.\n"
    )
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "about.md",
        "coordinator",
        "coordinator/posting.md",
    ]
    # jdgen's own outputs, edited since, are its to rewrite; a file identical to the output is left alone
    (site / "coordinator/posting.md").unlink()
    assert _jdgen(runner, minimal, "build", "--all", *MD, "--out", str(site)).exit_code == 0
    (site / "coordinator/posting.md").write_text("edited\n")
    assert _jdgen(runner, minimal, "build", "--all", *MD, "--out", str(site)).exit_code == 0
    assert (site / "about.md").read_text() == "not an output\n"
