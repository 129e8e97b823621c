"""Write many documents as DOCX, on every core when the batch is large enough."""

from __future__ import annotations

import contextlib
import datetime
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .docx_writer import DocxMeta, DocxWriter
from .errors import JdgenError, Problem, TemplateError
from .interrupts import STOP_SIGNALS, hold_signals

#: Below this many documents a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 8
#: Documents one worker task writes: few enough to spread a batch, enough to keep pickling cheap.
_TASK_SIZE = 8

#: The documents of one batch as the writer takes them: Markdown and properties, in order.
Jobs = list[tuple[str, DocxMeta]]


def write_docx_batch(
    templates_dir: Path,
    moment: datetime.datetime | None,
    jobs: Jobs,
    on_each: Callable[[], None] | None = None,
) -> list[bytes]:
    """Write many Markdown documents as DOCX, on every core when the batch is large enough."""
    tick = on_each or (lambda: None)
    with DocxPool(templates_dir, moment, len(jobs)) as pool:
        results = []
        for data in pool.submit(jobs)():
            results.append(data)
            tick()
        return results


class DocxPool:
    """Writes DOCX on worker processes forked once, at the start of a build, while the parent is small.

    `submit` hands a batch to the workers at once and returns what collects it, so the parent
    renders the next batch while the workers write this one; memory holds a batch or two, not
    the build. A small build (fewer than PARALLEL_THRESHOLD documents in all) or a platform
    without fork writes in this process.
    """

    def __init__(self, templates_dir: Path, moment: datetime.datetime | None, expected: int) -> None:
        self.writer = DocxWriter(templates_dir, moment)  # checks the reference document once, up front
        workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self.workers = workers if expected >= PARALLEL_THRESHOLD and workers >= 2 and forkable else 0
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> DocxPool:
        if self.workers:
            global _WORKER_WRITER
            _WORKER_WRITER = self.writer
            context = multiprocessing.get_context("fork")  # workers inherit the writer; nothing is re-imported
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker)
            # the workers are forked now, while the parent holds only the workspace: with stop requests
            # held, none reaches the pool half started, and each worker starts with them blocked until
            # it has set its own handlers. Frozen, the parent's objects are not touched by the workers'
            # garbage collector, so their pages stay shared instead of being copied into each worker.
            gc.freeze()
            try:
                with hold_signals():
                    self.pool.submit(int).result()
            finally:
                gc.unfreeze()
        return self

    def __exit__(self, kind, error, trace) -> None:
        global _WORKER_WRITER
        if self.pool is not None:
            if error is not None:
                # Ctrl-C, a stop request or an error: the remaining documents are not wanted, so the
                # workers go now, instead of the pool's shutdown waiting for every queued document
                _stop_workers(self.pool)
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _WORKER_WRITER = None

    def submit(self, jobs: Jobs) -> Callable[[], Iterator[bytes]]:
        """Start writing `jobs`; return what yields their bytes in order, waiting for the workers as needed."""
        if self.pool is None:
            return lambda: (_succeeded(_write_one(self.writer, job)) for job in jobs)
        tasks = [self.pool.submit(_write_in_worker, jobs[i : i + _TASK_SIZE]) for i in range(0, len(jobs), _TASK_SIZE)]

        def collect() -> Iterator[bytes]:
            try:
                for task in tasks:
                    for result in task.result():
                        yield _succeeded(result)
            except BrokenProcessPool as err:  # a worker was killed, most likely by the system for lack of memory
                raise JdgenError(
                    "jdgen: a process writing DOCX files stopped unexpectedly (out of memory?); nothing was written"
                ) from err

        return collect


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


#: prctl(2) option: the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    # the executor has no public way to end its workers before Python 3.14
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()


_WORKER_WRITER: DocxWriter | None = None


def _write_in_worker(jobs: Jobs) -> list[bytes | Problem | str]:
    """Write documents in a worker; errors come back as data (click's exceptions do not pickle)."""
    assert _WORKER_WRITER is not None
    return [_write_one(_WORKER_WRITER, job) for job in jobs]


def _write_one(writer: DocxWriter, job: tuple[str, DocxMeta]) -> bytes | Problem | str:
    """Write one document; a problem comes back as a Problem (a template's) or a message (any other)."""
    try:
        return writer.write(*job)
    except TemplateError as err:
        return err.problem
    except JdgenError as err:
        return err.format_message()
    except MemoryError:
        return Problem(job[1].template, None, "ran out of memory writing this document as DOCX; make it shorter")


def _succeeded(result: bytes | Problem | str) -> bytes:
    """Return a document's bytes, or raise the error that came back instead, in the same words."""
    if isinstance(result, Problem):
        raise TemplateError(result.path, result.line, result.message)
    if isinstance(result, str):
        raise JdgenError(result)
    return result
