"""A synthetic catalogue for benchmarks: the built-in workspace grown to N roles with distinct data.

Every added role has its own title (at every level), summary and pay, and about half of them
(every role the built-in one posts in several places, and every second other one) are posted
in three of thirty cities, so nothing a cache or a regular expression could share hides a cost
that grows with the catalogue. Roles are built from the six built-in ones, whose ids the copies'
references (career paths, neighbours) still name.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

DOMAINS = (
    "Payments", "Retail Analytics", "Loyalty", "Media Measurement", "Supply Chain", "Health Data",
    "Travel", "Insurance", "Banking", "Streaming", "Gaming", "Energy", "Logistics", "Education",
    "Public Sector", "Telecom", "Automotive", "Fashion", "Food Delivery", "Real Estate",
)  # fmt: skip
TEAMS = ("Platform", "Migration", "Reporting", "Consent", "Pipelines", "Dashboards", "Tagging", "Cloud",
         "Experimentation", "Identity")  # fmt: skip
#: (id, locality, region): cities in US states whose pay-transparency rules the built-in postings meet
CITIES = (
    ("cleveland", "Cleveland", "Ohio"), ("cincinnati", "Cincinnati", "Ohio"), ("dayton", "Dayton", "Ohio"),
    ("akron", "Akron", "Ohio"), ("austin", "Austin", "Texas"), ("dallas", "Dallas", "Texas"),
    ("houston", "Houston", "Texas"), ("san-antonio", "San Antonio", "Texas"), ("atlanta", "Atlanta", "Georgia"),
    ("savannah", "Savannah", "Georgia"), ("miami", "Miami", "Florida"), ("tampa", "Tampa", "Florida"),
    ("orlando", "Orlando", "Florida"), ("phoenix", "Phoenix", "Arizona"), ("tucson", "Tucson", "Arizona"),
    ("pittsburgh", "Pittsburgh", "Pennsylvania"), ("philadelphia", "Philadelphia", "Pennsylvania"),
    ("nashville", "Nashville", "Tennessee"), ("memphis", "Memphis", "Tennessee"),
    ("charlotte", "Charlotte", "North Carolina"), ("raleigh", "Raleigh", "North Carolina"),
    ("indianapolis", "Indianapolis", "Indiana"), ("kansas-city", "Kansas City", "Missouri"),
    ("st-louis", "St. Louis", "Missouri"), ("detroit", "Detroit", "Michigan"),
    ("grand-rapids", "Grand Rapids", "Michigan"), ("milwaukee", "Milwaukee", "Wisconsin"),
    ("madison", "Madison", "Wisconsin"), ("salt-lake-city", "Salt Lake City", "Utah"), ("boise", "Boise", "Idaho"),
)  # fmt: skip


def make_catalogue(target: Path, roles: int) -> Path:
    """Write a workspace of `roles` roles (at least the six built-in ones) to `target`; return it."""
    target.mkdir(parents=True)
    for folder in ("competencies", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    config = yaml.safe_load((REPO / "jdgen.yaml").read_text(encoding="utf-8"))
    for city, locality, region in CITIES:
        config["locations"][city] = {"locality": locality, "region": region, "country": "US", "work_model": "hybrid"}
    (target / "jdgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    folder = target / "competencies" / "roles"
    bases = sorted(folder.glob("*.yaml"))
    names = itertools.product(DOMAINS, TEAMS)
    for number in range(roles - len(bases)):
        base = bases[number % len(bases)]
        domain, team = next(names) if number < len(DOMAINS) * len(TEAMS) else (f"Program {number}", "Office")
        role = yaml.safe_load(base.read_text(encoding="utf-8"))
        _vary(role, number, domain, team)
        (folder / f"{base.stem}-{number + 1}.yaml").write_text(yaml.safe_dump(role, sort_keys=False), "utf-8")
    return target


def _vary(role: dict, number: int, domain: str, team: str) -> None:
    """Make a copy of a role its own: title, texts, pay and places."""
    role.pop("aliases", None)  # aliases are unique across a workspace
    suffix = f"{domain} {team}"
    role["title"] = f"{role['title']}, {suffix}"
    role["summary"] = f"{role['summary']} This team serves our {domain.lower()} clients on {team.lower()} work."
    role["about"] = f"{role['about']}\n\nYou join the {suffix} team."
    step = (number % 17) * 500
    for level in role["levels"].values():
        level["title"] = f"{level['title']}, {suffix}"
        salary = level.get("salary")
        if salary:
            salary["min"] += step
            salary["max"] += step
    if len(role.get("locations", ())) > 1 or number % 2:
        role["locations"] = [CITIES[(number + offset) % len(CITIES)][0] for offset in (0, 7, 19)]
        # postings open in Colorado or to remote applicants need a closing date; these places do not
        role.pop("closes_on", None)
