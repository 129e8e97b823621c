"""View models: everything a template needs for one document, computed, typed, no I/O."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Location, Salary
from .slugs import heading_slug


@dataclass(frozen=True)
class Place:
    """One place a role is posted in; each is a posting of its own."""

    id: str | None  #: the jdgen.yaml `locations` id; None for a role posted at its (or the company's) location
    location: Location
    split: bool = False  #: the role is posted in several places, so this one has a folder of its own

    @property
    def folder(self) -> str | None:
        """Return the subfolder of the role's folder the posting goes in, if it has one."""
        return self.id if self.split else None


@dataclass(frozen=True)
class Neighbour:
    """A role people confuse this one with, and how they differ."""

    title: str
    how: str


@dataclass(frozen=True)
class HiringStep:
    """One interview stage as the posting announces it: no questions, only what it assesses."""

    name: str
    minutes: int
    assesses: tuple[str, ...]


@dataclass(frozen=True)
class PostingDoc:
    """The job posting of one role at one level."""

    role_id: str
    level_id: str
    title: str
    level_name: str
    location: str
    employment_type: str
    summary: str
    about: tuple[str, ...]  #: paragraphs
    neighbours: tuple[Neighbour, ...]
    will_do: tuple[str, ...]
    must_have: tuple[str, ...]
    nice_to_have: tuple[str, ...]
    pay: str
    benefits: tuple[str, ...]
    hiring_steps: tuple[HiringStep, ...]
    company_name: str
    company_about: tuple[str, ...]  #: paragraphs
    eeo_statement: str
    apply_url: str | None
    website: str | None
    onet: str | None  #: O*NET-SOC occupation code
    place: Place
    salary: Salary  #: the pay at this place, which `pay` shows
    other_pay: tuple[str, ...] = ()  #: bonus, commission, equity lines shown after the pay
    closes_on: str | None = None  #: e.g. "31 January 2027"
    ai_statement: str | None = None  #: how AI tools screen applicants, when they do
    scope: str | None = None  #: the scope the level carries, in one line
    #: the requirements the screening's knock-out questions check, as the posting states them
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaterialView:
    """One piece of exercise material, ready for a template: text, a table or code."""

    title: str
    paragraphs: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    code: str | None = None
    language: str = ""


@dataclass(frozen=True)
class KeyEntry:
    """What a strong response to an exercise shows for one competency: evaluators only."""

    name: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseView:
    """A stage's exercise as documents show it; the guide never receives `key`."""

    title: str
    brief: tuple[str, ...]  #: paragraphs
    materials: tuple[MaterialView, ...]
    timing: str
    minutes: int  #: minutes of the interview it takes
    deliverable: str
    share_in_advance: bool
    key: tuple[KeyEntry, ...] = ()


@dataclass(frozen=True)
class GuideStage:
    """One interview as the candidate guide presents it: never a question or a rubric."""

    number: int
    name: str
    minutes: int
    interviewers: str
    assesses: tuple[str, ...]
    question_types: tuple[str, ...]  #: "behavioral", "situational", "technical": how to prepare
    prepare: tuple[str, ...]  #: the role's own advice, when it gives some
    screening: tuple[str, ...] = ()  #: the screening questions this stage asks, word for word
    exercise: ExerciseView | None = None  #: without its key; brief and materials only when shared in advance


@dataclass(frozen=True)
class CandidateGuideDoc:
    """What a candidate is told about the interview loop of one role at one level."""

    role_id: str
    level_id: str
    title: str
    company_name: str
    total_minutes: int
    closing_minutes: int  #: kept at the end of every interview for the candidate's questions
    question_types: tuple[str, ...]  #: every kind of question the loop uses
    stages: tuple[GuideStage, ...]
    level_name: str = ""
    scope: str | None = None  #: the scope the level carries


@dataclass(frozen=True)
class RubricAnchor:
    """One point of the rating scale with its behavioural anchor."""

    score: int
    label: str
    anchor: str


#: How every writer tells a kit's scorecard by its shape: three columns, the last headed this.
SCORECARD_LAST_HEADER = "Evidence"
#: A table of at most this many rows (a rubric, a scorecard) is kept on one page in print; longer ones
#: may break between rows.
KEEP_TOGETHER_ROWS = 8


