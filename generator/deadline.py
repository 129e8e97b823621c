"""A wall-clock limit on work in the main thread: the template sandbox and PDF layout both use it."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def deadline(seconds: float, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` in the work inside after `seconds`, then again every second until it ends.

    Raised where Python cannot pass it on (in a finalizer), an alarm is lost: the next one stops
    the work, and the lost ones are not printed as "Exception ignored in…". Signals need the main
    thread; elsewhere the work runs unbounded in time, and callers rely on their other limits.
    A timer already running is given back what it has left.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    kind = type(expired())
    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:  # never after the work has ended
            raise expired()

    def drop_lost(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, kind):
            hook(unraisable)

    hook = sys.unraisablehook
    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 1)
    sys.unraisablehook = drop_lost
    started = time.monotonic()
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.unraisablehook = hook
        if previous_delay:  # someone else's timer was running: give it back what it has left
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)
