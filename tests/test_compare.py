"""`jdgen compare`: two roles side by side, from the same library."""

from __future__ import annotations

import re
from pathlib import Path

from generator.assemble import assemble_comparison
from generator.cli import cli
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs


def test_the_comparison_sorts_competencies_into_shared_and_only(minimal: Path) -> None:
    doc = assemble_comparison(load_workspace(WorkspaceDirs(minimal, builtin=False)), "coordinator", "planner")
    assert (doc.shared, doc.only_a, doc.only_b) == (4, 1, 0)
    assert [(row.name, row.a, row.b, row.where) for row in doc.rows][-1] == (
        "Runs meetings",
        "supporting",
        "",
        "only A",
    )
    assert doc.a.differs == "A planner sets the plan; a coordinator keeps it moving."
    assert doc.b.differs is None
    assert [level.title for level in doc.a.levels] == ["Delivery Coordinator", "Senior Delivery Coordinator"]


def test_compare_writes_markdown_and_docx_under_out_compare(runner, minimal: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(minimal), "compare", "delivery-coordinator", "planner"])
    assert result.exit_code == 0, result.output
    markdown = (minimal / "out/compare/coordinator-vs-planner.md").read_text()
    assert (minimal / "out/compare/coordinator-vs-planner.docx").is_file()
    assert markdown.startswith("# Delivery Coordinator and Delivery Planner: how the roles differ\n")
    assert "| Competency | Area | Delivery Coordinator | Delivery Planner |" in markdown
    assert "| Runs meetings | Delivery | supporting | – |" in markdown
    assert "| Delivery Planner | Mid-level | Delivery Planner | $60,000 to $75,000 a year (USD) |" in markdown
    assert (
        '- **In the Delivery Coordinator posting:** "A planner sets the plan; a coordinator keeps it moving."'
        in markdown
    )


def test_comparing_a_role_with_itself_or_an_unknown_role_is_a_usage_error(runner, minimal: Path) -> None:
    same = runner.invoke(cli, ["--workspace", str(minimal), "compare", "coordinator", "delivery-coordinator"])
    assert (same.exit_code, same.stderr) == (2, "jdgen: compare two different roles, not 'coordinator' with itself\n")
    unknown = runner.invoke(cli, ["--workspace", str(minimal), "compare", "coordinator", "planr"])
    assert unknown.exit_code == 2
    assert "unknown role 'planr' (did you mean 'planner'?)" in unknown.stderr


def test_the_builtin_comparisons_explain_the_seed_distinctions(runner, builtin_copy: Path) -> None:
    for a, b in (("tpm", "tech-lead"), ("pm", "tpm")):
        result = runner.invoke(cli, ["--workspace", str(builtin_copy), "compare", a, b, "--format", "md"])
        assert result.exit_code == 0, result.output
        markdown = (builtin_copy / f"out/compare/{a}-vs-{b}.md").read_text()
        sections = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
        assert sections == [
            "In short",
            "Where they differ",
            "Competencies",
            "Levels and pay",
            "Interview loops",
            "Career paths",
        ]
        assert markdown.count('posting:** "') == 2
        table = markdown.split("## Competencies")[1].split("\n## ")[0]
        assert "| core |" in table and "| – |" in table
