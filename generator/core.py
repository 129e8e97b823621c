"""Types every step shares: the validated workspace. No I/O; validate.py builds it, the other steps read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import Problem
from .library import CompetencyOrigin
from .loop import StagePlan
from .models import Competency, Config, HireBar, Role
from .off_limits import OffLimitsTopic
from .workspace import SourceFile, WorkspaceDirs

T = TypeVar("T")


@dataclass(frozen=True)
class Workspace:
    """A workspace whose every file and cross-reference has been checked."""

    dirs: WorkspaceDirs
    config: Config
    competencies: Mapping[str, Competency]  #: by id, in library order
    area_names: Mapping[str, str]  #: competency id → area name
    roles: Mapping[str, Role]  #: by id, sorted
    role_sources: Mapping[str, SourceFile]  #: by role id, for located messages
    aliases: Mapping[str, str]  #: alias → role id
    config_source: SourceFile | None = None  #: jdgen.yaml, for located messages
    #: id → where each of its fields was written (its entry, or a library entry and an override)
    competency_sources: Mapping[str, CompetencyOrigin] = field(default_factory=dict)
    off_limits: tuple[OffLimitsTopic, ...] = ()  #: topics no question may touch
    #: (role id, level id) → the questions each stage asks, planned once while validating
    loop_plans: Mapping[tuple[str, str], tuple[StagePlan, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    @property
    def level_order(self) -> list[str]:
        """Return the level ids from the lowest to the highest."""
        return [level.id for level in self.config.levels]

    def level_name(self, level_id: str) -> str:
        """Return the display name of a level."""
        return next(level.name for level in self.config.levels if level.id == level_id)

    def expectation(self, competency: Competency, level_id: str) -> str | None:
        """Return the expectation at `level_id`, falling back to the nearest lower level."""
        return level_expectation(competency, self.level_order, level_id)

    def anchors(self, competency: Competency, level_id: str) -> dict[int, str]:
        """Return the rubric anchors at `level_id`: its own, else the nearest lower level's, else `rubric`."""
        own = at_level(competency.rubric_by_level, self.level_order, level_id)
        return competency.rubric if own is None else own

    def hire_bar(self, level_id: str) -> HireBar:
        """Return the debrief's bar at `level_id`: its own, else the nearest lower level's, else the default."""
        own = at_level(self.config.interview.hire_bar, self.level_order, level_id)
        return HireBar() if own is None else own


def level_expectation(competency: Competency, order: list[str], level_id: str) -> str | None:
    """Return a competency's expectation at a level, else at the nearest lower level that has one."""
    return at_level(competency.levels, order, level_id)


def at_level(by_level: Mapping[str, T], order: list[str], level_id: str) -> T | None:
    """Return the value given for `level_id`, else for the nearest lower level that has one, else None."""
    for candidate in reversed(order[: order.index(level_id) + 1]):
        if candidate in by_level:
            return by_level[candidate]
    return None
