"""Speed and memory of jdgen on this machine, against its targets; prints figures, asserts nothing.

    python benchmarks/run.py [--repeat N] [--sizes 50 200]

1. `jdgen --help` against a bare `python -c pass` (target: within 5 times).
2. `jdgen build tpm` with every format against two `pandoc -f gfm X.md -o X.docx` runs, for the
   posting and the kit, when pandoc is installed (target: within 2 times).
3. `jdgen build --all` on synthetic workspaces of --sizes roles (copies of the built-in ones):
   milliseconds per document, per DOCX against one pandoc process (target: a third at most),
   how the per-document cost changes from the smallest to the largest (target: within 25%),
   and peak memory (target: under 300 MB for 200 roles).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import copy_workspace  # noqa: E402

JDGEN = [sys.executable, "-m", "generator"]
# peak memory of a command and every process it waited for (the DOCX workers included)
_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _median_seconds(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def _help(repeat: int) -> None:
    bare = _median_seconds([sys.executable, "-c", "pass"], repeat)
    jdgen = _median_seconds([*JDGEN, "--help"], repeat)
    ratio = jdgen / bare
    print(f"jdgen --help          {jdgen * 1000:7.0f} ms | python -c pass {bare * 1000:5.0f} ms | "
          f"{ratio:4.1f}x (target <= 5x: {_verdict(ratio <= 5)})")  # fmt: skip


def _build_tpm(repeat: int, scratch: Path) -> float | None:
    """Time `jdgen build tpm` (all formats); return one pandoc process's time, or None."""
    workspace = ["--workspace", str(REPO)]
    out = scratch / "tpm-out"
    jdgen = _median_seconds([*JDGEN, *workspace, "-q", "build", "tpm", "--out", str(out)], repeat)
    line = f"jdgen build tpm       {jdgen * 1000:7.0f} ms (md, docx, html: {len(list(out.rglob('*.*')))} files)"
    pandoc = shutil.which("pandoc")
    if not pandoc:
        print(line + " | pandoc not installed: no comparison")
        return None
    runs = [
        _median_seconds(
            [pandoc, "-f", "gfm", str(out / "tpm" / f"{name}.md"), "-o", str(scratch / f"{name}.docx")], repeat
        )
        for name in ("posting", "interview-kit")
    ]
    ratio = jdgen / sum(runs)
    print(f"{line} | two pandoc runs {sum(runs) * 1000:5.0f} ms | {ratio:4.1f}x (target <= 2x: {_verdict(ratio <= 2)})")
    return statistics.mean(runs)


def _batches(sizes: list[int], scratch: Path, pandoc_process: float | None) -> None:
    builtin_roles = len(list((REPO / "competencies" / "roles").glob("*.yaml")))
    per_document = {}
    for size in sizes:
        copies = max(-(-size // builtin_roles) - 1, 0)
        roles = builtin_roles * (copies + 1)
        workspace = copy_workspace(scratch / f"ws-{size}", copies)
        out = scratch / f"out-{size}"
        command = [*JDGEN, "--workspace", str(workspace), "-q", "build", "--all", "--out", str(out)]
        start = time.perf_counter()
        peak_kb = int(subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True,
                                     capture_output=True, text=True).stdout.split()[-1])  # fmt: skip
        elapsed = time.perf_counter() - start
        documents = len(list(out.rglob("*.md"))) - 1  # each document is also written as DOCX (and HTML)
        docx = len(list(out.rglob("*.docx")))
        per_document[size] = elapsed / documents
        line = (
            f"build --all, {roles:3} roles  {elapsed:6.1f} s | {documents} documents, "
            f"{per_document[size] * 1000:5.1f} ms each in all formats | peak memory {peak_kb / 1024:5.0f} MB"
        )
        if size >= 200:
            line += f" (target < 300 MB: {_verdict(peak_kb / 1024 < 300)})"
        if pandoc_process:
            share = elapsed / docx / pandoc_process
            line += f" | {elapsed / docx * 1000:5.1f} ms per DOCX = {share:.2f} of a pandoc process"
            line += f" (target <= 0.33: {_verdict(share <= 1 / 3)})"
        print(line)
    smallest, largest = min(sizes), max(sizes)
    if smallest != largest:
        change = per_document[largest] / per_document[smallest] - 1
        print(f"per-document cost from {smallest} to {largest} roles: {change:+.0%} "
              f"(target within 25%: {_verdict(abs(change) <= 0.25)})")  # fmt: skip


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, repeat {args.repeat}, {len(__import__('os').sched_getaffinity(0))} cores")
    with tempfile.TemporaryDirectory() as scratch:
        _help(args.repeat)
        pandoc_process = _build_tpm(args.repeat, Path(scratch))
        _batches(sorted(args.sizes), Path(scratch), pandoc_process)


if __name__ == "__main__":
    main()
