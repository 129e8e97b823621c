"""Turn a validated role into document view models: pure and deterministic."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .core import Workspace
from .documents import (
    AgendaItem,
    CandidateGuideDoc,
    CompareRow,
    CompareSide,
    ComparisonDoc,
    CoverageRow,
    GuideStage,
    HiringStep,
    IndexDoc,
    IndexEntry,
    InterviewKitDoc,
    KitBlock,
    KitQuestion,
    KitStage,
    LevelRow,
    Neighbour,
    Place,
    PostingDoc,
    RubricAnchor,
    ScreeningItem,
)
from .exercise import exercise_view
from .loop import StagePlan
from .models import PMI_SIDES, Location, Salary
from .places import pay_at, role_places
from .text import one_paragraph as _one_paragraph
from .text import paragraphs

#: Fewer minutes left over after the questions than this go to the candidate's questions at the
#: end of the stage instead of an agenda row of their own.
MIN_PROBE_MINUTES = 3

_EMPLOYMENT = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}
_WORK_MODEL = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥", "INR": "₹"}
_PERIOD = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
_QUESTION_TYPE = {"behavioral": "Behavioral", "situational": "Situational", "technical": "Technical"}


def assemble_posting(workspace: Workspace, role_id: str, level_id: str, place: Place | None = None) -> PostingDoc:
    """Build the posting of `role_id` at `level_id` in `place` (by default the role's first place)."""
    role = workspace.roles[role_id]
    company = workspace.config.company
    level = role.levels[level_id]
    place = place or role_places(workspace.config, role)[0]
    salary = pay_at(workspace.config, level, place)
    hiring = workspace.config.hiring
    comps = [workspace.competencies[item.id] for item in role.competencies]
    core = [workspace.competencies[item.id] for item in role.competencies if item.emphasis == "core"]
    apply_url = company.apply_url.replace("{role}", role_id) if company.apply_url else None
    return PostingDoc(
        role_id=role_id,
        level_id=level_id,
        title=level.title,
        level_name=workspace.level_name(level_id),
        location=format_location(place.location),
        employment_type=_EMPLOYMENT[role.employment_type],
        summary=_one_paragraph(level.summary or role.summary),
        about=paragraphs(role.about),
        neighbours=tuple(Neighbour(workspace.roles[d.role].title, _one_paragraph(d.how)) for d in role.differs_from),
        will_do=tuple(c.posting for c in comps) + tuple(role.responsibilities) + tuple(level.responsibilities),
        must_have=tuple(c.requirement for c in core) + tuple(role.requirements) + tuple(level.requirements),
        nice_to_have=tuple(role.nice_to_have),
        pay=format_salary(salary),
        benefits=tuple(company.benefits),
        hiring_steps=_hiring_steps(workspace, role_id),
        company_name=company.name,
        company_about=paragraphs(company.about),
        eeo_statement=_one_paragraph(company.eeo_statement),
        apply_url=apply_url,
        website=company.website,
        onet=role.onet,
        place=place,
        salary=salary,
        other_pay=tuple(level.other_pay),
        closes_on=format_date(role.closes_on) if role.closes_on else None,
        ai_statement=_one_paragraph(hiring.ai_statement)
        if hiring and hiring.ai_screening and hiring.ai_statement
        else None,
        scope=level.scope,
        requirements=tuple(q.requirement for q in hiring.screening if q.knockout and q.requirement) if hiring else (),
    )


def assemble_kit(workspace: Workspace, role_id: str, level_id: str) -> InterviewKitDoc:
    """Build the interview kit of `role_id` at `level_id`, choosing questions by the loop rule."""
    role = workspace.roles[role_id]
    plans = workspace.loop_plans[(role_id, level_id)]
    emphasis = {item.id: item.emphasis for item in role.competencies}
    scale = tuple(sorted(workspace.config.rating_scale.items()))
    coverage = tuple(
        CoverageRow(
            name=workspace.competencies[item.id].name,
            emphasis=item.emphasis,
            marks=tuple(item.id in stage.focus for stage in role.interview_loop),
        )
        for item in role.competencies
    )
    stages = tuple(
        _kit_stage(workspace, number, plan, emphasis, level_id) for number, plan in enumerate(plans, start=1)
    )
    return InterviewKitDoc(
        role_id=role_id,
        level_id=level_id,
        title=role.levels[level_id].title,
        level_name=workspace.level_name(level_id),
        sfia_level=role.levels[level_id].sfia_level,
        total_minutes=sum(s.minutes for s in role.interview_loop),
        scale=scale,
        stage_names=tuple(s.name for s in role.interview_loop),
        coverage=coverage,
        stages=stages,
        off_limits=tuple(topic.kit for topic in workspace.off_limits),
        hire_bar=describe_hire_bar(workspace, level_id),
        scope=role.levels[level_id].scope,
    )


def assemble_index(workspace: Workspace, postings: list[tuple[str, PostingDoc]]) -> IndexDoc:
    """Build the careers index from (folder, posting) pairs, in the order given."""
    company = workspace.config.company
    return IndexDoc(
        company_name=company.name,
        intro=paragraphs(company.about)[0],
        jobs=tuple(IndexEntry(p.title, p.level_name, p.location, p.pay, folder) for folder, p in postings),
    )


def assemble_guide(workspace: Workspace, role_id: str, level_id: str) -> CandidateGuideDoc:
    """Build the candidate-facing guide to the interview loop of `role_id` at `level_id`."""
    role = workspace.roles[role_id]
    hiring = workspace.config.hiring
    # the screening questions are logistics, not assessment: candidates may see them word for word
    screening = tuple(question.text for question in hiring.screening) if hiring else ()
    stages = tuple(
        GuideStage(
            number=number,
            name=plan.stage.name,
            minutes=plan.stage.minutes,
            interviewers=plan.stage.interviewers,
            assesses=tuple(workspace.competencies[cid].name for cid in plan.stage.focus),
            question_types=tuple(sorted({q.type for _, questions in plan.blocks for q in questions})),
            prepare=tuple(plan.stage.prepare),
            screening=screening if plan.screening_minutes else (),
            exercise=exercise_view(workspace, plan, for_candidate=True),
        )
        for number, plan in enumerate(workspace.loop_plans[(role_id, level_id)], start=1)
    )
    return CandidateGuideDoc(
        role_id=role_id,
        level_id=level_id,
        title=role.levels[level_id].title,
        company_name=workspace.config.company.name,
        total_minutes=sum(stage.minutes for stage in stages),
        closing_minutes=workspace.config.interview.closing_minutes,
        question_types=tuple(sorted({kind for stage in stages for kind in stage.question_types})),
        stages=stages,
        level_name=workspace.level_name(level_id),
        scope=role.levels[level_id].scope,
    )


def assemble_comparison(workspace: Workspace, a_id: str, b_id: str) -> ComparisonDoc:
    """Build the side-by-side comparison of two roles at their default levels."""
    roles = workspace.roles
    needs = {role_id: {c.id: c.emphasis for c in roles[role_id].competencies} for role_id in (a_id, b_id)}
    ids = [cid for cid in workspace.competencies if cid in needs[a_id] or cid in needs[b_id]]
    where = {(True, True): "both", (True, False): "only A", (False, True): "only B"}
    rows = tuple(
        CompareRow(
            name=workspace.competencies[cid].name,
            area=workspace.area_names[cid],
            a=needs[a_id].get(cid, ""),
            b=needs[b_id].get(cid, ""),
            where=where[(cid in needs[a_id], cid in needs[b_id])],
        )
        for cid in ids
    )
    order = {"both": 0, "only A": 1, "only B": 2}
    rows = tuple(sorted(rows, key=lambda row: order[row.where]))  # stable: library order within a group
    return ComparisonDoc(
        a=_compare_side(workspace, a_id, b_id),
        b=_compare_side(workspace, b_id, a_id),
        rows=rows,
        shared=sum(row.where == "both" for row in rows),
        only_a=sum(row.where == "only A" for row in rows),
        only_b=sum(row.where == "only B" for row in rows),
    )


def _compare_side(workspace: Workspace, role_id: str, other_id: str) -> CompareSide:
    role = workspace.roles[role_id]
    differs = next((d.how for d in role.differs_from if d.role == other_id), None)
    return CompareSide(
        id=role_id,
        title=role.title,
        summary=_one_paragraph(role.summary),
        differs=_one_paragraph(differs) if differs else None,
        levels=tuple(
            LevelRow(workspace.level_name(level_id), level.title, format_salary(level.salary))
            for level_id, level in sorted(role.levels.items(), key=lambda item: workspace.level_order.index(item[0]))
        ),
        hiring_steps=_hiring_steps(workspace, role_id),
        comes_from=tuple(workspace.roles[r].title for r in role.career_path.from_),
        leads_to=tuple(workspace.roles[r].title for r in role.career_path.to),
    )


def _hiring_steps(workspace: Workspace, role_id: str) -> tuple[HiringStep, ...]:
    return tuple(
        HiringStep(s.name, s.minutes, tuple(workspace.competencies[c].name for c in s.focus))
        for s in workspace.roles[role_id].interview_loop
    )


def _kit_stage(workspace: Workspace, number: int, plan: StagePlan, emphasis: dict[str, str], level_id: str) -> KitStage:
    settings = workspace.config.interview
    stage = plan.stage
    blocks = tuple(
        _kit_block(workspace, comp_id, questions, emphasis[comp_id], level_id) for comp_id, questions in plan.blocks
    )
    exercise = exercise_view(workspace, plan, for_candidate=False)
    agenda = [AgendaItem("Welcome, introductions and the plan for the session", settings.opening_minutes)]
    if plan.screening_minutes:
        agenda.append(AgendaItem("Screening questions: the practical points", plan.screening_minutes))
    if exercise is not None:
        agenda.append(AgendaItem(f"Exercise: {exercise.title}", exercise.minutes))
    agenda += [AgendaItem(block.name, sum(q.minutes for q in block.questions)) for block in blocks]
    probes, closing = plan.unassigned_minutes, settings.closing_minutes
    if probes < MIN_PROBE_MINUTES and closing:
        # a minute or two left over is slack, not a slot an interviewer can plan probes for
        probes, closing = 0, closing + probes
    if probes:
        agenda.append(AgendaItem("Follow-up probes where the evidence is thin", probes))
    agenda.append(AgendaItem("The candidate's questions and next steps", closing))
    names = [block.name.lower() for block in blocks]
    purpose = stage.purpose or f"Gather evidence on {_join(names)}."
    hiring = workspace.config.hiring
    screening = (
        tuple(ScreeningItem(q.text, q.knockout, q.note) for q in hiring.screening)
        if plan.screening_minutes and hiring
        else ()
    )
    return KitStage(
        number=number,
        name=stage.name,
        minutes=stage.minutes,
        interviewers=stage.interviewers,
        purpose=_one_paragraph(purpose),
        agenda=tuple(item for item in agenda if item.minutes),
        blocks=blocks,
        screening=screening,
        exercise=exercise,
    )


def describe_hire_bar(workspace: Workspace, level_id: str) -> tuple[str, ...]:
    """Say, one sentence per condition, what a hire needs at `level_id`."""
    bar = workspace.hire_bar(level_id)
    labels = workspace.config.rating_scale
    top = max(labels)
    lines = [f"Every core competency is rated {bar.core_min} {labels[bar.core_min]} or higher."]
    if bar.supporting_min > min(labels):
        lines.append(
            f"Every supporting competency is rated {bar.supporting_min} {labels[bar.supporting_min]} or higher."
        )
    else:
        lines.append(
            "A low rating on a supporting competency does not rule a hire out on its own; the hiring manager "
            "records how the role will support it."
        )
    if bar.top_ratings:
        many = _NUMBERS.get(bar.top_ratings, str(bar.top_ratings))
        count = "one core competency is" if bar.top_ratings == 1 else f"{many} core competencies are"
        lines.append(f"At least {count} rated {top} {labels[top]}.")
    if bar.note:
        lines.append(bar.note)
    return tuple(lines)


_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


def _kit_block(workspace: Workspace, comp_id: str, questions: tuple, emphasis: str, level_id: str) -> KitBlock:
    comp = workspace.competencies[comp_id]
    expectation = workspace.expectation(comp, level_id)
    assert expectation is not None  # validate() checked every level of the role
    labels = workspace.config.rating_scale
    anchors = workspace.anchors(comp, level_id)
    return KitBlock(
        id=comp.id,
        name=comp.name,
        emphasis=emphasis,
        description=_one_paragraph(comp.description),
        expectation=_one_paragraph(expectation),
        questions=tuple(
            KitQuestion(
                id=q.id,
                type=_QUESTION_TYPE[q.type],
                text=q.text,
                minutes=q.minutes,
                probes=tuple(q.probes),
                look_for=tuple(q.look_for),
                red_flags=tuple(q.red_flags),
            )
            for q in questions
        ),
        rubric=tuple(RubricAnchor(score, labels[score], anchor) for score, anchor in sorted(anchors.items())),
        frameworks=format_refs(comp.refs),
    )


def format_refs(refs: dict[str, str]) -> str:
    """Return a competency's framework references as people read them."""
    parts = []
    if "sfia" in refs:
        code, _, level = refs["sfia"].partition("@")
        parts.append(f"SFIA {code}" + (f" level {level}" if level else ""))
    if "pmi" in refs:
        parts.append(f"PMI Talent Triangle: {PMI_SIDES[refs['pmi']]}")
    parts += [f"{key}: {value}" for key, value in sorted(refs.items()) if key not in ("sfia", "pmi")]
    return " · ".join(parts)


def format_salary(salary: Salary) -> str:
    """Return a pay range as people write it, e.g. '$112,000 to $140,000 a year (USD)'."""
    symbol = _SYMBOLS.get(salary.currency, "")

    def amount(value: Decimal) -> str:
        # formatted from the exact decimal: every digit as written, cents only where there are some
        text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
        return f"{symbol}{text}"

    return f"{amount(salary.min)} to {amount(salary.max)} {_PERIOD[salary.period]} ({salary.currency})"


#: English month names, never the locale's: the same inputs give the same bytes everywhere.
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(date: datetime.date) -> str:
    """Return a date as people write it, e.g. '31 January 2027'."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def format_location(location: Location) -> str:
    """Return 'Columbus, Ohio, US (hybrid)' style text."""
    place = ", ".join(p for p in (location.locality, location.region, location.country) if p)
    return f"{place} · {_WORK_MODEL[location.work_model]}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
