"""The table of pay-transparency laws: its records as typed models, read once from the packaged YAML."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..errors import JdgenError, Problem
from ..models import Line, Slug, Text
from ..schema_errors import suggest, validate_model
from ..values import Amount, Date, read_amount
from ..workspace import SourceFile, read_yaml
from . import places

#: The packaged table; messages show it relative to the folder holding the `generator` package.
DATA_PATH = Path(__file__).resolve().parent / "data" / "laws.yaml"
_PACKAGE_PARENT = DATA_PATH.parents[3]

RequirementName = Literal[
    "pay_range",
    "benefits",
    "other_pay",
    "closes_on",
    "ai_disclosure",
    "vacancy_status",
    "no_pay_history_question",
    "no_local_experience_requirement",
    "gender_neutral_title",
]
REQUIREMENTS: tuple[str, ...] = get_args(RequirementName)
Counted = Literal["anywhere", "in_jurisdiction"]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class LawDataError(JdgenError):
    """jdgen's table of pay laws breaks its own data model; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [*(str(p) for p in self.problems), f"jdgen: {len(self.problems)} {noun} in the table of pay laws"]
        super().__init__("\n".join(lines))


class _Model(BaseModel):
    # the same contract as the workspace models: unknown keys and YAML 1.1 surprises are errors
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class MaxWidth(_Model):
    """The widest pay range a law allows, and the top of the range above which the limit lapses."""

    amount: Amount
    currency: Currency
    lapses_above: Amount | None = None

    @field_validator("amount", "lapses_above", mode="before")
    @classmethod
    def _read_amount(cls, value: Any) -> Decimal:
        return read_amount(value)

    @model_validator(mode="after")
    def _check_lapse(self) -> MaxWidth:
        if self.lapses_above is not None and self.lapses_above <= self.amount:
            raise ValueError(f"lapses_above ({self.lapses_above}) must be above the width ({self.amount})")
        return self


class Terms(_Model):
    """What qualifies one requirement of a law; both parts are optional."""

    since: Date | None = None  #: the requirement binds from this date (an amendment), not from `in_force`
    max_width: MaxWidth | None = None  #: pay_range only


class Requirement(_Model):
    """One requirement of a law, from the fixed vocabulary, with its terms."""

    name: RequirementName
    since: Date | None = None
    max_width: MaxWidth | None = None


def _as_mapping(item: Any) -> Any:
    """Read `pay_range` as `{pay_range: null}`, and refuse a name outside the vocabulary with a suggestion."""
    mapping = {item: None} if isinstance(item, str) else item
    if not isinstance(mapping, dict):
        return mapping  # pydantic says what it got instead
    if len(mapping) != 1:
        raise ValueError("write one requirement per list item, e.g. `- pay_range` or `- {closes_on: {since: ...}}`")
    name = next(iter(mapping))
    if name not in REQUIREMENTS:
        raise ValueError(
            f"unknown requirement '{name}'{suggest(str(name), REQUIREMENTS)}; use one of {', '.join(REQUIREMENTS)}"
        )
    return mapping


#: A list item of `requires`: a name, or a name with its terms (`{pay_range: {max_width: {...}}}`).
RequirementItem = Annotated[dict[RequirementName, Terms | None], BeforeValidator(_as_mapping)]


