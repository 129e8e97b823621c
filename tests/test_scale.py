"""Builds of any size: files spooled to disk past a budget, roles in batches, the same bytes either way."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import tree_digest

from generator import pipeline
from generator.cli import cli
from generator.spool import SpooledFiles

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def test_spooled_files_keep_bytes_in_memory_then_on_disk_in_a_file_without_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with SpooledFiles(budget=10) as files:
        files[Path("a")] = b"12345"
        files[Path("b")] = b"123456"  # past the budget: on disk
        files[Path("c")] = b"67890"  # still fits beside a
        assert files._spool is not None
        assert dict(files.items()) == {Path("a"): b"12345", Path("b"): b"123456", Path("c"): b"67890"}
        files[Path("b")] = b"replaced, and still on disk"
        assert files[Path("b")] == b"replaced, and still on disk"
        del files[Path("a")]
        files[Path("d")] = b"12345"  # a's room is free again
        files[Path("e")] = b"on disk too"
        assert sorted(files) == [Path("b"), Path("c"), Path("d"), Path("e")]
        assert [files[path] for path in sorted(files)] == [
            b"replaced, and still on disk",
            b"67890",
            b"12345",
            b"on disk too",
        ]
        # the spool has no name in the temporary folder: a run killed outright (SIGKILL) leaves nothing
        assert list(tmp_path.iterdir()) == []
        spool = files._spool
    assert spool.closed  # closing frees the disk space


def _build(workspace: Path, out: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "build", "--all", "--out", str(out)], env=EPOCH)
    assert result.exit_code == 0, result.output
    return tree_digest(out)


def test_a_build_spooled_to_disk_in_batches_of_one_role_writes_the_same_bytes(
    builtin_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_memory = _build(builtin_copy, tmp_path / "memory")
    monkeypatch.setattr(SpooledFiles.__init__, "__defaults__", (0,))  # every file goes to disk
    monkeypatch.setattr(pipeline, "BATCH_ROLES", 1)  # each role its own batch, DOCX on the workers meanwhile
    spooled = _build(builtin_copy, tmp_path / "spooled")
    assert len(in_memory) > 60
    assert spooled == in_memory


def test_check_compares_spooled_files_one_at_a_time(builtin_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all"], env=EPOCH).exit_code == 0
    monkeypatch.setattr(SpooledFiles.__init__, "__defaults__", (0,))
    posting = builtin_copy / "out" / "pm" / "posting.md"
    posting.write_text(posting.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    (builtin_copy / "out" / "tpm" / "interview-kit.docx").unlink()
    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "check"], env=EPOCH)
    assert result.exit_code == 1
    assert "out/pm/posting.md" in result.output
    assert "out/tpm/interview-kit.docx" in result.output


def test_build_all_forks_the_docx_workers_before_loading_the_workspace_and_only_once(
    builtin_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import docx_batch, validate
    from generator import workers as worker_pool

    events: list[str] = []
    fork, load = docx_batch._fork_pool, pipeline.load_workspace

    forked: list[int] = []

    def counting_fork(writer, workers):
        events.append("fork")
        forked.append(workers)
        return fork(writer, workers)

    def counting_load(dirs):
        events.append("load")
        return load(dirs)

    monkeypatch.setattr(docx_batch, "_fork_pool", counting_fork)
    monkeypatch.setattr(pipeline, "load_workspace", counting_load)
    monkeypatch.setattr(worker_pool, "cores", lambda: 2)  # a one-core machine never forks
    monkeypatch.setattr(validate, "load_workspace", counting_load)
    runner = CliRunner()
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all", "--format", "docx"]).exit_code == 0
    assert events == ["fork", "load"]  # the build's pool adopted the early workers: no second fork
    assert docx_batch._EARLY.held is None
    events.clear()
    # no DOCX asked for: no workers
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all", "--format", "md"]).exit_code == 0
    assert events == ["load"] and docx_batch._EARLY.held is None
    events.clear()
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "tpm", "--format", "docx"]).exit_code == 0
    # one role: its five documents are one task, for one worker forked once the files are rendered
    assert events == ["load", "fork"] and forked[-1] == 1
    broken = builtin_copy / "competencies/roles/tpm.yaml"
    broken.write_text(broken.read_text().replace("title:", "titel:", 1))
    events.clear()
    failed = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all", "--format", "docx"])
    assert failed.exit_code == 1 and events == ["fork", "load"] and docx_batch._EARLY.held is None


def test_check_forks_the_docx_workers_early_only_when_it_compares_out(
    builtin_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import docx_batch
    from generator import workers as worker_pool

    events: list[str] = []
    fork, load = docx_batch._fork_pool, pipeline.load_workspace
    monkeypatch.setattr(docx_batch, "_fork_pool", lambda *args: events.append("fork") or fork(*args))
    monkeypatch.setattr(pipeline, "load_workspace", lambda dirs: events.append("load") or load(dirs))
    monkeypatch.setattr(worker_pool, "cores", lambda: 2)
    runner = CliRunner()
    (builtin_copy / "out").mkdir(exist_ok=True)
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all"]).exit_code == 0
    events.clear()
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "check"]).exit_code == 0
    assert events == ["fork", "load"] and docx_batch._EARLY.held is None
    events.clear()
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "check", "--out", "elsewhere"]).exit_code == 0
    assert events == ["load"]  # no out/ to compare: nothing is built, no workers
