"""`jdgen init` starts another company's workspace; `jdgen new` starts its roles and competencies."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO

from generator import cli as cli_module
from generator.cli import cli
from generator.errors import InvalidWorkspaceError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

NORTHWIND_WORDS = re.compile(
    r"\b(northwind|clients?|brands?|marketers?|tagging|cookies?|consent|analytics|columbus|bigquery)\b", re.IGNORECASE
)


def _run(runner: CliRunner, *args: str, cwd: Path | None = None):
    return runner.invoke(cli, [*(["--workspace", str(cwd)] if cwd else []), *args])


def _problems(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(root, builtin=False))
    return [str(problem) for problem in caught.value.problems]


def test_init_with_flags_gives_a_workspace_whose_tpm_posting_is_the_companys(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    result = _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics", "--role", "tpm")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"next: cd {acme} && jdgen build --all\n")
    config = yaml.safe_load((acme / "jdgen.yaml").read_text())
    assert config["library"] == "builtin" and config["company"]["name"] == "Acme Robotics"
    assert sorted(p.name for p in (acme / "competencies/roles").iterdir()) == ["tpm.yaml"]
    assert not list((acme / "competencies").glob("*.yaml"))  # the library is used, not copied

    built = _run(runner, "build", "tpm", cwd=acme)
    assert built.exit_code == 0, built.output
    posting = (acme / "out/tpm/posting.md").read_text()
    assert posting.startswith("# Technical Project Manager\n")
    assert "Acme Robotics is hiring." in posting and "equal opportunity employer" in posting
    for document in (acme / "out/tpm").glob("*.md"):
        assert NORTHWIND_WORDS.findall(document.read_text()) == [], document.name
    # references to the starting roles left out are gone, so nothing dangles
    role = yaml.safe_load((acme / "competencies/roles/tpm.yaml").read_text())
    assert "differs_from" not in role and "career_path" not in role
    assert _run(runner, "check", cwd=acme).exit_code == 1  # index and feeds not built yet
    assert _run(runner, "build", "--all", cwd=acme).exit_code == 0
    assert _run(runner, "check", cwd=acme).exit_code == 0


def test_init_writes_every_detail_given_and_keeps_references_between_chosen_roles(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    result = _run(
        runner, "init", str(acme), "--no-input", "--name", "Acme Robotics", "--website", "https://acme.example.com",
        "--headquarters", "Pittsburgh, PA, US", "--employees", "250", "--role", "tpm", "--role", "pm",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    company = yaml.safe_load((acme / "jdgen.yaml").read_text())["company"]
    assert company["website"] == "https://acme.example.com" and company["employees"] == 250
    assert company["location"] == {"locality": "Pittsburgh", "region": "PA", "country": "US", "work_model": "onsite"}
    assert company["about"] == "Acme Robotics is a company of about 250 people, based in Pittsburgh."
    tpm = yaml.safe_load((acme / "competencies/roles/tpm.yaml").read_text())
    assert [d["role"] for d in tpm["differs_from"]] == ["pm"]
    assert "career_path" not in tpm  # its neighbours on the path were not chosen
    assert (
        (acme / "competencies/roles/tpm.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../schemas/role.schema.json\n")
    )
    assert "## How to add a role" in (acme / "README.md").read_text()
    assert _run(runner, "build", "--all", cwd=acme).exit_code == 0
    assert (acme / "out/pm/posting.md").is_file()


def test_init_asks_for_the_company_when_someone_is_at_the_keyboard(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    acme = tmp_path / "acme"
    answers = "Acme Robotics\nhttps://acme.example.com\nAustin, Texas, US\nabout 40\n40\n"
    result = CliRunner().invoke(cli, ["init", str(acme)], input=answers)
    assert result.exit_code == 0, result.output
    for prompt in ("Company name", "Website (optional)", "Headquarters", "Headcount (optional)"):
        assert prompt in result.output
    assert "the headcount is a whole number above 0, or nothing" in result.stderr  # "about 40": asked again
    company = yaml.safe_load((acme / "jdgen.yaml").read_text())["company"]
    assert company["location"]["locality"] == "Austin" and company["employees"] == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "jdgen: init needs the company's name: pass --name NAME (or --example for the example company)"),
        (("--name", "Acme", "--role", "tmp"), "jdgen: no starting role 'tmp' (did you mean 'tpm'?); the built-in"),
        (("--name", "Acme", "--headquarters", "Pittsburgh, Atlantis"), "jdgen: --headquarters 'Pittsburgh, Atlantis'"),
        (("--name", "Acme", "--headquarters", "Pittsburgh, Narnia, US"), "'Narnia' is not a region of US"),
        (("--name", "Acme", "--headquarters", "Pittsburgh, PA"), "'PA' may be a US state or a country; write City, "),
        (("--name", "Acme", "--website", "acme.com"), "jdgen: --website must be a web address starting with https://"),
        (("--example", "--name", "Acme"), "jdgen: --example copies the example company whole; leave out --name"),
        # YAML ends a line at CR, NEL and U+2028 too: in the header comment the rest would become a setting
        (("--name", "Acme\rlint: {disable: [pay-law]}\r#"), "jdgen: --name must be one line of visible text, but "),
        (("--name", "Acme\u2028LS"), "it holds the character U+2028; remove it"),
        (("--name", "Acme\udc85"), "it holds the character U+DC85; remove it"),  # an undecodable byte
        (("--name", "Acme", "--about", "We build\u202e robots."), "jdgen: --about must be visible text, but it "),
    ],
    ids=[
        "no name",
        "unknown role",
        "unknown country",
        "unknown region",
        "state or country",
        "bad website",
        "example",
        "carriage return",
        "line separator",
        "surrogate",
        "format character",
    ],
)
def test_init_refuses_bad_answers_before_creating_anything(tmp_path: Path, args: tuple, message: str) -> None:
    result = _run(CliRunner(), "init", str(tmp_path / "acme"), "--no-input", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "acme").exists()


def test_removing_a_role_from_the_example_gives_one_plain_error_per_broken_reference(tmp_path: Path) -> None:
    example = tmp_path / "example"
    assert _run(CliRunner(), "init", str(example), "--example").exit_code == 0
    assert (example / "competencies/roles/tpm.yaml").is_file()
    references = sum(
        text.count("role: pm\n") + len(re.findall(r"^    - pm$", text, re.MULTILINE))
        for text in (p.read_text() for p in (example / "competencies/roles").glob("*.yaml"))
    )
    (example / "competencies/roles/pm.yaml").unlink()
    problems = _problems(example)
    assert len(problems) == references == 6
    for problem in problems:
        assert re.match(
            r"^competencies/roles/[a-z-]+\.yaml:\d+: role 'pm' has no file competencies/roles/pm\.yaml", problem
        )
        assert "did you mean" not in problem


def test_a_single_mistyped_reference_still_gets_a_suggestion_but_never_the_role_itself(tmp_path: Path) -> None:
    example = tmp_path / "example"
    assert _run(CliRunner(), "init", str(example), "--example").exit_code == 0
    role = example / "competencies/roles/tpm.yaml"
    role.write_text(role.read_text().replace("  - role: project-lead\n", "  - role: project-laed\n", 1))
    assert _problems(example) == [
        f"competencies/roles/tpm.yaml:{_line(role, 'project-laed')}: unknown role 'project-laed' "
        "(did you mean 'project-lead'?); remove this reference, or add competencies/roles/project-laed.yaml"
    ]


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_new_role_writes_a_commented_file_and_validation_names_what_is_left(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics")
    listed = _run(runner, "list", cwd=acme)
    assert listed.exit_code == 0 and listed.stdout.startswith("no roles yet; start one with `jdgen new role ID`")
    result = _run(runner, "new", "role", "data-engineer", cwd=acme)
    assert result.exit_code == 0, result.output
    path = acme / "competencies/roles/data-engineer.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/role.schema.json\n")
    assert "# The job title as candidates search for it" in text
    fields = [re.sub(r"^competencies/roles/data-engineer\.yaml:\d+: ", "", p).split(":")[0] for p in _problems(acme)]
    assert fields == [
        "title", "summary", "about", "levels.mid.title", "levels.mid.salary.min", "levels.mid.salary.max",
        "competencies", "interview_loop[0].focus",
    ]  # fmt: skip
    again = _run(runner, "new", "role", "data-engineer", cwd=acme)
    assert again.exit_code == 2 and "competencies/roles/data-engineer.yaml already exists" in again.output


def test_new_role_from_another_copies_it_and_asks_only_for_new_titles(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics", "--role", "tpm")
    assert _run(runner, "new", "role", "platform-pm", "--from", "tpm", cwd=acme).exit_code == 0
    copy = yaml.safe_load((acme / "competencies/roles/platform-pm.yaml").read_text())
    original = yaml.safe_load((acme / "competencies/roles/tpm.yaml").read_text())
    assert copy["interview_loop"] == original["interview_loop"] and "aliases" not in copy
    problems = _problems(acme)
    assert [p.split(": ", 1)[1].split(":")[0] for p in problems] == [
        "title",
        *(f"levels.{level}.title" for level in original["levels"]),
    ]
    # a built-in starting role the workspace does not have yet
    assert _run(runner, "new", "role", "coordinator", "--from", "project-coordinator", cwd=acme).exit_code == 0
    unknown = _run(runner, "new", "role", "x", "--from", "nobody", cwd=acme)
    assert unknown.exit_code == 2 and "no role 'nobody' to start from" in unknown.output
    (acme / "competencies/roles/broken.yaml").write_text("title: [unclosed\n")
    broken = _run(runner, "new", "role", "y", "--from", "broken", cwd=acme)
    assert broken.exit_code == 2 and "the role to start from is not valid YAML" in broken.output
    assert not (acme / "competencies/roles/y.yaml").exists()


def test_new_competency_starts_an_area_file_or_adds_to_one(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics")
    assert _run(runner, "new", "competency", "vendor-management", "--area", "delivery", cwd=acme).exit_code == 0
    assert _run(runner, "new", "competency", "vendor-audits", "--area", "delivery", cwd=acme).exit_code == 0
    area = yaml.safe_load((acme / "competencies/delivery.yaml").read_text())
    assert [c["id"] for c in area["competencies"]] == ["vendor-management", "vendor-audits"]
    assert area["area"] == "delivery" and "name" in area  # its own area: name and description to fill
    assert _run(runner, "new", "competency", "robot-safety", "--area", "leadership", cwd=acme).exit_code == 0
    assert "name" not in yaml.safe_load((acme / "competencies/leadership.yaml").read_text())  # the library's area
    problems = _problems(acme)
    for field, line in (("name", 4), ("description", 5)):
        message = f"missing required field '{field}' (jdgen's built-in library has no such area to take it from)"
        assert f"competencies/delivery.yaml:{line}: {message}" in problems
    assert any(p.startswith("competencies/leadership.yaml:") and "questions[0].text" in p for p in problems)
    duplicate = _run(runner, "new", "competency", "vendor-audits", "--area", "delivery", cwd=acme)
    assert duplicate.exit_code == 2 and "already has a competency 'vendor-audits'" in duplicate.output
    broken = acme / "competencies/delivery.yaml"
    broken.write_text(broken.read_text() + "  - id: [unclosed\n")
    before = broken.read_text()
    refused = _run(runner, "new", "competency", "vendor-risk", "--area", "delivery", cwd=acme)
    assert refused.exit_code == 2 and "delivery.yaml is not valid YAML, so `jdgen new` cannot add" in refused.output
    assert "Traceback" not in refused.output and broken.read_text() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new", "role", "Data Engineer"), "'Data Engineer' is not a valid role id"),
        (("new", "role", "feeds"), "role id 'feeds' is the folder where jdgen writes"),
        (("new", "competency", "x-y", "--area", "con"), "'con' is a reserved file name on Windows"),
    ],
)
def test_new_refuses_unsafe_ids(tmp_path: Path, args: tuple, message: str) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics")
    result = _run(runner, *args, cwd=acme)
    assert result.exit_code == 2 and message in result.output
    assert sorted(p.name for p in (acme / "competencies").rglob("*.yaml")) == []


def test_new_never_writes_into_the_builtin_workspace(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    result = CliRunner().invoke(cli, ["new", "role", "data-engineer"])
    assert result.exit_code == 1
    assert "`jdgen new` adds to a workspace of your own, not the built-in one" in result.output
    assert not (REPO / "competencies/roles/data-engineer.yaml").exists()


def test_init_never_writes_through_a_link_or_into_a_folder_in_use(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    runner = CliRunner()
    linked = _run(runner, "init", str(tmp_path / "link"), "--no-input", "--name", "Acme")
    assert linked.exit_code == 1 and "is a link; give the path of a new folder" in linked.output
    assert list(elsewhere.iterdir()) == []
    (elsewhere / "notes.txt").write_text("mine")
    busy = _run(runner, "init", str(elsewhere), "--no-input", "--name", "Acme")
    assert busy.exit_code == 1 and "already exists and is not an empty folder" in busy.output
    assert [p.name for p in elsewhere.iterdir()] == ["notes.txt"]


def test_new_never_writes_outside_the_workspace_through_a_linked_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    _run(runner, "init", str(acme), "--no-input", "--name", "Acme Robotics")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (acme / "competencies/roles").rmdir()
    (acme / "competencies/roles").symlink_to(elsewhere)
    result = _run(runner, "new", "role", "data-engineer", cwd=acme)
    assert result.exit_code == 1 and "leads outside the workspace through a link" in result.output
    assert list(elsewhere.iterdir()) == []


def test_new_competencies_added_at_once_by_several_runs_all_land(tmp_path: Path) -> None:
    acme = tmp_path / "acme"
    _run(CliRunner(), "init", str(acme), "--no-input", "--name", "Acme Robotics")
    command = [sys.executable, "-m", "generator", "--workspace", str(acme), "-q", "new", "competency"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([*command, f"vendor-{n}", "--area", "delivery"], env=env) for n in range(6)]
    assert [run.wait(timeout=120) for run in runs] == [0] * 6
    area = yaml.safe_load((acme / "competencies/delivery.yaml").read_text())
    assert sorted(c["id"] for c in area["competencies"]) == [f"vendor-{n}" for n in range(6)]


def test_init_interrupted_or_failing_leaves_no_half_made_workspace(tmp_path: Path, monkeypatch) -> None:
    from generator import scaffold

    def stopped(out_dir: Path) -> list[Path]:
        raise KeyboardInterrupt  # Ctrl-C halfway: templates copied, schemas not yet written

    monkeypatch.setattr(scaffold, "write_schemas", stopped)
    result = _run(CliRunner(), "init", str(tmp_path / "acme"), "--no-input", "--name", "Acme", "--role", "tpm")
    assert result.exit_code == 1  # click's "Aborted!"
    assert list(tmp_path.iterdir()) == []  # neither the workspace nor its staging folder
    monkeypatch.undo()
    again = _run(CliRunner(), "init", str(tmp_path / "acme"), "--no-input", "--name", "Acme", "--role", "tpm")
    assert again.exit_code == 0, again.output  # nothing left to refuse the second try
    assert (tmp_path / "acme/competencies/roles/tpm.yaml").is_file()
    assert oct((tmp_path / "acme").stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_new_competency_refuses_an_id_of_the_built_in_library_and_says_how_to_override(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    assert _run(runner, "init", str(acme), "--no-input", "--name", "Acme").exit_code == 0
    area = acme / "competencies/project-management.yaml"
    before = area.read_bytes() if area.exists() else None
    result = _run(
        runner, "--workspace", str(acme), "new", "competency", "plans-projects", "--area", "project-management"
    )
    assert result.exit_code == 2
    assert result.output.startswith(
        "jdgen: 'plans-projects' is a competency of jdgen's built-in library; to change its wording, add "
        "`- id: plans-projects` with `override: true`"
    )
    assert (area.read_bytes() if area.exists() else None) == before


def test_an_id_too_long_is_refused_with_the_limit(tmp_path: Path) -> None:
    runner = CliRunner()
    acme = tmp_path / "acme"
    assert _run(runner, "init", str(acme), "--no-input", "--name", "Acme").exit_code == 0
    result = _run(runner, "--workspace", str(acme), "new", "role", "b" * 65)
    assert result.exit_code == 2
    assert "use 1 to 64 lowercase letters, digits and hyphens" in result.output
    assert _run(runner, "--workspace", str(acme), "new", "role", "b" * 64).exit_code == 0
