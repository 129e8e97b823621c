"""Run a command and report its wall time and the peak memory of its whole process tree.

The peak is sampled every 20 ms as the sum of the proportional set size (PSS) of the command and
every process below it, read from /proc: a forked worker's pages shared with its parent count
once, not once per process, and a worker counts while it lives, not only the largest one.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

_PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    found = []
    for task in (_PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue  # the thread or process ended while we looked
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    """Return the summed PSS, in kB, of `root` and every process below it now."""
    total, queue = 0, [root]
    while queue:
        pid = queue.pop()
        total += _pss_kb(pid)
        queue += _children(pid)
    return total


def run_measured(command: list[str], cwd: Path | None = None, interval: float = 0.02) -> tuple[float, float]:
    """Run `command` to its end; return (seconds, peak MB of the process tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss_kb(process.pid))
        time.sleep(interval)
    elapsed = time.perf_counter() - start
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=process.stderr.read())
    return elapsed, peak / 1024
