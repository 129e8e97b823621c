"""Write rendered files all or nothing: check every target, stage each changed file, then swap them in."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CommandLineError, OutputError, PartialWriteError, WriteInterruptedError
from .files import shown_path
from .interrupts import InterruptGuard
from .manifest import MANIFEST_NAME, CleanPlan, Manifest, digest, encode_manifest, load_manifest, plan_clean
from .outlock import Notify, hold_out_lock
from .outpaths import FILE_WHERE_FOLDER, inspect_output, remove_leftover_temps, temp_path, write_failure
from .workspace import COMPETENCIES_DIR, TEMPLATES_DIR, WorkspaceDirs

_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


#: Why a file at an output path is refused: jdgen's record does not list it.
NOT_JDGENS = (
    "a file jdgen did not write stands where an output goes (its record, .jdgen-manifest.json, does not list it); "
    "move it away or delete it"
)


@dataclass(frozen=True)
class WriteReport:
    """What a write changed."""

    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    removed: tuple[Path, ...] = ()  #: files --clean deleted
    kept: tuple[tuple[Path, str], ...] = ()  #: files --clean left in place, with the reason
    warnings: tuple[str, ...] = ()  #: e.g. that jdgen's record of its files was unreadable


@dataclass(frozen=True)
class _Plan:
    """Every change a write makes, decided under the lock before anything is staged."""

    files: Mapping[Path, bytes]  #: every file of the build, read again only to be staged
    changed: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    manifest: bytes | None  #: the new record, None when it stays as it is
    clean: CleanPlan = field(default_factory=CleanPlan)
    warnings: tuple[str, ...] = ()


def write_outputs(
    out_dir: Path,
    files: Mapping[Path, bytes],
    produced: Collection[str] | None = None,
    notify: Notify | None = None,
    shown_relative_to: Path | None = None,
) -> WriteReport:
    """Write the files whose bytes changed and jdgen's record of them, all or nothing.

    With `produced` (the paths relative to `out_dir` the workspace can still build), also delete
    the recorded files outside it that still hold the bytes jdgen wrote.
    """
    if not files and produced is None:
        return WriteReport((), ())  # nothing asked of out/, so not even the folder is made
    shown = functools.partial(shown_path, base=shown_relative_to)
    where = f"{shown(out_dir)}/"
    with InterruptGuard(where) as guard, hold_out_lock(out_dir, shown, notify or _ignore, guard.check) as lock:
        guard.check()
        remove_leftover_temps(out_dir)  # a killed run's; the lock says no live run is staging
        plan = _plan_write(out_dir, files, produced, shown)
        report = _Writer(out_dir, shown, guard).apply(plan)
        lock.committed = True
    if guard.signum is not None:
        raise WriteInterruptedError(guard.signum, f"{where} holds this build's outputs")
    return report


def _plan_write(
    out_dir: Path, files: Mapping[Path, bytes], produced: Collection[str] | None, shown: Callable[[Path], str]
) -> _Plan:
    """Check every target and decide every change; raise OutputError at the first thing in the way."""
    changed: list[Path] = []
    unchanged: list[Path] = []
    digests: dict[str, str] = {}
    manifest = load_manifest(out_dir)
    for path, data in files.items():  # one file's bytes at a time: `files` may keep them on disk
        found = inspect_output(out_dir, path)
        if found.kind == "blocked":
            raise OutputError(shown(found.blame), found.reason)
        rel = path.relative_to(out_dir).as_posix()
        if found.data != data and found.kind == "file" and not manifest.unreadable and rel not in manifest.files:
            # someone's own file (a --out folder in use, notes left in out/): never replaced unasked
            raise OutputError(shown(path), NOT_JDGENS)
        (unchanged if found.data == data else changed).append(path)
        digests[rel] = digest(data)
    record, clean, warnings = _plan_record(out_dir, manifest, digests, produced, shown)
    if record is not None:
        found = inspect_output(out_dir, out_dir / MANIFEST_NAME)
        if found.kind == "blocked":
            raise OutputError(shown(found.blame), found.reason)
    return _Plan(files, tuple(changed), tuple(unchanged), record, clean, warnings)


def _plan_record(
    out_dir: Path,
    manifest: Manifest,
    building: Mapping[str, str],
    produced: Collection[str] | None,
    shown: Callable[[Path], str],
) -> tuple[bytes | None, CleanPlan, tuple[str, ...]]:
    """Decide what --clean deletes and the record that follows; the record is None when it stays as it is.

    `manifest` is the record found under `out_dir`; `building` maps each output's path relative to
    out/ to the digest of its bytes.
    """
    where = shown(out_dir / MANIFEST_NAME)
    clean, warnings = CleanPlan(), ()
    if manifest.unreadable and produced is not None:
        warnings = (
            f"{where}: {manifest.unreadable}; --clean removed nothing, since jdgen cannot tell which files it wrote",
        )
    elif manifest.unreadable:
        warnings = (f"{where}: {manifest.unreadable}; jdgen starts its record afresh",)
    elif produced is not None:
        clean = plan_clean(out_dir, manifest, {*produced, *building})
    dropped = {*clean.remove, *clean.gone}
    record = {rel: sha for rel, sha in manifest.files.items() if rel not in dropped} | building
    encoded = encode_manifest(record)
    return (None if encoded == manifest.raw else encoded), clean, warnings


class _Writer:
    """Stages a plan next to its targets, then swaps it in with stop requests held back."""

    def __init__(self, out_dir: Path, shown: Callable[[Path], str], guard: InterruptGuard) -> None:
        self.out_dir = out_dir
        self.shown = shown
        self.guard = guard
        self.staged: list[tuple[Path, Path]] = []  #: (temporary file, target) of the outputs
        self.record: tuple[Path, Path] | None = None  #: the same for jdgen's record, swapped last
        self.created: list[Path] = []  #: folders this run made, outermost first

    def apply(self, plan: _Plan) -> WriteReport:
        """Stage everything, swap it in, clean; on any failure or stop request before the swap, undo."""
        path = self.out_dir
        try:
            for path in plan.changed:
                self.guard.check()
                self.staged.append((self._stage(path, plan.files[path]), path))
            if plan.manifest is not None:
                path = self.out_dir / MANIFEST_NAME
                self.record = (self._stage(path, plan.manifest), path)
            self.guard.check()
        except OSError as err:
            self._discard()
            raise OutputError(self.shown(path), write_failure(err)) from err
        except BaseException:
            self._discard()
            raise
        with self.guard.deferred():
            removed, kept = self._swap(plan.clean)
        return WriteReport(tuple(plan.changed), plan.unchanged, removed, kept, plan.warnings)

    def _stage(self, path: Path, data: bytes) -> Path:
        self._make_parents(path.parent)
        temp = temp_path(path)
        handle = os.open(temp, _CREATE_FLAGS, 0o644)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            temp.chmod(0o644)  # the umask would otherwise decide, and may hide outputs from a web server
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp

    def _make_parents(self, folder: Path) -> None:
        parts = folder.relative_to(self.out_dir).parts
        for end in range(1, len(parts) + 1):
            path = self.out_dir.joinpath(*parts[:end])
            if not os.path.lexists(path):  # what exists was checked to be a real folder
                path.mkdir()
                self.created.append(path)

    def _swap(self, clean: CleanPlan) -> tuple[tuple[Path, ...], tuple[tuple[Path, str], ...]]:
        """Swap every staged output in, delete what --clean found, then swap in the record."""
        for done, (temp, path) in enumerate(self.staged):
            try:
                temp.replace(path)
            except OSError as err:
                self.staged = self.staged[done:]
                self._discard()
                error = PartialWriteError if done else OutputError
                raise error(self.shown(path), write_failure(err)) from err
        self.staged = []
        removed, kept = self._remove(clean)
        if self.record is not None:
            temp, path = self.record
            try:
                temp.replace(path)
            except OSError as err:
                temp.unlink(missing_ok=True)
                raise PartialWriteError(self.shown(path), write_failure(err)) from err
        return removed, kept

    def _remove(self, clean: CleanPlan) -> tuple[tuple[Path, ...], tuple[tuple[Path, str], ...]]:
        removed: list[Path] = []
        kept = [(self.out_dir / rel, why) for rel, why in clean.kept]
        for rel in clean.remove:
            path = self.out_dir / rel
            try:
                path.unlink()
            except OSError as err:
                # the record drops it all the same; jdgen would rather forget a file than delete a stranger's
                kept.append((path, f"cannot remove it: {err.strerror or err}"))
            else:
                removed.append(path)
        folders = {folder for path in removed for folder in path.parents if folder.is_relative_to(self.out_dir)}
        for folder in sorted(folders - {self.out_dir}, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # fails, as it should, while the folder holds anything
        return tuple(removed), tuple(kept)

    def _discard(self) -> None:
        """Delete every staged file and every folder this run made that is empty again."""
        for temp, _ in [*self.staged, *([self.record] if self.record else [])]:
            temp.unlink(missing_ok=True)
        self.staged, self.record = [], None
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()


def choose_out_dir(given: Path | None, dirs: WorkspaceDirs, cwd: Path) -> Path:
    """Return the real folder to write to; refuse one that would mix outputs with the workspace's sources."""
    path = cwd / given if given is not None else dirs.default_out_dir(cwd)
    name = f"--out {given}" if given is not None else shown_path(path, cwd)
    if given is None and path.is_symlink():
        # a pull request may commit `out -> /anywhere`; only the command line may send outputs elsewhere
        raise OutputError(
            name,
            "a symlink stands where the output folder goes; jdgen does not follow links, so move it away "
            "or name the folder with --out",
        )
    real = Path(os.path.realpath(path))  # a folder given with --out may be a link: followed here, once, never below
    root = Path(os.path.realpath(dirs.root))
    # with no workspace found, the installed package is what a stray --out could damage
    guarded = [root, Path(__file__).resolve().parent] if dirs.builtin else [root]
    for folder in guarded:
        if folder.is_relative_to(real) or (folder != root and real.is_relative_to(folder)):
            raise CommandLineError(
                f"jdgen: {name} would put outputs among the workspace's own files ({folder}); "
                "choose a folder of their own, e.g. --out out"
            )
    for source in (COMPETENCIES_DIR, TEMPLATES_DIR):
        if real.is_relative_to(root / source):
            raise CommandLineError(
                f"jdgen: {name} lies inside the workspace's {source}/; "
                "choose a folder outside competencies/ and templates/, e.g. --out out"
            )
    existing = next(p for p in (real, *real.parents) if os.path.lexists(p))
    if not existing.is_dir():
        reason = FILE_WHERE_FOLDER
        if given is None:  # the default out/: not a usage error, just something in the way
            raise OutputError(shown_path(existing, cwd), reason)
        raise CommandLineError(f"{shown_path(existing, cwd)}: {reason}")
    return real


def _ignore(line: str) -> None:
    """Drop a notice: a caller that passes no `notify` wants none."""
