"""Pydantic models of the workspace files: the data contract, no I/O.

The docstring under each field is its `description` in the JSON Schemas `jdgen schema` writes,
which editors show on hover: write it for the recruiter editing the YAML, in one or two sentences.
"""

from __future__ import annotations

import functools
import itertools
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .formats import DEFAULT_FORMATS, DOCUMENT_FORMATS, FEED_FORMATS
from .values import WHOLE_CURRENCIES, Amount, Date, RoleAddress, WebAddress, read_amount

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\n]*$")]
Minutes = Annotated[int, Field(ge=1, le=600)]

EmploymentType = Literal[
    "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"
]
#: The document formats of the registry (generator/formats/), as build.formats and --format name them.
OutputFormat = Literal[tuple(DOCUMENT_FORMATS)]  # type: ignore[valid-type]
#: The feeds of the registry, as publish.feeds names them.
FeedName = Literal[tuple(FEED_FORMATS)]  # type: ignore[valid-type]
#: The sides of PMI's Talent Triangle (2022 names) a competency can cite.
PMI_SIDES = {"ways-of-working": "Ways of Working", "power-skills": "Power Skills", "business-acumen": "Business Acumen"}


def _describe_fields(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each property of a model's JSON Schema the docstring written under its field, as one line."""
    written = _field_docstrings().get(model.__name__, {})
    properties = schema.get("properties", {})
    for name, field in model.model_fields.items():
        key = field.alias if field.alias in properties else name  # `from`, not `from_`
        if key in properties and name in written:
            properties[key]["description"] = written[name]


@functools.cache
def _field_docstrings() -> dict[str, dict[str, str]]:
    """Return the docstring under each field, by model and field name, read from this module's source.

    Only writing a JSON Schema needs them, so they are read then: pydantic's own
    `use_attribute_docstrings` reads the source of every model at import, which costs every
    command ~75 ms. Lines are joined, as editors' hovers show a line break as a new paragraph.
    """
    import ast
    import inspect
    import sys

    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(sys.modules[__name__])).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = {
                field.target.id: " ".join(doc.value.value.split())
                for field, doc in itertools.pairwise(node.body)
                if isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            }
    return found


class _Model(BaseModel):
    """Base of every workspace model: unknown keys are errors, values are never coerced."""

    # strict: YAML 1.1 surprises (NO → False, 1.10 → 1.1) must fail, not be coerced.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, json_schema_extra=_describe_fields)


class Location(_Model):
    """Where the work happens."""

    locality: Line | None = None
    """City or town, e.g. Columbus. Leave it out for a job remote from anywhere in the region or country."""
    region: Line | None = None
    """State or province, written out or as a code: "New York", "NY" and "US-NY" all work."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    """Two-letter ISO 3166 country code in capitals, e.g. US, CA or DE."""
    work_model: Literal["onsite", "hybrid", "remote"] = "onsite"
    """Where people work: onsite, hybrid or remote; onsite when absent. A remote job is open to
    applicants anywhere in its region, else its country."""
    pay_zone: Slug | None = None
    """Id of a `pay_zones` entry that adjusts pay at this place, e.g. zone-a. Read only on the places
    listed under `locations` in jdgen.yaml."""


class Company(_Model):
    """The hiring company, shared by every posting."""

    name: Line
    """The company's name as candidates see it, e.g. Northwind Analytics."""
    about: Text
    """What the company does, shown under "About <company>" in every posting; separate paragraphs with
    a blank line. The first paragraph also opens the careers index."""
    website: WebAddress | None = None
    """The company's website, a full address starting with https://. Postings link to it when there is
    no `apply_url`."""
    apply_url: RoleAddress | None = None
    """Where candidates apply; `{role}` is replaced by the role id, e.g.
    https://example.com/careers/{role}. Without it, postings point to `website`."""
    benefits: list[Line] = []
    """Benefits listed in every posting under "Pay and benefits", one line each, e.g. "A 401(k) with a 5%
    match". Some pay-transparency laws require them."""
    eeo_statement: Text
    """The equal opportunity statement that ends every posting. For US postings, name every ground
    federal law protects (race, color, religion, sex, age, disability and the rest)."""
    location: Location
    """The company's main place of work; a role with no `location` or `locations` of its own is posted
    here."""
    employees: Annotated[int, Field(ge=1)] | None = None
    """Total headcount, for laws that cover only employers above a size. When absent, jdgen assumes the
    company meets every threshold."""
    employees_in: dict[str, Annotated[int, Field(ge=0)]] = {}
    """Headcount by ISO 3166-2 state or province code, for laws that count only the employees in their
    place, e.g. {US-OH: 120}. A place not listed counts as meeting the threshold."""


