"""Write many pages as PDF, on every core when there are several: WeasyPrint takes about a second a page."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from . import workers as worker_pool
from .deadline import deadline
from .errors import JdgenError
from .pdf_writer import PdfMeta, write_pdf

#: From this many documents on, workers pay for their start: a single page is laid out here.
PARALLEL_THRESHOLD = 2
#: One page per task: pages take long enough that handing them out one by one balances the cores.
_TASK_SIZE = 1

#: The pages of one batch as the writer takes them: HTML and document information, in order.
Jobs = list[tuple[str, PdfMeta]]


class PdfPool:
    """Lays out PDF pages on worker processes forked once for the build, WeasyPrint loaded before the fork.

    `submit` hands a batch to the workers at once and returns what collects it, so the parent
    renders the next batch's pages meanwhile. One page, one core or a platform without fork
    lays out in this process.
    """

    def __init__(self, expected: int) -> None:
        self.workers = min(worker_pool.usable_cores(), expected) if expected >= PARALLEL_THRESHOLD else 0
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PdfPool:
        if self.workers and _EARLY.held is not None:
            self.pool = _EARLY.adopt()  # forked before the workspace loaded
        elif self.workers:
            import weasyprint  # noqa: F401  (loaded once, here: every worker shares it through the fork)

            self.pool = worker_pool.fork_pool(self.workers)
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self.pool is not None:
            worker_pool.close_pool(self.pool, failed=error is not None)  # Ctrl-C, a stop request or an error
            self.pool = None

    def submit(self, jobs: Jobs) -> Callable[[], Iterator[bytes]]:
        """Start laying out `jobs`; return what yields their bytes in order, waiting for the workers as needed."""
        if self.pool is None:
            return lambda: (_succeeded(_write_one(job)) for job in jobs)
        written = worker_pool.in_order(self.pool, _write_in_worker, jobs, _TASK_SIZE, "PDF")
        return lambda: map(_succeeded, written())


#: Workers forked by early_workers and not yet adopted by a PdfPool.
_EARLY: worker_pool.Standby[ProcessPoolExecutor] = worker_pool.Standby(lambda pool: pool)


def early_workers() -> contextlib.AbstractContextManager[None]:
    """Fork the PDF workers now, before the workspace is loaded, for a build of every role as PDF.

    The PdfPool of the build adopts them (see workers.Standby). Without WeasyPrint nothing is
    forked: the build says how to install it.
    """

    def fork(workers: int) -> ProcessPoolExecutor | None:
        try:
            import weasyprint  # noqa: F401  (before the fork, for every worker to share)
        except (ImportError, OSError):
            return None
        return worker_pool.fork_pool(workers)

    return _EARLY.forked(fork)


def _write_in_worker(jobs: Jobs) -> list[bytes | str]:
    """Lay out pages in a worker; a failure comes back as its message (jdgen's exceptions do not pickle)."""
    return [_write_one(job) for job in jobs]


def _write_one(job: tuple[str, PdfMeta]) -> bytes | str:
    meta = job[1]  # the subject says which document, the keywords which role, level and place
    what = f"the PDF of '{meta.subject}' ({meta.keywords})"
    try:
        with deadline(MAX_PDF_SECONDS, _LayoutTimeoutError):
            return write_pdf(*job)
    except MemoryError:
        return f"jdgen: ran out of memory writing {what}; make it shorter"
    except RecursionError:  # WeasyPrint recurses once per level of nesting
        return f"jdgen: {what} nests its elements too deeply to lay out; nest fewer in templates/page.html.j2"
    except _LayoutTimeoutError:
        return (
            f"jdgen: laying out {what} took longer than {MAX_PDF_SECONDS} seconds; simplify the page's template "
            "and styles (templates/page.html.j2)"
        )


#: Seconds one document's layout may take: the built-in kit's 31 pages take about 7 s on 2 cores.
MAX_PDF_SECONDS = 60


class _LayoutTimeoutError(Exception):
    pass


def _succeeded(result: bytes | str) -> bytes:
    if isinstance(result, str):
        raise JdgenError(result)
    return result
