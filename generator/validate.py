"""Validate a workspace: typed models first, then every cross-reference; all problems at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .core import Workspace, level_expectation
from .errors import InvalidWorkspaceError, Problem
from .folders import area_id_problem, folder_problems, role_id_problem
from .library import LIBRARY_LABEL, CompetencyOrigin, library_area_files, merge_override
from .loop import LoopRules, StagePlan, plan_loop
from .models import SLUG_PATTERN, Area, Competency, CompetencyOverride, Config, LibraryArea, Role, Stage
from .off_limits import OffLimitsTopic, builtin_topics, find_off_limits
from .places import config_place_problems, missing_region_warnings, role_place_problems
from .schema_errors import suggest, validate_model
from .workspace import ROLES_DIR, SourceFile, WorkspaceDirs, read_yaml, workspace_files


def load_workspace(dirs: WorkspaceDirs) -> Workspace:
    """Load and validate every file of the workspace; raise once with every problem found."""
    checker = _Checker(dirs)
    workspace = checker.run()
    if checker.problems:
        raise InvalidWorkspaceError(checker.problems)
    assert workspace is not None
    return workspace


@dataclass
class _Checker:
    dirs: WorkspaceDirs
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    competencies: dict[str, Competency] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    comp_sources: dict[str, CompetencyOrigin] = field(default_factory=dict)
    #: the built-in library's areas (id → name) and competency ids, when jdgen.yaml uses it
    library_areas: dict[str, str] = field(default_factory=dict)
    library_ids: set[str] = field(default_factory=set)
    library_members: dict[str, list[str]] = field(default_factory=dict)  #: area id → its competency ids
    roles: dict[str, Role] = field(default_factory=dict)
    role_sources: dict[str, SourceFile] = field(default_factory=dict)
    loop_plans: dict[tuple[str, str], tuple[StagePlan, ...]] = field(default_factory=dict)
    #: competencies with a problem that could distort loop planning (question ids or levels)
    flawed_competencies: set[str] = field(default_factory=set)
    #: a file failed to load, so a missing id may be its fault: don't report references to it
    library_incomplete: bool = False
    roles_incomplete: bool = False

    def run(self) -> Workspace | None:
        config_path, area_paths, role_paths = workspace_files(self.dirs.root)
        config, config_source = self._load(config_path, Config)
        # a jdgen.yaml with another problem still says whether it wants the library
        wanted = config.library if config is not None else _raw_field(config_source.data, "library")
        if wanted == "builtin":
            for path in library_area_files():
                self._add_library_area(path)
        elif config is None and wanted is not None:
            self.library_incomplete = True  # `library` itself is wrong: references into it may be fine
        if not area_paths and not self.library_areas:
            self.problems.append(
                Problem(
                    "competencies/",
                    None,
                    "no competency area files (competencies/*.yaml or *.yml); add one, e.g. competencies/delivery.yaml",
                )
            )
        for path in area_paths:
            self._add_area(path)
        if not role_paths:  # a new workspace: valid, with nothing to build yet
            self.warnings.append(
                Problem(
                    f"{ROLES_DIR}/",
                    None,
                    "warning: no roles yet; start one with `jdgen new role ID` (competencies/roles/ID.yaml)",
                )
            )
        for path in role_paths:
            self._add_role(path)
        self.problems.extend(folder_problems(self.roles, self.role_sources))
        if config is None:
            return None
        self._check_lint_settings(config, config_source)
        self._check_hiring_settings(config, config_source)
        self.problems.extend(config_place_problems(config, config_source))
        off_limits = self._off_limits(config)
        self._check_library(config, config_source, off_limits)
        self._check_authoring(config)
        aliases = self._check_aliases()
        for role_id, role in self.roles.items():
            self.problems.extend(role_place_problems(config, role, self.role_sources[role_id]))
            _RoleChecker(self, config, role_id, role, self.role_sources[role_id]).run()
        self.warnings.extend(missing_region_warnings(config, self.roles, self.role_sources, config_source))
        comp_files = {id(f): f for o in self.comp_sources.values() for f in (o.source, o.override) if f is not None}
        for source in [config_source, *self.role_sources.values(), *comp_files.values()]:
            if source is not None:
                source.keep_lines_only()
        return Workspace(
            dirs=self.dirs,
            config=config,
            competencies=self.competencies,
            area_names=self.area_names,
            roles=dict(sorted(self.roles.items())),
            role_sources=self.role_sources,
            aliases=aliases,
            config_source=config_source,
            competency_sources=self.comp_sources,
            off_limits=tuple(off_limits),
            loop_plans=self.loop_plans,
            warnings=tuple(self.warnings),
        )

    def _load(self, path: Path, model: type) -> tuple[Any, SourceFile]:
        """Read and validate one file; return the model instance (None on problems) and its source."""
        source, problems = read_yaml(path, self.dirs.root)
        if not problems:
            instance, problems = validate_model(model, source)
        self.problems.extend(problems)
        return (None if problems else instance), source

    def _add_library_area(self, path: Path) -> None:
        source, problems = read_yaml(path, path.parent)
        source.rel = f"{LIBRARY_LABEL}/{path.name}"
        if not problems:
            area, problems = validate_model(LibraryArea, source)
        if problems:  # a broken installation, not the company's doing
            self.problems.extend(Problem(source.rel, p.line, p.message + "; reinstall jdgen") for p in problems)
            self.library_incomplete = True
            return
        self.library_areas[area.area] = area.name
        for index, comp in enumerate(area.competencies):
            self.competencies[comp.id] = comp
            self.area_names[comp.id] = area.name
            self.comp_sources[comp.id] = CompetencyOrigin(source, ("competencies", index))
            self.library_ids.add(comp.id)
            self.library_members.setdefault(area.area, []).append(comp.id)

    def _add_area(self, path: Path) -> None:
        source, problems = read_yaml(path, self.dirs.root)
        area = None
        if not problems:
            area, problems = validate_model(Area, source)
        self.problems.extend(self._library_copies(source, problems))
        in_library = path.stem in self.library_areas
        if not in_library and isinstance(source.data, dict):  # said even while the entries have problems
            for name in ("name", "description"):
                if source.data.get(name) is None:
                    where = "jdgen's built-in library has no such area" if self.library_ids else "no library in use"
                    self.problems.append(
                        source.problem((name,), f"missing required field '{name}' ({where} to take it from)")
                    )
        if area is None:
            self.library_incomplete = True
            return
        if area.area != path.stem:
            self.problems.append(
                source.problem(("area",), f"area '{area.area}' must match the file name '{path.stem}'")
            )
        elif reserved := area_id_problem(source, path.stem):
            self.problems.append(reserved)
        name = area.name or self.library_areas.get(area.area) or area.area
        if in_library and area.name is not None:  # the company renames a library area
            for comp_id in self.library_members[area.area]:
                self.area_names[comp_id] = area.name
        for index, comp in enumerate(area.competencies):
            loc = ("competencies", index)
            if isinstance(comp, CompetencyOverride):
                self._add_override(source, loc, comp)
                continue
            if comp.id in self.competencies:
                self.problems.append(source.problem((*loc, "id"), self._taken(comp.id)))
                continue
            self.competencies[comp.id] = comp
            self.area_names[comp.id] = name
            self.comp_sources[comp.id] = CompetencyOrigin(source, loc)

    def _library_copies(self, source: SourceFile, problems: list[Problem]) -> list[Problem]:
        """Say once that an entry copies a library id without `override`, instead of each field it lacks."""
        entries = source.data.get("competencies") if isinstance(source.data, dict) else None
        if not problems or not self.library_ids or not isinstance(entries, list):
            return problems
        lines = [source.line(("competencies", index)) or 0 for index in range(len(entries))] + [float("inf")]
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("id") in self.library_ids and "override" not in entry:
                start, end = lines[index], lines[index + 1]
                problems = [p for p in problems if p.path != source.rel or not start <= (p.line or 0) < end]
                problems.append(source.problem(("competencies", index, "id"), self._taken(entry["id"])))
        return problems

    def _taken(self, comp_id: str) -> str:
        """Say why a new competency may not use `comp_id`, which is already defined."""
        first = self.comp_sources[comp_id]
        if comp_id in self.library_ids and first.override is None and first.source.rel.startswith(LIBRARY_LABEL):
            return (
                f"competency '{comp_id}' is already in jdgen's built-in library; add `override: true` to change "
                "only the fields this entry gives, or choose another id"
            )
        source, loc = first.at(("id",))
        return (
            f"competency '{comp_id}' is defined twice, first at {source.rel}:{source.line(loc)}; rename or remove one"
        )

    def _add_override(self, source: SourceFile, loc: tuple, override: CompetencyOverride) -> None:
        where = (*loc, "override")
        if not self.library_ids:
            if not self.library_incomplete:
                self.problems.append(
                    source.problem(
                        where,
                        "`override: true` changes a competency of jdgen's built-in library, but jdgen.yaml does "
                        "not use it; add `library: builtin` to jdgen.yaml, or remove `override` and give "
                        "every field",
                    )
                )
            self.library_incomplete = True  # the competency is missing: references to it are not to blame
            return
        if override.id not in self.library_ids:
            hint = suggest(override.id, self.library_ids)
            self.problems.append(
                source.problem(
                    (*loc, "id"),
                    f"no competency '{override.id}' in jdgen's built-in library to override{hint}; fix the id, "
                    "or remove `override: true` to add a competency of your own",
                )
            )
            return
        first = self.comp_sources[override.id]
        if first.override is not None:
            line = first.override.line(first.override_loc)
            self.problems.append(
                source.problem(
                    (*loc, "id"),
                    f"competency '{override.id}' is overridden twice, first at {first.override.rel}:{line}; "
                    "merge the two entries",
                )
            )
            return
        data, questions = merge_override(self.competencies[override.id], override)
        origin = CompetencyOrigin(
            first.source, first.loc, source, loc, frozenset(override.model_fields_set - {"id", "override"}), questions
        )
        try:
            merged = Competency.model_validate(data)
        except ValidationError as err:
            # the fields are each valid, so only a rule across them (a question id given twice) fails here
            for error in err.errors():
                file, at = origin.at(tuple(error["loc"]))
                self.problems.append(
                    Problem(file.rel, file.line(at), f"with the override of '{override.id}': {error['msg']}")
                )
            return
        self.competencies[override.id] = merged
        self.comp_sources[override.id] = origin

    def _add_role(self, path: Path) -> None:
        rel = path.relative_to(self.dirs.root).as_posix()
        if not re.match(SLUG_PATTERN, path.stem):
            self.roles_incomplete = True
            self.problems.append(
                Problem(
                    rel,
                    None,
                    f"'{path.stem}' is not a valid role id: rename the file with lowercase letters, digits and hyphens",
                )
            )
            return
        if reserved := role_id_problem(rel, path.stem):
            self.problems.append(reserved)  # the role still loads, so nothing cascades from it
        role, source = self._load(path, Role)
        if role is None:
            self.roles_incomplete = True
        else:
            self.roles[path.stem] = role
            self.role_sources[path.stem] = source

    def _check_lint_settings(self, config: Config, source: SourceFile) -> None:
        """Refuse `lint.disable` ids that name no rule; warn of `lint.allow` entries no rule flags."""
        if not (config.lint.disable or config.lint.allow):
            return  # most workspaces: no need to read and compile the word lists
        from .lint.rules import load_rules

        rules = load_rules()
        known = rules.ids
        for index, rule in enumerate(config.lint.disable):
            if rule not in known:
                hint = suggest(rule, known) or f"; rule ids are {', '.join(sorted(known))}"
                self.problems.append(source.problem(("lint", "disable", index), f"unknown lint rule '{rule}'{hint}"))
        for index, phrase in enumerate(config.lint.allow):
            own = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)
            # live when a rule flags the phrase itself, or the phrase is a word of a rule's terms
            if not any(rule.pattern.search(phrase) or own.search(rule.pattern.pattern) for rule in rules.word_rules):
                self.warnings.append(
                    source.problem(
                        ("lint", "allow", index),
                        f"warning: lint.allow[{index}]: no language rule flags '{phrase}', so allowing it "
                        "changes nothing; check its spelling or remove it",
                    )
                )

    def _check_hiring_settings(self, config: Config, source: SourceFile) -> None:
        """Check the hire bars against the scales, and the screening questions against the off-limits topics."""
        top = max(config.rating_scale)
        levels = {level.id for level in config.levels}
        for level, bar in config.interview.hire_bar.items():
            where = ("interview", "hire_bar", level)
            if level not in levels:
                self.problems.append(source.problem(where, _unknown_level(level, levels)))
            for name in ("core_min", "supporting_min"):
                if getattr(bar, name) > top:
                    self.problems.append(
                        source.problem((*where, name), f"{getattr(bar, name)} is above the rating scale's top ({top})")
                    )
        if config.hiring is None:
            return
        topics = self._off_limits(config)
        for index, question in enumerate(config.hiring.screening):
            if question.knockout and question.requirement is None:
                self.warnings.append(
                    source.problem(
                        ("hiring", "screening", index),
                        f"warning: screening question '{question.id}' is a knock-out, but no posting states what it "
                        'requires; add `requirement:`, the line every posting shows under "How we hire"',
                    )
                )
            elif question.requirement is not None and not question.knockout:
                self.warnings.append(
                    source.problem(
                        ("hiring", "screening", index, "requirement"),
                        f"warning: screening question '{question.id}' is not a knock-out, so postings do not show its "
                        "requirement; add `knockout: true` or remove `requirement`",
                    )
                )
            if found := find_off_limits(question.text, topics):
                self.problems.append(
                    source.problem(
                        ("hiring", "screening", index, "text"),
                        f"screening question '{question.id}' touches an off-limits topic, {found.topic} "
                        f"('{found.matched}'); recruiters must never raise it: reword or remove it",
                    )
                )

    def _off_limits(self, config: Config) -> list[OffLimitsTopic]:
        from .off_limits import compile_user_pattern

        # the workspace's patterns run on re2 (the model has already refused any it cannot run)
        extra = [
            OffLimitsTopic(rule.topic, rule.kit or rule.topic, tuple(compile_user_pattern(p) for p in rule.patterns))
            for rule in config.interview.off_limits
        ]
        return builtin_topics() + extra

    def _check_library(self, config: Config, source: SourceFile, off_limits: list[OffLimitsTopic]) -> None:
        scale_levels = {level.id for level in config.levels}
        scale_keys = set(config.rating_scale)
        seen_questions: dict[str, str] = {}
        # what the built-in library wrote for levels or ratings jdgen.yaml lacks: said once, below
        library_levels: set[str] = set()
        library_scale = False
        used = {item.id for role in self.roles.values() for item in role.competencies}
        for comp_id, comp in self.competencies.items():
            origin = self.comp_sources[comp_id]
            if comp_id not in used and _from_library(origin, ()):
                # a library competency no role uses: nothing of it is shown, but its question ids stay taken
                seen_questions.update(dict.fromkeys((question.id for question in comp.questions), comp_id))
                continue
            for level in comp.levels:
                if level not in scale_levels:
                    if _from_library(origin, ("levels",)):
                        library_levels.add(level)
                        continue
                    self.problems.append(origin.problem(("levels", level), _unknown_level(level, scale_levels)))
            if set(comp.rubric) != scale_keys:
                if _from_library(origin, ("rubric",)):
                    library_scale = True
                else:
                    keys = ", ".join(map(str, sorted(scale_keys)))
                    self.problems.append(
                        origin.problem(
                            ("rubric",), f"rubric of '{comp_id}' must have exactly the rating_scale keys {keys}"
                        )
                    )
            for level, anchors in comp.rubric_by_level.items():
                where = ("rubric_by_level", level)
                if _from_library(origin, ("rubric_by_level",)) and (
                    level not in scale_levels or set(anchors) != scale_keys
                ):
                    library_levels |= {level} - scale_levels
                    library_scale = library_scale or set(anchors) != scale_keys
                elif level not in scale_levels:
                    self.problems.append(origin.problem(where, _unknown_level(level, scale_levels)))
                elif set(anchors) != scale_keys:
                    keys = ", ".join(map(str, sorted(scale_keys)))
                    self.problems.append(
                        origin.problem(
                            where, f"anchors of '{comp_id}' at '{level}' must have exactly the rating_scale keys {keys}"
                        )
                    )
            for q_index, question in enumerate(comp.questions):
                q_loc = ("questions", q_index)
                asked = [(("text",), question.text)] + [(("probes", i), p) for i, p in enumerate(question.probes)]
                for field_loc, text in asked:
                    if found := find_off_limits(text, off_limits):
                        self.problems.append(
                            origin.problem(
                                (*q_loc, *field_loc),
                                f"question '{question.id}' touches an off-limits topic, {found.topic} "
                                f"('{found.matched}'); interviewers must never raise it: reword or remove it",
                            )
                        )
                if question.id in seen_questions:
                    self.flawed_competencies |= {comp_id, seen_questions[question.id]}
                    self.problems.append(
                        origin.problem(
                            (*q_loc, "id"),
                            f"duplicate question id '{question.id}' (also in '{seen_questions[question.id]}')",
                        )
                    )
                seen_questions[question.id] = comp_id
                for l_index, level in enumerate(question.levels or []):
                    if level not in scale_levels and _from_library(origin, q_loc):
                        library_levels.add(level)  # the question just suits none of the company's levels
                    elif level not in scale_levels:
                        self.flawed_competencies.add(comp_id)
                        self.problems.append(
                            origin.problem((*q_loc, "levels", l_index), _unknown_level(level, scale_levels))
                        )
        if library_levels:
            missing = ", ".join(sorted(library_levels))
            self.problems.append(
                source.problem(
                    ("levels",),
                    f"jdgen's built-in library uses level ids that jdgen.yaml's levels lack ({missing}); keep the "
                    "library's levels (entry, associate, mid, senior, principal), or override `levels` of each "
                    "library competency your roles use",
                )
            )
        if library_scale:
            self.problems.append(
                source.problem(
                    ("rating_scale",),
                    "jdgen's built-in library writes anchors for a rating scale of 1 to 4, unlike jdgen.yaml's "
                    "rating_scale; keep 1 to 4, or override `rubric` of each library competency your roles use",
                )
            )

    def _check_authoring(self, config: Config) -> None:
        """Warn of what makes a kit weaker without making it wrong: the authoring guide's rules."""
        order = [level.id for level in config.levels]
        for comp_id, comp in self.competencies.items():
            origin = self.comp_sources[comp_id]
            for index, question in enumerate(comp.questions):
                for name, what in (("probes", "follow-up questions"), ("look_for", "signals of a strong answer")):
                    if not getattr(question, name):
                        self.warnings.append(
                            origin.problem(
                                ("questions", index),
                                f"warning: question '{question.id}' has no {name}; add {what} so every "
                                "interviewer digs and judges the same way",
                            )
                        )
            scales = [(("rubric",), comp.rubric)]
            scales += [(("rubric_by_level", level), anchors) for level, anchors in comp.rubric_by_level.items()]
            for where, anchors in scales:
                seen: dict[str, int] = {}
                for rating, anchor in sorted(anchors.items()):
                    key = " ".join(anchor.casefold().split())
                    if key in seen:
                        self.warnings.append(
                            origin.problem(
                                (*where, rating),
                                f"warning: the anchor for {rating} in '{comp_id}' repeats the one for {seen[key]}; "
                                "say what a candidate at this rating does differently",
                            )
                        )
                    seen.setdefault(key, rating)
            below: tuple[str, str] | None = None
            for level in order:
                if level not in comp.levels:
                    continue
                text = " ".join(comp.levels[level].casefold().split())
                if below is not None and text == below[1]:
                    self.warnings.append(
                        origin.problem(
                            ("levels", level),
                            f"warning: the expectation of '{comp_id}' at '{level}' is the same as at '{below[0]}'; "
                            "say what grows at this level (scope, autonomy, influence), or remove it to "
                            "inherit the level below",
                        )
                    )
                below = (level, text)

    def referrers(self, target: str) -> set[str]:
        """Return the roles whose `differs_from` or `career_path` names role `target`."""
        return {
            role_id
            for role_id, role in self.roles.items()
            if target in {d.role for d in role.differs_from} | set(role.career_path.from_) | set(role.career_path.to)
        }

    def _check_aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for role_id, role in self.roles.items():
            for index, alias in enumerate(role.aliases):
                owner = aliases.get(alias) or (alias if alias in self.roles and alias != role_id else None)
                if owner:
                    self.problems.append(
                        self.role_sources[role_id].problem(
                            ("aliases", index), f"alias '{alias}' is already used by role '{owner}'"
                        )
                    )
                aliases[alias] = role_id
        return aliases