class Level(_Model):
    """One step of the level scale."""

    id: Slug
    """Short id that role files use for this level: lowercase letters, digits and hyphens, e.g. mid."""
    name: Line
    """The level's name as documents show it, e.g. Mid-level."""


class OffLimitsRule(_Model):
    """A topic interviewers must never raise, added by the workspace to jdgen's own list."""

    @staticmethod
    def _check_pattern(pattern: str) -> str:
        # each pattern is checked on its own, so an error points at its own line
        from .off_limits import compile_user_pattern

        compile_user_pattern(pattern)
        return pattern

    topic: Line
    """Name of the topic, used in validation messages, e.g. union membership."""
    kit: Line | None = None
    """How the interview kit's guidance names the topic to interviewers; `topic` when absent."""
    patterns: Annotated[list[Annotated[Line, AfterValidator(_check_pattern)]], Field(min_length=1)]
    """Regular expressions that find the topic in a question or probe, matched case-insensitively,
    e.g. '\\bunion member'. Look-arounds and backreferences are not allowed."""


class HireBar(_Model):
    """What the debrief requires for a hire at a level; ratings are on the workspace's rating scale."""

    core_min: Annotated[int, Field(ge=1)] = 3
    """Lowest rating any core competency may get for a hire; 3 when absent."""
    supporting_min: Annotated[int, Field(ge=1)] = 2
    """Lowest rating any supporting competency may get for a hire; 2 when absent, and 1 means no floor."""
    top_ratings: Annotated[int, Field(ge=0, le=10)] = 0
    """How many core competencies must reach the top rating of the scale, from 0 to 10; 0 when absent."""
    note: Line | None = None
    """Anything else the bar asks, in one line, shown in the debrief guide."""


class InterviewSettings(_Model):
    """How every interview stage runs."""

    opening_minutes: Annotated[int, Field(ge=0, le=60)] = 5
    """Minutes kept free at the start of every stage for welcome and introductions, 0 to 60; 5 when
    absent."""
    closing_minutes: Annotated[int, Field(ge=0, le=60)] = 5
    """Minutes kept at the end of every stage for the candidate's questions, 0 to 60; 5 when absent."""
    off_limits: list[OffLimitsRule] = []
    """Extra topics no question or probe may touch, added to jdgen's own list (age, family status,
    religion, pay history and others), each {topic, kit, patterns}."""
    hire_bar: dict[Slug, HireBar] = {}
    """What the debrief requires for a hire, by level id, e.g. {mid: {core_min: 3, top_ratings: 1}}. A
    level without its own bar takes the nearest lower level's, else 3 on every core competency and no 1."""


class BuildSettings(_Model):
    """What `jdgen build` writes by default."""

    formats: Annotated[list[OutputFormat], Field(min_length=1)] = list(DEFAULT_FORMATS)
    """Document formats `jdgen build` writes when no --format is given: md, docx, html or pdf; [md, docx,
    html] when absent."""


