"""Frozen option objects: what the CLI parsed, handed to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WorkspaceOptions:
    """Which workspace to use."""

    workspace: Path | None = None  #: --workspace; None means search from the current folder


@dataclass(frozen=True)
class BuildOptions:
    """What `jdgen build` should produce."""

    roles: tuple[str, ...] = ()
    all_roles: bool = False
    level: str | None = None
    formats: tuple[str, ...] = ()  #: empty means the workspace's `build.formats`
    out_dir: Path | None = None
    workspace: WorkspaceOptions = WorkspaceOptions()
    clean: bool = False  #: remove files jdgen wrote (per out/.jdgen-manifest.json) that nothing builds any more
    location: str | None = None  #: --location: build only this place of the roles named


@dataclass(frozen=True)
class ShowOptions:
    """What `jdgen show` should print."""

    role: str
    kit: bool = False
    level: str | None = None
    workspace: WorkspaceOptions = WorkspaceOptions()


@dataclass(frozen=True)
class CompareOptions:
    """What `jdgen compare` should produce."""

    role_a: str  #: a role, or `role@level`
    role_b: str | None = None  #: a role, or `role@level`; None with `levels`
    formats: tuple[str, ...] = ()  #: empty means the workspace's `build.formats`
    out_dir: Path | None = None
    workspace: WorkspaceOptions = WorkspaceOptions()
    levels: bool = False  #: --levels: compare each neighbouring pair of levels of role_a


@dataclass(frozen=True)
class LintOptions:
    """What `jdgen lint` should check."""

    roles: tuple[str, ...] = ()  #: empty means every role
    level: str | None = None
    fail_on: str | None = None  #: None means the workspace's `lint.fail_on`
    workspace: WorkspaceOptions = WorkspaceOptions()


@dataclass(frozen=True)
class CheckOptions:
    """What `jdgen check` should verify."""

    out_dir: Path | None = None  #: the outputs to compare; default out/
    workspace: WorkspaceOptions = WorkspaceOptions()


@dataclass(frozen=True)
class LawsOptions:
    """Which postings `jdgen laws` should judge."""

    roles: tuple[str, ...] = ()  #: empty means every role
    location: str | None = None  #: --location: only this place of the roles
    workspace: WorkspaceOptions = WorkspaceOptions()


@dataclass(frozen=True)
class ApproveOptions:
    """Which postings `jdgen approve` signs off, and who signs."""

    roles: tuple[str, ...]
    by: str  #: the approver's name as it goes on record
    location: str | None = None  #: --location: only this place of the roles
    level: str | None = None  #: --level: the roles at this level (default: each role's default level)
    workspace: WorkspaceOptions = WorkspaceOptions()
