"""Find the workspace, list its files and read each one's YAML, keeping the line of every value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, WorkspaceError
from .files import UnreadableFileError, read_workspace_file, shown_path
from .yaml_reader import MAX_DEPTH, MAX_NODES, Loc, SourceFile, build_values, format_loc
from .yaml_syntax import syntax_problem

__all__ = [
    "COMPETENCIES_DIR",
    "CONFIG_NAME",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "ROLES_DIR",
    "TEMPLATES_DIR",
    "YAML_SUFFIXES",
    "Loc",
    "SourceFile",
    "WorkspaceDirs",
    "builtin_workspace_dir",
    "find_workspace",
    "format_loc",
    "read_yaml",
    "workspace_files",
]

CONFIG_NAME = "jdgen.yaml"
COMPETENCIES_DIR = "competencies"
ROLES_DIR = "competencies/roles"
TEMPLATES_DIR = "templates"
#: Both spellings of the extension are read; a name written with both is refused, never one ignored.
YAML_SUFFIXES = (".yaml", ".yml")

#: Workspace files are hand-written; anything larger is refused before parsing, which is slow.
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class WorkspaceDirs:
    """Where the workspace lives and where its outputs go by default."""

    root: Path
    builtin: bool  #: True when no workspace was found and the packaged one is used

    def default_out_dir(self, cwd: Path) -> Path:
        """Return `out/` under the workspace, or under the current folder `cwd` for the built-in one."""
        return cwd / "out" if self.builtin else self.root / "out"


def builtin_workspace_dir() -> Path:
    """Return the workspace that ships with jdgen."""
    package_dir = Path(__file__).resolve().parent
    # A wheel carries the workspace inside the package; a source checkout keeps it at the root.
    for candidate in (package_dir / "workspace", package_dir.parent):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    raise WorkspaceError("jdgen: the built-in workspace is missing from this installation; reinstall jdgen")


def find_workspace(explicit: Path | None, start: Path, variable: str | None = None) -> WorkspaceDirs:
    """Choose the workspace: --workspace, then `variable` ($JDGEN_WORKSPACE), then the nearest jdgen.yaml to `start`."""
    if explicit is not None:
        if reason := _not_a_workspace(explicit):
            raise WorkspaceError(
                f"{explicit}: not a jdgen workspace ({reason}); "
                "create one with `jdgen init DIR` or point --workspace at the right folder"
            )
        return WorkspaceDirs(explicit.resolve(), builtin=False)
    if variable:
        if reason := _not_a_workspace(Path(variable)):
            raise WorkspaceError(
                f"jdgen: JDGEN_WORKSPACE={variable} is not a jdgen workspace ({reason}); "
                "fix or unset the variable, or pass --workspace"
            )
        return WorkspaceDirs(Path(variable).resolve(), builtin=False)
    return _nearest_workspace(start)


def _not_a_workspace(folder: Path) -> str | None:
    """Say why `folder` is not a workspace, in a few words; None when it is one."""
    config = folder / CONFIG_NAME
    try:
        if not folder.exists():
            return "no such folder"
        if not folder.is_dir():
            return "it is a file, not a folder" if folder.is_file() else "it is not a folder"
        if config.is_file():
            return None
        if config.exists():
            return f"its {CONFIG_NAME} is not a regular file"
        if (folder / "jdgen.yml").exists():
            return f"it holds jdgen.yml; rename it to {CONFIG_NAME}"
    except OSError as err:  # no permission, a name too long
        return f"cannot open it: {err.strerror}"
    return f"no {CONFIG_NAME} there"


def _nearest_workspace(start: Path) -> WorkspaceDirs:
    """Return the nearest folder at or above `start` holding jdgen.yaml, else the built-in workspace."""
    try:
        here = start.resolve()
    except FileNotFoundError as err:
        raise WorkspaceError(
            "jdgen: the current folder no longer exists; change to one that does, or pass --workspace"
        ) from err
    for folder in (here, *here.parents):
        if _is_file(folder / CONFIG_NAME):
            return WorkspaceDirs(folder, builtin=False)
        if os.path.lexists(folder / CONFIG_NAME):  # a pipe, a device, a dangling link: never guess past it
            raise WorkspaceError(
                f"{folder / CONFIG_NAME}: not a regular file; jdgen reads its settings only from a plain file"
            )
        if _is_file(folder / "jdgen.yml"):  # else the built-in workspace would be used without a word
            raise WorkspaceError(
                f"{folder / 'jdgen.yml'}: jdgen reads its settings from {CONFIG_NAME}; rename the file"
            )
    return WorkspaceDirs(builtin_workspace_dir(), builtin=True)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder above us we may not look into is not a workspace
        return False


def workspace_files(root: Path) -> tuple[Path, list[Path], list[Path]]:
    """List the config file, the area files and the role files (.yaml or .yml) of a workspace, sorted."""
    return root / CONFIG_NAME, _yaml_files(root / COMPETENCIES_DIR), _yaml_files(root / ROLES_DIR)


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return sorted(path for path in folder.iterdir() if path.suffix.lower() in YAML_SUFFIXES)
    except OSError:  # no such folder: the caller says that it found no files
        return []


def read_yaml(path: Path, root: Path) -> tuple[SourceFile, list[Problem]]:
    """Parse one YAML file into plain data with line marks; report problems instead of raising."""
    rel = shown_path(path, root)
    source = SourceFile(path=path, rel=rel)
    try:
        # confined to the workspace, regular files only, and bounded by the bytes actually read
        data = read_workspace_file(path, root, MAX_FILE_BYTES, "workspace files")
        text = data.decode("utf-8")
    except UnreadableFileError as err:
        return source, [Problem(rel, None, err.problem.message)]
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return source, [Problem(rel, line, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    return source, _twin_problems(path, rel) or _parse(source, text)


def _twin_problems(path: Path, rel: str) -> list[Problem]:
    """Refuse `tpm.yml` beside `tpm.yaml`: both define the same role, and neither may be ignored."""
    if path.suffix == ".yaml":
        return []  # the usual spelling; its twin, if any, reports the pair
    try:
        twins = sorted(
            other.name
            for other in path.parent.iterdir()
            if other.stem == path.stem and other.suffix.lower() in YAML_SUFFIXES and other.name != path.name
        )
    except OSError:
        return []
    if not twins:
        return []
    return [Problem(rel, None, f"this file and {' and '.join(twins)} both define '{path.stem}'; keep one of them")]


def _parse(source: SourceFile, text: str) -> list[Problem]:
    """Compose the YAML text and build its values into `source`; each failure is one located problem."""
    rel = source.rel
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        if "nesting depth" in str(err.problem):  # libyaml's own limit, in newer builds
            return [Problem(rel, None, f"the YAML is nested too deeply; keep it under {MAX_DEPTH} levels")]
        return [syntax_problem(rel, text, err)]
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        return [Problem(rel, line, f"the control character U+{err.character:04X} is not allowed; remove it")]
    except yaml.YAMLError as err:
        return [Problem(rel, None, f"YAML error: {err}")]
    except RecursionError:
        return [Problem(rel, None, f"the YAML is nested too deeply; keep it under {MAX_DEPTH} levels")]
    if node is None:
        return [Problem(rel, 1, "the file is empty")]
    return build_values(source, node, text, _Loader)


# libyaml's parser, ten times faster than PyYAML's own, which stays as the fallback where PyYAML
# was built without libyaml. Both only compose nodes; build_values makes the values. The one known
# difference: libyaml reads `[Why?, How?]` as two strings, the fallback calls it a syntax error
# (and the message says to write a block list), so valid files read the same everywhere.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: jdgen's own data files (lint rules, off-limits topics) are read with the same fast loader.
PACKAGE_LOADER = _Loader
