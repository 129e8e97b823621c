"""jdgen's built-in competency library: where it lives, and how a workspace's overrides merge into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem
from .models import Competency, CompetencyOverride
from .yaml_reader import Loc, SourceFile

#: The library ships inside the package, laid out like a workspace's `competencies/` folder.
LIBRARY_DIR = Path(__file__).resolve().parent / "data" / "library"
#: How messages name a library file: it is not in the workspace, so the fix is an override there.
LIBRARY_LABEL = "jdgen library"


def library_area_files() -> list[Path]:
    """Return the library's area files, sorted."""
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def library_role_files() -> dict[str, Path]:
    """Return the library's starting roles (for `jdgen init --role` and `jdgen new role --from`), by id."""
    return {path.stem: path for path in sorted((LIBRARY_DIR / "roles").glob("*.yaml"))}


@dataclass(frozen=True)
class CompetencyOrigin:
    """Where each field of a competency was written: its own entry, or a library entry and an override."""

    source: SourceFile
    loc: Loc
    override: SourceFile | None = None
    override_loc: Loc = ()
    fields: frozenset[str] = frozenset()  #: the fields the override gives
    #: for each question of the merged competency, its index in the override's list; None: the library's
    questions: tuple[int | None, ...] = ()

    def at(self, path: Loc = ()) -> tuple[SourceFile, Loc]:
        """Return the file and location where the value at `path` inside the competency was written."""
        if self.override is None:
            return self.source, (*self.loc, *path)
        if not path:  # the competency as a whole: the entry the company can edit
            return self.override, self.override_loc
        if path[0] == "questions" and len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.questions):
            own = self.questions[path[1]]
            if own is not None:
                return self.override, (*self.override_loc, "questions", own, *path[2:])
            return self.source, (*self.loc, *path)
        if path[0] in self.fields:
            return self.override, (*self.override_loc, *path)
        return self.source, (*self.loc, *path)

    def problem(self, path: Loc, message: str) -> Problem:
        """Return a problem located where the value at `path` inside the competency was written."""
        source, loc = self.at(path)
        return source.problem(loc, message)


def merge_override(base: Competency, override: CompetencyOverride) -> tuple[dict[str, Any], tuple[int | None, ...]]:
    """Return the library competency `base` with the override's fields, and each question's origin.

    A field the override gives replaces the library's whole, except `questions`: those are
    matched by id, so a company rewords one question without copying the others.
    """
    data = base.model_dump(by_alias=True)
    given = override.model_fields_set - {"id", "override"}
    origins: list[int | None] = [None] * len(base.questions)
    for name in given:
        value = getattr(override, name)
        if name != "questions":
            data[name] = value.copy() if isinstance(value, dict) else value
            continue
        position = {question.id: index for index, question in enumerate(base.questions)}
        questions = list(data["questions"])
        for own_index, question in enumerate(value):
            dumped = question.model_dump(by_alias=True)
            if question.id in position:
                questions[position[question.id]] = dumped
                origins[position[question.id]] = own_index
            else:
                position[question.id] = len(questions)
                questions.append(dumped)
                origins.append(own_index)
        data["questions"] = questions
    return data, tuple(origins)