class PublishSettings(_Model):
    """How postings are published (JobPosting dates, canonical URLs)."""

    valid_days: Annotated[int, Field(ge=1, le=366)] = 60
    """Days a posting stays open after its posting date when the role sets no `closes_on`, 1 to 366; 60
    when absent."""
    base_url: WebAddress | None = None
    """Web address of the folder `out/` is published at, e.g. https://example.com/jobs/. Each page's
    address is this followed by its path under `out/`; without it, pages carry no address."""
    direct_apply: bool = False
    """true when candidates can apply on the posting page itself (JobPosting `directApply`); false when
    absent."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    """Language tag of the HTML pages, e.g. en or en-US; en when absent."""
    feeds: list[FeedName] = []
    """Job-board feeds `jdgen build --all` writes under `out/feeds/`: indeed, linkedin or hropen; none when
    absent."""
    require_approval: bool = False
    """true: `jdgen check` fails for a posting changed since its sign-off, and the index and feeds leave
    out postings not approved as they are; false when absent."""

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, base_url: str | None) -> str | None:
        if base_url and ("?" in base_url or "#" in base_url):
            raise ValueError(
                f"'{base_url}' has a query or fragment (? or #); page paths are added after it, so give the folder only"
            )
        return base_url


class LintSettings(_Model):
    """Language-check settings."""

    fail_on: Literal["error", "warning", "notice"] = "error"
    """Lowest finding level that makes `jdgen lint` and `jdgen check` fail: error, warning or notice;
    error when absent."""
    disable: list[Line] = []
    """Language-check rule ids to switch off, e.g. [pay-law]; an unknown id is an error."""
    allow: list[Line] = []
    """Words and phrases the language check never flags, such as a product name that contains a flagged
    word."""


class PayZone(_Model):
    """How pay differs in a group of places: the level's range times a factor."""

    name: Line
    """What the zone covers, e.g. "New York, San Francisco Bay Area, Seattle"."""
    factor: Annotated[
        Decimal, Field(gt=0, le=10), WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
    ]
    """Number each end of a level's pay range is multiplied by in this zone, above 0 and at most 10, e.g.
    1.15 for 15% more."""
    round_to: Amount | None = None
    """Each end of the adjusted range is rounded to the nearest multiple of this amount, e.g. 1000. When
    absent: 1,000 a year, 100 a month, 10 a week, 1 a day, 0.25 an hour."""

    @field_validator("factor", mode="before")
    @classmethod
    def _read_factor(cls, value: Any) -> Decimal:
        # YAML gives 1.15 as a float; its shortest repr is the number as written, so exact
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError(f"{value!r} is not a factor; write a number such as 1.15")
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    @field_validator("round_to", mode="before")
    @classmethod
    def _read_round_to(cls, value: Any) -> Decimal:
        return read_amount(value, "step")


class ScreeningQuestion(_Model):
    """A logistics question the screening stage of every loop asks, word for word."""

    id: Slug
    """Short id of the question: lowercase letters, digits and hyphens, e.g. work-authorization."""
    text: Line
    """The question exactly as the recruiter asks it; the candidate guide lists it too."""
    knockout: bool = False
    """true when an answer can end the application; false when absent."""
    note: Line | None = None
    """Guidance for the recruiter, shown only in the interview kit: what counts as a knock-out answer,
    what never to ask."""
    requirement: Line | None = None
    """For a knock-out question: the requirement it checks, as every posting states it under "How we
    hire", e.g. "We do not sponsor visas for this role." A knock-out answer may end an application
    only on a requirement the posting stated."""


class Hiring(_Model):
    """Facts about how applicants are handled that some laws require a posting to state."""

    ai_screening: bool = False
    """true when AI tools screen, assess or rank applicants; false when absent. When true, give
    `ai_statement`."""
    ai_statement: Text | None = None
    """How AI tools screen, assess or rank applicants, shown in every posting under "Use of AI in
    hiring" when `ai_screening` is true."""
    screening: Annotated[list[ScreeningQuestion], Field(max_length=12)] = []
    """Practical questions asked word for word in the screening stage of every loop, at most 12, such as
    work authorization or start date. Never ask about pay history or citizenship."""
    screening_minutes: Annotated[int, Field(ge=1, le=30)] = 5
    """Minutes the screening stage keeps for the screening questions, 1 to 30; 5 when absent."""

    @model_validator(mode="after")
    def _check_statement(self) -> Hiring:
        if self.ai_screening and self.ai_statement is None:
            raise ValueError(
                "ai_screening is true but there is no ai_statement; "
                "write how AI tools screen, assess or rank applicants"
            )
        return self


