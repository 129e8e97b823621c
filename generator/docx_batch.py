"""Write many documents as DOCX, on every core when the batch is large enough."""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .docx_writer import DocxMeta, DocxWriter
from .errors import JdgenError, Problem, TemplateError
from .interrupts import STOP_SIGNALS, hold_signals

#: Below this many documents a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 8


def write_docx_batch(
    templates_dir: Path,
    moment: datetime.datetime | None,
    jobs: list[tuple[str, DocxMeta]],
    on_each: Callable[[], None] | None = None,
) -> list[bytes]:
    """Write many Markdown documents as DOCX, on every core when the batch is large enough."""
    tick = on_each or (lambda: None)
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    writer = DocxWriter(templates_dir, moment)  # checks the reference document once, up front
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for job in jobs:
            results.append(_succeeded(_write_one(writer, job)))
            tick()
        return results
    context = multiprocessing.get_context("fork")  # workers inherit the writer; nothing is re-imported
    global _WORKER_WRITER
    _WORKER_WRITER = writer
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    try:
        # the workers are forked here: with stop requests held, none reaches the pool half started,
        # and each worker starts with them blocked until it has set its own handlers
        with hold_signals():
            done = pool.map(_write_in_worker, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
        results = []
        for result in done:
            results.append(result)
            tick()
    except BrokenProcessPool as err:  # a worker was killed, most likely by the system for lack of memory
        raise JdgenError(
            "jdgen: a process writing DOCX files stopped unexpectedly (out of memory?); nothing was written"
        ) from err
    except BaseException:
        # Ctrl-C or a stop request: the remaining documents are not wanted, so the workers go now,
        # instead of the pool's shutdown waiting for every queued document to be written
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER_WRITER = None
    return [_succeeded(result) for result in results]


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


def _write_in_worker(job: tuple[str, DocxMeta]) -> bytes | Problem | str:
    """Write one document in a worker; errors come back as data (click's exceptions do not pickle)."""
    assert _WORKER_WRITER is not None
    return _write_one(_WORKER_WRITER, job)


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
