"""Find the workspace and read its YAML files, keeping the line of every value."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, WorkspaceError

CONFIG_NAME = "jdgen.yaml"
COMPETENCIES_DIR = "competencies"
ROLES_DIR = "competencies/roles"
TEMPLATES_DIR = "templates"

#: A YAML document may expand aliases up to this many nodes; more is an attack or a mistake.
MAX_NODES = 200_000
#: Workspace files are hand-written; anything larger is refused before parsing, which is slow.
MAX_FILE_BYTES = 2_000_000
#: Hand-written data never nests this deep; deeper is refused before Python's stack runs out.
MAX_DEPTH = 50

Loc = tuple[str | int, ...]

#: Characters XML 1.0 cannot hold, so neither can DOCX or HTML outputs.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def format_loc(loc: Loc) -> str:
    """Write a location in a file's data as people read it, e.g. `competencies[0].levels.mid`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else f".{part}"
    return out.lstrip(".")


@dataclass(frozen=True)
class WorkspaceDirs:
    """Where the workspace lives and where its outputs go by default."""

    root: Path
    builtin: bool  #: True when no workspace was found and the packaged one is used

    @property
    def default_out_dir(self) -> Path:
        """Return `out/` under the workspace, or under the current folder for the built-in one."""
        return Path.cwd() / "out" if self.builtin else self.root / "out"


@dataclass
class SourceFile:
    """One YAML file: its data and the line of every key and list item in it."""

    path: Path
    rel: str  #: the path shown in messages, relative to the workspace root
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)  #: scalar text as written

    def line(self, loc: Loc) -> int | None:
        """Return the line of `loc`, or of its nearest enclosing value that has one."""
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return None

    def problem(self, loc: Loc, message: str) -> Problem:
        """Return a problem located at `loc` in this file."""
        return Problem(self.rel, self.line(loc), message)


def builtin_workspace_dir() -> Path:
    """Return the workspace that ships with jdgen."""
    package_dir = Path(__file__).resolve().parent
    # A wheel carries the workspace inside the package; a source checkout keeps it at the root.
    for candidate in (package_dir / "workspace", package_dir.parent):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    raise WorkspaceError("jdgen: the built-in workspace is missing from this installation; reinstall jdgen")


def find_workspace(explicit: Path | None, start: Path | None = None) -> WorkspaceDirs:
    """Choose the workspace: --workspace, then $JDGEN_WORKSPACE, then the nearest jdgen.yaml."""
    chosen = explicit or (Path(os.environ["JDGEN_WORKSPACE"]) if os.environ.get("JDGEN_WORKSPACE") else None)
    if chosen is not None:
        if not (chosen / CONFIG_NAME).is_file():
            raise WorkspaceError(
                f"{chosen}: not a jdgen workspace (no {CONFIG_NAME}); "
                "create one with `jdgen init DIR` or point --workspace at the right folder"
            )
        return WorkspaceDirs(chosen.resolve(), builtin=False)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return WorkspaceDirs(folder, builtin=False)
    return WorkspaceDirs(builtin_workspace_dir(), builtin=True)


def workspace_files(root: Path) -> tuple[Path, list[Path], list[Path]]:
    """List the config file, the area files and the role files of a workspace, sorted."""
    areas = sorted((root / COMPETENCIES_DIR).glob("*.yaml"))
    roles = sorted((root / ROLES_DIR).glob("*.yaml"))
    return root / CONFIG_NAME, areas, roles