_DEFAULT_SCALE = {1: "Poor", 2: "Mixed", 3: "Good", 4: "Excellent"}


class Config(_Model):
    """The workspace's `jdgen.yaml`."""

    company: Company
    """The hiring company: name, about text, benefits, equal opportunity statement and location, shared by
    every posting."""
    levels: Annotated[list[Level], Field(min_length=1)]
    """The level scale, lowest level first, each {id, name}, e.g. {id: mid, name: Mid-level}. Roles price
    their levels by these ids."""
    rating_scale: dict[int, Line] = _DEFAULT_SCALE
    """Label of each interview rating, numbered from 1 up to an even number so there is no neutral middle;
    {1: Poor, 2: Mixed, 3: Good, 4: Excellent} when absent."""
    interview: InterviewSettings = InterviewSettings()
    """How every interview runs: minutes kept at the start and end of each stage, extra off-limits topics,
    and the hire bar per level."""
    build: BuildSettings = BuildSettings()
    """Which document formats `jdgen build` writes when no --format is given."""
    publish: PublishSettings = PublishSettings()
    """How postings are published: how long they stay open, their web address, language, feeds and
    sign-off."""
    lint: LintSettings = LintSettings()
    """Settings of the language check that reads every posting."""
    locations: dict[Slug, Location] = {}
    """Named places roles are posted in, by id, e.g. {columbus: {locality: Columbus, region: Ohio, country:
    US, work_model: hybrid}}. A role lists the ids it is posted in."""
    pay_zones: dict[Slug, PayZone] = {}
    """Groups of places where pay differs, by id, e.g. {zone-a: {name: New York, factor: 1.15}}; a place
    under `locations` joins one with `pay_zone`."""
    hiring: Hiring | None = None
    """How applicants are handled: use of AI in screening, and the screening questions every loop asks."""
    library: Literal["builtin"] | None = None
    """`builtin`: use jdgen's neutral competency library without copying it. Area files then add
    competencies, or change chosen fields of a library one with `override: true`."""

    @field_validator("levels")
    @classmethod
    def _check_levels(cls, levels: list[Level]) -> list[Level]:
        ids = [level.id for level in levels]
        repeated = sorted({level for level in ids if ids.count(level) > 1})
        if repeated:
            raise ValueError(f"each level id must appear once; repeated: {', '.join(repeated)}")
        return levels

    @field_validator("rating_scale")
    @classmethod
    def _check_scale(cls, scale: dict[int, str]) -> dict[int, str]:
        keys = sorted(scale)
        if keys != list(range(1, len(keys) + 1)) or len(keys) < 2 or len(keys) % 2:
            raise ValueError("keys must be 1, 2, ... up to an even number (no neutral middle)")
        return scale


class Question(_Model):
    """One interview question with what the interviewer needs to use it."""

    id: Slug
    """Short id of the question, unique in its competency: lowercase letters, digits and hyphens."""
    type: Literal["behavioral", "situational", "technical"]
    """Kind of question: behavioral (what the candidate did), situational (what they would do) or
    technical (what they know)."""
    text: Line
    """The question as the interviewer asks it."""
    minutes: Minutes
    """Minutes the question takes with its follow-ups, 1 to 600; used to fit questions into each
    stage."""
    levels: list[Slug] | None = None
    """Level ids the question is written for, e.g. [senior, principal]; it is asked only at those levels,
    before general questions. When absent, it suits every level."""
    probes: list[Line] = []
    """Follow-up questions to dig into the answer, shown in the interview kit."""
    look_for: list[Line] = []
    """What a strong answer shows, shown in the interview kit."""
    red_flags: list[Line] = []
    """Warning signs in an answer, shown in the interview kit."""

    @field_validator("levels")
    @classmethod
    def _check_levels(cls, levels: list[str] | None) -> list[str] | None:
        if levels == []:
            # an empty list would mean no level, so the question would silently never be asked
            raise ValueError("an empty list suits no level; remove `levels` to ask the question at every level")
        return levels


