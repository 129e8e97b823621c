"""Sign-off records: approvals.yaml, posting digests, each posting's state and the messages check shows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.approvals import (
    APPROVALS_FILE,
    Approval,
    add_approvals,
    approval_state,
    load_approvals,
    posting_digest,
)
from generator.context import BuildContext, read_context
from generator.errors import CommandLineError, InvalidWorkspaceError, OutputError
from generator.options import ApproveOptions, WorkspaceOptions
from generator.pipeline import open_workspace, output_folder, render_posting
from generator.places import role_places
from generator.render import Renderer
from generator.signoff import ApproveResult, PostingState, approve, posting_states, stale_approval_messages

MONDAY = datetime.datetime(2026, 12, 3, 14, 5, 0, 123456, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 12, 10, 9, 30, tzinfo=datetime.UTC)


def _approve(
    workspace: Path, *roles: str, by: str = "Dana Reyes", now: datetime.datetime | None = MONDAY, **options: str
) -> ApproveResult:
    """Run `jdgen approve` on `workspace` at a fixed moment (or as the environment says, with `now=None`)."""
    context = None if now is None else BuildContext(Path.cwd(), now, reproducible=False)
    return approve(ApproveOptions(roles, by, workspace=WorkspaceOptions(workspace), **options), context)


def _states(workspace: Path, role_id: str, level_id: str | None = None) -> dict[str, PostingState]:
    """Render every posting of a role, as check and build --all do, and return their states by folder."""
    ws = open_workspace(WorkspaceOptions(workspace), read_context())
    level_id = level_id or ws.roles[role_id].default_level
    renderer = Renderer(ws.dirs.root)
    folder = output_folder(ws, role_id, level_id)
    postings = [
        (f"{folder}/{place.folder}" if place.folder else folder, render_posting(ws, renderer, role_id, level_id, place))
        for place in role_places(ws.config, ws.roles[role_id])
    ]
    return {state.folder: state for state in posting_states(ws, postings)}


def _posting_markdown(workspace: Path, role_id: str) -> str:
    """Return the Markdown of a role's posting at its default level and first place."""
    ws = open_workspace(WorkspaceOptions(workspace), read_context())
    return render_posting(ws, Renderer(ws.dirs.root), role_id, ws.roles[role_id].default_level).markdown


def _replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_summary(workspace: Path) -> None:
    _replace_text(workspace / "competencies/roles/planner.yaml", "Plans delivery work.", "Plans and paces delivery.")


def test_approve_writes_the_records(minimal: Path) -> None:
    result = _approve(minimal, "planner", "coordinator")

    assert result.path == minimal / APPROVALS_FILE
    text = result.path.read_text(encoding="utf-8")
    assert text.startswith("# Sign-off of job postings")
    records = load_approvals(minimal)
    assert records == list(result.added)
    assert [(r.posting, r.role, r.level, r.location, r.by) for r in records] == [
        ("planner", "planner", "mid", None, "Dana Reyes"),
        ("coordinator", "coordinator", "mid", None, "Dana Reyes"),
    ]
    assert {r.at for r in records} == {"2026-12-03T14:05:00Z"}  # UTC, to the second
    states = _states(minimal, "planner")
    assert records[0].digest == posting_digest(_posting_markdown(minimal, "planner"))
    assert states["planner"].status == "approved"
    assert states["planner"].approvers == ("Dana Reyes",)


