"""Language checks for postings: inclusive wording, readability and pay transparency."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..core import Workspace
from .checker import Finding, LintSettings, Metrics, check_posting, check_words, measure
from .pay_law import pay_law_findings
from .rules import load_rules
from .sources import posting_text

__all__ = ["Finding", "LintReport", "lint_role"]


@dataclass(frozen=True)
class LintReport:
    """Everything the checker found in one posting."""

    role_id: str
    level_id: str
    findings: tuple[Finding, ...]
    metrics: Metrics

    def count(self, level: str) -> int:
        """Return how many findings have `level`."""
        return sum(1 for finding in self.findings if finding.level == level)


def lint_role(
    workspace: Workspace, role_id: str, level_id: str, rendered_words: int, today: datetime.date
) -> LintReport:
    """Check one role's posting as built on `today`; `rendered_words` is the word count of the rendered Markdown."""
    rules = load_rules()
    lint = workspace.config.lint
    settings = LintSettings(frozenset(lint.disable), tuple(lint.allow), today)
    text = posting_text(workspace, role_id, level_id)
    metrics = measure(text, rules, rendered_words)
    findings = check_words(text, rules, settings) + check_posting(text, metrics, rules, settings)
    # the law depends on the place, so every place of the role is judged, not only the one rendered
    findings += pay_law_findings(workspace, role_id, level_id, rules, settings)
    return LintReport(role_id, level_id, tuple(findings), metrics)
