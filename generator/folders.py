"""The folders roles are built into under out/, and the ids that cannot name a file or folder."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import Problem
from .models import Role
from .workspace import SourceFile

#: Names Windows reserves for devices: no file or folder can have them, whatever the extension.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))})
#: Folders jdgen itself writes under out/, so no role may have their name.
JDGEN_FOLDERS = {"compare": "comparisons", "feeds": "job-board feeds"}


def output_folder_name(role_id: str, level_id: str, default_level: str) -> str:
    """Return the folder under out/ of a role at a level: the role id, suffixed by a non-default level."""
    return role_id if level_id == default_level else f"{role_id}-{level_id}"


def role_id_problem(rel: str, role_id: str) -> Problem | None:
    """Return the problem with a role id (a file stem) that cannot be a folder under out/, if any."""
    why = role_id_clash(role_id)
    return None if why is None else Problem(rel, None, f"role id '{role_id}' is {why}; rename the file")


def role_id_clash(role_id: str) -> str | None:
    """Say what a role id clashes with ("a reserved file name on Windows, ..."), or None when it is free."""
    if role_id.lower() in WINDOWS_RESERVED:
        return "a reserved file name on Windows, where its outputs (and this file) cannot exist"
    if role_id in JDGEN_FOLDERS:
        return f"the folder where jdgen writes {JDGEN_FOLDERS[role_id]} under out/"
    return None


def area_id_problem(source: SourceFile, area_id: str) -> Problem | None:
    """Return the problem with an area id (a file stem) that Windows cannot have as a file name, if any."""
    if area_id.lower() not in WINDOWS_RESERVED:
        return None
    message = f"'{area_id}' is a reserved file name on Windows, where this file cannot exist"
    return source.problem(("area",), f"{message}; rename the file and its area id")


def folder_problems(roles: Mapping[str, Role], sources: Mapping[str, SourceFile]) -> list[Problem]:
    """Find builds that would write the same folder under out/, such as tpm at senior and a role tpm-senior."""
    problems = []
    owners = {role_id: (role_id, role.default_level) for role_id, role in roles.items()}
    for role_id, role in roles.items():
        for level_id in role.levels:
            folder = output_folder_name(role_id, level_id, role.default_level)
            owner = owners.setdefault(folder, (role_id, level_id))
            if owner == (role_id, level_id):
                continue
            if owner[1] == roles[owner[0]].default_level:
                # the folder is another role's own: that role's file name is what to change
                rel = sources[folder].rel
                message = (
                    f"role id '{folder}' is also the folder of role '{role_id}' at level '{level_id}' "
                    f"(out/{folder}/), so one build would overwrite the other; rename {rel}"
                )
                problems.append(Problem(rel, None, message))
            else:
                message = (
                    f"role '{role_id}' at level '{level_id}' writes out/{folder}/, as does role '{owner[0]}' "
                    f"at level '{owner[1]}'; rename one of the roles"
                )
                problems.append(sources[role_id].problem(("levels", level_id), message))
    return problems