class Competency(_Model):
    """One competency of the library."""

    id: Slug
    """Short id roles use to name the competency, unique across the library, e.g. plans-projects."""
    name: Line
    """The competency's name as documents show it, e.g. Plans projects."""
    description: Text
    """What the competency is, shown under its heading in the interview kit."""
    posting: Line
    """One "What you will do" line that every posting of a role needing this competency shows."""
    requirement: Line
    """One "What you bring" line that postings show when the competency is core to the role."""
    refs: dict[Slug, Line] = {}
    """Framework references shown beside the competency in the kit: `pmi` is a PMI Talent Triangle side
    (ways-of-working, power-skills or business-acumen), `sfia` a SFIA skill code such as PRMG or PRMG@4."""
    levels: Annotated[dict[Slug, Text], Field(min_length=1)]
    """What the competency looks like at each level, by level id, e.g. {mid: ..., senior: ...}. A level
    without its own takes the nearest lower level's."""
    questions: Annotated[list[Question], Field(min_length=1)]
    """Interview questions that assess the competency; the interview loop picks from them."""
    rubric: dict[int, Line]
    """What an answer at each rating looks like, one anchor per rating of `rating_scale`, e.g. {1: ...,
    2: ..., 3: ..., 4: ...}."""
    rubric_by_level: dict[Slug, dict[int, Line]] = {}
    """Rubric anchors for particular levels, by level id, e.g. {senior: {1: ..., 4: ...}}. A level without
    its own takes the nearest lower level's, then `rubric`."""

    @field_validator("refs")
    @classmethod
    def _check_refs(cls, refs: dict[str, str]) -> dict[str, str]:
        if "pmi" in refs and refs["pmi"] not in PMI_SIDES:
            raise ValueError(f"pmi must be one of {', '.join(PMI_SIDES)}, not '{refs['pmi']}'")
        if "sfia" in refs and not re.match(r"^[A-Z]{4}(@[1-7])?$", refs["sfia"]):
            raise ValueError(
                f"sfia must be a SFIA skill code, optionally with a level (PRMG or PRMG@4), not '{refs['sfia']}'"
            )
        return refs


class CompetencyOverride(_Model):
    """Chosen fields of a competency of the built-in library, replacing the library's."""

    id: Slug
    """The id of the library competency to change, e.g. plans-projects."""
    override: Literal[True]
    """Must be true: says on purpose that this id is the library's, so a duplicate is never silent."""
    name: Line | None = None
    """Replaces the library's name."""
    description: Text | None = None
    """Replaces the library's description."""
    posting: Line | None = None
    """Replaces the library's "you will" line in postings."""
    requirement: Line | None = None
    """Replaces the library's "you bring" line in postings."""
    refs: dict[Slug, Line] | None = None
    """Replaces the library's framework references, whole."""
    levels: Annotated[dict[Slug, Text], Field(min_length=1)] | None = None
    """Replaces the library's level expectations, whole: give every level you want."""
    questions: Annotated[list[Question], Field(min_length=1)] | None = None
    """Matched by question id: the same id replaces the library's question whole, a new id adds one."""
    rubric: dict[int, Line] | None = None
    """Replaces the library's anchors, whole."""
    rubric_by_level: dict[Slug, dict[int, Line]] | None = None
    """Replaces the library's anchors by level, whole."""


#: How pydantic names the two kinds of entry in an error's location; messages leave them out.
ENTRY_TAGS = frozenset({"new competency", "competency override"})


def _entry_kind(value: Any) -> str:
    return "competency override" if isinstance(value, dict) and "override" in value else "new competency"


AreaEntry = Annotated[
    Annotated[Competency, Tag("new competency")] | Annotated[CompetencyOverride, Tag("competency override")],
    Discriminator(_entry_kind),
]


