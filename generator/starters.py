"""`jdgen new`: start a role or a competency from a commented file that validation then guides."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: edits are not locked against a second run
    fcntl = None

from .errors import CommandLineError, OutputError, WorkspaceError
from .folders import WINDOWS_RESERVED, role_id_clash
from .library import library_area_files, library_role_files
from .models import SLUG_PATTERN
from .options import WorkspaceOptions
from .outpaths import temp_path
from .scaffold import AREA_SCHEMA_LINE, ROLE_SCHEMA_LINE, SCHEMA_PREFIX
from .workspace import COMPETENCIES_DIR, ROLES_DIR, YAML_SUFFIXES, find_workspace

_STARTERS = Path(__file__).resolve().parent / "data" / "new"


def workspace_root(options: WorkspaceOptions) -> Path:
    """Return the root of the company's workspace `jdgen new` adds to; it need not validate yet."""
    from .context import read_context

    context = read_context()
    dirs = find_workspace(options.workspace, context.cwd, context.workspace_variable)
    if dirs.builtin:  # the packaged workspace is part of the installation
        raise WorkspaceError(
            "jdgen: `jdgen new` adds to a workspace of your own, not the built-in one; "
            "start one with `jdgen init DIR` or pass --workspace"
        )
    return dirs.root


def new_role(root: Path, role_id: str, from_role: str | None = None) -> Path:
    """Write `competencies/roles/ROLE_ID.yaml`: commented and empty, or a copy of `from_role` to adapt."""
    _check_id(role_id, "role")
    if why := role_id_clash(role_id):
        raise CommandLineError(f"jdgen: role id '{role_id}' is {why}; choose another id")
    target = root / ROLES_DIR / f"{role_id}.yaml"
    _refuse_existing(root, ROLES_DIR, role_id, "role")
    if from_role is None:
        text = (_STARTERS / "role.yaml").read_text(encoding="utf-8")
    else:
        text = adapt_role(_role_source(root, from_role), _workspace_ids(root, ROLES_DIR) | {role_id}, retitle=True)
    _create(root, target, ROLE_SCHEMA_LINE + text)
    return target


def new_competency(root: Path, comp_id: str, area: str) -> Path:
    """Add a commented competency entry to `competencies/AREA.yaml`, creating the file if need be."""
    _check_id(comp_id, "competency")
    _check_id(area, "area")
    if area.lower() in WINDOWS_RESERVED:
        raise CommandLineError(f"jdgen: '{area}' is a reserved file name on Windows; choose another area id")
    if _uses_library(root) and comp_id in _library_competency_ids():
        raise CommandLineError(
            f"jdgen: '{comp_id}' is a competency of jdgen's built-in library; to change its wording, add "
            f"`- id: {comp_id}` with `override: true` and only the fields to change to its area file "
            "(see README.md), or choose another id"
        )
    entry = (_STARTERS / "competency.yaml").read_text(encoding="utf-8").replace("{id}", comp_id)
    folder = root / COMPETENCIES_DIR
    existing = [folder / f"{area}{suffix}" for suffix in YAML_SUFFIXES if (folder / f"{area}{suffix}").exists()]
    target = existing[0] if existing else folder / f"{area}.yaml"
    if not existing:
        in_library = any(path.stem == area for path in library_area_files())
        head = f"area: {area}\n"
        if not in_library:  # the library's own areas keep their name and description
            head += "# The area's name as documents show it, and what its competencies share.\nname:\ndescription:\n"
        if _create(root, target, AREA_SCHEMA_LINE + head + "competencies:\n" + _indented(entry, "  "), exist_ok=True):
            return target
        # another run made the file a moment ago: add to it

    def add(text: str) -> str:
        if re.search(rf"^\s*- id: {re.escape(comp_id)}\s*$", text, re.MULTILINE):
            raise CommandLineError(f"jdgen: {target.relative_to(root)} already has a competency '{comp_id}'")
        return text.rstrip("\n") + "\n" + _indented(entry, _list_indent(target, text))

    _edit(root, target, add)
    return target


def _uses_library(root: Path) -> bool:
    """Say whether the workspace's jdgen.yaml asks for the built-in library (read as validation reads it)."""
    from .workspace import CONFIG_NAME, read_yaml

    source, problems = read_yaml(root / CONFIG_NAME, root)
    return not problems and isinstance(source.data, dict) and source.data.get("library") == "builtin"


def _library_competency_ids() -> set[str]:
    """Return the ids of the built-in library's competencies (jdgen's own, trusted files)."""
    import yaml

    from .workspace import PACKAGE_LOADER

    ids = set()
    for path in library_area_files():
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=PACKAGE_LOADER)
        ids.update(entry["id"] for entry in data.get("competencies", []))
    return ids


def _check_id(value: str, what: str) -> None:
    if not re.match(SLUG_PATTERN, value):
        raise CommandLineError(
            f"jdgen: '{value}' is not a valid {what} id; use 1 to 64 lowercase letters, digits and hyphens, "
            "starting with a letter or digit, e.g. data-engineer"
        )


def _refuse_existing(root: Path, folder: str, stem: str, what: str) -> None:
    for suffix in YAML_SUFFIXES:
        path = root / folder / f"{stem}{suffix}"
        if os.path.lexists(path):
            raise CommandLineError(f"jdgen: {folder}/{path.name} already exists; edit it, or choose another {what} id")


def _workspace_ids(root: Path, folder: str) -> set[str]:
    try:
        return {path.stem for path in (root / folder).iterdir() if path.suffix.lower() in YAML_SUFFIXES}
    except OSError:
        return set()


