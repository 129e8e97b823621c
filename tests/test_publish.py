"""Publishing: HTML pages with JobPosting data, the index, jobs.json, check, init, schema, recipes."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
import yaml
from conftest import REPO

from generator.cli import cli

EPOCH = 1767225600  # 2026-01-01T00:00:00Z


def _build_all(runner, workspace: Path, *extra: str):
    result = runner.invoke(cli, ["--workspace", str(workspace), "build", "--all", *extra])
    assert result.exit_code == 0, result.output
    return result


def _json_ld(page: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, flags=re.DOTALL)
    return json.loads(block)


def _parse_strict(page: str):
    """Parse as HTML5 and fail on any parse error, as a validator would."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


@pytest.fixture
def built(runner, builtin_copy: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    _build_all(runner, builtin_copy, "--format", "md", "--format", "html")
    return builtin_copy / "out"


ROLES = ["project-coordinator", "associate-pm", "pm", "tpm", "tech-lead", "project-lead"]
#: The TPM is posted in three places, each in a folder of its own; its first is Columbus.
FOLDER = {role: role for role in ROLES} | {"tpm": "tpm/columbus"}
TPM_PLACES = ("columbus", "new-york", "remote-us")


@pytest.mark.parametrize("role_id", ROLES)
def test_every_posting_page_is_valid_html5_with_accessible_structure(built: Path, role_id: str) -> None:
    page = (built / FOLDER[role_id] / "posting.html").read_text()
    tree = _parse_strict(page)
    assert tree.get("lang") == "en"
    assert len(tree.findall(".//h1")) == 1
    for landmark in ("header", "main", "footer"):
        assert len(tree.findall(f".//{landmark}")) == 1
    assert tree.find(".//title").text.endswith("| Northwind Analytics")
    assert tree.find(".//meta[@name='viewport']") is not None
    assert "@media print" in tree.find(".//style").text
    assert tree.find(".//main/h1").text == tree.find(".//title").text.split(" | ")[0]


@pytest.mark.parametrize("role_id", ROLES)
def test_every_posting_carries_complete_job_posting_data(built: Path, role_id: str, builtin_copy: Path) -> None:
    data = _json_ld((built / FOLDER[role_id] / "posting.html").read_text())
    role = yaml.safe_load((builtin_copy / f"competencies/roles/{role_id}.yaml").read_text())
    level = role["levels"][role["default_level"]]
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == level["title"]
    assert data["description"].startswith(f"<h1>{level['title']}</h1>")
    assert "<h2>What you will do</h2>" in data["description"]
    assert data["datePosted"] == "2026-01-01"
    # a role with closes_on is valid until then
    valid = role.get("closes_on") or datetime.date(2026, 1, 1) + datetime.timedelta(days=60)
    assert data["validThrough"] == str(valid)
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Northwind Analytics",
        "sameAs": "https://northwind-analytics.example.com",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "US",
            "addressLocality": "Columbus",
            # a place of jdgen.yaml `locations` is given by its ISO code; the company's place as written
            "addressRegion": "OH" if role.get("locations") else "Ohio",
        },
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": level["salary"]["min"],
            "maxValue": level["salary"]["max"],
            "unitText": "YEAR",
        },
    }
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Northwind Analytics",
        "value": f"{role_id}-{role['default_level']}" + ("-columbus" if role.get("locations") else ""),
    }
    assert data["directApply"] is False
    assert data["url"] == f"https://northwind-analytics.example.com/jobs/{FOLDER[role_id]}/posting.html"
    assert data["occupationalCategory"] == role["onet"]


def test_the_index_and_jobs_json_list_every_posting(built: Path) -> None:
    index_md = (built / "index.md").read_text()
    assert index_md.startswith("# Open roles at Northwind Analytics\n")
    assert (
        "| [Technical Project Manager](tpm/columbus/posting.md) | Mid-level | Columbus, Ohio, US · Hybrid |" in index_md
    )
    assert (
        "| [Technical Project Manager](tpm/new-york/posting.md) | Mid-level | New York, New York, US · Hybrid "
        in index_md
    )
    index_html = (built / "index.html").read_text()
    tree = _parse_strict(index_html)
    links = [a.get("href") for a in tree.findall(".//main//a")]
    tpm_pages = [f"tpm/{place}/posting.html" for place in TPM_PLACES]
    assert sorted(links) == sorted([*(f"{role}/posting.html" for role in ROLES if role != "tpm"), *tpm_pages])
    jobs = json.loads((built / "jobs.json").read_text())
    assert sorted(job["identifier"]["value"] for job in jobs) == sorted(
        f"{role}-{level}"
        for role, level in [
            ("project-coordinator", "entry"),
            ("associate-pm", "associate"),
            ("pm", "mid"),
            *(("tpm", f"mid-{place}") for place in TPM_PLACES),
            ("tech-lead", "mid"),
            ("project-lead", "senior"),
        ]
    )
    assert jobs == [_json_ld((built / job["url"].rsplit("/jobs/", 1)[1]).read_text()) for job in jobs]


