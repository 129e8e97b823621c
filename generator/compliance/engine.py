"""Say which pay-transparency laws bind a posting, and which of their requirements it breaks."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from . import places

if TYPE_CHECKING:
    from .laws import Law, MaxWidth, Requirement

WorkModel = Literal["onsite", "hybrid", "remote"]
Status = Literal["applies", "not_applicable", "coming"]
#: A law that comes into force this many days or fewer after the posting date is `coming`, a warning.
COMING_DAYS = 90
_PERIODS = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}


@dataclass(frozen=True)
class PayRange:
    """The pay a posting states, as stated: no conversion between currencies or periods."""

    min: Decimal
    max: Decimal
    currency: str  #: ISO 4217, e.g. CAD
    period: str = "year"  #: hour | day | week | month | year


@dataclass(frozen=True)
class TextField:
    """One piece of posting text to scan, with where it was written."""

    field: str  #: e.g. "requirements[2]" or "hiring.screening[0].text"
    text: str


@dataclass(frozen=True)
class PostingFacts:
    """Everything the engine needs to know about one posting at one location."""

    location_id: str  #: the id in jdgen.yaml `locations`, named in fixes
    country: str  #: ISO 3166-1 alpha-2
    region: str | None  #: ISO 3166-2, resolved with places.resolve_region; None: anywhere in the country
    locality: str | None
    work_model: WorkModel
    date_posted: datetime.date
    title: str
    pay: PayRange | None = None  #: None: the posting states no pay
    has_benefits: bool = False
    other_pay: tuple[str, ...] = ()  #: bonus, commission, equity lines
    closes_on: datetime.date | None = None
    ai_screening: bool = False
    ai_statement: bool = False  #: the posting carries hiring.ai_statement
    vacancy: Literal["existing", "future"] | None = None
    texts: tuple[TextField, ...] = ()  #: scanned for pay-history questions and local-experience requirements
    employees: int | None = None  #: company headcount anywhere; None: not given
    employees_in: Mapping[str, int] = field(default_factory=dict)  #: headcount by ISO 3166-2 code


@dataclass(frozen=True)
class RequirementCheck:
    """Whether a posting meets one requirement of a law, why, and how to fix it."""

    requirement: str
    met: bool
    detail: str
    fix: str = ""  #: empty when met


@dataclass(frozen=True)
class LawVerdict:
    """What one law means for one posting."""

    law: Law
    status: Status
    reason: str  #: place, date and employer size, in plain words
    assumed_headcount: bool  #: the company gave no headcount the law counts, so jdgen assumed it is covered
    checks: tuple[RequirementCheck, ...] = ()  #: empty when the law does not apply

    @property
    def unmet(self) -> tuple[RequirementCheck, ...]:
        """Return the requirements the posting breaks."""
        return tuple(check for check in self.checks if not check.met)

    def as_dict(self) -> dict[str, Any]:
        """Return the verdict as plain values, for `jdgen laws --format json`."""
        return {
            "law": self.law.id,
            "name": self.law.name,
            "source": self.law.source,
            "verified": self.law.verified.isoformat(),
            "status": self.status,
            "reason": self.reason,
            "assumed_headcount": self.assumed_headcount,
            "checks": [
                {"requirement": c.requirement, "met": c.met, "detail": c.detail, "fix": c.fix} for c in self.checks
            ],
        }


def evaluate(facts: PostingFacts, laws: Sequence[Law] | None = None) -> tuple[LawVerdict, ...]:
    """Return a verdict for every law of the posting's country (the packaged table unless `laws` is given)."""
    if laws is None:
        from .laws import load_laws

        laws = load_laws()
    # laws of other countries are not considered: a Toronto posting need not list Ohio's cities
    return tuple(_verdict(facts, law) for law in laws if facts.country in law.applies_in.country_codes)


@dataclass(frozen=True)
class _Finding:
    ok: bool
    words: str
    assumed: bool = False


def _verdict(facts: PostingFacts, law: Law) -> LawVerdict:
    """Judge place, then date, then employer size; the first that fails says why the law does not apply."""
    place = _place(facts, law)
    if not place.ok:
        return LawVerdict(law, "not_applicable", place.words, False)
    status, when = _timing(facts.date_posted, law)
    if status == "not_applicable":
        return LawVerdict(law, status, f"{place.words}; {when}", False)
    size = _size(facts, law)
    reason = f"{place.words}; {when}; {size.words}"
    if not size.ok:
        return LawVerdict(law, "not_applicable", reason, False)
    # a requirement an amendment added later than the posting date is not checked
    current = [r for r in law.requirements if r.since is None or r.since <= facts.date_posted]
    return LawVerdict(law, status, reason, size.assumed, tuple(_CHECKS[r.name](facts, r) for r in current))


