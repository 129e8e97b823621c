"""The record of what jdgen wrote under out/, so that --clean deletes only jdgen's own files."""

from __future__ import annotations

import hashlib
import json
import re
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .outpaths import TEMP_NAME, inspect_output, read_regular, special_kind

MANIFEST_NAME = ".jdgen-manifest.json"
MANIFEST_VERSION = 1
#: About 100 bytes a file: room for a million outputs, and a bound on what a damaged record costs to read.
MAX_MANIFEST_BYTES = 128 * 1024 * 1024
#: Names jdgen keeps for itself under out/; never recorded as outputs.
RESERVED_NAMES = frozenset({MANIFEST_NAME, ".jdgen.lock"})

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Manifest:
    """What jdgen wrote: each file's path relative to out/ with the sha256 of the bytes written."""

    files: Mapping[str, str] = field(default_factory=dict)
    raw: bytes | None = None  #: the record's bytes as found on disk, None when there was none
    unreadable: str = ""  #: why the record on disk could not be used; empty when it could


@dataclass(frozen=True)
class CleanPlan:
    """What --clean does with the recorded files the workspace no longer produces."""

    remove: tuple[str, ...] = ()  #: still jdgen's bytes: delete them
    kept: tuple[tuple[str, str], ...] = ()  #: left in place, with the reason
    gone: tuple[str, ...] = ()  #: already deleted by someone: forget them


def digest(data: bytes) -> str:
    """Return the sha256 of `data` as hex, the way the record stores it."""
    return hashlib.sha256(data).hexdigest()


def load_manifest(out_dir: Path) -> Manifest:
    """Read the record under `out_dir`; a missing one owns nothing, an unusable one is empty and says why."""
    path = out_dir / MANIFEST_NAME
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return Manifest()
    except OSError as err:
        return Manifest(unreadable=f"cannot read it ({err.strerror or err})")
    if not stat.S_ISREG(mode):
        return Manifest(unreadable=f"it is {'a symlink' if stat.S_ISLNK(mode) else special_kind(mode)}")
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except OSError as err:
        return Manifest(unreadable=f"cannot read it ({err.strerror or err})")
    try:
        return Manifest(_parse(raw), raw)
    except ValueError as err:
        return Manifest(raw=raw, unreadable=str(err))


def encode_manifest(files: Mapping[str, str]) -> bytes:
    """Return the record's bytes: sorted, indented JSON, so that equal records are equal bytes."""
    text = json.dumps({"version": MANIFEST_VERSION, "files": dict(files)}, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def plan_clean(out_dir: Path, manifest: Manifest, produced: Collection[str]) -> CleanPlan:
    """Sort the recorded files nothing produces any more into those to delete, keep, or forget."""
    remove, kept, gone = [], [], []
    for rel, recorded in sorted(manifest.files.items()):
        if rel in produced:
            continue
        found = inspect_output(out_dir, out_dir / rel)
        if found.kind == "missing":
            gone.append(rel)
        elif found.via_link:
            kept.append((rel, "reached through a symlink; jdgen never follows links"))
        elif found.kind == "blocked":
            kept.append((rel, "no longer a regular file; jdgen leaves it alone"))
        elif found.data is None or digest(found.data) != recorded:
            kept.append((rel, "changed since jdgen wrote it"))
        else:
            remove.append(rel)
    return CleanPlan(tuple(remove), tuple(kept), tuple(gone))


def _parse(raw: bytes) -> dict[str, str]:
    """Return the files of a record; raise ValueError, phrased for the user, when it is not one."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError("it is not valid JSON") from err
    except RecursionError as err:  # a record is two levels deep; this one is an attack or damage
        raise ValueError("it is nested too deeply to be jdgen's record") from err
    if not isinstance(data, dict) or set(data) != {"version", "files"} or not isinstance(data["files"], dict):
        raise ValueError('it is not an object with "version" and "files"')
    if data["version"] != MANIFEST_VERSION:
        raise ValueError(f"its version {data['version']!r} is not {MANIFEST_VERSION}")
    for rel, recorded in data["files"].items():
        # the record is a file anyone can edit: a path out of out/ must never reach a delete
        if not (isinstance(recorded, str) and _SHA256.fullmatch(recorded) and _is_plain_relative(rel)):
            raise ValueError(f"its entry {rel!r} is not a path below out/ with a sha256")
    return dict(data["files"])


def _is_plain_relative(rel: str) -> bool:
    """Return whether `rel` is a forward-slash path below out/ with no empty, `.` or `..` part."""
    parts = rel.split("/")
    if "\\" in rel or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        return False
    return rel not in RESERVED_NAMES and not TEMP_NAME.fullmatch(parts[-1])
