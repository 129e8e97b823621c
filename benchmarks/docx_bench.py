"""Benchmark DOCX output against pandoc; prints figures, asserts nothing.

    python benchmarks/docx_bench.py [--repeat N] [--batch-roles N]

1. The TPM posting and kit written N times in one process: median milliseconds per document.
2. When pandoc is on the PATH: the median time of `pandoc -f gfm X.md -o X.docx` for the same
   Markdown, and the ratio.
3. A batch: `jdgen build --all --format docx` run as a command on the built-in workspace and
   on a synthetic catalogue of --batch-roles roles with distinct titles and places
   (benchmarks/catalogue.py), wall time per DOCX.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue import make_catalogue  # noqa: E402

from generator.docx_writer import DocxMeta, DocxWriter  # noqa: E402
from generator.pipeline import render_role  # noqa: E402
from generator.render import Renderer  # noqa: E402
from generator.validate import load_workspace  # noqa: E402
from generator.workspace import WorkspaceDirs  # noqa: E402


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _batch(workspace: Path, out: Path) -> tuple[float, int]:
    jdgen = [sys.executable, "-m", "generator", "--workspace", str(workspace), "--quiet"]
    start = time.perf_counter()
    subprocess.run([*jdgen, "build", "--all", "--format", "docx", "--out", str(out)], check=True)
    elapsed = time.perf_counter() - start
    return elapsed * 1000, len(list(out.rglob("*.docx")))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--batch-roles", type=int, default=50, help="roles in the synthetic catalogue")
    args = parser.parse_args()

    workspace = load_workspace(WorkspaceDirs(REPO, builtin=False))
    writer = DocxWriter(REPO / "templates")
    docs = render_role(workspace, Renderer(REPO), "tpm", "mid")
    pandoc = shutil.which("pandoc")
    print(f"python {sys.version.split()[0]}, repeat {args.repeat}")
    per_doc: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        for doc in docs:
            meta = DocxMeta(doc.title, doc.subject, "bench", "tpm, mid", doc.template)
            per_doc[doc.name] = _median_ms(lambda doc=doc, meta=meta: writer.write(doc.markdown, meta), args.repeat)
            line = f"{doc.name:16} jdgen {per_doc[doc.name]:7.1f} ms/doc (in process)"
            if pandoc:
                source = scratch_dir / f"{doc.name}.md"
                source.write_text(doc.markdown, encoding="utf-8")
                command = [pandoc, "-f", "gfm", str(source), "-o", str(scratch_dir / f"{doc.name}.docx")]
                pandoc_ms = _median_ms(lambda command=command: subprocess.run(command, check=True), args.repeat)
                per_doc[f"pandoc-{doc.name}"] = pandoc_ms
                line += f" | pandoc {pandoc_ms:7.1f} ms/process | jdgen/pandoc {per_doc[doc.name] / pandoc_ms:.2f}"
            print(line)

        one_pandoc = statistics.mean(v for k, v in per_doc.items() if k.startswith("pandoc-")) if pandoc else None
        for label, roles in (("built-in workspace", 0), (f"{args.batch_roles} roles", args.batch_roles)):
            root = REPO if not roles else make_catalogue(scratch_dir / f"ws-{roles}", roles)
            total_ms, count = _batch(root, scratch_dir / f"out-{roles}")
            line = f"{label:19} build --all --format docx: {count} DOCX in {total_ms:7.0f} ms"
            line += f" = {total_ms / count:6.1f} ms/DOCX"
            if one_pandoc:
                line += f" | {total_ms / count / one_pandoc:.2f} of one pandoc process (target <= 0.2)"
            print(line)


if __name__ == "__main__":
    main()