def _place(facts: PostingFacts, law: Law) -> _Finding:
    """Say whether the posting's place is one the law covers."""
    where, name = law.applies_in, law.jurisdiction
    remote = facts.work_model == "remote"
    if where.region is None:  # a law of a whole country, or of several
        return _Finding(True, _area(facts) + (f", within {name}" if where.countries else ""))
    if facts.region is None:
        if remote:
            return _remote_finding(law, _area(facts))
        country = places.country_name(facts.country)
        # not a finding that the job is elsewhere: validation warns that the region is missing
        return _Finding(False, f"the posting names no region of {country}, so jdgen cannot place it in {name}")
    if facts.region != where.region:
        return _Finding(False, f"the job is in {places.region_name(facts.region)}, not {name}")
    if where.locality is None:
        return _Finding(True, f"the job is in {name}")
    if facts.locality is None:
        if remote:
            return _remote_finding(law, _area(facts))
        return _Finding(False, f"the posting names no city in {places.region_name(where.region)}, so not {name}")
    known = {places.fold(n) for n in (where.locality, *where.locality_aliases)}
    if places.fold(facts.locality) in known:
        return _Finding(True, f"the job is in {name}")
    return _Finding(False, f"the job is in {facts.locality}, not {name}")


def _area(facts: PostingFacts) -> str:
    """Name where the work may be done, for a reason: "the job is remote from anywhere in Ohio"."""
    if facts.region is None:
        where = f"the country ({places.country_name(facts.country)})"
    elif facts.locality is None:
        where = places.region_name(facts.region)
    else:
        return f"the job is in {facts.locality}, {places.region_name(facts.region)}"
    if facts.work_model == "remote":
        return f"the job is remote from anywhere in {where}"
    return f"the job is in {where}" if facts.region else f"the job is in {places.country_name(facts.country)}"


def _remote_finding(law: Law, where: str) -> _Finding:
    """Decide for remote work that could be done anywhere in an area holding the law's place."""
    if law.covers_remote:
        return _Finding(True, f"{where}, and {law.jurisdiction}'s law covers remote work that could be done there")
    return _Finding(False, f"{where}, but jdgen's record of {law.jurisdiction}'s law covers only jobs placed there")


def _timing(posted: datetime.date, law: Law) -> tuple[Status, str]:
    """Place the posting date against the law's dates.

    A law in force whose fines start later is `coming` however far off the fines are: it binds the
    posting already, so calling it inapplicable would be wrong, and failing the build before anyone
    can be fined would be stricter than the design's warning.
    """
    if posted < law.in_force:
        days = (law.in_force - posted).days
        if days > COMING_DAYS:
            return "not_applicable", f"it comes into force on {law.in_force}, over {COMING_DAYS} days after {posted}"
        return "coming", f"it comes into force on {law.in_force}, {_days(days)} after the posting date"
    if law.enforced_from is not None and posted < law.enforced_from:
        days = _days((law.enforced_from - posted).days)
        return "coming", f"in force since {law.in_force}; fines start on {law.enforced_from}, {days} after posting"
    return "applies", f"in force since {law.in_force}"


def _size(facts: PostingFacts, law: Law) -> _Finding:
    """Say whether the company meets the law's threshold; a headcount not given is assumed to meet it."""
    need = law.threshold.employees
    if law.threshold.counted == "anywhere":
        if need <= 1:
            return _Finding(True, "it covers employers of every size")
        if facts.employees is not None:
            return _compare(facts.employees, need, f"the company has {facts.employees} employees")
        listed = sum(facts.employees_in.values())
        if listed >= need:  # the counts by place add up to at least the threshold, whatever the total
            return _Finding(True, f"the company counts {listed} employees in the places it lists, at least {need}")
        return _Finding(True, f"the company gave no headcount, so jdgen assumed it meets the threshold of {need}", True)
    return _size_in_place(facts, law, need)