def test_the_time_comes_from_source_date_epoch_when_set(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (record,) = _approve(minimal, "planner", now=None).added
    assert record.at == "2026-01-01T00:00:00Z"


def test_the_digest_follows_the_posting_text_and_not_the_kit(minimal: Path) -> None:
    before = posting_digest(_posting_markdown(minimal, "planner"))
    _approve(minimal, "planner")

    # a question is kit-only: the posting never shows it, so its sign-off stands
    _replace_text(minimal / "competencies/delivery.yaml", "Question 1 about plans projects?", "How did you plan it?")
    assert posting_digest(_posting_markdown(minimal, "planner")) == before
    assert _states(minimal, "planner")["planner"].status == "approved"

    _edit_summary(minimal)
    assert posting_digest(_posting_markdown(minimal, "planner")) != before
    state = _states(minimal, "planner")["planner"]
    assert (state.status, state.approvers, state.previous.by) == ("changed", (), "Dana Reyes")
    assert stale_approval_messages([state]) == [
        "planner: changed since Dana Reyes approved it on 2026-12-03; "
        "after review, sign again: jdgen approve planner --by NAME"
    ]


def test_signing_again_after_a_change_approves_it_and_keeps_the_history(minimal: Path) -> None:
    _approve(minimal, "planner", by="Dana Reyes")
    _approve(minimal, "planner", by="Pay Team", now=LATER)  # two people sign one version
    assert _states(minimal, "planner")["planner"].approvers == ("Dana Reyes", "Pay Team")

    _edit_summary(minimal)
    _approve(minimal, "planner", by="Sam Lee", now=LATER)

    state = _states(minimal, "planner")["planner"]
    assert (state.status, state.approvers, state.previous) == ("approved", ("Sam Lee",), None)
    records = load_approvals(minimal)
    assert [r.by for r in records] == ["Dana Reyes", "Pay Team", "Sam Lee"]
    assert records[0].digest == records[1].digest != records[2].digest
    assert stale_approval_messages([state]) == []


def test_a_posting_never_signed_says_how_to_sign_it(builtin_copy: Path) -> None:
    (state,) = _states(builtin_copy, "pm").values()
    assert state.status == "unapproved"
    assert stale_approval_messages([state]) == ["pm: not approved; after review: jdgen approve pm --by NAME"]
    senior = _states(builtin_copy, "tpm", "senior")["tpm-senior/columbus"]
    assert stale_approval_messages([senior]) == [
        "tpm-senior/columbus: not approved; after review: "
        "jdgen approve tpm --level senior --location columbus --by NAME"
    ]


def test_location_limits_the_records(builtin_copy: Path) -> None:
    (record,) = _approve(builtin_copy, "tpm", location="columbus").added
    assert (record.posting, record.location) == ("tpm/columbus", "columbus")
    states = _states(builtin_copy, "tpm")
    assert {folder: s.status for folder, s in states.items()} == {
        "tpm/columbus": "approved",
        "tpm/new-york": "unapproved",
        "tpm/remote-us": "unapproved",
    }

    result = _approve(builtin_copy, "technical-project-manager", level="senior")  # an alias, every place
    assert [r.posting for r in result.added] == ["tpm-senior/columbus", "tpm-senior/new-york", "tpm-senior/remote-us"]
    assert len(load_approvals(builtin_copy)) == 4


def test_a_location_the_role_is_not_posted_in_is_a_usage_error(builtin_copy: Path) -> None:
    with pytest.raises(CommandLineError) as caught:
        _approve(builtin_copy, "tpm", "pm", location="columbus")  # pm lists no places
    assert caught.value.exit_code == 2
    with pytest.raises(CommandLineError):
        _approve(builtin_copy, "tpm", location="columbs")
    assert not (builtin_copy / APPROVALS_FILE).exists()  # nothing recorded for the roles that were fine


@pytest.mark.parametrize("name", ["", "   ", "Dana\nReyes", "Dana\u202eReyes"])
def test_an_empty_or_unreadable_name_is_a_usage_error(minimal: Path, name: str) -> None:
    with pytest.raises(CommandLineError) as caught:
        _approve(minimal, "planner", by=name)
    assert caught.value.exit_code == 2
    assert not (minimal / APPROVALS_FILE).exists()


def test_a_repeated_approval_adds_nothing(minimal: Path) -> None:
    _approve(minimal, "planner")
    path = minimal / APPROVALS_FILE
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    result = _approve(minimal, "planner", now=LATER)

    assert (result.added, [r.by for r in result.repeated]) == ((), ["Dana Reyes"])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # not even rewritten


def test_a_corrupt_file_is_one_located_error(minimal: Path) -> None:
    path = minimal / APPROVALS_FILE
    path.write_text("approvals:\n  - posting: planner\n    digest: [sha256\n", encoding="utf-8")
    with pytest.raises(InvalidWorkspaceError) as caught:
        _approve(minimal, "planner")
    (problem,) = caught.value.problems
    assert problem.path == APPROVALS_FILE and problem.line is not None
    assert path.read_text(encoding="utf-8").endswith("[sha256\n")  # left as it was


def test_a_bad_record_is_located_at_its_line(minimal: Path) -> None:
    _approve(minimal, "planner")
    path = minimal / APPROVALS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "digest:" in line)
    lines[number - 1] = lines[number - 1].split(":")[0] + ": sha256:abc"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(InvalidWorkspaceError) as caught:
        load_approvals(minimal)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (APPROVALS_FILE, number)
    assert "approvals[0].digest" in problem.message and "sign again" in problem.message


def test_a_symlinked_file_is_refused_and_never_written_through(minimal: Path) -> None:
    _approve(minimal, "planner")
    real = minimal / "signoffs.yaml"
    (minimal / APPROVALS_FILE).rename(real)
    (minimal / APPROVALS_FILE).symlink_to(real.name)
    before = real.read_bytes()

    with pytest.raises(OutputError) as caught:
        _approve(minimal, "coordinator", by="Sam Lee")

    assert "symbolic link" in str(caught.value)
    assert (minimal / APPROVALS_FILE).is_symlink()
    assert real.read_bytes() == before
    assert sorted(p.name for p in minimal.iterdir() if p.name.startswith(".jdgen-")) == []


def test_approval_state_counts_any_sign_off_of_the_current_text() -> None:
    old, new = posting_digest("v1"), posting_digest("v2")

    def record(digest: str, by: str) -> Approval:
        fields = {"posting": "pm", "role": "pm", "level": "mid", "at": "2026-12-03T14:05:00Z"}
        return Approval(digest=digest, by=by, **fields)

    history = [record(old, "Dana Reyes"), record(new, "Sam Lee"), record(old, "Dana Reyes")]
    assert approval_state(history, "pm", old).approvers == ("Dana Reyes",)  # a change undone
    assert approval_state(history, "pm", posting_digest("v3")).previous == history[-1]
    assert approval_state(history, "tpm/columbus", old).status == "unapproved"


def test_names_are_written_so_yaml_reads_them_back_as_written(minimal: Path) -> None:
    names = ["yes", "José Núñez", "O'Brien: pay team", "#1 approver", "null"]
    for name in names:
        _approve(minimal, "planner", by=name)
    assert [r.by for r in load_approvals(minimal)] == names
    add_approvals(minimal, [])  # nothing new: the file stays
    assert not any(path.name.startswith(".jdgen-") for path in minimal.iterdir())


def test_approvals_made_at_the_same_time_are_all_kept(minimal: Path) -> None:
    # each run reads the history and writes it back: without a lock, one run's record was lost
    import subprocess
    import sys

    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "-q",
                "--workspace",
                str(minimal),
                "approve",
                "planner",
                "--by",
                f"P{n}",
            ]
        )
        for n in range(10)
    ]
    assert [run.wait(timeout=120) for run in runs] == [0] * 10
    assert sorted(record.by for record in load_approvals(minimal)) == sorted(f"P{n}" for n in range(10))
