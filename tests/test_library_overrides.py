"""The built-in library is neutral, used by reference, and changed field by field with overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO

from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

LIBRARY = REPO / "generator" / "data" / "library"
#: Words of the example company's trade (a web-analytics consultancy) that a neutral text never needs.
NORTHWIND_WORDS = re.compile(
    r"\b(northwind|clients?|brands?|marketers?|marketing|tagging|cookies?|consent|analytics|bigquery|google|"
    r"columbus|server-side|data layer|checkout|agency)\b",
    re.IGNORECASE,
)


def _init(runner: CliRunner, target: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["init", str(target), "--no-input", "--name", "Acme Robotics", *args])
    assert result.exit_code == 0, result.output
    return target


def _validate(root: Path):
    return load_workspace(WorkspaceDirs(root, builtin=False))


def _problems(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        _validate(root)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.yaml")), ids=lambda p: p.relative_to(LIBRARY).as_posix())
def test_the_library_and_the_starting_roles_speak_to_any_company(path: Path) -> None:
    found = [line for line in path.read_text().splitlines() if NORTHWIND_WORDS.search(line)]
    assert found == []


def test_the_builtin_workspace_is_the_library_plus_northwinds_own_wording() -> None:
    assert yaml.safe_load((REPO / "jdgen.yaml").read_text())["library"] == "builtin"
    workspace = _validate(REPO)
    library = yaml.safe_load((LIBRARY / "project-management.yaml").read_text())
    neutral = next(c for c in library["competencies"] if c["id"] == "manages-stakeholders")
    northwind = workspace.competencies["manages-stakeholders"]
    # Northwind's override speaks of its clients; the fields it leaves out are the library's
    assert "client" in northwind.requirement and "client" not in neutral["requirement"]
    assert northwind.name == neutral["name"]
    origin = workspace.competency_sources["manages-stakeholders"]
    assert origin.at(("requirement",))[0].rel == "competencies/project-management.yaml"
    assert origin.at(("name",))[0].rel == "jdgen library/project-management.yaml"


def test_an_override_of_one_field_builds_with_it_and_every_other_field_from_the_library(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = _init(runner, tmp_path / "acme", "--role", "tpm")
    (acme / "competencies/project-management.yaml").write_text(
        "area: project-management\n"
        "competencies:\n"
        "  - id: plans-projects\n"
        "    override: true\n"
        "    posting: Plan robot rollouts from first prototype to factory floor\n"
    )
    result = runner.invoke(cli, ["--workspace", str(acme), "build", "tpm", "--format", "md"])
    assert result.exit_code == 0, result.output
    posting = (acme / "out/tpm/posting.md").read_text()
    assert "- Plan robot rollouts from first prototype to factory floor\n" in posting
    library = yaml.safe_load((LIBRARY / "project-management.yaml").read_text())["competencies"]
    neutral = next(c for c in library if c["id"] == "plans-projects")
    assert neutral["posting"] not in posting
    assert neutral["requirement"] in posting  # not overridden, so the library's line
    kit = (acme / "out/tpm/interview-kit.md").read_text()
    assert neutral["questions"][0]["text"].split(".")[0] in kit


def test_override_questions_are_matched_by_id(tmp_path: Path) -> None:
    acme = _init(CliRunner(), tmp_path / "acme")
    library = yaml.safe_load((LIBRARY / "leadership.yaml").read_text())["competencies"]
    neutral = next(c for c in library if c["id"] == "sets-vision")
    first, second = neutral["questions"][0]["id"], neutral["questions"][1]["id"]
    (acme / "competencies/leadership.yaml").write_text(
        "area: leadership\n"
        "name: Leading people\n"
        "competencies:\n"
        "  - id: sets-vision\n"
        "    override: true\n"
        "    questions:\n"
        f"      - id: {second}\n"
        "        type: behavioral\n"
        "        text: Tell me about a goal you set for a robot program.\n"
        "        minutes: 6\n"
        "        probes: [Who agreed to it first?]\n"
        "        look_for: [Names how the team would know it had arrived]\n"
        "      - id: sets-vision-factory\n"
        "        type: situational\n"
        "        text: Imagine the factory changes its launch date. What do you tell the team?\n"
        "        minutes: 5\n"
        "        probes: [What stays the same?]\n"
        "        look_for: [Restates the goal before the plan]\n"
    )
    workspace = _validate(acme)
    questions = workspace.competencies["sets-vision"].questions
    assert [q.id for q in questions] == [q["id"] for q in neutral["questions"]] + ["sets-vision-factory"]
    assert questions[0].id == first and questions[0].text == neutral["questions"][0]["text"]
    assert questions[1].text == "Tell me about a goal you set for a robot program."
    assert workspace.area_names["sets-vision"] == "Leading people"  # the area renamed, library and all
    origin = workspace.competency_sources["sets-vision"]
    assert origin.at(("questions", 1, "text"))[0].rel == "competencies/leadership.yaml"
    assert origin.at(("questions", 0, "text"))[0].rel == "jdgen library/leadership.yaml"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "  - id: plans-projects\n    name: Planning\n",
            r"^competencies/project-management\.yaml:3: competency 'plans-projects' is already in jdgen's built-in "
            r"library; add `override: true` to change only the fields this entry gives, or choose another id$",
        ),
        (
            "  - id: plans-project\n    override: true\n    name: Planning\n",
            r"^competencies/project-management\.yaml:3: no competency 'plans-project' in jdgen's built-in library "
            r"to override \(did you mean 'plans-projects'\?\)",
        ),
        (
            "  - id: plans-projects\n    override: true\n"
            "    levels: {mid: Plans a project, senior: Plans a program, junior: Plans a task}\n",
            r"^competencies/project-management\.yaml:5: unknown level 'junior'",
        ),
        (
            "  - id: plans-projects\n    override: true\n    nmae: Planning\n",
            r"^competencies/project-management\.yaml:5: .*nmae",
        ),
        (
            "  - id: plans-projects\n    override: true\n    name: A\n  - id: plans-projects\n    override: true\n",
            r"^competencies/project-management\.yaml:6: competency 'plans-projects' is overridden twice, first at "
            r"competencies/project-management\.yaml:3",
        ),
    ],
    ids=["duplicate without override", "override of an unknown id", "bad level in override", "typo", "twice"],
)
def test_override_mistakes_are_located_in_the_companys_file(tmp_path: Path, entry: str, expected: str) -> None:
    acme = _init(CliRunner(), tmp_path / "acme", "--role", "tpm")
    (acme / "competencies/project-management.yaml").write_text("area: project-management\ncompetencies:\n" + entry)
    problems = _problems(acme)
    assert len(problems) == 1, problems
    assert re.search(expected, problems[0]), problems[0]


def test_an_override_without_the_library_says_to_use_it(tmp_path: Path) -> None:
    acme = _init(CliRunner(), tmp_path / "acme")
    config = acme / "jdgen.yaml"
    config.write_text(config.read_text().replace("library: builtin\n", ""))
    (acme / "competencies/delivery.yaml").write_text(
        "area: delivery\nname: Delivery\ndescription: Shipping work.\n"
        "competencies:\n  - id: plans-projects\n    override: true\n    name: Planning\n"
    )
    problems = _problems(acme)
    assert problems == [
        "competencies/delivery.yaml:6: `override: true` changes a competency of jdgen's built-in library, but "
        "jdgen.yaml does not use it; add `library: builtin` to jdgen.yaml, or remove `override` and give every field"
    ]


def test_an_area_of_the_companys_own_needs_its_name_and_description(tmp_path: Path) -> None:
    acme = _init(CliRunner(), tmp_path / "acme")
    (acme / "competencies/delivery.yaml").write_text(
        "area: delivery\ncompetencies:\n"
        "  - id: ships-hardware\n    name: Shipping\n    description: Ships it.\n    posting: Ship hardware\n"
        "    requirement: Experience shipping hardware\n    levels: {mid: Ships a product}\n"
        "    questions:\n      - {id: ships-hardware-q, type: behavioral, text: Tell me about a launch., minutes: 5,"
        " probes: [What slipped?], look_for: [Names the date]}\n"
        "    rubric: {1: Gives none, 2: Gives one late, 3: Gives one on time, 4: Gives several on time}\n"
    )
    assert _problems(acme) == [
        "competencies/delivery.yaml:1: missing required field 'name' "
        "(jdgen's built-in library has no such area to take it from)",
        "competencies/delivery.yaml:1: missing required field 'description' "
        "(jdgen's built-in library has no such area to take it from)",
    ]


def test_quality_warnings_name_weak_questions_repeated_anchors_and_flat_levels(tmp_path: Path) -> None:
    acme = _init(CliRunner(), tmp_path / "acme")
    (acme / "competencies/delivery.yaml").write_text(
        "area: delivery\nname: Delivery\ndescription: Shipping work.\ncompetencies:\n"
        "  - id: ships-hardware\n"
        "    name: Shipping\n"
        "    description: Ships it.\n"
        "    posting: Ship hardware\n"
        "    requirement: Experience shipping hardware\n"
        "    levels:\n"
        "      mid: Ships a product on time\n"
        "      senior: ships a product  on time\n"
        "    questions:\n"
        "      - id: ships-hardware-q\n"
        "        type: behavioral\n"
        "        text: Tell me about a launch.\n"
        "        minutes: 5\n"
        "    rubric:\n"
        "      1: Gives no example\n"
        "      2: Gives a late example\n"
        "      3: Gives a late example\n"
        "      4: Gives several examples\n"
    )
    warnings = [str(w) for w in _validate(acme).warnings if "ships-hardware" in str(w)]
    assert warnings == [
        "competencies/delivery.yaml:14: warning: question 'ships-hardware-q' has no probes; add follow-up questions "
        "so every interviewer digs and judges the same way",
        "competencies/delivery.yaml:14: warning: question 'ships-hardware-q' has no look_for; add signals of a "
        "strong answer so every interviewer digs and judges the same way",
        "competencies/delivery.yaml:21: warning: the anchor for 3 in 'ships-hardware' repeats the one for 2; say "
        "what a candidate at this rating does differently",
        "competencies/delivery.yaml:12: warning: the expectation of 'ships-hardware' at 'senior' is the same as at "
        "'mid'; say what grows at this level (scope, autonomy, influence), or remove it to inherit the level below",
    ]


def test_the_library_itself_gives_no_quality_warning(tmp_path: Path) -> None:
    # a headquarters with its state: without one, validate warns that pay laws cannot be placed
    acme = _init(CliRunner(), tmp_path / "acme", "--role", "tpm", "--headquarters", "Pittsburgh, Pennsylvania, US")
    assert [str(w) for w in _validate(acme).warnings] == []
    assert [str(w) for w in _validate(REPO).warnings] == []


def test_a_question_without_probes_or_red_flags_renders_no_empty_headings(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = _init(runner, tmp_path / "acme", "--role", "tpm")
    library = yaml.safe_load((LIBRARY / "leadership.yaml").read_text())["competencies"]
    neutral = next(c for c in library if c["id"] == "sets-vision")
    replaced = {
        key: neutral["questions"][0][key]
        for key in ("id", "type", "minutes", "levels")
        if key in neutral["questions"][0]
    }
    replaced |= {"text": "Tell me about a goal you set for a whole team.", "look_for": ["Names the goal first"]}
    (acme / "competencies/leadership.yaml").write_text(
        yaml.safe_dump({"area": "leadership", "competencies": [
            {"id": "sets-vision", "override": True, "questions": [replaced]}
        ]})
    )  # fmt: skip
    assert runner.invoke(cli, ["--workspace", str(acme), "build", "tpm", "--format", "md"]).exit_code == 0
    kit = (acme / "out/tpm/interview-kit.md").read_text()
    asked = kit.index("> Tell me about a goal you set for a whole team.\n")
    after = kit[asked : kit.index("####", asked + 1)]
    assert "Probes:" not in after and "Red flags:" not in after
    assert "What to look for:\n\n- Names the goal first\n" in after


def test_a_level_scale_unlike_the_librarys_is_one_problem_in_jdgen_yaml_not_one_per_competency(
    tmp_path: Path,
) -> None:
    acme = _init(CliRunner(), tmp_path / "acme", "--role", "tpm")
    config = acme / "jdgen.yaml"
    text = config.read_text().replace("  - {id: entry, name: Entry}", "  - {id: junior, name: Junior}")
    config.write_text(text.replace("  4: Excellent\n", "  4: Excellent\n  5: Superb\n  6: Outstanding\n"))
    problems = _problems(acme)
    assert [p.split(":")[0] for p in problems] == ["jdgen.yaml", "jdgen.yaml"]
    assert "built-in library uses level ids that jdgen.yaml's levels lack (entry)" in problems[0]
    assert "built-in library writes anchors for a rating scale of 1 to 4" in problems[1]
    # without roles, nothing of the library is shown, so nothing is wrong
    (acme / "competencies/roles/tpm.yaml").unlink()
    assert [str(w) for w in _validate(acme).warnings] == [
        "competencies/roles/: warning: no roles yet; start one with `jdgen new role ID` (competencies/roles/ID.yaml)"
    ]
