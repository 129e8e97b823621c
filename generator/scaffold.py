"""Start a company's workspace from the built-in one, and write JSON Schemas for its files."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import CommandLineError, OutputError
from .library import library_role_files
from .models import Area, Config, Role
from .outpaths import inspect_output, temp_path
from .schema_errors import suggest
from .workspace import COMPETENCIES_DIR, CONFIG_NAME, ROLES_DIR, TEMPLATES_DIR, builtin_workspace_dir, workspace_files

SCHEMAS = {"jdgen.schema.json": Config, "area.schema.json": Area, "role.schema.json": Role}
SCHEMAS_DIR = "schemas"

#: What `init` writes as the workspace's README: the map of the folder and the authoring guide.
_WORKSPACE_README = Path(__file__).resolve().parent / "data" / "workspace-README.md"
#: Starting roles keep their comments when references to roles left out are removed.
#: How the first line of a YAML file points editors at its schema.
SCHEMA_PREFIX = "# yaml-language-server: $schema="
#: That first line for each kind of workspace file; the schema's path is relative to the file.
CONFIG_SCHEMA_LINE = f"{SCHEMA_PREFIX}{SCHEMAS_DIR}/jdgen.schema.json\n"
AREA_SCHEMA_LINE = f"{SCHEMA_PREFIX}../{SCHEMAS_DIR}/area.schema.json\n"
ROLE_SCHEMA_LINE = f"{SCHEMA_PREFIX}../../{SCHEMAS_DIR}/role.schema.json\n"


@dataclass(frozen=True)
class CompanyFacts:
    """What `jdgen init` asks of a new company; only the name is required."""

    name: str
    website: str | None = None
    headquarters: str | None = None  #: "City, Region, Country", "City, Country" or "Country"
    employees: int | None = None
    about: str | None = None


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


def init_workspace(target: Path, facts: CompanyFacts | None, roles: tuple[str, ...] = ()) -> list[Path]:
    """Start a workspace in `target`: for the company `facts` with the chosen starting `roles`,
    on the built-in library; or, with no facts, a copy of the built-in example company.
    """
    check_new_folder(target)
    if facts is not None:  # every mistake in the answers is found before anything is created
        config = company_config(facts)
        starters = _starting_roles(roles)
    source = builtin_workspace_dir()
    staging: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # made whole in a hidden folder beside the target, then renamed into place: an error, Ctrl-C
        # or a kill leaves no half-made workspace where the next `init` would be refused
        staging = Path(tempfile.mkdtemp(prefix=".jdgen-init-", dir=target.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; a workspace is not
        shutil.copytree(source / TEMPLATES_DIR, staging / TEMPLATES_DIR)
        if facts is None:
            _copy_example(source, staging)
        else:
            (staging / CONFIG_NAME).write_text(config, encoding="utf-8")
            (staging / ROLES_DIR).mkdir(parents=True)
            for role_id, text in starters.items():
                (staging / ROLES_DIR / f"{role_id}.yaml").write_text(text, encoding="utf-8")
        write_schemas(staging / SCHEMAS_DIR)
        shutil.copyfile(_WORKSPACE_README, staging / "README.md")
        (staging / "out").mkdir()
        (staging / "out" / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
        check_new_folder(target)  # still new: nothing appeared there meanwhile
        staging.rename(target)  # replaces an empty folder, never one that holds anything
        staging = None
    except OSError as err:
        raise OutputError(str(target), f"cannot create the workspace: {err.strerror or err}") from err
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(p for p in target.rglob("*") if p.is_file())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_new_folder(target: Path) -> None:
    """Refuse a folder that already holds something, or a link: `init` never mixes with other files."""
    if target.is_symlink():
        raise OutputError(str(target), "is a link; give the path of a new folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(str(target), "already exists and is not an empty folder; choose a new folder")


def _copy_example(source: Path, target: Path) -> None:
    _copy_yaml(source / CONFIG_NAME, target / CONFIG_NAME, CONFIG_SCHEMA_LINE)
    _, areas, roles = workspace_files(source)  # the same files a build reads, .yml included
    for path in areas:
        _copy_yaml(path, target / COMPETENCIES_DIR / path.name, AREA_SCHEMA_LINE)
    for path in roles:
        _copy_yaml(path, target / ROLES_DIR / path.name, ROLE_SCHEMA_LINE)


def company_config(facts: CompanyFacts) -> str:
    """Return the text of a new company's jdgen.yaml, on the built-in library."""
    name = facts.name.strip()
    if not name or "\n" in name:
        raise CommandLineError("jdgen: the company's name must be one line of text; pass --name NAME")
    for flag, value, lines in (
        ("--name", name, False),
        ("--website", facts.website, False),
        ("--headquarters", facts.headquarters, False),
        ("--about", facts.about, True),
    ):
        _check_plain(flag, value or "", lines)
    if facts.employees is not None and facts.employees < 1:
        raise CommandLineError(f"jdgen: --employees must be a whole number above 0, not {facts.employees}")
    website = (facts.website or "").strip() or None
    if website is not None and not website.startswith(("https://", "http://")):
        raise CommandLineError(f"jdgen: --website must be a web address starting with https://, not '{website}'")
    location = _headquarters(facts.headquarters)
    company: dict[str, object] = {"name": name, "about": _about(facts, location)}
    if website:
        company["website"] = website
    company["eeo_statement"] = (
        f"{name} is an equal opportunity employer. We consider every qualified applicant without regard to "
        "race, color, religion, sex (including pregnancy), sexual orientation, gender identity or expression, "
        "national origin, age, disability, genetic information or veteran status. If you need an accommodation "
        "at any step of hiring, tell your recruiter and we will arrange it."
    )
    company["location"] = location
    if facts.employees is not None:
        company["employees"] = facts.employees
    header = (
        CONFIG_SCHEMA_LINE + f"# {name}: the company, its level scale and rating scale, shared by every role.\n"
        "# Editors that read schemas/ explain each field on hover; README.md has the authoring guide.\n"
    )
    body = _dump({"company": company})
    body += "  # benefits: shared by every posting, e.g.\n  #   - Health, dental and vision cover from the first day\n"
    if website is None:
        body += "  # website: https://www.example.com\n"
    if "locality" not in location:
        body += (
            "  # location: where the work is, e.g.\n"
            "  #   {locality: Pittsburgh, region: PA, country: US, work_model: hybrid}\n"
        )
    return header + body + _CONFIG_TAIL


