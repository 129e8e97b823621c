"""Hold SIGINT and SIGTERM while out/ is written, so that a stop request never splits a write."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from .errors import WriteInterruptedError

#: The signals that ask jdgen to stop.
STOP_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None)


class InterruptGuard:
    """Record SIGINT and SIGTERM instead of acting on them; the writer stops at its next safe point.

    A handler that only records cannot land in the middle of a file operation, as an exception
    raised by the default SIGINT handler could. Outside the `with` block the previous handlers apply.
    """

    def __init__(self, where: str) -> None:
        self.where = where  #: the folder being written, as messages show it
        self.signum: int | None = None  #: the first stop request received, if any
        self._previous: dict[int, object] = {}

    def __enter__(self) -> InterruptGuard:
        # only the main thread may set handlers; elsewhere jdgen runs as a library and the host decides
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            # None means a handler set outside Python; the default is the closest we can restore
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        self._previous.clear()

    def _record(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def check(self) -> None:
        """Stop here, with nothing changed, when a stop request has arrived."""
        if self.signum is not None:
            raise WriteInterruptedError(self.signum, f"{self.where} was left as it was")

    def deferred(self) -> contextlib.AbstractContextManager[None]:
        """Block the signals for the block's duration, where the platform can; they arrive after it."""
        return hold_signals()


@contextlib.contextmanager
def hold_signals() -> Iterator[None]:
    """Block SIGINT and SIGTERM for the block's duration, where the platform can; they arrive after it.

    A process forked inside the block starts with them blocked too, until it unblocks them itself.
    """
    block = getattr(signal, "pthread_sigmask", None)
    if block is None:
        yield
        return
    previous = block(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)
