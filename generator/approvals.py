"""Sign-off records of postings: the approvals.yaml history, its digests, and each posting's state."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict

from .errors import InvalidWorkspaceError, OutputError
from .models import Line, Slug
from .outlock import LOCK_TIMEOUT, fcntl
from .outpaths import special_kind, temp_path
from .schema_errors import validate_model
from .workspace import read_yaml

APPROVALS_FILE = "approvals.yaml"

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_POSTING = re.compile(r"[a-z0-9][a-z0-9-]{0,63}(/[a-z0-9][a-z0-9-]{0,63})?")
_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_HEADER = """\
# Sign-off of job postings, written by `jdgen approve`: review changes to this file like code.
# Each record says who approved a posting (its folder under out/) and when, with the sha256 of
# the posting's Markdown as it stood then. With `publish.require_approval: true` in jdgen.yaml,
# `jdgen check` fails for a posting whose text changed since. The file is a history: records are
# only ever added; sign a changed posting again with `jdgen approve` rather than editing a digest.
"""


def _check_digest(value: str) -> str:
    if not _DIGEST.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a digest jdgen wrote ('sha256:' and 64 hex digits); restore it, or sign again"
        )
    return value


def _check_posting(value: str) -> str:
    if not _POSTING.fullmatch(value):
        raise ValueError(f"'{value}' is not a posting folder under out/, such as 'tpm' or 'tpm/columbus'")
    return value


def _check_moment(value: str) -> str:
    try:
        datetime.datetime.strptime(value, _AT_FORMAT)
    except ValueError:
        raise ValueError(f"'{value}' is not a UTC time written like 2026-12-03T14:05:00Z") from None
    return value


class _Model(BaseModel):
    # strict, as the workspace models: YAML 1.1 surprises must fail, not be coerced
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Approval(_Model):
    """One sign-off: who approved which posting, when, and the digest of its text then."""

    posting: Annotated[str, AfterValidator(_check_posting)]  #: the posting's folder under out/: the key
    role: Slug
    level: Slug
    location: Slug | None = None  #: the jdgen.yaml `locations` id, when the role lists places
    digest: Annotated[str, AfterValidator(_check_digest)]  #: posting_digest() of the Markdown approved
    by: Line
    at: Annotated[str, AfterValidator(_check_moment)]  #: ISO 8601 UTC, e.g. 2026-12-03T14:05:00Z


class ApprovalsFile(_Model):
    """The whole approvals.yaml: every sign-off, oldest first."""

    approvals: list[Approval] = []


@dataclass(frozen=True)
class ApprovalState:
    """Whether a posting as it is now was signed off."""

    status: Literal["approved", "changed", "unapproved"]
    approvers: tuple[str, ...]  #: who approved this digest, in the order they signed
    previous: Approval | None = None  #: the posting's latest record, when status is "changed"


def format_moment(moment: datetime.datetime) -> str:
    """Write a moment as approvals.yaml records it: UTC, to the second; a naive moment is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime(_AT_FORMAT)


def posting_digest(markdown: str) -> str:
    """Return the digest of a posting's Markdown: what a sign-off covers, and nothing else (not the kit)."""
    return "sha256:" + hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def load_approvals(root: Path) -> list[Approval]:
    """Return the records of `root`/approvals.yaml, oldest first; none when the file does not exist."""
    path = root / APPROVALS_FILE
    if not os.path.lexists(path):
        return []
    # a link is read like any workspace file (confined to the workspace); only writes refuse it
    source, problems = read_yaml(path, root)
    if not problems:
        parsed, problems = validate_model(ApprovalsFile, source)
    if problems:
        raise InvalidWorkspaceError(problems)
    return list(parsed.approvals)


def add_approvals(root: Path, new: list[Approval]) -> Path:
    """Append `new` to the approvals history of `root` (an exact repeat is skipped); return the file's path."""
    path = root / APPROVALS_FILE
    _refuse_odd_file(path)  # before reading: a link is never written through, whatever it points at
    # read and rewrite under one lock: two people approving at once must not lose either record
    with _history_lock(root):
        records = load_approvals(root)
        seen = {_identity(record) for record in records}
        added = False
        for record in new:
            if _identity(record) not in seen:
                seen.add(_identity(record))
                records.append(record)
                added = True
        if added:  # nothing new leaves the file and its time as they were
            _replace(path, _dump(records))
    return path


@contextlib.contextmanager
def _history_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the workspace folder itself (no lock file to leave behind), within a bound."""
    if fcntl is None:  # Windows: no flock; approvals there are as safe as one person at a time
        yield
        return
    handle = os.open(root, os.O_RDONLY)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        APPROVALS_FILE,
                        f"another jdgen run has been writing it for {LOCK_TIMEOUT:.0f} s; "
                        "let it finish, then approve again",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing the folder releases the lock


def is_repeat(records: list[Approval], record: Approval) -> bool:
    """Return whether `records` already hold the same person's sign-off of the same version of the posting."""
    return _identity(record) in {_identity(r) for r in records}


def approval_state(records: list[Approval], posting_key: str, digest: str) -> ApprovalState:
    """Say whether the posting `posting_key`, whose text now has `digest`, was signed off as it is."""
    mine = [record for record in records if record.posting == posting_key]
    # any sign-off of this exact text counts, so a change undone is approved again by its first signers
    approvers = tuple(dict.fromkeys(record.by for record in mine if record.digest == digest))
    if approvers:
        return ApprovalState("approved", approvers)
    if mine:
        return ApprovalState("changed", (), mine[-1])
    return ApprovalState("unapproved", ())


def _identity(record: Approval) -> tuple[str, str, str]:
    return record.posting, record.digest, record.by


class _Dumper(yaml.SafeDumper):
    """Indent list items under their key, as the workspace's own files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(records: list[Approval]) -> bytes:
    """Write the records as YAML, fields in model order and no nulls, so equal histories give equal bytes."""
    data = {"approvals": [record.model_dump(exclude_none=True) for record in records]}
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    return (_HEADER + body).encode("utf-8")


def _refuse_odd_file(path: Path) -> None:
    """Refuse to replace anything at `path` but a regular file: never a link, a folder or a pipe."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise OutputError(APPROVALS_FILE, f"cannot look at it: {err.strerror or err}") from err
    if stat.S_ISLNK(mode):
        raise OutputError(
            APPROVALS_FILE, "is a symbolic link; jdgen does not write through links, so replace it with the file itself"
        )
    if not stat.S_ISREG(mode):
        raise OutputError(APPROVALS_FILE, f"is {special_kind(mode)}, not a regular file; move it away")


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to a fresh file beside `path` and swap it in, so readers see the old file or the new one."""
    staged = temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        with os.fdopen(os.open(staged, flags, 0o644), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the swap, so a crash cannot leave an empty history
        _refuse_odd_file(path)  # a link put there while we wrote is refused too
        staged.replace(path)  # os.replace: swaps the name, never writes through a link
    except OSError as err:
        raise OutputError(APPROVALS_FILE, f"cannot write: {err.strerror or err}") from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
