"""Lint reports for people (one line per finding) and for machines (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict

from . import LintReport


def format_text(reports: list[LintReport]) -> str:
    """Return one line per finding, then one summary line per posting."""
    lines = format_findings([f for report in reports for f in report.findings])
    lines += [summary_line(report) for report in reports]
    return "\n".join(lines) + "\n"


def format_findings(findings) -> list[str]:
    """Return one line per finding: where, field, level, rule, match, message, context, fix."""
    lines = []
    for f in findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        match = f" '{f.match}'" if f.match else ""
        context = f' (in "{f.context}")' if f.context else ""
        lines.append(f"{where} {f.field}: {f.level} [{f.rule}]{match}: {f.message}{context}; fix: {f.fix}")
    return lines


def summary_line(report: LintReport) -> str:
    """Return the one-line verdict on a posting that `jdgen build` prints."""
    m = report.metrics
    counts = ", ".join(_plural(report.count(level), level) for level in ("error", "warning", "notice"))
    return (
        f"lint {report.role_id} ({report.level_id}): {counts}; {m.words} words, "
        f"reading ease {m.flesch_reading_ease:.0f}, grade {m.flesch_kincaid_grade:.1f}, "
        f"gender score {m.gender_score:+d}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def format_json(reports: list[LintReport]) -> str:
    """Return the reports as a JSON document with a stable shape."""
    document = {
        "postings": [
            {
                "role": report.role_id,
                "level": report.level_id,
                "summary": {level: report.count(level) for level in ("error", "warning", "notice")},
                "metrics": {
                    "words": report.metrics.words,
                    "flesch_reading_ease": round(report.metrics.flesch_reading_ease, 1),
                    "flesch_kincaid_grade": round(report.metrics.flesch_kincaid_grade, 1),
                    "masculine_coded": list(report.metrics.masculine),
                    "feminine_coded": list(report.metrics.feminine),
                    "gender_score": report.metrics.gender_score,
                },
                "findings": [asdict(finding) for finding in report.findings],
            }
            for report in reports
        ]
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
