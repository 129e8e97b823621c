"""The role catalogue for `jdgen list`: validation only, none of the rendering machinery."""

from __future__ import annotations

from dataclasses import dataclass

from .context import read_context
from .options import WorkspaceOptions
from .validate import load_workspace
from .workspace import find_workspace


@dataclass(frozen=True)
class RoleSummary:
    """One line of `jdgen list`."""

    id: str
    title: str
    levels: tuple[str, ...]
    default_level: str
    competencies: int
    core: int
    stages: int
    comes_from: tuple[str, ...]  #: role ids
    leads_to: tuple[str, ...]


def list_roles(options: WorkspaceOptions) -> list[RoleSummary]:
    """Summarise every role of the workspace."""
    context = read_context()
    workspace = load_workspace(find_workspace(options.workspace, context.cwd, context.workspace_variable))
    return [
        RoleSummary(
            id=role_id,
            title=role.title,
            levels=tuple(role.levels),
            default_level=role.default_level,
            competencies=len(role.competencies),
            core=sum(1 for c in role.competencies if c.emphasis == "core"),
            stages=len(role.interview_loop),
            comes_from=tuple(role.career_path.from_),
            leads_to=tuple(role.career_path.to),
        )
        for role_id, role in workspace.roles.items()
    ]
