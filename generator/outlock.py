"""One jdgen run at a time writes to an out/ folder: a lock file inside it, waited for within a bound."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import OutputError
from .outpaths import write_failure

try:
    import fcntl
except ImportError:  # Windows: an exclusively created file with the holder's pid stands in
    fcntl = None

LOCK_NAME = ".jdgen.lock"
#: Seconds a run waits for another one writing to the same out/ before it gives up.
LOCK_TIMEOUT = 120.0
_POLL = 0.05
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)

#: Called with one line to show the user, e.g. that the run is waiting.
Notify = Callable[[str], None]


class OutLock:
    """The lock on one out/ folder, and the folders and lock file this run had to create for it."""

    def __init__(self, out_dir: Path, shown: Callable[[Path], str]) -> None:
        self.out_dir = out_dir
        self.path = out_dir / LOCK_NAME
        self.shown = shown
        self.created_dirs: list[Path] = []  #: out/ and its parents made by this run, outermost first
        self.committed = False  #: set by the writer once out/ holds this run's outputs
        self._created_file = False
        self._handle: int | None = None

    def acquire(self, notify: Notify, checkpoint: Callable[[], None]) -> None:
        """Take the lock, telling the user once if another run holds it; give up after LOCK_TIMEOUT."""
        deadline = time.monotonic() + LOCK_TIMEOUT
        told = False
        while not self._try_once():
            checkpoint()
            if time.monotonic() > deadline:
                raise OutputError(self.shown(self.path), self._busy_reason())
            if not told:
                notify(f"jdgen: waiting for another jdgen run writing to {self.shown(self.out_dir)}/…")
                told = True
            time.sleep(_POLL)

    def release(self) -> None:
        """Let the next run in; a run that wrote nothing takes away the lock file and folders it made."""
        held, self._handle = self._handle, None
        if held is not None and fcntl is None:
            os.close(held)  # Windows cannot delete an open file; here the file's existence is the lock
            self.path.unlink(missing_ok=True)
        elif held is not None and self._created_file and not self.committed:
            # deleted while still locked: a waiter that then gets it sees the file is gone and tries again
            self.path.unlink(missing_ok=True)
        if not self.committed:
            for folder in reversed(self.created_dirs):
                with contextlib.suppress(OSError):
                    folder.rmdir()
        if held is not None and fcntl is not None:
            os.close(held)

    def _try_once(self) -> bool:
        """Try to take the lock without waiting; return whether it was taken."""
        self._make_out_dir()
        if fcntl is None:
            return self._try_exclusive_file()
        existed = os.path.lexists(self.path)
        try:
            handle = os.open(self.path, _OPEN_FLAGS, 0o644)
        except FileNotFoundError:
            return False  # out/ went away between the two calls: the next try makes it again
        except OSError as err:
            raise OutputError(self.shown(self.path), _open_reason(err)) from err
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise OutputError(self.shown(self.path), "a special file stands where jdgen's lock goes; move it away")
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return False
        except BaseException:
            os.close(handle)
            raise
        if not _is_current(handle, self.path):
            os.close(handle)  # the holder removed it on its way out; lock the file that is there now
            return False
        self._handle, self._created_file = handle, not existed
        return True

    def _try_exclusive_file(self) -> bool:
        try:
            handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        os.write(handle, f"{os.getpid()}\n".encode())
        self._handle, self._created_file = handle, True
        return True

    def _make_out_dir(self) -> None:
        """Create out/ and its missing parents, remembering which this run made."""
        missing = [p for p in (self.out_dir, *self.out_dir.parents) if not os.path.lexists(p)]
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue  # another run made it a moment ago
            except OSError as err:
                blame = next((p for p in folder.parents if os.path.lexists(p) and not p.is_dir()), folder)
                raise OutputError(self.shown(blame), _open_reason(err)) from err
            self.created_dirs.append(folder)

    def _busy_reason(self) -> str:
        holder = ""
        if fcntl is None:
            with contextlib.suppress(OSError, ValueError):
                holder = f" (pid {int(self.path.read_text().strip())})"
        return (
            f"another jdgen run{holder} still writes to {self.shown(self.out_dir)}/ after {LOCK_TIMEOUT:.0f} s "
            "of waiting; let it finish and build again"
            + ("" if fcntl else f", or delete {self.shown(self.path)} if no jdgen run is left")
        )


@contextlib.contextmanager
def hold_out_lock(
    out_dir: Path, shown: Callable[[Path], str], notify: Notify, checkpoint: Callable[[], None]
) -> Iterator[OutLock]:
    """Hold the lock on `out_dir` for the block."""
    lock = OutLock(out_dir, shown)
    try:
        lock.acquire(notify, checkpoint)
        yield lock
    finally:
        lock.release()


def _is_current(handle: int, path: Path) -> bool:
    """Return whether `path` still names the file open as `handle`."""
    try:
        now = path.lstat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _open_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "a symlink stands where jdgen's lock goes; jdgen does not follow links, so move it away"
    if err.errno == errno.EISDIR:
        return "a folder stands where jdgen's lock goes; move it away"
    return write_failure(err)