def _size_in_place(facts: PostingFacts, law: Law, need: int) -> _Finding:
    """Judge a law that counts only employees in its own place, by the code of its region."""
    region = law.applies_in.region or ""
    region_name = places.region_name(region)
    here = "the city" if law.applies_in.locality else region_name
    counts = f"{law.jurisdiction}'s law counts employees in {here}"
    local = facts.employees_in.get(region)
    if local is not None and law.applies_in.locality is None:
        return _compare(local, need, f"{counts}; the company has {local} there")
    # a count for the region, or the total, is an upper bound: below the threshold, the place is too
    bound, of = (local, f"in {region_name}") if local is not None else (facts.employees, "in all")
    if bound is not None and bound < need:
        return _Finding(False, f"{counts}; the company has {bound} {of}, so fewer than the threshold of {need} there")
    assumed = f"{counts}; the company gave no count there, so jdgen assumed it meets the threshold of {need}"
    return _Finding(True, assumed, assumed=True)


def _compare(count: int, need: int, words: str) -> _Finding:
    if count >= need:
        return _Finding(True, f"{words}, at least the threshold of {need}")
    return _Finding(False, f"{words}, below the threshold of {need}")


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _money(currency: str, amount: Decimal) -> str:
    return f"{currency} {amount:,}"


def _range(pay: PayRange) -> str:
    period = _PERIODS.get(pay.period, f"per {pay.period}")
    return f"{pay.currency} {pay.min:,}–{pay.max:,} {period}"


def _met(requirement: Requirement, detail: str) -> RequirementCheck:
    return RequirementCheck(requirement.name, True, detail)


def _broken(requirement: Requirement, detail: str, fix: str) -> RequirementCheck:
    return RequirementCheck(requirement.name, False, detail, fix)


