"""Pydantic models of the workspace files: the data contract, no I/O."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
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


class _Model(BaseModel):
    # strict: YAML 1.1 surprises (NO → False, 1.10 → 1.1) must fail, not be coerced.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Location(_Model):
    """Where the work happens."""

    locality: Line | None = None
    region: Line | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    work_model: Literal["onsite", "hybrid", "remote"] = "onsite"
    pay_zone: Slug | None = None  #: a `pay_zones` id; read only on the places of jdgen.yaml `locations`


class Company(_Model):
    """The hiring company, shared by every posting."""

    name: Line
    about: Text
    website: WebAddress | None = None
    apply_url: RoleAddress | None = None  #: `{role}` is replaced by the role id
    benefits: list[Line] = []
    eeo_statement: Text
    location: Location
    employees: Annotated[int, Field(ge=1)] | None = None  #: headcount, for the laws' employer-size thresholds
    #: headcount by ISO 3166-2 code, for laws that count only the employees in their place
    employees_in: dict[str, Annotated[int, Field(ge=0)]] = {}


class Level(_Model):
    """One step of the level scale."""

    id: Slug
    name: Line


class OffLimitsRule(_Model):
    """A topic interviewers must never raise, added by the workspace to jdgen's own list."""

    @staticmethod
    def _check_pattern(pattern: str) -> str:
        # each pattern is checked on its own, so an error points at its own line
        from .off_limits import compile_user_pattern

        compile_user_pattern(pattern)
        return pattern

    topic: Line
    kit: Line | None = None  #: how the kit's guidance names it; defaults to `topic`
    #: Python regular expressions, run case-insensitively by re2, so that none can run away
    patterns: Annotated[list[Annotated[Line, AfterValidator(_check_pattern)]], Field(min_length=1)]


class HireBar(_Model):
    """What the debrief requires for a hire at a level; ratings are on the workspace's rating scale."""

    core_min: Annotated[int, Field(ge=1)] = 3  #: every core competency is rated at least this
    supporting_min: Annotated[int, Field(ge=1)] = 2  #: every supporting competency at least this (1: no floor)
    top_ratings: Annotated[int, Field(ge=0, le=10)] = 0  #: at least this many core competencies at the top rating
    note: Line | None = None  #: anything else the bar asks, in one line


class InterviewSettings(_Model):
    """How every interview stage runs."""

    opening_minutes: Annotated[int, Field(ge=0, le=60)] = 5  #: kept free at the start of a stage
    closing_minutes: Annotated[int, Field(ge=0, le=60)] = 5  #: kept for the candidate's questions
    off_limits: list[OffLimitsRule] = []  #: extra topics questions must never touch
    #: the debrief's bar by level id; a level without one takes the nearest lower level's, else the default bar
    hire_bar: dict[Slug, HireBar] = {}


class BuildSettings(_Model):
    """What `jdgen build` writes by default."""

    formats: Annotated[list[OutputFormat], Field(min_length=1)] = list(DEFAULT_FORMATS)


class PublishSettings(_Model):
    """How postings are published (JobPosting dates, canonical URLs)."""

    valid_days: Annotated[int, Field(ge=1, le=366)] = 60
    base_url: WebAddress | None = None  #: pages' addresses are this followed by their path under out/
    direct_apply: bool = False
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"  #: page `lang`
    #: feeds `build --all` writes under out/feeds/, by format name (see generator/formats/)
    feeds: list[FeedName] = []
    #: true: `check` fails for a posting changed since its sign-off, and the index and feeds leave out unapproved ones
    require_approval: bool = False

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
    disable: list[Line] = []
    allow: list[Line] = []


class PayZone(_Model):
    """How pay differs in a group of places: the level's range times a factor."""

    name: Line
    factor: Annotated[
        Decimal, Field(gt=0, le=10), WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
    ]
    #: each end of the range is rounded to the nearest multiple; the default depends on the period
    round_to: Amount | None = None

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
    text: Line
    knockout: bool = False  #: an answer that rules the application out ends it
    note: Line | None = None  #: guidance for the recruiter: what counts as a knock-out answer, what never to ask


