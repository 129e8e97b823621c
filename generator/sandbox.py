"""The sandbox templates render in: Jinja's, plus limits on work, time, memory, values and output."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import generate_lorem_ipsum
from jinja2.visitor import NodeTransformer

from .deadline import deadline

#: Work one document may do, in steps: a loop iteration or a range() item is one, a call is CALL_STEPS.
MAX_RENDER_STEPS = 1_000_000
#: Steps one call (of a macro, a method, a global) costs: a macro call takes as long as ten iterations.
CALL_STEPS = 10
#: Wall-clock seconds one document may take to render (enforced when rendering on the main thread).
MAX_RENDER_SECONDS = 10
#: Characters one rendered document may hold.
MAX_OUTPUT_CHARS = 5_000_000
#: Characters or items a string or list made by `*` may hold.
MAX_VALUE_LENGTH = 1_000_000
#: Bits a number made by `*` or `**` may hold; Python will not even print an int past 4,300 digits.
MAX_NUMBER_BITS = 10_000
#: Memory a render may take beyond what jdgen already holds (where the system can cap it).
MAX_RENDER_MEMORY = 512_000_000

_COUNTED = "jdgen_counted"  #: the filter every {% for %} loop's items pass through


class LimitError(Exception):
    """A render went past one of the limits above; the message says which."""


class _CountLoops(NodeTransformer):
    """Pass the items of every {% for %} loop through the counting filter."""

    def visit_For(self, node: nodes.For) -> nodes.For:  # noqa: N802 (Jinja's visitor names)
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _COUNTED, [], [], None, None, lineno=node.iter.lineno)
        return node


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, plus a budget of work per document and a check on `*` and `**`."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.steps_left = MAX_RENDER_STEPS
        self.globals["range"] = self._range
        self.globals["lipsum"] = self._lipsum
        self.filters[_COUNTED] = self._counted

    def start_document(self) -> None:
        """Give the next document the whole budget; its includes and macros share it."""
        self.steps_left = MAX_RENDER_STEPS

    def _charge(self, steps: int) -> None:
        self.steps_left -= steps
        if self.steps_left < 0:
            raise LimitError(
                f"the template does more than {MAX_RENDER_STEPS:,} steps of work (loop iterations, range() "
                "items and calls); loop over the document's data, not over large ranges"
            )

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja has no public hook between parsing and code generation; this is the one place.
        tree = _CountLoops().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree

    def _range(self, *args: int) -> range:
        try:
            items = safe_range(*args)
        except OverflowError as err:
            raise LimitError(f"range() may give at most {MAX_RANGE:,} numbers") from err
        self._charge(len(items))
        return items

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        self._charge(abs(n * max))  # abs: a negative count must not buy back budget
        return generate_lorem_ipsum(n, html, min, max)

    def _counted(self, items: Any) -> Iterator[Any]:
        for item in items:
            self._charge(1)
            yield item

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call from template code, counting the call against the budget (macros may recurse)."""
        self._charge(CALL_STEPS)
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse a `*` or `**` whose result would be huge, before Python spends the time and memory."""
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    def is_int(value: Any) -> bool:
        return isinstance(value, int)

    if is_int(left) and is_int(right):
        if operator == "**":
            bits = abs(left).bit_length() * right if abs(left) > 1 and right > 0 else 0
        else:
            bits = left.bit_length() + right.bit_length()
        if bits > MAX_NUMBER_BITS:
            raise LimitError(f"the number would have more than {MAX_NUMBER_BITS:,} bits; templates keep numbers small")
        return
    times, sequence = (right, left) if is_int(right) else (left, right)
    if (
        operator == "*"
        and is_int(times)
        and isinstance(sequence, str | list | tuple)
        and len(sequence) * times > MAX_VALUE_LENGTH
    ):
        raise LimitError(
            f"'*' would make a text or list longer than {MAX_VALUE_LENGTH:,} characters or items; repeat less"
        )


def collect_output(chunks: Iterator[str]) -> str:
    """Join a template's output, stopping it once the document passes the size limit."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            error = LimitError(f"the document would be longer than {MAX_OUTPUT_CHARS:,} characters; make it shorter")
            # raised inside the template, where it is now, so the message can name the line
            chunks.throw(error)  # type: ignore[attr-defined]
            raise error
        parts.append(chunk)
    return "".join(parts)


@contextlib.contextmanager
def _memory_limit(extra: int) -> Iterator[None]:
    """Cap the address space while a template renders, so one that builds huge values fails fast."""
    limits = _address_space_limits(extra)
    if limits is None:
        yield
        return
    import resource

    capped, previous = limits
    resource.setrlimit(resource.RLIMIT_AS, capped)
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, previous)


def _address_space_limits(extra: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Return (capped, previous) address-space limits, or None where they cannot or need not be set."""
    if threading.current_thread() is not threading.main_thread():
        return None  # the limit holds for the whole process, and other threads are not ours to cap
    try:
        import resource

        previous = resource.getrlimit(resource.RLIMIT_AS)
        # Linux; elsewhere the step budget and the timer must do
        used = int(Path("/proc/self/statm").read_bytes().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return None
    soft, hard = previous
    cap = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return None
    return (cap, hard), previous


@contextlib.contextmanager
def render_limits() -> Iterator[None]:
    """Bound one render's wall-clock time and memory, where the system allows it."""
    # the timer inside: it is disarmed before the memory cap is lifted, so no alarm can skip that
    with _memory_limit(MAX_RENDER_MEMORY), deadline(MAX_RENDER_SECONDS, _too_slow):
        yield


def _too_slow() -> LimitError:
    return LimitError(f"the template took longer than {MAX_RENDER_SECONDS} seconds to render; make it simpler")