class Area(_Model):
    """One competency area file of a workspace."""

    area: Slug
    """The area's id: the file name without .yaml, e.g. project-management."""
    name: Line | None = None
    """The area's name as documents show it, e.g. Project management. May be left out when the
    built-in library has this area (with `library: builtin`): the library's name is kept."""
    description: Text | None = None
    """What the competencies of this area have in common. May be left out when the built-in
    library has this area."""
    competencies: Annotated[list[AreaEntry], Field(min_length=1)]
    """The competencies of this area, each with its questions and rubric; or, with `override: true`,
    chosen fields of a built-in competency."""


class LibraryArea(_Model):
    """One area file of jdgen's built-in library: complete, with no overrides."""

    area: Slug
    """The area's id: the file name without .yaml, e.g. project-management."""
    name: Line
    """The area's name as documents show it, e.g. Project management."""
    description: Text
    """What the competencies of this area have in common."""
    competencies: Annotated[list[Competency], Field(min_length=1)]
    """The competencies of this area, each complete with its questions and rubric."""


class Salary(_Model):
    """A closed pay range; open-ended ranges do not meet pay-transparency laws."""

    min: Amount
    """Bottom of the pay range, a number without quotes or commas with at most two decimals, e.g.
    112000."""
    max: Amount
    """Top of the pay range, at least `min`, e.g. 140000."""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    """Three-letter ISO 4217 currency code in capitals, e.g. USD, CAD or EUR."""
    period: Literal["hour", "day", "week", "month", "year"] = "year"
    """What the amounts pay for: hour, day, week, month or year; year when absent."""

    @field_validator("min", "max", mode="before")
    @classmethod
    def _read_amount(cls, value: Any, info: ValidationInfo) -> Decimal:
        return read_amount(value, "top" if info.field_name == "max" else "bottom")

    @model_validator(mode="after")
    def _check_range(self) -> Salary:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max}); swap them")
        if self.currency in WHOLE_CURRENCIES and not all(v == v.to_integral_value() for v in (self.min, self.max)):
            raise ValueError(f"{self.currency} has no smaller unit (no cents); write whole amounts")
        return self


class RoleLevel(_Model):
    """A level a role can be built at."""

    title: Line
    """Job title at this level, the posting's headline, e.g. Senior Technical Project Manager."""
    salary: Salary
    """Pay range at this level, e.g. {min: 112000, max: 140000, currency: USD, period: year}. Every
    posting states it."""
    sfia_level: Annotated[int, Field(ge=1, le=7)] | None = None
    """SFIA level of responsibility, 1 to 7, shown in the interview kit."""
    salary_by_location: dict[Slug, Salary] = {}
    """Pay range at particular places of the role, by location id, e.g. {new-york: {min: ..., max: ...,
    currency: USD}}. Wins over the place's pay zone."""
    other_pay: list[Line] = []
    """Bonus, commission or equity, one line each, shown after the pay range, e.g. "Yearly bonus of up to
    10% of base pay"."""
    summary: Text | None = None
    """Replaces the role's `summary` in postings at this level; the role's summary when absent."""
    scope: Line | None = None
    """The scope the level carries, in one line, shown in the posting, kit and candidate guide, e.g. "One
    client project at a time"."""
    responsibilities: list[Line] = []
    """Lines for "What you will do" added to the role's own at this level."""
    requirements: list[Line] = []
    """Must-haves ("What you bring") added to the role's own at this level."""


class RoleCompetency(_Model):
    """A competency a role needs, and how much."""

    id: Slug
    """Id of a competency of the library, e.g. plans-projects."""
    emphasis: Literal["core", "supporting"]
    """How much the role relies on it: core (a must-have, listed under "What you bring" and given the
    most interview time) or supporting (given the interview time left over)."""


class Difference(_Model):
    """How a role differs from a neighbor people confuse it with."""

    role: Slug
    """Id of the neighboring role, e.g. tech-lead."""
    how: Text
    """How this role differs from that one, as candidates read it in the posting, e.g. "The Technical Lead
    designs the solution; you own the plan"."""