@dataclass(frozen=True)
class KitQuestion:
    """A question with the interviewer's notes."""

    id: str
    type: str
    text: str
    minutes: int
    probes: tuple[str, ...]
    look_for: tuple[str, ...]
    red_flags: tuple[str, ...]


@dataclass(frozen=True)
class KitBlock:
    """One competency as a stage assesses it."""

    id: str
    name: str
    emphasis: str
    description: str
    expectation: str
    questions: tuple[KitQuestion, ...]
    rubric: tuple[RubricAnchor, ...]
    frameworks: str  #: e.g. "SFIA PRMG · PMI Ways of Working"; empty when the competency cites none


@dataclass(frozen=True)
class ScreeningItem:
    """A screening question the recruiter asks word for word."""

    text: str
    knockout: bool
    note: str | None


@dataclass(frozen=True)
class AgendaItem:
    """A slice of a stage's time."""

    label: str
    minutes: int


@dataclass(frozen=True)
class KitStage:
    """One interview of the loop as the interviewer runs it."""

    number: int
    name: str
    minutes: int
    interviewers: str
    purpose: str
    agenda: tuple[AgendaItem, ...]
    blocks: tuple[KitBlock, ...]
    screening: tuple[ScreeningItem, ...] = ()
    exercise: ExerciseView | None = None

    @property
    def anchor(self) -> str:
        """Return the anchor of the stage's heading, "Stage N: name", for links to it."""
        return heading_slug(f"Stage {self.number}: {self.name}")


@dataclass(frozen=True)
class CoverageRow:
    """Which stages assess one competency."""

    name: str
    emphasis: str
    marks: tuple[bool, ...]  #: one per stage, in loop order

    @property
    def count(self) -> int:
        """Return how many stages assess the competency."""
        return sum(self.marks)


@dataclass(frozen=True)
class InterviewKitDoc:
    """The interview kit of one role at one level."""

    role_id: str
    level_id: str
    title: str
    level_name: str
    sfia_level: int | None
    total_minutes: int
    scale: tuple[tuple[int, str], ...]
    stage_names: tuple[str, ...]
    coverage: tuple[CoverageRow, ...]
    stages: tuple[KitStage, ...]
    off_limits: tuple[str, ...]  #: topics interviewers must never raise, as the guidance names them
    hire_bar: tuple[str, ...] = ()  #: what a hire needs at this level, one sentence per condition
    scope: str | None = None  #: the scope the level carries
    #: the overall recommendation each interviewer chooses one of, from the lowest
    recommendations: tuple[str, ...] = ("Strong no", "No", "Yes", "Strong yes")


@dataclass(frozen=True)
class LevelRow:
    """One level of a role, for the comparison."""

    name: str
    title: str
    pay: str


@dataclass(frozen=True)
class CompareSide:
    """One of the two roles being compared."""

    id: str
    title: str
    summary: str
    differs: str | None  #: how this role differs from the other, in its own words
    levels: tuple[LevelRow, ...]
    hiring_steps: tuple[HiringStep, ...]
    comes_from: tuple[str, ...]  #: titles of roles people move from
    leads_to: tuple[str, ...]  #: titles of roles people move on to


@dataclass(frozen=True)
class CompareRow:
    """One competency of either role: which role needs it, and how much."""

    name: str
    area: str
    a: str  #: "core", "supporting" or "" when role A does not need it
    b: str
    where: str  #: "both", "only A", "only B"


@dataclass(frozen=True)
class ComparisonDoc:
    """Two roles side by side."""

    a: CompareSide
    b: CompareSide
    rows: tuple[CompareRow, ...]
    shared: int
    only_a: int
    only_b: int


@dataclass(frozen=True)
class IndexEntry:
    """One posting as the careers index lists it."""

    title: str
    level_name: str
    location: str
    pay: str
    folder: str  #: the posting's folder under out/


@dataclass(frozen=True)
class IndexDoc:
    """Every posting of a full build, for the careers site."""

    company_name: str
    intro: str
    jobs: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class LevelSide:
    """One level of a role, for the level comparison."""

    id: str
    name: str
    title: str
    summary: str
    scope: str | None
    hire_bar: tuple[str, ...]


