"""Look at paths under out/ without following a link or opening anything but a regular file."""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

#: How jdgen names a file it is staging; a file so named under out/ is a leftover of a killed run.
TEMP_NAME = re.compile(r"\.jdgen-.+\.[0-9a-f]{8}\.tmp")

#: Why a write fails when a file stands where a folder of outputs must be made.
FILE_WHERE_FOLDER = "a file stands where an output folder must go; move it or choose another --out"

_SPECIAL_KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
}
# A FIFO opened without O_NONBLOCK waits for a writer forever; O_NOFOLLOW refuses a link swapped in late.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Found:
    """What stands at an output path: nothing, a regular file (with its bytes), or an obstacle."""

    kind: str  #: "missing", "file" or "blocked"
    data: bytes | None = None  #: the file's bytes; None when unreadable or not a file
    blame: Path | None = None  #: the path in the way, when blocked
    reason: str = ""  #: why it is in the way, phrased for a write
    via_link: bool = False  #: blocked by a symbolic link


def inspect_output(out_dir: Path, path: Path) -> Found:
    """Return what stands at `path` below `out_dir`, checking each folder on the way with lstat."""
    try:
        return _inspect(out_dir, path)
    except OSError as err:  # a folder on the way that may not be searched, say
        return Found("blocked", blame=path, reason=f"cannot look at it: {err.strerror or err}")


def _inspect(out_dir: Path, path: Path) -> Found:
    parts = path.relative_to(out_dir).parts
    for end in range(1, len(parts)):
        folder = out_dir.joinpath(*parts[:end])
        mode = _lstat_mode(folder)
        if mode is None:
            return Found("missing")
        if stat.S_ISLNK(mode):
            why = "a symlink stands where an output folder goes; jdgen does not follow links, so move it away"
            return Found("blocked", blame=folder, reason=why, via_link=True)
        if not stat.S_ISDIR(mode):
            return Found("blocked", blame=folder, reason=FILE_WHERE_FOLDER)
    mode = _lstat_mode(path)
    if mode is None:
        return Found("missing")
    if stat.S_ISLNK(mode):
        why = "a symlink stands where an output file goes; jdgen does not follow links, so move it away"
        return Found("blocked", blame=path, reason=why, via_link=True)
    if stat.S_ISDIR(mode):
        return Found("blocked", blame=path, reason="a folder stands where an output file goes; move it away")
    if not stat.S_ISREG(mode):
        return Found(
            "blocked", blame=path, reason=f"{special_kind(mode)} stands where an output file goes; move it away"
        )
    try:
        return Found("file", read_regular(path, MAX_COMPARED_BYTES))
    except OSError:
        return Found("file")  # unreadable or too large to be one: a write replaces it, check calls it stale


#: An existing output larger than this is not read to be compared: no output jdgen writes is as
#: large, so it differs, and reading it whole could exhaust memory.
MAX_COMPARED_BYTES = 256 * 1024 * 1024


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of the regular file at `path`; raise OSError for anything else, or past
    `limit` bytes; never block."""
    handle = os.open(path, _READ_FLAGS)
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"{special_kind(mode)}, not a regular file")
        chunks = []
        size = 0
        while chunk := os.read(handle, 1 << 20):
            size += len(chunk)
            if limit is not None and size > limit:  # counted as read: stat() may say otherwise
                raise OSError(f"larger than {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def write_failure(err: OSError) -> str:
    """Say, for a message, why writing below out/ failed and what to do."""
    if isinstance(err, NotADirectoryError | FileExistsError):
        return FILE_WHERE_FOLDER
    if isinstance(err, PermissionError):
        return "permission denied; choose a writable folder with --out"
    return f"cannot write: {err.strerror or err}"


def special_kind(mode: int) -> str:
    """Name the kind of file `mode` describes, for messages."""
    if stat.S_ISDIR(mode):
        return "a folder"
    return next((name for test, name in _SPECIAL_KINDS.items() if test(mode)), "a special file")


def temp_path(target: Path) -> Path:
    """Return a fresh staging name next to `target`, in the pattern leftovers are recognised by."""
    return target.with_name(f".jdgen-{target.name}.{secrets.token_hex(4)}.tmp")


def remove_leftover_temps(out_dir: Path) -> list[Path]:
    """Delete regular files under `out_dir` named like jdgen's staging files; never enter a linked folder."""
    removed = []
    for folder, _, names in os.walk(out_dir):  # os.walk does not descend into links to folders
        for name in names:
            path = Path(folder, name)
            mode = _lstat_mode(path) if TEMP_NAME.fullmatch(name) else None
            if mode is not None and stat.S_ISREG(mode):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _lstat_mode(path: Path) -> int | None:
    """Return the mode of `path` itself (a link is not followed), or None when nothing is there."""
    try:
        return path.lstat().st_mode
    except FileNotFoundError:
        return None