class CareerPath(_Model):
    """Roles people come from and move on to."""

    model_config = ConfigDict(populate_by_name=True)

    from_: list[Slug] = Field(default=[], alias="from")
    """Ids of roles people often move into this one from, e.g. [associate-pm]; none when absent."""
    to: list[Slug] = []
    """Ids of roles people often move on to from this one, e.g. [project-lead]; none when absent."""


class MaterialTable(_Model):
    """A small table handed to the candidate: a plan, a backlog, a data sample."""

    columns: Annotated[list[Line], Field(min_length=1, max_length=8)]
    """Column headings, 1 to 8, e.g. [Task, Owner, Days]."""
    rows: Annotated[list[list[Line]], Field(min_length=1, max_length=40)]
    """The rows, 1 to 40, each with one cell per column; quote numbers, e.g. [[Map current tags, Analyst,
    "3"]]."""

    @model_validator(mode="after")
    def _check_rows(self) -> MaterialTable:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {index + 1} has {len(row)} cells but there are {len(self.columns)} columns; "
                    "give every row one cell per column"
                )
        return self


#: A code excerpt: kept exactly as written, indentation included.
Code = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class Material(_Model):
    """One piece of material the candidate gets with an exercise: text, a table or a code excerpt."""

    title: Line
    """Heading of the material, e.g. The client's request."""
    text: Text | None = None
    """The material as prose, paragraphs separated by blank lines. Give exactly one of text, table or
    code."""
    table: MaterialTable | None = None
    """The material as a table, {columns, rows}. Give exactly one of text, table or code."""
    code: Code | None = None
    """A code excerpt, kept exactly as written with its indentation; write it as a `|` block. Give exactly
    one of text, table or code."""
    language: Slug | None = None
    """Language of `code`, e.g. sql or python; only with `code`."""

    @model_validator(mode="after")
    def _check_kind(self) -> Material:
        given = [name for name in ("text", "table", "code") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"material '{self.title}' needs exactly one of text, table or code"
                + (f", not {' and '.join(given)}" if given else "")
            )
        if self.language is not None and self.code is None:
            raise ValueError(f"material '{self.title}' has a language but no code; remove `language`")
        if self.code is not None and not self.code.strip():
            raise ValueError(f"material '{self.title}' has empty code")
        return self


class Exercise(_Model):
    """A work sample a stage is built around: the candidate's brief and the evaluators' key."""

    title: Line
    """Name of the exercise, e.g. Plan the first month of a migration."""
    brief: Text
    """The scenario and the task, as the candidate reads it."""
    materials: Annotated[list[Material], Field(max_length=8)] = []
    """Up to 8 pieces of material the candidate works from, each a text, a table or a code excerpt."""
    timing: Line
    """How the time is spent, in one line, e.g. "10 minutes to read, 20 to plan, 15 to present"."""
    minutes: Minutes | None = None
    """Minutes of the interview the exercise takes, 1 to 600. When absent, it takes what the stage's
    questions leave."""
    deliverable: Text
    """What the candidate hands in or presents, e.g. "A one-page plan and the three risks you would raise
    first"."""
    share_in_advance: bool = False
    """true: the candidate guide includes the brief and materials so candidates can prepare; false when
    absent."""
    key: Annotated[dict[Slug, Annotated[list[Line], Field(min_length=1)]], Field(min_length=1)]
    """What a strong response shows, by focus competency id, e.g. {plans-projects: [...]}; for evaluators
    only, never in the candidate guide."""