@dataclass(frozen=True)
class LineChange:
    """A posting line, and at which of the two levels it appears."""

    text: str
    where: str  #: "both", "only A", "only B"


@dataclass(frozen=True)
class ExpectationRow:
    """One competency's expectation at both levels."""

    name: str
    emphasis: str
    a: str
    b: str

    @property
    def same(self) -> bool:
        """Return whether the two levels expect the same."""
        return self.a == self.b


@dataclass(frozen=True)
class AnchorChange:
    """One competency's rubric at both levels: rows of (score, label, anchor at A, anchor at B)."""

    name: str
    emphasis: str
    rows: tuple[tuple[int, str, str, str], ...]

    @property
    def same(self) -> bool:
        """Return whether both levels use the same anchors."""
        return all(a == b for _, _, a, b in self.rows)


@dataclass(frozen=True)
class PayRow:
    """Pay at both levels in one place."""

    place: str
    a: str
    b: str


@dataclass(frozen=True)
class LevelComparisonDoc:
    """Two levels of one role: what changes from one to the other."""

    role_id: str
    role_title: str
    a: LevelSide
    b: LevelSide
    responsibilities: tuple[LineChange, ...]
    must_haves: tuple[LineChange, ...]
    expectations: tuple[ExpectationRow, ...]
    anchors: tuple[AnchorChange, ...]
    pay: tuple[PayRow, ...]


@dataclass(frozen=True)
class FeedEntry:
    """One posting in one place, as every job-board feed lists it; built from the posting and its page."""

    reference: str  #: unique per posting and place and stable across builds, e.g. "tpm-mid-columbus"
    requisition: str  #: the role and level, shared by its places, e.g. "tpm-mid"
    title: str  #: the job title only: never pay or place
    level_name: str
    company: str
    company_url: str | None
    url: str | None  #: the posting's page, when publish.base_url is set
    apply_url: str | None
    date_posted: datetime.date
    valid_through: datetime.date  #: closes_on, else date_posted + publish.valid_days
    description_html: str  #: the posting's body as HTML
    locality: str | None
    region_code: str | None  #: the ISO 3166-2 subdivision without the country, e.g. "OH"
    region_name: str | None  #: e.g. "Ohio"
    country: str  #: ISO 3166-1 alpha-2
    work_model: str  #: onsite | hybrid | remote
    employment_type: str  #: schema.org value, e.g. FULL_TIME
    salary: Salary
    onet: str | None


@dataclass(frozen=True)
class FeedContext:
    """What a feed says about itself: who publishes it and when it was built."""

    publisher: str
    publisher_url: str | None
    built_at: datetime.datetime  #: SOURCE_DATE_EPOCH when set, else the newest posting date at midnight UTC
    language: str  #: e.g. "en"


@dataclass(frozen=True)
class PageFacts:
    """What a posting's web page and the feeds say beyond its text: address, dates, and whether it is open."""

    url: str | None  #: the page's public address, when publish.base_url is set
    date_posted: datetime.date
    valid_through: datetime.date
    closed: bool  #: the build date is past valid_through: shown as closed, left out of the index and feeds
    json_ld: dict | None  #: the schema.org JobPosting object; None when closed
    body_html: str = ""  #: the posting as HTML, rendered once for the page, its JobPosting data and the feeds
    index_href: str | None = None  #: the careers index relative to the page, when the build writes one
    digest: str = ""  #: the digest of the posting's Markdown, which a sign-off covers


@dataclass(frozen=True)
class RenderedDoc:
    """One document rendered to Markdown, with what the other formats need to know of it."""

    name: str  #: output file stem, e.g. "posting"
    markdown: str
    title: str
    subject: str
    template: str  #: the template it came from, relative to the workspace
    keywords: str  #: document keywords: the role id and level
    view: object = None  #: the view model it was rendered from
    kind: str = ""  #: posting, interview-kit, candidate-guide or comparison; defaults to `name`
    page: PageFacts | None = None  #: a posting's page facts, once the build has worked them out

    @property
    def document(self) -> str:
        """Return which kind of document this is, for the formats that apply to it."""
        return self.kind or self.name
