"""The wheel carries the built-in workspace, so `jdgen build tpm` works outside any workspace."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_the_wheel_ships_the_builtin_workspace_and_builds_tpm_from_it(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*pip_wheel, "-w", str(wheel_dir)], check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("jdgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for required in (
        "generator/workspace/jdgen.yaml",
        "generator/workspace/competencies/roles/tpm.yaml",
        "generator/workspace/templates/posting.md.j2",
        "generator/workspace/templates/interview-kit.md.j2",
        "generator/data/print.css",  # the PDF print layout
        "generator/data/library/project-management.yaml",  # the neutral library the workspace builds on
        "generator/data/library/roles/tpm.yaml",  # `jdgen init --role tpm`
        "generator/data/new/role.yaml",  # `jdgen new role`
        "generator/data/workspace-README.md",  # the authoring guide `jdgen init` writes
        "generator/data/hyph-en-us.json",  # readability: pyphen's patterns, already parsed
        "generator/data/help.txt",  # the page `jdgen --help` prints without loading click
    ):
        assert required in names

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "JDGEN_WORKSPACE"} | {"PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "tpm"], cwd=empty, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (empty / "out/tpm/columbus/posting.md").read_text().startswith("# Technical Project Manager\n")
    assert (empty / "out/tpm/interview-kit.md").is_file()
    # the console script the wheel declares starts where `python -m generator` does
    entry_points = tmp_path / "site" / f"{wheel.name.removesuffix('-py3-none-any.whl')}.dist-info/entry_points.txt"
    assert "jdgen = generator.entry:main" in entry_points.read_text().splitlines()
