"""Staged writing: only changed files are written, and a failure leaves every target as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.output import write_files


def test_new_files_and_folders_are_created(tmp_path: Path) -> None:
    report = write_files({tmp_path / "out/a/one.md": b"1\n", tmp_path / "out/b/two.md": b"2\n"})
    assert (tmp_path / "out/a/one.md").read_bytes() == b"1\n"
    assert len(report.written) == 2
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_file_whose_bytes_are_the_same_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "same.md"
    target.write_bytes(b"same\n")
    os.utime(target, (1_000_000, 1_000_000))
    report = write_files({target: b"same\n", tmp_path / "new.md": b"new\n"})
    assert report.unchanged == (target,)
    assert target.stat().st_mtime == 1_000_000


def test_a_failure_leaves_existing_files_and_folders_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.md").write_bytes(b"old\n")
    (out / "blocker").write_bytes(b"a file where a folder must go\n")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    files = {
        out / "kept.md": b"new\n",
        out / "fresh" / "deep" / "x.md": b"x\n",
        out / "blocker" / "y.md": b"y\n",
    }
    with pytest.raises(OutputError) as caught:
        write_files(files, shown_relative_to=tmp_path)
    assert str(caught.value) == (
        "out/blocker: a file stands where an output folder must go; move it or choose another --out; "
        "nothing was written."
    )
    assert (out / "kept.md").read_bytes() == b"old\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
