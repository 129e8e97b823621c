"""Read workspace files safely: only regular files inside the workspace, never more than a limit."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .errors import UnreadableFileError

_CHUNK = 1 << 16
_KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
}


def read_workspace_file(path: Path, root: Path, limit: int, what: str) -> bytes:
    """Return the bytes of `path`, refusing files outside `root`, special files and files over `limit`.

    `what` names the kind of file in the size message, in the plural ("templates").
    """
    rel = shown_path(path, root)
    real = _confined(path, root, rel)
    try:
        # A regular file's stat is cheap and never blocks; a FIFO or device is refused before opening.
        _require_regular(Path(real).stat().st_mode, rel)
        handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as err:
        raise UnreadableFileError(rel, "does not exist") from err
    except OSError as err:
        raise UnreadableFileError(rel, f"cannot read the file: {err.strerror}") from err
    try:
        info = os.fstat(handle)
        _require_regular(info.st_mode, rel)  # the path may have changed between stat and open
        if info.st_size > limit:
            size = f"{info.st_size / 1e6:.1f} MB"
            raise UnreadableFileError(rel, f"the file is {size}; {what} are limited to {_size(limit)}")
        data = _read_at_most(handle, limit + 1)
    except OSError as err:
        raise UnreadableFileError(rel, f"cannot read the file: {err.strerror}") from err
    finally:
        os.close(handle)
    # stat's size can be wrong (a file still growing, /proc); the bytes actually read decide
    if len(data) > limit:
        raise UnreadableFileError(rel, f"the file is larger than {_size(limit)}; {what} are limited to {_size(limit)}")
    return data


def shown_path(path: Path, base: Path | None) -> str:
    """Return `path` as messages show it: relative to `base` (the workspace, the current folder) when below it."""
    if base is not None and path.is_relative_to(base):
        return path.relative_to(base).as_posix()
    return str(path)


@functools.lru_cache(maxsize=16)
def _real_root(root: Path) -> Path:
    """Resolve a workspace root once; every file of a build is checked against the same answer."""
    return Path(os.path.realpath(root))


def _confined(path: Path, root: Path, rel: str) -> str:
    """Resolve `path` and refuse it unless it lies inside the workspace."""
    real_root = _real_root(root.absolute())
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError as err:
        if path.is_symlink():
            raise UnreadableFileError(rel, "is a link to a file that does not exist; fix or remove the link") from err
        raise UnreadableFileError(rel, "does not exist") from err
    except OSError as err:  # a loop of links
        raise UnreadableFileError(rel, f"cannot follow the link ({err.strerror}); fix or remove it") from err
    if Path(real).is_relative_to(real_root):
        return real
    folder = _linked_folder(path, root)
    if folder is not None:
        raise UnreadableFileError(
            rel, f"{folder}/ is a link to a folder outside the workspace; jdgen reads only files inside it"
        )
    raise UnreadableFileError(rel, "is a link to a file outside the workspace; jdgen reads only files inside it")


def _linked_folder(path: Path, root: Path) -> str | None:
    """Return the first folder between `root` and `path` that is a link, relative to `root`."""
    if not path.is_relative_to(root):
        return None
    parts = path.relative_to(root).parts[:-1]
    for end in range(1, len(parts) + 1):
        if root.joinpath(*parts[:end]).is_symlink():
            return "/".join(parts[:end])
    return None


def _require_regular(mode: int, rel: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS.items() if test(mode)), "a special file")
    raise UnreadableFileError(rel, f"is {kind}, not a regular file; jdgen reads only regular files")


def _read_at_most(handle: int, count: int) -> bytes:
    """Read until end of file or `count` bytes, whichever comes first."""
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(handle, min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count / 1e6:.0f} MB" if count >= 1_000_000 else f"{count:,} bytes"
