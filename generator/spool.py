"""Output files between rendering and writing: in memory while few, on disk once they add up.

A build of a thousand roles makes thousands of files; holding them all in memory until the
all-or-nothing write would grow with the catalogue. Past a budget, each file is appended to one
anonymous temporary file as it is made and is read back when written or compared. The file has
no name from the start, so nothing is left behind even when the run is killed outright.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import IO

#: Bytes kept in memory before files go to disk: a build of a few roles never touches the disk.
MEMORY_BUDGET = 8 * 1024 * 1024


class SpooledFiles(MutableMapping[Path, bytes]):
    """A mapping of output path → bytes that keeps its bytes on disk past MEMORY_BUDGET; close it after use."""

    def __init__(self, budget: int = MEMORY_BUDGET) -> None:
        self.budget = budget
        self._held = 0
        self._memory: dict[Path, bytes] = {}
        self._disk: dict[Path, tuple[int, int]] = {}  #: path → (offset, length) in the spool file
        self._spool: IO[bytes] | None = None
        self._end = 0  #: where the next file goes; space of replaced files is freed only at close

    def __setitem__(self, path: Path, data: bytes) -> None:
        self.pop(path, None)
        if self._held + len(data) <= self.budget:
            self._memory[path] = data
            self._held += len(data)
            return
        if self._spool is None:
            # unlinked at once (O_TMPFILE where the system has it): the kernel frees it when jdgen ends
            self._spool = tempfile.TemporaryFile(prefix="jdgen-spool-")  # noqa: SIM115 (open until close())
        self._spool.seek(self._end)
        self._spool.write(data)
        self._disk[path] = (self._end, len(data))
        self._end += len(data)

    def __getitem__(self, path: Path) -> bytes:
        if path in self._memory:
            return self._memory[path]
        offset, length = self._disk[path]
        assert self._spool is not None  # a file on disk implies the spool
        self._spool.seek(offset)
        return self._spool.read(length)

    def __delitem__(self, path: Path) -> None:
        if path in self._memory:
            self._held -= len(self._memory.pop(path))
        else:
            del self._disk[path]

    def __iter__(self) -> Iterator[Path]:
        yield from self._memory
        yield from self._disk

    def __len__(self) -> int:
        return len(self._memory) + len(self._disk)

    def close(self) -> None:
        """Free the memory and the disk space the files took."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._end = 0
        self._memory.clear()
        self._disk.clear()

    def __enter__(self) -> SpooledFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