class Stage(_Model):
    """One interview of the loop."""

    id: Slug
    """Short id of the stage, unique in the loop, e.g. recruiter-screen."""
    name: Line
    """The stage's name as the posting, kit and candidate guide show it, e.g. Recruiter screen."""
    minutes: Minutes
    """Length of the interview in minutes, 1 to 600, including the opening and closing minutes."""
    interviewers: Line
    """Who runs the interview, shown in the kit and candidate guide, e.g. "The hiring manager and a
    Technical Lead"."""
    purpose: Text | None = None
    """What the stage is for, shown in the interview kit; when absent, "Gather evidence on" followed by
    its focus competencies."""
    prepare: list[Line] = []
    """Advice for the candidate guide on how to prepare for this stage; when absent, advice follows from
    the kinds of questions asked."""
    focus: Annotated[list[Slug], Field(min_length=1)]
    """Ids of the role's competencies this stage assesses, e.g. [plans-projects, identifies-risks]."""
    screening: bool = False
    """true: this stage asks the company's screening questions. When no stage says so, the first stage
    asks them."""
    exercise: Exercise | None = None
    """A work sample the stage is built around, with its brief, materials and the evaluators' key."""


class Role(_Model):
    """One role profile; the file stem is its id."""

    title: Line
    """The role's general title, used when comparing roles and in other roles' postings, e.g. Technical
    Project Manager. Each level's `title` heads its posting."""
    aliases: list[Slug] = []
    """Other ids the command line accepts for this role, e.g. [technical-pm]; each used by one role only."""
    family: Slug | None = None
    """Job family the role belongs to, e.g. project-management; the careers index groups roles by it.
    Roles without one come last."""
    summary: Text
    """The paragraph that opens every posting of the role; a level's own `summary` replaces it."""
    about: Text
    """What the work is, shown under "About the role"; separate paragraphs with a blank line."""
    default_level: Slug
    """The level built when none is named, and the one `jdgen build --all` publishes; one of `levels`,
    e.g. mid."""
    levels: Annotated[dict[Slug, RoleLevel], Field(min_length=1)]
    """The levels the role is offered at, by level id of jdgen.yaml, each with its title and pay range,
    e.g. {mid: {title: ..., salary: {...}}}."""
    employment_type: EmploymentType = "FULL_TIME"
    """Kind of employment, e.g. FULL_TIME, PART_TIME or CONTRACTOR; FULL_TIME when absent."""
    location: Location | None = None
    """Where the role is posted when it lists no `locations`; the company's location when absent."""
    locations: list[Slug] = []
    """Ids of places under `locations` in jdgen.yaml, each a posting of its own, e.g. [columbus,
    remote-us]. Wins over `location`."""
    closes_on: Date | None = None
    """The last day applications are accepted, as YYYY-MM-DD, e.g. 2027-01-31. When absent, postings
    close `publish.valid_days` after they are posted."""
    vacancy: Literal["existing", "future"] | None = None
    """Whether the role is an existing vacancy or one expected in the future; Ontario's job-posting rules
    require it. Not stated when absent."""
    onet: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$")] | None = None
    """O*NET-SOC occupation code, e.g. "15-1299.09"; shown in the posting and its JobPosting data."""
    date_posted: Date | None = None
    """The day the role is posted, as YYYY-MM-DD. When absent: the day of SOURCE_DATE_EPOCH, else the
    day of the build."""
    responsibilities: list[Line] = []
    """Lines for "What you will do" added after those of the role's competencies."""
    requirements: list[Line] = []
    """Must-haves ("What you bring") added after those of the core competencies; keep seven in all at
    most."""
    nice_to_have: list[Line] = []
    """Skills that help but are not required, shown under "Nice to have"."""
    competencies: Annotated[list[RoleCompetency], Field(min_length=1, max_length=10)]
    """Competencies the role needs, 1 to 10, each {id, emphasis}, e.g. {id: plans-projects, emphasis:
    core}; four to seven core is typical."""
    differs_from: list[Difference] = []
    """Roles candidates may confuse this one with, each {role, how}, shown in the posting."""
    career_path: CareerPath = CareerPath()
    """Roles people come from and move on to, {from: [...], to: [...]}; it orders the careers index,
    entry roles first."""
    interview_loop: Annotated[list[Stage], Field(min_length=1)]
    """The interview stages, in order; together they must assess every core competency."""
