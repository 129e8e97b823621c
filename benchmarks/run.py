"""Speed and memory of jdgen on this machine, against its targets; prints figures, asserts nothing.

    python benchmarks/run.py [--repeat N] [--sizes 100 1000]

Every ratio is measured in this run, against this interpreter (`python -c pass` of the same
`sys.executable` that runs jdgen) or against pandoc on this machine, and both figures are printed.

jdgen's modules are compiled to bytecode first, as `pip install` leaves them.

1. `jdgen --help` against `python -c pass` (target: within 4.5 times); `jdgen build --help`,
   which loads click, is printed beside it with no target.
2. `jdgen build tpm` (md, docx, html) against two `pandoc -f gfm X.md -o X.docx` runs, for the
   posting and the kit (target: within 1.6 times).
3. One DOCX in a batch: `build --all --format docx` of the smallest catalogue, per DOCX, against
   one pandoc process (target: at most 0.2); the median of three builds. Then the built-in
   roles' PDFs, laid out on the workers and in one process (no target).
4. Catalogues of --sizes roles with distinct titles, texts and pay, about half of them posted
   in three places (benchmarks/catalogue.py): `lint`, `build --all` and `check` (against the
   built out/), each with the peak memory of the whole process tree (the DOCX workers
   included). Catalogues of up to 100 roles run in seconds and are timed three times, for the
   median; larger ones once.
   Targets: lint and check of the largest at most 12.5 times the smallest for ten times the
   roles; lint, check and build per role within 25% from the smallest to the largest; peak
   memory under 300 MB at 1,000 roles.

   "Per role" is printed two ways. The whole time divided by the roles is cheaper per role in
   the larger catalogue, since the fixed cost (starting Python, imports, the shared files) is
   spread over more roles; it passes when it grows by at most 25%. The marginal cost per role
   subtracts the time of the six built-in roles first, (t(N) - t(6)) / (N - 6), and is what
   shows whether the work itself is linear: it passes within 25% either way.
"""

from __future__ import annotations

import argparse
import os
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

from catalogue import make_catalogue  # noqa: E402
from treemem import run_measured  # noqa: E402

JDGEN = [sys.executable, "-m", "generator"]
#: the built-in workspace's roles: the catalogue whose time is the fixed cost of every run
BUILTIN_ROLES = 6
#: catalogues this small are timed SHORT_RUNS times, for the median
SHORT_RUN_ROLES = 100
SHORT_RUNS = 3