#: The part of a new jdgen.yaml that is the same for every company: jdgen's default scales.
_CONFIG_TAIL = """\
levels:                  # lowest first; the built-in library writes expectations for these ids
  - {id: entry, name: Entry}
  - {id: associate, name: Associate}
  - {id: mid, name: Mid-level}
  - {id: senior, name: Senior}
  - {id: principal, name: Principal}
rating_scale:            # anchored, with no neutral middle
  1: Poor
  2: Mixed
  3: Good
  4: Excellent
interview: {opening_minutes: 5, closing_minutes: 5}
# jdgen's neutral competency library, used without copying it. To change a competency, add an
# entry with its id and `override: true` to competencies/<area>.yaml (see README.md).
library: builtin
"""


def _check_plain(flag: str, value: str, lines: bool) -> None:
    """Refuse a character a reader cannot see, or that YAML reads as the end of a line.

    YAML ends a line at a carriage return, U+0085, U+2028 and U+2029 too, so in the header comment
    such a name would start a setting of its own; a lone surrogate (an undecodable byte on the command
    line) cannot be written at all.
    """
    for char in value:
        if char == "\n" and lines:
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            kind = "one line of visible text" if not lines else "visible text"
            raise CommandLineError(
                f"jdgen: {flag} must be {kind}, but it holds the character U+{ord(char):04X}; remove it"
            )


def _headquarters(text: str | None) -> dict[str, str]:
    """Read "City, Region, Country" into a location; with none, the country alone (the US).

    Never remote by default: a remote posting is bound by every state's pay law, which a
    company that only left the question open should not be told it breaks.
    """
    from .compliance.places import resolve_country, resolve_region

    if text is None or not text.strip():
        return {"country": "US"}
    parts = [part.strip() for part in text.split(",")]
    country = resolve_country(parts[-1])
    if country is None or not all(parts) or len(parts) > 3:
        raise CommandLineError(
            f"jdgen: --headquarters '{text}': write City, Region, Country (a country name or its two-letter "
            "code), e.g. 'Pittsburgh, Pennsylvania, US'"
        )
    if len(parts) == 2 and resolve_region(parts[1], "US") is not None:  # "Pittsburgh, PA": Panama, or Pennsylvania?
        raise CommandLineError(
            f"jdgen: --headquarters '{text}': '{parts[1]}' may be a US state or a country; write City, Region, "
            f"Country, e.g. '{parts[0]}, {parts[1]}, US'"
        )
    location = {"locality": parts[0]} if len(parts) > 1 else {}
    if len(parts) == 3:
        if resolve_region(parts[1], country) is None:
            raise CommandLineError(
                f"jdgen: --headquarters '{text}': '{parts[1]}' is not a region of {country}; "
                "write its name or code, e.g. 'Pennsylvania' or 'PA'"
            )
        location["region"] = parts[1]
    location["country"] = country
    location["work_model"] = "onsite"
    return location


def _about(facts: CompanyFacts, location: dict[str, str]) -> str:
    """Return the company's own words, else one sentence made of the facts given."""
    if facts.about and facts.about.strip():
        return facts.about.strip()
    name = facts.name.strip()
    size = f" of about {facts.employees:,} people" if facts.employees else ""
    place = f", based in {location['locality']}" if "locality" in location else ""
    return f"{name} is a company{size}{place}." if size or place else f"{name} is hiring."


def _dump(data: dict[str, object]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _starting_roles(roles: tuple[str, ...]) -> dict[str, str]:
    """Return the text of each chosen starting role, without references to roles left out."""
    available = library_role_files()
    unknown = [role for role in roles if role not in available]
    if unknown:
        raise CommandLineError(
            f"jdgen: no starting role '{unknown[0]}'{suggest(unknown[0], available)}; "
            f"the built-in ones are {', '.join(available)}"
        )
    chosen = set(roles)
    from .starters import adapt_role

    return {
        role: ROLE_SCHEMA_LINE + adapt_role(available[role].read_text(encoding="utf-8"), chosen, retitle=False)
        for role in dict.fromkeys(roles)
    }


def _copy_yaml(source: Path, target: Path, schema_line: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_line + source.read_text(encoding="utf-8"), encoding="utf-8")