def test_the_index_lists_postings_by_family_then_career_path_then_title(built: Path) -> None:
    folders = re.findall(r"^\| \[[^]]+\]\(([^)]+)/posting\.md\)", (built / "index.md").read_text(), flags=re.M)
    assert folders == [
        "tech-lead",  # engineering sorts before project-management
        "project-coordinator",  # then along the career path: coordinator → associate → PM/TPM → lead
        "associate-pm",
        "pm",  # Project Manager and Technical Project Manager share a rank: by title
        *(f"tpm/{place}" for place in TPM_PLACES),
        "project-lead",
    ]
    links = re.findall(r'<a href="([^"]+)/posting\.html">', (built / "index.html").read_text())
    assert links == folders
    jobs = json.loads((built / "jobs.json").read_text())
    assert [job["url"].rsplit("/jobs/", 1)[1].removesuffix("/posting.html") for job in jobs] == folders


def test_career_ranks_follow_both_directions_of_the_path_and_survive_a_cycle() -> None:
    from types import SimpleNamespace

    from generator.publish import _career_ranks

    def role(before: list[str], after: list[str]) -> SimpleNamespace:
        return SimpleNamespace(career_path=SimpleNamespace(from_=before, to=after))

    # b names a as where it comes from; b names c as where it leads; d loops back to c; "gone" is unknown
    roles = {"a": role([], []), "b": role(["a", "gone"], ["c"]), "c": role([], ["d"]), "d": role([], ["c"])}
    ranks = _career_ranks(SimpleNamespace(roles=roles))  # type: ignore[arg-type]
    assert ranks["a"] == 0 and ranks["b"] == 1 and ranks["c"] == 2
    assert ranks == _career_ranks(SimpleNamespace(roles=roles))  # type: ignore[arg-type]


HOSTILE = "</script><script>alert(1)</script> <b>bold</b> & \"quotes\" 'single' <!-- -->"