#: Stage names that promise a work sample.
_EXERCISE_NAME = re.compile(r"\b(exercise|review)\b", re.IGNORECASE)


def _from_library(origin: CompetencyOrigin, path: tuple) -> bool:
    """Say whether the built-in library wrote the value at `path`, which the company cannot edit."""
    return origin.at(path)[0].rel.startswith(LIBRARY_LABEL)


def _raw_field(data: Any, name: str) -> Any:
    """Return a top-level value of a file that failed validation, or None."""
    return data.get(name) if isinstance(data, dict) else None


def _unknown_level(level: str, known: set[str] | Mapping[str, object]) -> str:
    return f"unknown level '{level}'{suggest(level, known)}; levels are defined in jdgen.yaml"


@dataclass
class _RoleChecker:
    parent: _Checker
    config: Config
    role_id: str
    role: Role
    source: SourceFile

    def error(self, loc: tuple, message: str) -> None:
        self.parent.problems.append(self.source.problem(loc, message))

    def warn(self, loc: tuple, message: str) -> None:
        self.parent.warnings.append(self.source.problem(loc, f"warning: {message}"))

    def run(self) -> None:
        problems = self.parent.problems
        before = len(problems)
        self._check_levels()
        listed = self._check_competencies()
        sound = len(problems) == before
        self._check_neighbours()  # a wrong neighbour changes nothing in the loop
        before = len(problems)
        self._check_loop(listed)
        # plan whenever the role's own levels, competencies and loop are sound, so that a problem
        # anywhere else never hides this loop's problems until the next run
        library, flawed = self.parent.competencies, self.parent.flawed_competencies
        if sound and len(problems) == before and all(c in library and c not in flawed for c in listed):
            self._check_question_plan()

    def _check_levels(self) -> None:
        scale = [level.id for level in self.config.levels]
        for level in self.role.levels:
            if level not in scale:
                self.error(("levels", level), _unknown_level(level, set(scale)))
        if self.role.default_level not in self.role.levels:
            self.error(
                ("default_level",),
                f"default_level '{self.role.default_level}' is not one of the role's levels "
                f"({', '.join(self.role.levels)})",
            )

    def _check_competencies(self) -> dict[str, str]:
        """Check the role's competency list; return every listed id with its emphasis."""
        library = self.parent.competencies
        listed: dict[str, str] = {}
        for index, item in enumerate(self.role.competencies):
            loc = ("competencies", index, "id")
            if item.id in listed:
                self.error(loc, f"competency '{item.id}' is listed twice")
                continue
            listed[item.id] = item.emphasis
            if item.id in library:
                self._check_expectations(library[item.id], loc)
            elif not self.parent.library_incomplete:
                self.error(loc, f"unknown competency '{item.id}'{suggest(item.id, library)}")
        core = sum(1 for e in listed.values() if e == "core")
        if not 4 <= core <= 7:
            self.warn(("competencies",), f"{core} core competencies; four to seven keep a posting focused")
        must_haves = core + len(self.role.requirements)
        if must_haves > 7:
            self.warn(
                ("requirements",),
                f"{must_haves} must-haves (core competencies plus requirements); "
                "seven or fewer keep qualified people applying",
            )
        for level_id, level in self.role.levels.items():
            if level.requirements and must_haves + len(level.requirements) > 7:
                self.warn(
                    ("levels", level_id, "requirements"),
                    f"{must_haves + len(level.requirements)} must-haves at level '{level_id}' (core competencies "
                    "plus the role's and the level's requirements); seven or fewer keep qualified people applying",
                )
        return listed

    def _check_expectations(self, competency: Competency, loc: tuple) -> None:
        scale = [level.id for level in self.config.levels]
        for level in self.role.levels:
            if level in scale and level_expectation(competency, scale, level) is None:
                self.error(
                    loc,
                    f"competency '{competency.id}' has no expectation at level '{level}' or below; "
                    "add one under its `levels`",
                )

    def _check_neighbours(self) -> None:
        roles = self.parent.roles
        refs = [(("differs_from", i, "role"), d.role) for i, d in enumerate(self.role.differs_from)]
        refs += [(("career_path", "from", i), r) for i, r in enumerate(self.role.career_path.from_)]
        refs += [(("career_path", "to", i), r) for i, r in enumerate(self.role.career_path.to)]
        for loc, target in refs:
            if target == self.role_id:
                self.error(loc, f"role '{self.role_id}' cannot refer to itself")
            elif target not in roles and not self.parent.roles_incomplete:
                self.error(loc, self._unknown_role(target))

    def _unknown_role(self, target: str) -> str:
        """Name the missing role; guess a typo only where the id is not missing everywhere."""
        referrers = self.parent.referrers(target)
        if len(referrers) > 1:  # several roles agree on the id: the role is gone, not misspelt
            others = ", ".join(sorted(referrers - {self.role_id}))
            return (
                f"role '{target}' has no file {ROLES_DIR}/{target}.yaml (also referred to by {others}); "
                "remove this reference, or add the role back"
            )
        hint = suggest(target, [role for role in self.parent.roles if role != self.role_id])
        return f"unknown role '{target}'{hint}; remove this reference, or add {ROLES_DIR}/{target}.yaml"

    def _check_loop(self, listed: dict[str, str]) -> None:
        assessed: dict[str, int] = {}
        stage_ids: set[str] = set()
        screening = [i for i, stage in enumerate(self.role.interview_loop) if stage.screening]
        for s_index in screening[1:]:
            first = self.role.interview_loop[screening[0]].id
            self.error(
                ("interview_loop", s_index, "screening"),
                f"stage '{first}' already asks the screening questions; mark one stage only",
            )
        for s_index, stage in enumerate(self.role.interview_loop):
            if stage.id in stage_ids:
                self.error(("interview_loop", s_index, "id"), f"duplicate stage id '{stage.id}'")
            stage_ids.add(stage.id)
            self._check_exercise(s_index, stage)
            for f_index, comp_id in enumerate(stage.focus):
                loc = ("interview_loop", s_index, "focus", f_index)
                if comp_id not in listed:
                    self.error(
                        loc, f"focus '{comp_id}' is not one of this role's competencies{suggest(comp_id, listed)}"
                    )
                elif stage.focus.index(comp_id) != f_index:
                    self.error(loc, f"focus '{comp_id}' is listed twice in stage '{stage.id}'")
                else:
                    assessed[comp_id] = assessed.get(comp_id, 0) + 1
        for comp_id, emphasis in listed.items():
            index = next(i for i, c in enumerate(self.role.competencies) if c.id == comp_id)
            if emphasis == "core" and comp_id not in assessed:
                self.error(
                    ("competencies", index, "id"),
                    f"core competency '{comp_id}' is not the focus of any interview stage",
                )
            elif emphasis == "core" and assessed[comp_id] == 1:
                self.warn(
                    ("competencies", index, "id"),
                    f"core competency '{comp_id}' is assessed by one stage only; a second stage gives a second opinion",
                )
            elif comp_id not in assessed:
                self.warn(
                    ("competencies", index, "id"), f"supporting competency '{comp_id}' is not assessed by any stage"
                )

    def _check_exercise(self, index: int, stage: Stage) -> None:
        """An exercise's key speaks of the stage's focus; a stage named an exercise has one."""
        loc = ("interview_loop", index, "exercise")
        if stage.exercise is None:
            if _EXERCISE_NAME.search(stage.name):
                self.warn(
                    ("interview_loop", index, "name"),
                    f"stage '{stage.id}' is named an exercise or review but has no `exercise`; add the brief, "
                    "its materials and the evaluators' key",
                )
            return
        for comp_id in stage.exercise.key:
            if comp_id not in stage.focus:
                self.error(
                    (*loc, "key", comp_id),
                    f"key entry '{comp_id}' is not a focus of stage '{stage.id}'{suggest(comp_id, stage.focus)}",
                )
        for comp_id in stage.focus:
            if comp_id not in stage.exercise.key:
                self.warn(
                    (*loc, "key"),
                    f"the exercise of stage '{stage.id}' has no key for '{comp_id}'; say what a strong response shows",
                )

    def _loop_rules(self) -> LoopRules:
        """Return the fixed parts of the role's stage times and its competencies' emphasis."""
        settings, hiring = self.config.interview, self.config.hiring
        loop = self.role.interview_loop
        asks = hiring is not None and bool(hiring.screening)
        marked = next((i for i, stage in enumerate(loop) if stage.screening), 0)
        return LoopRules(
            opening_minutes=settings.opening_minutes,
            closing_minutes=settings.closing_minutes,
            screening_stage=marked if asks else None,
            screening_minutes=hiring.screening_minutes if asks and hiring else 0,
            emphasis={item.id: item.emphasis for item in self.role.competencies},
        )

    def _check_question_plan(self) -> None:
        """Plan the loop at every level of the role; report each stage problem once."""
        levels_by_issue: dict[tuple[int, str], list[str]] = {}
        rules = self._loop_rules()
        for level in self.role.levels:
            plans, issues = plan_loop(self.role.interview_loop, self.parent.competencies, level, rules)
            self.parent.loop_plans[(self.role_id, level)] = tuple(plans)
            for issue in issues:
                key = (issue.stage_index, issue.message)
                levels_by_issue.setdefault(key, []).append(level)
        for (index, message), levels in levels_by_issue.items():
            named = ", ".join(f"'{level}'" for level in levels)
            stage_id = self.role.interview_loop[index].id
            self.error(("interview_loop", index), f"stage '{stage_id}' at level {named}: {message}")
