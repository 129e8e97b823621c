"""Staged writing: only changed files are written, and a failure leaves every target as it was."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from generator import output
from generator.errors import OutputError
from generator.manifest import MANIFEST_NAME, digest
from generator.output import write_outputs


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_new_files_and_folders_are_created_and_recorded(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write_outputs(out, {out / "a/one.md": b"1\n", out / "b/two.md": b"2\n"})
    assert (out / "a/one.md").read_bytes() == b"1\n"
    assert len(report.written) == 2
    assert not list(tmp_path.rglob("*.tmp"))
    record = json.loads((out / MANIFEST_NAME).read_text())
    assert record == {"version": 1, "files": {"a/one.md": digest(b"1\n"), "b/two.md": digest(b"2\n")}}


def test_a_file_whose_bytes_are_the_same_is_not_rewritten_nor_is_the_record(tmp_path: Path) -> None:
    out = tmp_path / "out"
    target = out / "same.md"
    write_outputs(out, {target: b"same\n"})
    for path in (target, out / MANIFEST_NAME):
        os.utime(path, (1_000_000, 1_000_000))
    report = write_outputs(out, {target: b"same\n"})
    assert report.unchanged == (target,) and report.written == ()
    assert target.stat().st_mtime == 1_000_000
    assert (out / MANIFEST_NAME).stat().st_mtime == 1_000_000


def test_a_failure_leaves_existing_files_and_folders_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_outputs(out, {out / "kept.md": b"old\n"})  # jdgen's own, so it may be replaced
    (out / "blocker").write_bytes(b"a file where a folder must go\n")
    before = _tree(tmp_path)
    files = {
        out / "kept.md": b"new\n",
        out / "fresh" / "deep" / "x.md": b"x\n",
        out / "blocker" / "y.md": b"y\n",
    }
    with pytest.raises(OutputError) as caught:
        write_outputs(out, files, shown_relative_to=tmp_path)
    assert str(caught.value) == (
        "out/blocker: a file stands where an output folder must go; move it or choose another --out; "
        "nothing was written."
    )
    assert (out / "kept.md").read_bytes() == b"old\n"
    assert _tree(tmp_path) == before  # no lock file, record or staging file left behind either


def test_a_full_disk_while_staging_leaves_no_new_folder_behind(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "new" / "out"
    real_temp_path = output.temp_path
    calls = []

    def fill_up(target: Path) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_temp_path(target)

    monkeypatch.setattr(output, "temp_path", fill_up)
    with pytest.raises(OutputError) as caught:
        write_outputs(
            out, {out / "a/one.md": b"1\n", out / "b/two.md": b"2\n", out / "c.md": b"3\n"}, None, None, tmp_path
        )
    assert str(caught.value) == "new/out/c.md: cannot write: No space left on device; nothing was written."
    assert _tree(tmp_path) == []
