"""Write many documents as DOCX, on every core when the batch is large enough."""

from __future__ import annotations

import datetime
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .docx_writer import DocxMeta, DocxWriter
from .errors import Problem, TemplateError

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
        for markdown, meta in jobs:
            results.append(writer.write(markdown, meta))
            tick()
        return results
    context = multiprocessing.get_context("fork")  # workers inherit the writer; nothing is re-imported
    global _WORKER_WRITER
    _WORKER_WRITER = writer
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = []
            for result in pool.map(_write_in_worker, jobs, chunksize=max(1, len(jobs) // (workers * 4))):
                results.append(result)
                tick()
    finally:
        _WORKER_WRITER = None
    for result in results:
        if isinstance(result, Problem):
            raise TemplateError(result.path, result.line, result.message)
    return results


_WORKER_WRITER: DocxWriter | None = None


def _write_in_worker(job: tuple[str, DocxMeta]) -> bytes | Problem:
    """Write one document in a worker; errors come back as data (click's exceptions do not pickle)."""
    assert _WORKER_WRITER is not None
    try:
        return _WORKER_WRITER.write(*job)
    except TemplateError as err:
        return err.problem