class Hiring(_Model):
    """Facts about how applicants are handled that some laws require a posting to state."""

    ai_screening: bool = False  #: AI tools screen, assess or rank applicants
    ai_statement: Text | None = None  #: shown in every posting when ai_screening is true
    screening: Annotated[list[ScreeningQuestion], Field(max_length=12)] = []  #: asked in every loop's screening stage
    screening_minutes: Annotated[int, Field(ge=1, le=30)] = 5  #: the screening stage keeps these for them

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
    levels: Annotated[list[Level], Field(min_length=1)]
    rating_scale: dict[int, Line] = _DEFAULT_SCALE
    interview: InterviewSettings = InterviewSettings()
    build: BuildSettings = BuildSettings()
    publish: PublishSettings = PublishSettings()
    lint: LintSettings = LintSettings()
    locations: dict[Slug, Location] = {}  #: named places roles are posted in
    pay_zones: dict[Slug, PayZone] = {}
    hiring: Hiring | None = None

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
    type: Literal["behavioral", "situational", "technical"]
    text: Line
    minutes: Minutes
    levels: list[Slug] | None = None  #: the levels the question suits; every level when absent
    probes: list[Line] = []
    look_for: list[Line] = []
    red_flags: list[Line] = []

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
    name: Line
    description: Text
    posting: Line
    requirement: Line
    refs: dict[Slug, Line] = {}  #: framework references; `sfia` and `pmi` are checked
    levels: Annotated[dict[Slug, Text], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    rubric: dict[int, Line]
    #: anchors by level id; a level without its own takes the nearest lower level's, then `rubric`
    rubric_by_level: dict[Slug, dict[int, Line]] = {}

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


class Area(_Model):
    """One competency area file."""

    area: Slug
    name: Line
    description: Text
    competencies: Annotated[list[Competency], Field(min_length=1)]


class Salary(_Model):
    """A closed pay range; open-ended ranges do not meet pay-transparency laws."""

    min: Amount
    max: Amount
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    period: Literal["hour", "day", "week", "month", "year"] = "year"

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
    salary: Salary
    sfia_level: Annotated[int, Field(ge=1, le=7)] | None = None  #: SFIA level of responsibility
    salary_by_location: dict[Slug, Salary] = {}  #: pay at a location id of the role; wins over pay_zones
    other_pay: list[Line] = []  #: bonus, commission, equity: shown after the pay range
    summary: Text | None = None  #: replaces the role's summary at this level
    scope: Line | None = None  #: the scope the level carries, in one line
    responsibilities: list[Line] = []  #: added to the role's own at this level
    requirements: list[Line] = []  #: must-haves added at this level


class RoleCompetency(_Model):
    """A competency a role needs, and how much."""

    id: Slug
    emphasis: Literal["core", "supporting"]


class Difference(_Model):
    """How a role differs from a neighbour people confuse it with."""

    role: Slug
    how: Text


class CareerPath(_Model):
    """Roles people come from and move on to."""

    model_config = ConfigDict(populate_by_name=True)

    from_: list[Slug] = Field(default=[], alias="from")
    to: list[Slug] = []


class MaterialTable(_Model):
    """A small table handed to the candidate: a plan, a backlog, a data sample."""

    columns: Annotated[list[Line], Field(min_length=1, max_length=8)]
    rows: Annotated[list[list[Line]], Field(min_length=1, max_length=40)]

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
    text: Text | None = None  #: paragraphs, separated by blank lines
    table: MaterialTable | None = None
    code: Code | None = None
    language: Slug | None = None  #: the code's language, e.g. sql or python

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
    brief: Text  #: the scenario, as the candidate reads it
    materials: Annotated[list[Material], Field(max_length=8)] = []
    timing: Line  #: how the time is spent, e.g. "10 minutes to read, 20 to plan, 15 to present"
    #: minutes of the interview the exercise takes; by default what the stage's questions leave
    minutes: Minutes | None = None
    deliverable: Text  #: what the candidate hands in or presents
    share_in_advance: bool = False  #: true: the candidate guide includes the brief and materials
    #: what a strong response shows, by focus competency id; for evaluators only
    key: Annotated[dict[Slug, Annotated[list[Line], Field(min_length=1)]], Field(min_length=1)]


class Stage(_Model):
    """One interview of the loop."""

    id: Slug
    name: Line
    minutes: Minutes
    interviewers: Line
    purpose: Text | None = None
    prepare: list[Line] = []  #: advice for the candidate guide; derived from question types if empty
    focus: Annotated[list[Slug], Field(min_length=1)]
    #: true: this stage asks the company's screening questions (by default the first stage does)
    screening: bool = False
    exercise: Exercise | None = None


class Role(_Model):
    """One role profile; the file stem is its id."""

    title: Line
    aliases: list[Slug] = []
    family: Slug | None = None
    summary: Text
    about: Text
    default_level: Slug
    levels: Annotated[dict[Slug, RoleLevel], Field(min_length=1)]
    employment_type: EmploymentType = "FULL_TIME"
    location: Location | None = None
    locations: list[Slug] = []  #: ids of jdgen.yaml `locations`, each a posting of its own; wins over `location`
    closes_on: Date | None = None  #: the day applications close
    vacancy: Literal["existing", "future"] | None = None
    onet: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$")] | None = None
    date_posted: Date | None = None
    responsibilities: list[Line] = []
    requirements: list[Line] = []
    nice_to_have: list[Line] = []
    competencies: Annotated[list[RoleCompetency], Field(min_length=1, max_length=10)]
    differs_from: list[Difference] = []
    career_path: CareerPath = CareerPath()
    interview_loop: Annotated[list[Stage], Field(min_length=1)]