class Place(_Model):
    """Where a law applies: one country or several, optionally narrowed to a region and a locality."""

    country: CountryCode | None = None
    countries: list[CountryCode] | None = None  #: for a law of several countries (the EU directive)
    region: str | None = None  #: an ISO 3166-2 code such as US-CO
    locality: Line | None = None  #: a city, matched by name within the region
    locality_aliases: list[Line] = []  #: other names postings use for the locality ("NYC", "Brooklyn")

    @field_validator("country")
    @classmethod
    def _check_country(cls, country: str | None) -> str | None:
        if country is not None and not places.is_country(country):
            raise ValueError(f"'{country}' is not an ISO 3166-1 alpha-2 country code")
        return country

    @field_validator("countries")
    @classmethod
    def _check_countries(cls, countries: list[str] | None) -> list[str] | None:
        unknown = [code for code in countries or () if not places.is_country(code)]
        if unknown:
            raise ValueError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}")
        if countries is not None and len(set(countries)) != len(countries):
            raise ValueError("a country is listed twice; list each once")
        return countries

    @field_validator("region")
    @classmethod
    def _check_region(cls, region: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if region is not None and (country is None or not region.startswith(f"{country}-")):
            raise ValueError(f"'{region}' must be an ISO 3166-2 code in the record's one country, e.g. US-CO")
        if region is not None and not places.is_region(region):
            raise ValueError(f"'{region}' is not an ISO 3166-2 subdivision code")
        return region

    @model_validator(mode="after")
    def _check_place(self) -> Place:
        if (self.country is None) == (self.countries is None):
            raise ValueError("give either `country` or `countries`")
        if self.locality is None and self.locality_aliases:
            raise ValueError("locality_aliases need a locality")
        if self.locality is not None and self.region is None:
            raise ValueError("a locality needs its region, so Columbus, Ohio is not taken for Columbus, Georgia")
        return self

    @property
    def country_codes(self) -> frozenset[str]:
        """Return the countries the law applies in."""
        return frozenset(self.countries or (self.country or "",))


class Threshold(_Model):
    """The employer size from which a law applies, and where employees are counted."""

    employees: Annotated[int, Field(ge=1)]
    counted: Counted


class Law(_Model):
    """One pay-transparency law: where and from when it applies, to whom, and what a posting must hold."""

    id: Slug
    name: Line
    jurisdiction: Line  #: how messages name the place: "Colorado", "Columbus, Ohio", "the European Union"
    applies_in: Place
    in_force: Date
    enforced_from: Date | None = None  #: fines start later than `in_force`
    threshold: Threshold
    covers_remote: bool  #: covers remote work that could be done in the place
    requires: Annotated[list[RequirementItem], Field(min_length=1)]
    source: Line  #: the citation
    verified: Date  #: when the record was last checked against its source
    notes: Text | None = None  #: where sources disagree, or what the record leaves out

    @field_validator("enforced_from")
    @classmethod
    def _check_enforced(cls, enforced_from: Any, info: ValidationInfo) -> Any:
        in_force = info.data.get("in_force")
        if enforced_from is not None and in_force is not None and enforced_from < in_force:
            raise ValueError(f"{enforced_from} is before in_force ({in_force}); fines cannot start before the law")
        return enforced_from

    @field_validator("requires")
    @classmethod
    def _check_requires(cls, requires: list[dict[str, Terms | None]], info: ValidationInfo) -> Any:
        names = [next(iter(item)) for item in requires]
        if twice := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"{', '.join(twice)} listed more than once; list each requirement once")
        in_force = info.data.get("in_force")
        for item in requires:
            name, terms = next(iter(item.items()))
            if terms is not None and terms.max_width is not None and name != "pay_range":
                raise ValueError(f"max_width belongs to pay_range, not {name}")
            if terms is not None and terms.since is not None and in_force is not None and terms.since < in_force:
                raise ValueError(f"{name}: since ({terms.since}) is before in_force ({in_force})")
        return requires

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """Return the requirements, each with its terms, in the order the record lists them."""
        found = []
        for item in self.requires:
            name, terms = next(iter(item.items()))
            terms = terms or Terms()
            found.append(Requirement(name=name, since=terms.since, max_width=terms.max_width))
        return tuple(found)


class LawTable(_Model):
    """The whole data file."""

    laws: Annotated[list[Law], Field(min_length=1)]


def read_laws(path: Path, root: Path) -> tuple[Law, ...]:
    """Read and validate a table of laws; raise LawDataError listing every located problem."""
    source, problems = read_yaml(path, root)
    table = None
    if not problems:
        table, problems = validate_model(LawTable, source)
    if table is not None:
        problems = _duplicate_ids(table, source)
    if problems or table is None:
        raise LawDataError(problems)
    return tuple(table.laws)


@cache
def load_laws() -> tuple[Law, ...]:
    """Return the laws jdgen ships, read and validated once per process."""
    return read_laws(DATA_PATH, _PACKAGE_PARENT)


def _duplicate_ids(table: LawTable, source: SourceFile) -> list[Problem]:
    """Refuse two records with one id; the second is located, naming the line of the first."""
    first: dict[str, int] = {}
    problems = []
    for index, law in enumerate(table.laws):
        if law.id in first:
            line = source.line(("laws", first[law.id], "id"))
            problems.append(source.problem(("laws", index, "id"), f"duplicate id '{law.id}' (first at line {line})"))
        else:
            first[law.id] = index
    return problems
