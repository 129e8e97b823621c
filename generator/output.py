"""Write rendered files: stage everything first, then swap each file into place atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError


@dataclass(frozen=True)
class WriteReport:
    """What a write changed."""

    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]


def write_files(files: Mapping[Path, bytes], shown_relative_to: Path | None = None) -> WriteReport:
    """Write every file whose bytes changed; on any failure leave every target as it was."""
    changed = {path: data for path, data in files.items() if _current_bytes(path) != data}
    unchanged = tuple(path for path in files if path not in changed)
    created_dirs: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    for path, data in changed.items():
        try:
            created_dirs += _make_parents(path.parent)
            staged.append((_stage(path, data), path))
        except OSError as err:
            _discard(staged, created_dirs)
            raise OutputError(shown_path(_blame(path), shown_relative_to), _reason(err)) from err
    for temp, path in staged:
        temp.replace(path)
    return WriteReport(tuple(changed), unchanged)


def _blame(path: Path) -> Path:
    """Return the file standing where a folder must go, else the target itself."""
    return next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), path)


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _stage(path: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError:
        Path(name).unlink(missing_ok=True)
        raise
    staged = Path(name)
    staged.chmod(0o644)  # mkstemp's 0o600 would hide outputs from a web server
    return staged


def _discard(staged: list[tuple[Path, Path]], created_dirs: list[Path]) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)
    for folder in reversed(created_dirs):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _reason(err: OSError) -> str:
    if isinstance(err, NotADirectoryError | FileExistsError):
        return "a file stands where an output folder must go; move it or choose another --out"
    if isinstance(err, PermissionError):
        return "permission denied; choose a writable folder with --out"
    return f"cannot write: {err.strerror or err}"


def shown_path(path: Path, base: Path | None) -> str:
    """Return `path` relative to `base` when it lies below it, for messages."""
    if base is not None and path.is_relative_to(base):
        return path.relative_to(base).as_posix()
    return str(path)


#: The file names jdgen writes in a role's folder; a folder holding anything else is not touched.
ROLE_OUTPUT_NAMES = {
    f"{stem}.{ext}" for stem in ("posting", "interview-kit", "candidate-guide") for ext in ("md", "docx", "html")
}


def remove_stale_outputs(out_dir: Path, live_folders: set[str], role_ids: set[str]) -> tuple[Path, ...]:
    """Delete role folders and comparisons under out/ whose roles no longer exist; return what went."""
    removed: list[Path] = []
    if not out_dir.is_dir():
        return ()
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and p.name != "compare"):
        files = list(folder.iterdir())
        if folder.name in live_folders or not files or any(f.name not in ROLE_OUTPUT_NAMES for f in files):
            continue  # a live role, or a folder jdgen did not make: leave it alone
        for file in files:
            file.unlink()
            removed.append(file)
        folder.rmdir()
    compare = out_dir / "compare"
    for file in sorted(compare.glob("*-vs-*.*")) if compare.is_dir() else ():
        pair = file.name.rsplit(".", 1)[0].split("-vs-")
        if len(pair) == 2 and not set(pair) <= role_ids:
            file.unlink()
            removed.append(file)
    return tuple(removed)
