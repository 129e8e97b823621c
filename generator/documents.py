"""View models: everything a template needs for one document, computed, typed, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Location, Salary


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


@dataclass(frozen=True)
class RubricAnchor:
    """One point of the rating scale with its behavioural anchor."""

    score: int
    label: str
    anchor: str


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
