"""How `jdgen lint` scales with the findings in a posting and with the roles of a workspace; prints figures.

    python benchmarks/lint_scale.py [--words 50000] [--roles 100] [--repeat 3]

1. One posting holding N, 2N and 4N flagged words (a different random text each time), in a
   workspace of the built-in roles: seconds for `lint` of every role, and the ratio per doubling
   (2.0 is linear; the quadratic checker this replaced gave about 4).
2. M, 2M and 4M roles with distinct titles and ordinary postings: seconds for `lint` of every
   role, milliseconds per posting, and the ratio per doubling.
Each figure is the median of --repeat runs of `pipeline.lint` in this process (validation,
rendering the postings and the checks), after one warm-up run; `python -c pass` of the same
interpreter is printed for reference.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.options import LintOptions, WorkspaceOptions  # noqa: E402
from generator.pipeline import lint  # noqa: E402

#: words each flagged by exactly one word rule
FLAGGED = ["rockstar", "ninja", "guru", "crazy", "synergy", "juggle", "dude", "hardcore", "insane", "paradigm"]


def make_workspace(target: Path, roles: int, flagged_words: int, seed: int) -> int:
    """Write a workspace of the built-in areas and `roles` copies of the built-in roles; return its title count."""
    target.mkdir()
    shutil.copy(REPO / "jdgen.yaml", target)
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copytree(REPO / "competencies", target / "competencies", ignore=shutil.ignore_patterns("roles"))
    (target / "competencies" / "roles").mkdir()
    originals = sorted((REPO / "competencies" / "roles").glob("*.yaml"))
    titles = 0
    for number in range(roles):
        role = yaml.safe_load(originals[number % len(originals)].read_text(encoding="utf-8"))
        # references to other roles and aliases would clash or dangle among the copies
        for key in ("aliases", "differs_from", "career_path"):
            role.pop(key, None)
        role["title"] = f"{role['title']} {number}"
        for level in role["levels"].values():
            level["title"] = f"{level['title']} {number}"
        titles += 1 + len(role["levels"])
        if number == 0 and flagged_words:
            _fill(role, flagged_words, seed)
        path = target / "competencies" / "roles" / f"r{number:04d}.yaml"
        path.write_text(yaml.safe_dump(role, allow_unicode=True, width=1 << 30), encoding="utf-8")
    return titles


def _fill(role: dict, flagged_words: int, seed: int) -> None:
    """Put `flagged_words` flagged words, in a random order, into the summary and the about text."""
    rng = random.Random(seed)
    words = [rng.choice(FLAGGED) for _ in range(flagged_words)]
    half = len(words) // 2
    role["summary"] = " ".join(words[:half])
    role["about"] = " ".join(words[half:])


def time_lint(root: Path, repeat: int) -> tuple[float, int]:
    """Return the median seconds of `lint` over every role, and how many findings it reported."""
    options = LintOptions(workspace=WorkspaceOptions(root))
    result = lint(options)  # warm-up: rules compiled, dictionaries read
    times = []
    for _ in range(repeat):
        gc.collect()  # each run starts without the garbage of the one before
        start = time.perf_counter()
        result = lint(options)
        times.append(time.perf_counter() - start)
    return statistics.median(times), sum(len(report.findings) for report in result.reports)


def bare_start_up(repeat: int) -> float:
    """Return the median seconds of `python -c pass` with this interpreter."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ratios(seconds: list[float]) -> str:
    return ", ".join(f"{later / earlier:.2f}" for earlier, later in pairwise(seconds))


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000, help="flagged words in the smallest posting")
    parser.add_argument("--roles", type=int, default=100, help="roles in the smallest workspace")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python -c pass: {bare_start_up(5) * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as scratch:
        seconds = []
        for step, words in enumerate(args.words * 2**k for k in range(3)):
            root = Path(scratch) / f"words-{words}"
            make_workspace(root, 6, words, seed=step)
            size = sum(p.stat().st_size for p in (root / "competencies" / "roles").glob("*.yaml"))
            elapsed, findings = time_lint(root, args.repeat)
            seconds.append(elapsed)
            print(f"{words:7d} flagged words ({size / 1e6:.1f} MB of roles): {elapsed:6.2f} s, {findings} findings")
        print(f"  ratio per doubling of the findings: {_ratios(seconds)} (linear: 2)")
        seconds = []
        for roles in (args.roles * 2**k for k in range(3)):
            root = Path(scratch) / f"roles-{roles}"
            titles = make_workspace(root, roles, 0, seed=0)
            elapsed, _ = time_lint(root, args.repeat)
            seconds.append(elapsed)
            print(f"{roles:7d} roles, {titles} titles: {elapsed:6.2f} s, {elapsed / roles * 1000:5.1f} ms a posting")
        print(f"  ratio per doubling of the roles: {_ratios(seconds)} (linear: 2)")


if __name__ == "__main__":
    main()
