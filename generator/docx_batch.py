"""Write many documents as DOCX, on every core when the batch is large enough."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from . import workers as worker_pool
from .docx_writer import DocxMeta, DocxWriter
from .errors import JdgenError, Problem, TemplateError

#: From this many documents a worker writes them while this process lints and writes the other
#: formats: one role's five DOCX files take about 0.2 s, forking a worker a few milliseconds.
PARALLEL_THRESHOLD = 2
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
    the build. A single document, a single core or a platform without fork is written in this
    process.
    """

    def __init__(self, templates_dir: Path, moment: datetime.datetime | None, expected: int) -> None:
        held = _EARLY.held
        early = held if held is not None and held.key == (templates_dir, moment) else None
        # checks the reference document once, up front (the early workers' writer already has)
        self.writer = early.writer if early is not None else DocxWriter(templates_dir, moment)
        # no more workers than there are tasks: one role's documents are one task, for one worker
        tasks = -(-expected // _TASK_SIZE)
        self.workers = min(worker_pool.usable_cores(), tasks) if expected >= PARALLEL_THRESHOLD else 0
        self.early = early if self.workers else None  # a small build leaves them for early_workers to end
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> DocxPool:
        if self.early is not None:
            self.pool = _EARLY.adopt().pool  # forked before the workspace loaded
        elif self.workers:
            self.pool = _fork_pool(self.writer, self.workers)
        return self

    def __exit__(self, kind, error, trace) -> None:
        global _WORKER_WRITER
        if self.pool is not None:
            worker_pool.close_pool(self.pool, failed=error is not None)  # Ctrl-C, a stop request or an error
            self.pool = None
        _WORKER_WRITER = None

    def submit(self, jobs: Jobs) -> Callable[[], Iterator[bytes]]:
        """Start writing `jobs`; return what yields their bytes in order, waiting for the workers as needed."""
        if self.pool is None:
            return lambda: (_succeeded(_write_one(self.writer, job)) for job in jobs)
        written = worker_pool.in_order(self.pool, _write_in_worker, jobs, _TASK_SIZE, "DOCX")
        return lambda: map(_succeeded, written())


class _EarlyWorkers(NamedTuple):
    key: tuple[Path, datetime.datetime | None]  #: the templates folder and the build's moment
    writer: DocxWriter
    pool: ProcessPoolExecutor


#: Workers forked by early_workers and not yet adopted by a DocxPool.
_EARLY: worker_pool.Standby[_EarlyWorkers] = worker_pool.Standby(lambda early: early.pool)


def early_workers(templates_dir: Path, moment: datetime.datetime | None) -> contextlib.AbstractContextManager[None]:
    """Fork the DOCX workers now, before the workspace is loaded, for a build that is likely large.

    The DocxPool of the build adopts them (see workers.Standby). A reference document that
    cannot be read forks nothing: the build reports it in its turn.
    """

    def fork(workers: int) -> _EarlyWorkers | None:
        try:
            writer = DocxWriter(templates_dir, moment)
        except JdgenError:
            return None
        return _EarlyWorkers((templates_dir, moment), writer, _fork_pool(writer, workers))

    return _EARLY.forked(fork)


def _fork_pool(writer: DocxWriter, workers: int) -> ProcessPoolExecutor:
    """Fork `workers` processes that write with `writer`, and wait until they run."""
    global _WORKER_WRITER
    _WORKER_WRITER = writer  # the workers inherit it at the fork
    return worker_pool.fork_pool(workers)


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
