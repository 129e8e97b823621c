"""Sign-off from the command line: approve, then check, build --all and list honour it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import cli


@pytest.fixture
def signed(runner, builtin_copy: Path) -> Path:
    """The built-in workspace with sign-off required and every posting approved by the hiring manager."""
    config = builtin_copy / "jdgen.yaml"
    config.write_text(
        config.read_text().replace("  direct_apply: false\n", "  direct_apply: false\n  require_approval: true\n")
    )
    roles = ["project-coordinator", "associate-pm", "pm", "tpm", "tech-lead", "project-lead"]
    result = runner.invoke(
        cli,
        ["--workspace", str(builtin_copy), "approve", *roles, "--by", "Dana Reyes"],
        env={"SOURCE_DATE_EPOCH": "1796083200"},
    )
    assert result.exit_code == 0, result.output
    assert "approved tpm/new-york by Dana Reyes at 2026-12-01T00:00:00Z" in result.output
    return builtin_copy


def test_editing_a_posting_after_sign_off_fails_check_naming_the_approver_until_signed_again(
    runner, signed: Path
) -> None:
    assert runner.invoke(cli, ["--workspace", str(signed), "check"]).exit_code == 0
    role = signed / "competencies/roles/pm.yaml"
    role.write_text(role.read_text().replace("audits", "audits and reviews", 1))
    failed = runner.invoke(cli, ["--workspace", str(signed), "check"])
    assert failed.exit_code == 1
    assert (
        "pm: changed since Dana Reyes approved it on 2026-12-01; after review, sign again: "
        "jdgen approve pm --by NAME" in failed.stderr
    )
    assert failed.stderr.rstrip().endswith("1 postings not signed off as they are")
    again = runner.invoke(cli, ["--workspace", str(signed), "approve", "pm", "--by", "Sam Ortiz"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(cli, ["--workspace", str(signed), "check"]).exit_code == 0


def test_an_edit_to_the_kit_alone_needs_no_new_sign_off(runner, signed: Path) -> None:
    area = signed / "competencies/leadership.yaml"
    text = area.read_text()
    area.write_text(text.replace("How did you do it?", "How did you go about it?", 1))
    assert area.read_text() != text
    assert runner.invoke(cli, ["--workspace", str(signed), "check"]).exit_code == 0


def test_build_all_leaves_unapproved_postings_out_of_the_index_and_feeds(runner, signed: Path) -> None:
    role = signed / "competencies/roles/tpm.yaml"
    role.write_text(role.read_text().replace("keep the big\n  picture in view", "keep the whole\n  picture in view", 1))
    result = runner.invoke(
        cli, ["--workspace", str(signed), "build", "--all", "--format", "md"], env={"SOURCE_DATE_EPOCH": "1796083200"}
    )
    assert result.exit_code == 0, result.output
    assert "tpm/columbus: not approved as it is now; left out of the index and feeds" in result.output
    out = signed / "out"
    assert "Technical Project Manager" not in (out / "index.md").read_text()
    assert "tpm-mid" not in (out / "feeds/indeed.xml").read_text()
    assert "pm-mid" in (out / "feeds/indeed.xml").read_text()
    assert (out / "tpm/columbus/posting.md").is_file()  # the posting itself is still built, for review


def test_list_shows_each_postings_state(runner, signed: Path) -> None:
    role = signed / "competencies/roles/pm.yaml"
    role.write_text(role.read_text().replace("audits", "audits and reviews", 1))
    result = runner.invoke(cli, ["--workspace", str(signed), "list"], env={"SOURCE_DATE_EPOCH": "1796083200"})
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[9:] if line.strip()}
    assert lines["tpm/columbus"].endswith("until 2027-01-31  approved by Dana Reyes")
    assert lines["pm"].endswith("changed since Dana Reyes approved it")


def test_approving_again_what_is_approved_says_nothing_was_recorded(runner, signed: Path) -> None:
    record = signed / "approvals.yaml"
    before = record.read_bytes()
    again = runner.invoke(cli, ["--workspace", str(signed), "approve", "tpm", "--by", "Dana Reyes"])
    assert again.exit_code == 0, again.output
    assert "already approved tpm/new-york by Dana Reyes as it is now" in again.output
    assert "recorded in" not in again.output
    assert again.output.endswith(f"{record} is unchanged: every posting named was already approved as it is now\n")
    assert record.read_bytes() == before