def _median_seconds(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def _compile_package() -> None:
    """Compile jdgen's modules to bytecode first, as `pip install` does for an installed package.

    An editable install, or PYTHONDONTWRITEBYTECODE, would otherwise leave every run compiling
    every module from source: a cost no installed jdgen pays.
    """
    import compileall

    import generator

    compileall.compile_dir(Path(generator.__file__).parent, quiet=1)
    print(f"bytecode compiled first for {Path(generator.__file__).parent}, as pip install does")


def _help(repeat: int) -> None:
    bare = _median_seconds([sys.executable, "-c", "pass"], repeat)
    jdgen = _median_seconds([*JDGEN, "--help"], repeat)
    ratio = jdgen / bare
    print(f"jdgen --help            {jdgen * 1000:7.0f} ms | python -c pass {bare * 1000:5.0f} ms | "
          f"{ratio:4.1f}x (target <= 4.5x: {_verdict(ratio <= 4.5)})")  # fmt: skip
    # a command's own help loads click and defines every command: no target, shown for comparison
    command = _median_seconds([*JDGEN, "build", "--help"], repeat)
    print(f"jdgen build --help      {command * 1000:7.0f} ms | {command / bare:4.1f}x python -c pass (no target)")


def _pandoc(markdown: Path, scratch: Path, repeat: int) -> float:
    return _median_seconds(["pandoc", "-f", "gfm", str(markdown), "-o", str(scratch / "pandoc.docx")], repeat)


def _build_tpm(repeat: int, scratch: Path) -> float | None:
    """Time `jdgen build tpm`; return one pandoc process's time (the mean of the two), or None."""
    out = scratch / "tpm-out"
    command = [*JDGEN, "--workspace", str(REPO), "-q", "build", "tpm", "--format", "md", "--format", "docx",
               "--format", "html", "--out", str(out)]  # fmt: skip
    jdgen = _median_seconds(command, repeat)
    line = f"jdgen build tpm         {jdgen * 1000:7.0f} ms ({len(list(out.rglob('*.*')))} files: md, docx, html)"
    if not shutil.which("pandoc"):
        print(line + " | pandoc not installed: no comparison")
        return None
    runs = [_pandoc(out / "tpm" / name, scratch, repeat) for name in ("columbus/posting.md", "interview-kit.md")]
    ratio = jdgen / sum(runs)
    print(f"{line} | two pandoc runs {sum(runs) * 1000:5.0f} ms | {ratio:4.1f}x "
          f"(target <= 1.6x: {_verdict(ratio <= 1.6)})")  # fmt: skip
    return statistics.mean(runs)


def _catalogue(roles: int, scratch: Path) -> dict[str, tuple[float, float]]:
    """Time lint, build --all and check on a catalogue of `roles` roles; return {step: (seconds, peak MB)}.

    A catalogue of at most SHORT_RUN_ROLES roles runs in seconds, where a noisy neighbour moves
    a figure by tens of percent, so it is run SHORT_RUNS times and the median taken (each build
    into an empty out/, as the first one).
    """
    workspace = make_catalogue(scratch / f"catalogue-{roles}", roles)
    base = [*JDGEN, "--workspace", str(workspace), "-q"]
    runs = SHORT_RUNS if roles <= SHORT_RUN_ROLES else 1
    measured: dict[str, list[tuple[float, float]]] = {"lint": [], "build --all": [], "check": []}
    for _ in range(runs):
        shutil.rmtree(workspace / "out", ignore_errors=True)
        measured["lint"].append(run_measured([*base, "lint"]))
        measured["build --all"].append(run_measured([*base, "build", "--all"]))
        measured["check"].append(run_measured([*base, "check"]))
    figures = {
        step: (statistics.median(t for t, _ in runs_), max(peak for _, peak in runs_))
        for step, runs_ in measured.items()
    }
    for step, (seconds, peak) in figures.items():
        line = f"{roles:5} roles  {step:11} {seconds:7.1f} s | {seconds / roles * 1000:6.1f} ms per role"
        line += f" | whole-tree peak {peak:5.0f} MB"
        if roles >= 1000:
            line += f" (target < 300 MB: {_verdict(peak < 300)})"
        if runs > 1:
            line += f" (median of {runs} runs)"
        print(line)
    postings = len(list((workspace / "out").rglob("posting.md")))
    print(f"{roles:5} roles  wrote {sum(1 for p in (workspace / 'out').rglob('*') if p.is_file())} files, "
          f"{postings} postings")  # fmt: skip
    return figures


def _docx_share(roles: int, scratch: Path, pandoc_process: float) -> None:
    workspace = make_catalogue(scratch / f"docx-{roles}", roles)
    times = []
    for run in range(SHORT_RUNS):
        out = scratch / f"docx-out-{roles}-{run}"
        seconds, _ = run_measured([*JDGEN, "--workspace", str(workspace), "-q", "build", "--all", "--format", "docx",
                                   "--out", str(out)])  # fmt: skip
        times.append(seconds)
    seconds = statistics.median(times)
    count = len(list(out.rglob("*.docx")))
    share = seconds / count / pandoc_process
    print(f"build --all --format docx, {roles} roles: {count} DOCX in {seconds:5.1f} s (median of {SHORT_RUNS}) = "
          f"{seconds / count * 1000:5.1f} ms per DOCX | one pandoc process {pandoc_process * 1000:4.0f} ms | "
          f"{share:.2f} of it (target <= 0.2: {_verdict(share <= 0.2)})")  # fmt: skip


#: jdgen with every batch written in its own process: no workers
ONE_PROCESS = [
    sys.executable,
    "-c",
    "import sys, generator.workers as w; w.cores = lambda: 1; sys.argv = ['jdgen', *sys.argv[1:]]; "
    "from generator.entry import main; main()",
]


def _pdf_workers(scratch: Path) -> None:
    """Time the six built-in roles' PDFs laid out on the workers and in one process (no target)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        print("build --all --format pdf: WeasyPrint not installed (pip install 'jdgen[pdf]'): not timed")
        return
    args = ["--workspace", str(REPO), "-q", "build", "--all", "--format", "pdf", "--out"]
    on_workers, _ = run_measured([*JDGEN, *args, str(scratch / "pdf-workers")])
    alone, _ = run_measured([*ONE_PROCESS, *args, str(scratch / "pdf-alone")])
    count = len(list((scratch / "pdf-workers").rglob("*.pdf")))
    print(f"build --all --format pdf, {BUILTIN_ROLES} roles: {count} PDF in {on_workers:5.1f} s on the workers | "
          f"{alone:5.1f} s in one process | {alone / on_workers:.1f}x as fast (no target)")  # fmt: skip


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    print(f"python {sys.version.split()[0]} ({sys.executable}), repeat {args.repeat}, "
          f"{len(os.sched_getaffinity(0))} cores")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        _compile_package()
        _help(args.repeat)
        pandoc_process = _build_tpm(args.repeat, scratch)
        if pandoc_process:
            _docx_share(sizes[0], scratch, pandoc_process)
        _pdf_workers(scratch)
        results = {size: _catalogue(size, scratch) for size in sorted({BUILTIN_ROLES, *sizes})}
    smallest, largest = sizes[0], sizes[-1]
    if smallest == largest:
        return
    scale = largest / smallest
    for step in ("lint", "build --all", "check"):
        ratio = results[largest][step][0] / results[smallest][step][0]
        per_role = ratio / scale - 1
        fixed = results[BUILTIN_ROLES][step][0]
        marginal = [(results[size][step][0] - fixed) / (size - BUILTIN_ROLES) for size in (smallest, largest)]
        change = marginal[1] / marginal[0] - 1
        line = f"{step:11} {largest} vs {smallest} roles: {ratio:5.1f}x the time"
        if step != "build --all":
            line += f" (target <= {1.25 * scale:.1f}x: {_verdict(ratio <= 1.25 * scale)})"
        line += f" | per role {per_role:+.0%} (target: at most +25%: {_verdict(per_role <= 0.25)})"
        line += (
            f" | marginal per role {marginal[0] * 1000:.0f} -> {marginal[1] * 1000:.0f} ms, {change:+.0%} "
            f"(target within 25%: {_verdict(abs(change) <= 0.25)})"
        )
        print(line)


if __name__ == "__main__":
    main()
