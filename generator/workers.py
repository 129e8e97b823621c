"""Worker processes that encode documents off the parent's core: forked once, stopped with the build.

DOCX and PDF are the costly formats. Each keeps a pool of processes forked from the parent, so
nothing is imported again, and hands them whole documents. What the workers share: how they are
forked and started, how they stop, and what a killed worker becomes (one line, nothing written).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

from .errors import JdgenError
from .interrupts import STOP_SIGNALS, hold_signals

T = TypeVar("T")

#: prctl(2) option: the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """Return how many workers a batch may use: the cores this process may run on, at most 8."""
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)


def forkable() -> bool:
    """Say whether this platform can fork workers (Windows cannot; documents are then written here)."""
    return "fork" in multiprocessing.get_all_start_methods()


def usable_cores() -> int:
    """Return how many workers a pool may fork: one per core, or 0 on one core or without fork."""
    count = cores()
    return count if count >= 2 and forkable() else 0


class Standby(Generic[T]):
    """Workers forked before the workspace loads, held until the build's pool adopts them.

    Forked later, the workers would hold the parent's workspace as it was at the fork, and each
    page of it the parent then touches would be copied: at a thousand roles the workspace lived
    in memory twice. Forked first, they share only the imported code. What is held is the pool,
    or the pool with what its workers were forked with (`pool_of` finds the pool in it).
    """

    def __init__(self, pool_of: Callable[[T], ProcessPoolExecutor]) -> None:
        self.held: T | None = None
        self._pool_of = pool_of

    @contextlib.contextmanager
    def forked(self, fork: Callable[[int], T | None]) -> Iterator[None]:
        """Hold what `fork` makes of the usable cores (None: nothing to fork) for the block.

        Workers no pool adopted (a small build, an error) end on leaving.
        """
        workers = usable_cores()
        self.held = fork(workers) if workers else None
        try:
            yield
        finally:
            held, self.held = self.held, None
            if held is not None:
                close_pool(self._pool_of(held), failed=False)

    def adopt(self) -> T | None:
        """Take the held workers for the build's pool; None when there are none."""
        held, self.held = self.held, None
        return held


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """Fork `workers` processes that inherit this process's modules and state, and wait until they run."""
    context = multiprocessing.get_context("fork")  # workers inherit what is loaded; nothing is re-imported
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    # with stop requests held, none reaches the pool half started, and each worker starts with
    # them blocked until it has set its own handlers. Frozen, the parent's objects are not touched
    # by the workers' garbage collector, so their pages stay shared instead of being copied.
    gc.freeze()
    try:
        with hold_signals():
            pool.submit(int).result()
    finally:
        gc.unfreeze()
    return pool


def close_pool(pool: ProcessPoolExecutor, failed: bool) -> None:
    """Shut `pool` down; after a failure or a stop request its workers go at once, unfinished."""
    if failed:
        # the remaining documents are not wanted, so the workers go now, instead of the pool's
        # shutdown waiting for every queued document
        for process in list(getattr(pool, "_processes", {}).values()):  # no public way before Python 3.14
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _results(tasks: Iterable[Future[list[T]]], what: str) -> Iterator[T]:
    """Yield each task's results in order, waiting as needed; a killed worker is one line naming `what`."""
    try:
        for task in tasks:
            yield from task.result()
    except BrokenProcessPool as err:  # a worker was killed, most likely by the system for lack of memory
        raise JdgenError(
            f"jdgen: a process writing {what} files stopped unexpectedly (out of memory?); nothing was written"
        ) from err


def in_order(
    pool: ProcessPoolExecutor, work: Callable[[list], list[T]], jobs: list, size: int, what: str
) -> Callable[[], Iterator[T]]:
    """Hand `jobs` to the workers in tasks of `size`; return what yields their results in order."""
    tasks = [pool.submit(work, jobs[i : i + size]) for i in range(0, len(jobs), size)]
    return lambda: _results(tasks, what)


def _start_worker() -> None:
    """Leave Ctrl-C and stop requests to the parent, and end with it should it die first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if sys.platform.startswith("linux"):
        import ctypes

        # a parent killed outright (SIGKILL) cannot stop its workers; without this they would
        # wait forever on a result pipe nobody reads, holding the caller's output open
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
