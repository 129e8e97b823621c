"""Start a company's workspace from the built-in one, and write JSON Schemas for its files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .errors import OutputError
from .models import Area, Config, Role
from .outpaths import inspect_output, temp_path
from .workspace import COMPETENCIES_DIR, CONFIG_NAME, ROLES_DIR, TEMPLATES_DIR, builtin_workspace_dir, workspace_files

SCHEMAS = {"jdgen.schema.json": Config, "area.schema.json": Area, "role.schema.json": Role}
SCHEMAS_DIR = "schemas"

_WORKSPACE_README = """\
# Hiring content

This folder holds our job postings and interview kits as data. Edit the YAML, then run
`jdgen build --all` to write every posting, interview kit and candidate guide to `out/`.

- `jdgen.yaml`: the company: about text, benefits, equal opportunity statement, location,
  levels, rating scale, and settings for building, publishing and language checks.
- `competencies/<area>.yaml`: the competencies, with the interview questions and rubrics that
  assess them.
- `competencies/roles/<role>.yaml`: one file per role: title, pay per level, the competencies it
  needs, and the interview loop.
- `templates/`: how the documents look. Change them only if you know Jinja.

Before you open a pull request, run `jdgen check`: it validates every file, checks the wording
of each posting, and tells you exactly which file and line to fix.

Editors that understand YAML (VS Code with the YAML extension, IntelliJ) complete and check
field names as you type, from the schemas in `schemas/`; the first line of each file tells
them where to look.
"""


def schema_documents() -> dict[str, str]:
    """Return the JSON Schema of each kind of workspace file, by file name."""
    documents = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        documents[name] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return documents


def write_schemas(out_dir: Path) -> list[Path]:
    """Write the JSON Schemas to `out_dir`; return the files written."""
    targets = {out_dir / name: text.encode("utf-8") for name, text in schema_documents().items()}
    for path in targets:  # never through a link or onto something that is not a plain file
        found = inspect_output(out_dir, path)
        if found.kind == "blocked":
            raise OutputError(str(found.blame), found.reason)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for path, data in targets.items():
            temp = temp_path(path)
            try:
                temp.write_bytes(data)
                temp.replace(path)  # a reader sees the old schema or the new one, never half of one
            finally:
                temp.unlink(missing_ok=True)
            written.append(path)
    except OSError as err:
        raise OutputError(str(out_dir), f"cannot write the schemas: {err.strerror or err}") from err
    return written


def init_workspace(target: Path) -> list[Path]:
    """Copy the built-in workspace into `target`, each YAML file pointing editors at its schema."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(str(target), "already exists and is not an empty folder; choose a new folder")
    source = builtin_workspace_dir()
    created = target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source / TEMPLATES_DIR, target / TEMPLATES_DIR)
        _copy_yaml(source / CONFIG_NAME, target / CONFIG_NAME, f"{SCHEMAS_DIR}/jdgen.schema.json")
        _, areas, roles = workspace_files(source)  # the same files a build reads, .yml included
        for path in areas:
            _copy_yaml(path, target / COMPETENCIES_DIR / path.name, f"../{SCHEMAS_DIR}/area.schema.json")
        for path in roles:
            _copy_yaml(path, target / ROLES_DIR / path.name, f"../../{SCHEMAS_DIR}/role.schema.json")
        write_schemas(target / SCHEMAS_DIR)
        (target / "README.md").write_text(_WORKSPACE_README, encoding="utf-8")
        (target / "out").mkdir()
        (target / "out" / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    except OSError as err:
        if not created:
            shutil.rmtree(target, ignore_errors=True)  # leave nothing half-made behind
        raise OutputError(str(target), f"cannot create the workspace: {err.strerror or err}") from err
    return sorted(p for p in target.rglob("*") if p.is_file())


def _copy_yaml(source: Path, target: Path, schema: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# yaml-language-server: $schema={schema}\n"
    target.write_text(header + source.read_text(encoding="utf-8"), encoding="utf-8")
