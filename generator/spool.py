"""Output files between rendering and writing: in memory while few, on disk once they add up.

A build of a thousand roles makes thousands of files; holding them all in memory until the
all-or-nothing write would grow with the catalogue. Past a budget, each file goes to a private
temporary folder as it is made and is read back when written or compared.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path

#: Bytes kept in memory before files go to disk: a build of a few roles never touches the disk.
MEMORY_BUDGET = 8 * 1024 * 1024


class SpooledFiles(MutableMapping[Path, bytes]):
    """A mapping of output path → bytes that keeps its bytes on disk past MEMORY_BUDGET; close it after use."""

    def __init__(self, budget: int = MEMORY_BUDGET) -> None:
        self.budget = budget
        self._held = 0
        self._memory: dict[Path, bytes] = {}
        self._disk: dict[Path, Path] = {}
        self._folder: Path | None = None
        self._count = 0  #: files ever put on disk, for fresh names

    def __setitem__(self, path: Path, data: bytes) -> None:
        self.pop(path, None)
        if self._held + len(data) <= self.budget:
            self._memory[path] = data
            self._held += len(data)
            return
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="jdgen-spool-"))
        self._count += 1
        spooled = self._folder / str(self._count)
        spooled.write_bytes(data)
        self._disk[path] = spooled

    def __getitem__(self, path: Path) -> bytes:
        if path in self._memory:
            return self._memory[path]
        return self._disk[path].read_bytes()

    def __delitem__(self, path: Path) -> None:
        if path in self._memory:
            self._held -= len(self._memory.pop(path))
        else:
            self._disk.pop(path).unlink()

    def __iter__(self) -> Iterator[Path]:
        yield from self._memory
        yield from self._disk

    def __len__(self) -> int:
        return len(self._memory) + len(self._disk)

    def close(self) -> None:
        """Delete the files kept on disk."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._memory.clear()
        self._disk.clear()

    def __enter__(self) -> SpooledFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