def _check_pay_range(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    if facts.pay is None:
        fix = f"give the level a salary with both min and max (or salary_by_location.{facts.location_id})"
        return _broken(requirement, "the posting states no pay range", fix)
    if requirement.max_width is not None:
        return _check_width(requirement, requirement.max_width, facts.pay, facts.location_id)
    return _met(requirement, f"the posting states {_range(facts.pay)}")


def _check_width(requirement: Requirement, limit: MaxWidth, pay: PayRange, location_id: str) -> RequirementCheck:
    """Check the range's width as stated, hourly or yearly; only a range in the limit's currency can be checked."""
    allowed = _money(limit.currency, limit.amount)
    where = f"salary_by_location.{location_id} of the level"
    if pay.currency != limit.currency:
        # not met rather than passed unseen: jdgen converts no currencies, and a guess would hide a breach
        detail = f"the range is in {pay.currency}, so jdgen cannot check the law's limit of {allowed} on its width"
        return _broken(requirement, detail, f"state the range in {limit.currency} in {where}")
    if limit.lapses_above is not None and pay.max > limit.lapses_above:
        top = _money(limit.currency, limit.lapses_above)
        return _met(requirement, f"{_range(pay)}: the top is above {top}, so the width limit of {allowed} lapses")
    width = _money(pay.currency, pay.max - pay.min)
    if pay.max - pay.min > limit.amount:
        example = f"{_money(pay.currency, pay.min)}–{pay.min + limit.amount:,}"
        fix = f"narrow the range to at most {allowed} (e.g. {example}) in {where}"
        return _broken(requirement, f"{_range(pay)} is {width} wide, more than the {allowed} allowed", fix)
    return _met(requirement, f"{_range(pay)} is {width} wide, within {allowed}")


def _check_benefits(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    if facts.has_benefits:
        return _met(requirement, "the posting describes the benefits")
    return _broken(requirement, "the posting describes no benefits", "list them under company.benefits in jdgen.yaml")


def _check_other_pay(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    # the laws ask for a description of the other pay that is offered; when none is listed there may be none
    if facts.other_pay:
        return _met(requirement, f"the posting names other pay: {'; '.join(facts.other_pay)}")
    return _met(requirement, "the level lists no bonus, commission or equity; if it offers any, list it in other_pay")


def _check_closes_on(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    example = facts.date_posted + datetime.timedelta(days=30)
    if facts.closes_on is None:
        fix = f"set closes_on in the role file to the day applications close, e.g. closes_on: {example}"
        return _broken(requirement, "the posting does not say when applications close", fix)
    if facts.closes_on < facts.date_posted:
        detail = f"applications close on {facts.closes_on}, before the posting date {facts.date_posted}"
        return _broken(requirement, detail, f"set closes_on in the role file to a later day, e.g. {example}")
    return _met(requirement, f"applications close on {facts.closes_on}")


def _check_ai_disclosure(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    if not facts.ai_screening:
        return _met(requirement, "no AI tools screen, assess or rank applicants (hiring.ai_screening)")
    if facts.ai_statement:
        return _met(requirement, "the posting says how AI is used to screen applicants")
    detail = "AI tools screen applicants (hiring.ai_screening: true), but the posting does not say so"
    return _broken(requirement, detail, "write hiring.ai_statement in jdgen.yaml: how AI screens or selects applicants")


def _check_vacancy(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    if facts.vacancy is not None:
        article = "an" if facts.vacancy == "existing" else "a"
        return _met(requirement, f"the posting says it is for {article} {facts.vacancy} vacancy")
    detail = "the posting does not say whether it is for an existing vacancy"
    return _broken(requirement, detail, "set vacancy: existing or vacancy: future in the role file")


#: Questions about what a candidate is or was paid; pay expectations may still be asked.
_PAY_HISTORY = re.compile(
    r"\b(salary|pay|wage|compensation|earnings|remuneration)\s+history\b"
    r"|\b(current|previous|prior|past|last|present)\s+(base\s+)?(salary|pay|wages?|compensation|earnings|remuneration)\b"
    r"|\b(how much|what) (do|did) you (currently )?(make|earn|get paid)\b",
    re.IGNORECASE,
)
#: "Canadian experience" is the phrase Ontario's law names; local and domestic experience mean the same.
_LOCAL_EXPERIENCE = re.compile(
    r"\b(canadian|local|domestic)\s+(work\s+|job\s+)?experience\b|\bexperience\s+(working\s+)?in\s+canada\b",
    re.IGNORECASE,
)
#: A sentence that says the question is not asked ("we never ask about salary history") is no question.
_NEGATION = re.compile(r"\b(not|never|no|don't|won't|without)\b", re.IGNORECASE)
#: English job words that name a gender; the posting lint checks the rest of the text.
_GENDERED_TITLE = re.compile(
    r"\b(chair|sales|fore|crafts|business|spokes|work|repair|handy|camera|delivery|door|fire|police|post|"
    r"middle|journey|news|trades)(man|men|woman|women)\b|\b(waitress|hostess|stewardess|actress|headmistress|"
    r"headmaster)\b",
    re.IGNORECASE,
)


def _find(pattern: re.Pattern[str], texts: Sequence[TextField]) -> tuple[TextField, str] | None:
    """Return the first text field `pattern` finds in, with the sentence, skipping negated sentences."""
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text.text):
            found = pattern.search(sentence)
            if found and not _NEGATION.search(sentence[: found.start()]):
                return text, sentence.strip()
    return None


def _check_pay_history(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    found = _find(_PAY_HISTORY, facts.texts)
    if found is None:
        return _met(requirement, "the posting asks nothing about pay history")
    text, sentence = found
    fix = f"remove the question from {text.field}; asking what pay the candidate expects is allowed"
    return _broken(requirement, f"{text.field} asks about pay history: “{sentence}”", fix)


def _check_local_experience(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    found = _find(_LOCAL_EXPERIENCE, facts.texts)
    if found is None:
        return _met(requirement, "the posting asks for no local experience")
    text, sentence = found
    fix = f"remove the local-experience condition from {text.field}; name the skill it stands for"
    return _broken(requirement, f"{text.field} asks for local experience: “{sentence}”", fix)


def _check_title(facts: PostingFacts, requirement: Requirement) -> RequirementCheck:
    found = _GENDERED_TITLE.search(facts.title)
    if found is None:
        return _met(requirement, f"the title “{facts.title}” names no gender")
    detail = f"the title “{facts.title}” names a gender (“{found.group()}”)"
    return _broken(requirement, detail, "give the level a gender-neutral title")


#: One check per requirement of the vocabulary; a new requirement is one function and one line here.
_CHECKS: dict[str, Callable[[PostingFacts, Requirement], RequirementCheck]] = {
    "pay_range": _check_pay_range,
    "benefits": _check_benefits,
    "other_pay": _check_other_pay,
    "closes_on": _check_closes_on,
    "ai_disclosure": _check_ai_disclosure,
    "vacancy_status": _check_vacancy,
    "no_pay_history_question": _check_pay_history,
    "no_local_experience_requirement": _check_local_experience,
    "gender_neutral_title": _check_title,
}