def read_yaml(path: Path, root: Path) -> tuple[SourceFile, list[Problem]]:
    """Parse one YAML file into plain data with line marks; report problems instead of raising."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    source = SourceFile(path=path, rel=rel)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES / 1_000_000
            return source, [
                Problem(
                    rel, None, f"the file is {size / 1_000_000:.1f} MB; workspace files are limited to {limit:.0f} MB"
                )
            ]
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        return source, [Problem(rel, line, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    except OSError as err:
        return source, [Problem(rel, None, f"cannot read the file: {err.strerror}")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        if "nesting depth" in str(err.problem):  # libyaml's own limit, in newer builds
            return source, [Problem(rel, None, f"the YAML is nested too deeply; keep it under {MAX_DEPTH} levels")]
        return source, [_syntax_problem(rel, text, err)]
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        return source, [Problem(rel, line, f"the control character U+{err.character:04X} is not allowed; remove it")]
    except yaml.YAMLError as err:
        return source, [Problem(rel, None, f"YAML error: {err}")]
    except RecursionError:
        return source, [Problem(rel, None, f"the YAML is nested too deeply; keep it under {MAX_DEPTH} levels")]
    if node is None:
        return source, [Problem(rel, 1, "the file is empty")]
    builder = _Builder(source)
    try:
        source.data = builder.build(node, ())
    except _TooLargeError:
        return source, [Problem(rel, None, f"the YAML expands to more than {MAX_NODES:,} values (aliases?)")]
    except _TooDeepError as err:
        return source, [Problem(rel, err.line, f"the YAML is nested more than {MAX_DEPTH} levels deep")]
    return source, builder.problems


def _syntax_problem(rel: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """Turn a PyYAML syntax error into one located line, with a fix where a known trap caused it."""
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else None
    what = err.problem or "syntax error"
    if err.context and err.context_mark and err.problem_mark and err.context_mark.line < err.problem_mark.line:
        # an unclosed quote or bracket: blame where it opened, not where the file ran out
        what = f"{err.context} that starts here, {what} at line {line}"
        line = err.context_mark.line + 1
    message = f"YAML syntax error: {what}"
    source_lines = text.splitlines()
    bad = source_lines[line - 1] if line and line <= len(source_lines) else ""
    if "[" in bad and "?" in bad:
        message += "; a '?' inside [...] breaks YAML: write the list as a block list ('- item' per line)"
    elif ": " in bad.split(":", 1)[-1]:
        message += "; text containing ': ' must be quoted"
    else:
        message += "; check the indentation and quote text that starts with a special character"
    return Problem(rel, line, message)


# libyaml's parser, ten times faster than PyYAML's own, which stays as the fallback where PyYAML
# was built without libyaml. Both only compose nodes; _Builder makes the values. The one known
# difference: libyaml reads `[Why?, How?]` as two strings, the fallback calls it a syntax error
# (and the message says to write a block list), so valid files read the same everywhere.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooLargeError(Exception):
    pass


class _TooDeepError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Builder:
    """Build Python values from YAML nodes, recording lines and refusing duplicate keys."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLargeError
        if len(loc) > MAX_DEPTH:
            raise _TooDeepError(node.start_mark.line + 1)
        self.source.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return dict(self._mapping(node, loc))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        self.source.raw[loc] = node.value
        value = self._scalar(node)
        if isinstance(value, str) and (bad := _XML_INVALID.search(value)):
            self.problems.append(
                Problem(
                    self.source.rel,
                    node.start_mark.line + 1,
                    f"the text holds the control character U+{ord(bad.group()):04X}, which documents cannot hold; "
                    "remove it",
                )
            )
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """Construct a scalar; one YAML cannot (an unknown tag, a date like 2026-13-45) is a problem."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as err:
            reason = getattr(err, "problem", None) or str(err)
            self.problems.append(
                Problem(self.source.rel, node.start_mark.line + 1, f"cannot read {node.value!r}: {reason}; quote it")
            )
            return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> Iterator[tuple[Any, Any]]:
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(self.source.rel, line, "merge keys ('<<') are not supported; write the keys out")
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.source.rel, line, "a key must be plain text, not a list or mapping"))
                continue
            key = self._scalar(key_node)
            if key in seen:
                self.problems.append(
                    Problem(self.source.rel, line, f"duplicate key '{key}' (first at line {seen[key]}); keep one")
                )
                continue
            seen[key] = line
            self.source.lines[(*loc, key)] = line
            yield key, self.build(value_node, (*loc, key))