def test_hostile_text_is_escaped_on_the_page_and_inside_the_json(runner, minimal: Path, monkeypatch) -> None:
    role = minimal / "competencies/roles/coordinator.yaml"
    text = role.read_text().replace("summary: Keeps delivery work moving.", f"summary: {json.dumps(HOSTILE)}")
    role.write_text(
        text.replace("title: Delivery Coordinator\n", f"title: {json.dumps('Coordinator ' + HOSTILE)}\n", 1)
    )
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text().replace("name: Fixture Works", "name: 'Fixture </title><b>Works'"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = runner.invoke(cli, ["--workspace", str(minimal), "build", "coordinator", "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (minimal / "out/coordinator/posting.html").read_text()
    tree = _parse_strict(page)
    assert len(tree.findall(".//script")) == 1  # only the JSON-LD element; nothing broke out of it
    assert page.count("</script>") == 1
    assert "alert(1)</script>" not in page.split('<script type="application/ld+json">')[0]
    main_text = "".join(tree.find(".//main").itertext())
    assert HOSTILE in main_text
    assert tree.find(".//title").text == "Delivery Coordinator | Fixture </title><b>Works"
    data = _json_ld(page)
    assert HOSTILE in data["description"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace(
        "&quot;", '"'
    )
    assert data["hiringOrganization"]["name"] == "Fixture </title><b>Works"


def test_check_fails_after_an_edit_and_passes_after_a_rebuild(runner, builtin_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.chdir(builtin_copy)
    _build_all(runner, builtin_copy)
    passed = runner.invoke(cli, ["--workspace", str(builtin_copy), "check"])
    assert passed.exit_code == 0, passed.output
    assert passed.stdout.startswith("check passed: valid, no lint findings at or above 'error', 60 outputs up to date")
    role = builtin_copy / "competencies/roles/pm.yaml"
    role.write_text(role.read_text().replace("summary: >-\n", "summary: >-\n  A new first sentence.\n", 1))
    failed = runner.invoke(cli, ["--workspace", str(builtin_copy), "check"])
    assert failed.exit_code == 1
    assert "out/pm/posting.md: stale; rebuild with `jdgen build --all`" in failed.stderr.splitlines()
    assert "out/jobs.json: stale; rebuild with `jdgen build --all`" in failed.stderr.splitlines()
    assert failed.stderr.splitlines()[-1].startswith("jdgen: check failed: 0 lint findings")
    _build_all(runner, builtin_copy)
    assert runner.invoke(cli, ["--workspace", str(builtin_copy), "check"]).exit_code == 0


def test_check_fails_on_lint_errors_and_ignores_files_it_would_not_write(runner, minimal: Path) -> None:
    _build_all(runner, minimal, "--format", "md")
    (minimal / "out/notes.txt").write_text("kept by a human\n")
    assert runner.invoke(cli, ["--workspace", str(minimal), "check"]).exit_code == 1  # docx, html missing
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "build:\n  formats: [md]\n")
    assert runner.invoke(cli, ["--workspace", str(minimal), "check"]).exit_code == 0
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(role.read_text().replace("  - Clear written English", "  - Pay is DOE"))
    result = runner.invoke(cli, ["--workspace", str(minimal), "check"])
    assert result.exit_code == 1
    assert "requirements[0]: error [pay-stand-in] 'DOE'" in result.stderr


def test_clean_removes_outputs_of_roles_that_no_longer_exist(runner, minimal: Path) -> None:
    _build_all(runner, minimal, "--format", "md")
    runner.invoke(cli, ["--workspace", str(minimal), "compare", "coordinator", "planner", "--format", "md"])
    (minimal / "competencies/roles/planner.yaml").unlink()
    role = minimal / "competencies/roles/coordinator.yaml"
    role.write_text(
        role.read_text().replace(
            "differs_from:\n  - role: planner\n    how: A planner sets the plan; a coordinator keeps it moving.\n", ""
        )
    )
    (minimal / "out/hand-made").mkdir()
    (minimal / "out/hand-made/notes.md").write_text("mine\n")
    _build_all(runner, minimal, "--format", "md")
    assert (minimal / "out/planner/posting.md").is_file()  # kept without --clean
    result = _build_all(runner, minimal, "--format", "md", "--clean")
    # what jdgen's record says it wrote for the deleted role goes; its folder too, once empty
    assert f"removed {minimal / 'out/planner/posting.md'}" in result.stdout
    assert f"removed {minimal / 'out/compare/coordinator-vs-planner.md'}" in result.stdout
    assert not (minimal / "out/planner").exists()
    assert not (minimal / "out/compare/coordinator-vs-planner.md").exists()
    assert (minimal / "out/hand-made/notes.md").is_file()
    assert (minimal / "out/coordinator/posting.md").is_file()
    record = json.loads((minimal / "out/.jdgen-manifest.json").read_text())["files"]
    assert sorted(record) == [f"coordinator/{name}.md" for name in ("candidate-guide", "interview-kit", "posting")] + [
        "index.md"
    ]


def test_init_creates_a_workspace_that_builds_at_once(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JDGEN_WORKSPACE", raising=False)
    result = runner.invoke(cli, ["init", "acme", "--example"])
    assert result.exit_code == 0, result.output
    acme = tmp_path / "acme"
    assert (acme / "README.md").read_text().startswith("# Hiring content\n")
    assert (acme / "jdgen.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/jdgen.schema.json\n")
    assert (
        (acme / "competencies/leadership.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schemas/area.schema.json\n")
    )
    assert (
        (acme / "competencies/roles/tpm.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../schemas/role.schema.json\n")
    )
    monkeypatch.chdir(acme)
    built = runner.invoke(cli, ["build", "--all"])
    assert built.exit_code == 0, built.output
    assert (acme / "out/tpm/columbus/posting.html").is_file() and (acme / "out/index.html").is_file()
    again = runner.invoke(cli, ["init", str(acme)])
    assert again.exit_code == 1
    assert "already exists and is not an empty folder" in again.stderr


def test_schemas_are_valid_and_accept_every_builtin_file(runner, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    result = runner.invoke(cli, ["schema", "--out", str(tmp_path / "schemas")])
    assert result.exit_code == 0
    schemas = {p.name: json.loads(p.read_text()) for p in (tmp_path / "schemas").glob("*.json")}
    assert sorted(schemas) == ["area.schema.json", "jdgen.schema.json", "role.schema.json"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    pairs = [("jdgen.schema.json", REPO / "jdgen.yaml")]
    pairs += [("area.schema.json", p) for p in (REPO / "competencies").glob("*.yaml")]
    pairs += [("role.schema.json", p) for p in (REPO / "competencies/roles").glob("*.yaml")]
    for name, path in pairs:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        errors = list(Draft202012Validator(schemas[name]).iter_errors(data))
        assert errors == [], (path, errors[:1])
    broken = {"title": 5, "responsibilites": []}
    assert list(Draft202012Validator(schemas["role.schema.json"]).iter_errors(broken))


def test_the_publish_workflow_is_valid_github_actions_syntax() -> None:
    workflow = REPO / ".github/workflows/publish.yml"
    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = " ".join(
        str(step.get("run", "")) for step in yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"]
    )
    for command in ("SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)", "jdgen check", "jdgen build --all"):
        assert command in steps


def test_the_pre_commit_hooks_expose_validate_and_lint() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"]) for h in hooks] == [
        ("jdgen-validate", "jdgen validate"),
        ("jdgen-lint", "jdgen lint"),
    ]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert re.match(hook["files"], "competencies/roles/tpm.yaml")


def test_a_full_build_links_each_posting_page_back_to_the_index(runner, builtin_copy: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(builtin_copy), "build", "--all", "--format", "html"])
    assert result.exit_code == 0, result.output
    out = builtin_copy / "out"
    assert '<a href="../index.html">All open roles</a>' in (out / "pm/posting.html").read_text()
    assert '<a href="../../index.html">All open roles</a>' in (out / "tpm/columbus/posting.html").read_text()
    # a build of one role writes no index, so its page has nothing to link back to
    single = runner.invoke(
        cli, ["--workspace", str(builtin_copy), "build", "pm", "--format", "html", "--out", str(builtin_copy / "one")]
    )
    assert single.exit_code == 0, single.output
    assert "All open roles" not in (builtin_copy / "one/pm/posting.html").read_text()