def _role_source(root: Path, from_role: str) -> str:
    """Return the text of the role to copy: the workspace's own, else the library's starting role."""
    for suffix in YAML_SUFFIXES:
        path = root / ROLES_DIR / f"{from_role}{suffix}"
        if path.is_file() and not path.is_symlink():
            return _read(path)
    starters = library_role_files()
    if from_role in starters:
        return starters[from_role].read_text(encoding="utf-8")
    known = sorted(_workspace_ids(root, ROLES_DIR) | set(starters))
    raise CommandLineError(f"jdgen: no role '{from_role}' to start from; choose one of {', '.join(known)}")


def adapt_role(text: str, roles: set[str], retitle: bool) -> str:
    """Return a role's text with its references kept to `roles`, and its comments.

    With `retitle`, a copy for a new role: titles and aliases name the original, so they are
    emptied, and validation then asks for new ones.
    """
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: the comments of the role copied stay
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True  # an O*NET code such as "15-1299.09" stays quoted, as written
    yaml.width = 4096  # lines stay as the author wrapped them
    from ruamel.yaml.error import YAMLError

    try:
        role = yaml.load(_without_schema_line(text))
    except YAMLError as err:
        raise CommandLineError("jdgen: the role to start from is not valid YAML; `jdgen validate` shows where") from err
    if not isinstance(role, dict):
        raise CommandLineError("jdgen: the role to start from is not a mapping of fields; `jdgen validate` says more")
    if retitle:
        role["title"] = None
        role.pop("aliases", None)
        for level in (role.get("levels") or {}).values():
            if isinstance(level, dict) and "title" in level:
                level["title"] = None
    if isinstance(role.get("differs_from"), list):
        kept = [entry for entry in role["differs_from"] if isinstance(entry, dict) and entry.get("role") in roles]
        _keep(role, "differs_from", kept)
    path = role.get("career_path")
    if isinstance(path, dict):
        for side in ("from", "to"):
            if isinstance(path.get(side), list):
                _keep(path, side, [other for other in path[side] if other in roles])
        if not path:
            del role["career_path"]
    out = StringIO()
    yaml.dump(role, out)
    return out.getvalue()


def _keep(mapping, key: str, kept: list) -> None:
    """Keep only `kept` of the list at `key`, or drop the key when none are left."""
    if not kept:
        del mapping[key]
        return
    items = mapping[key]
    for item in [item for item in items if item not in kept]:
        items.remove(item)


def _without_schema_line(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(SCHEMA_PREFIX))


def _indented(entry: str, indent: str) -> str:
    return "".join(indent + line if line.strip() else line for line in entry.splitlines(keepends=True))


def _list_indent(path: Path, text: str) -> str:
    """Return the indentation of the `competencies` list items, which must end the file."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise CommandLineError(
            f"jdgen: {path.name} is not valid YAML, so `jdgen new` cannot add to it; `jdgen validate` shows where"
        ) from err
    last = node.value[-1] if isinstance(node, yaml.MappingNode) and node.value else None
    if last is None or last[0].value != "competencies" or not isinstance(last[1], yaml.SequenceNode):
        raise CommandLineError(
            f"jdgen: {path.name}: `competencies` must be the file's last field for `jdgen new` to add to it; "
            "move it to the end, or add the competency by hand"
        )
    items = last[1].value
    column = items[0].start_mark.column - 2 if items and not last[1].flow_style else 2
    return " " * max(column, 0)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise OutputError(str(path), f"cannot read it: {getattr(err, 'strerror', None) or err}") from err


def _inside(root: Path, path: Path) -> None:
    """Refuse a path whose folder leads out of the workspace (a linked `competencies/`, say)."""
    if not path.parent.resolve().is_relative_to(root.resolve()):
        raise OutputError(str(path), "leads outside the workspace through a link; jdgen writes only inside it")


def _create(root: Path, path: Path, text: str, exist_ok: bool = False) -> bool:
    """Write a new file; never over an existing file, through a link, or outside the workspace.

    Return whether it was written: False when it exists and `exist_ok` says that is fine.
    """
    _inside(root, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as err:
        if exist_ok and not path.is_symlink():
            return False
        raise CommandLineError(f"jdgen: {path} already exists; edit it, or choose another id") from err
    except OSError as err:
        raise OutputError(str(path), f"cannot write it: {err.strerror or err}") from err
    return True


def _edit(root: Path, path: Path, edit: Callable[[str], str]) -> None:
    """Replace a file's text with `edit` of it in one step, one run at a time.

    A reader sees the old file or the new one. Two runs adding to the same file at once both
    land: each holds a lock on the file while it reads and replaces it, and a run that waited
    reads the file the other one left, not the one it opened.
    """
    _inside(root, path)
    if path.is_symlink():
        raise OutputError(str(path), "is a link; jdgen edits only plain files")
    while True:
        try:
            handle = path.open("r+", encoding="utf-8")
        except OSError as err:
            raise OutputError(str(path), f"cannot open it: {err.strerror or err}") from err
        with handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the handle closes
                if os.fstat(handle.fileno()).st_ino != path.stat().st_ino:
                    continue  # replaced by another run while this one waited: read that one
            try:
                text = handle.read()
            except UnicodeDecodeError as err:
                raise OutputError(str(path), "cannot read it: it is not UTF-8 text") from err
            _write_over(path, edit(text))
            return


def _write_over(path: Path, text: str) -> None:
    temp = temp_path(path)
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
    except OSError as err:
        raise OutputError(str(path), f"cannot write it: {err.strerror or err}") from err
    finally:
        temp.unlink(missing_ok=True)
