"""Where a role is posted and what it pays there: resolve places, price them, check them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from .compliance.places import country_name, is_region, resolve_country, resolve_region, subdivisions
from .documents import Place
from .errors import CommandLineError, Problem
from .folders import WINDOWS_RESERVED
from .models import Config, Location, PayZone, Role, RoleLevel, Salary
from .schema_errors import suggest
from .values import WHOLE_CURRENCIES
from .yaml_reader import SourceFile

#: The step each end of a zone-adjusted range is rounded to when the zone gives none: a whole
#: thousand a year and a quarter an hour, as the design says; for the periods between, a step of
#: about the same weight (a year is ~2,080 hours, ~260 days, ~52 weeks, 12 months).
DEFAULT_ROUND_TO = {
    "year": Decimal(1000),
    "month": Decimal(100),
    "week": Decimal(10),
    "day": Decimal(1),
    "hour": Decimal("0.25"),
}


def role_places(config: Config, role: Role) -> tuple[Place, ...]:
    """Return the places a role is posted in: its `locations`, else its own or the company's location.

    A location id jdgen.yaml lacks is left out: validation reports it, and checks it runs beside
    that report look at the places that exist.
    """
    if not role.locations:
        return (Place(None, role.location or config.company.location, split=False),)
    split = len(role.locations) > 1
    return tuple(
        Place(loc_id, config.locations[loc_id], split) for loc_id in role.locations if loc_id in config.locations
    )


def _zone(config: Config, place: Place) -> PayZone | None:
    """Return the pay zone of a named place, if it has one; a role's own place has none."""
    return config.pay_zones.get(place.location.pay_zone or "") if place.id is not None else None


def pay_at(config: Config, level: RoleLevel, place: Place) -> Salary:
    """Return a level's pay at a place: its own figure there, else the zone-adjusted range, else the range."""
    if place.id is not None and place.id in level.salary_by_location:
        return level.salary_by_location[place.id]
    zone = _zone(config, place)
    if zone is None:
        return level.salary
    salary = level.salary
    step = zone.round_to or DEFAULT_ROUND_TO[salary.period]
    if salary.currency in WHOLE_CURRENCIES:
        step = max(step, Decimal(1))  # no fraction of a yen to round to

    def adjust(value: Decimal) -> Decimal:
        # exact decimal arithmetic; never below one step, so a tiny range cannot round to nothing
        steps = (value * zone.factor / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        result = max(steps, Decimal(1)) * step
        return Decimal(int(result)) if result == result.to_integral_value() else result.quantize(Decimal("0.01"))

    return salary.model_copy(update={"min": adjust(salary.min), "max": adjust(salary.max)})


#: Rounding may move either end of a zone's pay by at most this share; more would misstate the pay.
MAX_ROUNDING_SHARE = Decimal("0.05")


def _zone_rounding_problems(config: Config, role: Role, source: SourceFile) -> list[Problem]:
    """Refuse pay a zone's rounding step moves far from the range times the factor (a step of 10^12, say)."""
    problems = []
    for place in role_places(config, role):
        zone = _zone(config, place)
        if zone is None:
            continue
        for level_id, level in role.levels.items():
            if place.id in level.salary_by_location:
                continue
            posted = pay_at(config, level, place)
            pairs = ((level.salary.min * zone.factor, posted.min), (level.salary.max * zone.factor, posted.max))
            if all(abs(shown - exact) <= exact * MAX_ROUNDING_SHARE for exact, shown in pairs):
                continue
            exact = f"{pairs[0][0]:,.2f} to {pairs[1][0]:,.2f}"
            message = (
                f"levels.{level_id}.salary: in {place.id} (pay zone '{place.location.pay_zone}') rounding turns "
                f"{exact} into {posted.min:,} to {posted.max:,}, more than {MAX_ROUNDING_SHARE:.0%} off; lower the "
                f"zone's round_to or factor in jdgen.yaml, or give salary_by_location.{place.id}"
            )
            problems.append(source.problem(("levels", level_id, "salary"), message))
    return problems


def check_location_option(role_id: str, role: Role, location: str) -> None:
    """Refuse a --location that is not one of the role's places (a usage error)."""
    if not role.locations:
        raise CommandLineError(
            f"jdgen: role '{role_id}' lists no `locations`, so --location does not apply to it; leave --location out"
        )
    if location not in role.locations:
        hint = suggest(location, role.locations)
        known = ", ".join(role.locations)
        raise CommandLineError(f"jdgen: role '{role_id}' is not posted in '{location}'{hint}; its locations: {known}")


def region_code(location: Location) -> str | None:
    """Return the ISO 3166-2 code of a location's region, when it has one that resolves."""
    return resolve_region(location.region, location.country) if location.region else None


def config_place_problems(config: Config, source: SourceFile) -> list[Problem]:
    """Check the places, pay zones and headcounts of jdgen.yaml."""
    problems = []
    for loc_id, location in config.locations.items():
        loc = ("locations", loc_id)
        if loc_id.lower() in WINDOWS_RESERVED:
            message = f"location id '{loc_id}' is a reserved file name on Windows, where its folder cannot exist"
            problems.append(source.problem(loc, f"locations.{loc_id}: {message}; rename it"))
        problems += _location_problems(location, loc, source)
        zone = location.pay_zone
        if zone is not None and zone not in config.pay_zones:
            hint = suggest(zone, config.pay_zones) or _known("pay zones", config.pay_zones)
            problems.append(source.problem((*loc, "pay_zone"), f"locations.{loc_id}.pay_zone: unknown '{zone}'{hint}"))
    problems += _location_problems(config.company.location, ("company", "location"), source)
    for code in config.company.employees_in:
        if not is_region(code.strip().upper()) or code != code.strip().upper():
            message = f"company.employees_in: '{code}' is not an ISO 3166-2 code; write it like US-OH or CA-ON"
            problems.append(source.problem(("company", "employees_in", code), message))
    return problems


def _location_problems(location: Location, loc: tuple, source: SourceFile) -> list[Problem]:
    """Check that a location's country and region are places ISO 3166 knows."""
    name = ".".join(map(str, loc))
    if resolve_country(location.country) != location.country:
        return [source.problem((*loc, "country"), f"{name}.country: '{location.country}' is not an ISO 3166 country")]
    if location.region and region_code(location) is None:
        hint = suggest(location.region, _region_names(location.country))
        message = f"{name}.region: '{location.region}' is not a region of {location.country}{hint}"
        return [source.problem((*loc, "region"), message)]
    return []


def missing_region_warnings(
    config: Config, roles: Mapping[str, Role], sources: Mapping[str, SourceFile], config_source: SourceFile
) -> list[Problem]:
    """Warn of each place a posting is built for that names no region where pay laws are regional.

    Without the region jdgen cannot place the job in a state or province, so `laws` would find
    none of their laws applies; a remote job is judged for the whole country and needs none.
    """
    from .compliance.laws import load_laws

    regional = {country for law in load_laws() if law.applies_in.region for country in law.applies_in.country_codes}
    found: dict[tuple, Problem] = {}
    for role_id, role in roles.items():
        for place in role_places(config, role):
            location = place.location
            if location.region or location.work_model == "remote" or location.country not in regional:
                continue
            if place.id is not None:
                source, loc = config_source, ("locations", place.id)
            elif role.location is not None:
                source, loc = sources[role_id], ("location",)
            else:
                source, loc = config_source, ("company", "location")
            name = ".".join(map(str, loc))
            found[(source.rel, loc)] = source.problem(
                loc,
                f"warning: {name} names no region of {country_name(location.country)}, so jdgen cannot tell which "
                "of its pay-transparency laws apply to the postings there (`jdgen laws` finds none); add `region:`",
            )
    return list(found.values())


def role_place_problems(config: Config, role: Role, source: SourceFile) -> list[Problem]:
    """Check a role's locations, its pay by location and its closing date."""
    problems = _location_problems(role.location, ("location",), source) if role.location else []
    for index, loc_id in enumerate(role.locations):
        if loc_id not in config.locations:
            hint = suggest(loc_id, config.locations) or _known("locations in jdgen.yaml", config.locations)
            problems.append(source.problem(("locations", index), f"unknown location '{loc_id}'{hint}"))
        elif role.locations.index(loc_id) != index:
            problems.append(source.problem(("locations", index), f"location '{loc_id}' is listed twice"))
    for level_id, level in role.levels.items():
        for loc_id in level.salary_by_location:
            if loc_id not in role.locations:
                hint = suggest(loc_id, role.locations) or _known("the role's locations", role.locations)
                message = f"salary_by_location: '{loc_id}' is not one of the role's locations{hint}"
                problems.append(source.problem(("levels", level_id, "salary_by_location", loc_id), message))
    problems += _zone_rounding_problems(config, role, source)
    if role.closes_on and role.date_posted and role.closes_on < role.date_posted:
        message = (
            f"closes_on {role.closes_on} is before date_posted {role.date_posted}; applications cannot close first"
        )
        problems.append(source.problem(("closes_on",), message))
    return problems


def _known(what: str, ids: Mapping[str, object] | list[str]) -> str:
    return f"; {what}: {', '.join(ids)}" if ids else f"; there are no {what}"


def _region_names(country: str) -> list[str]:
    """Return the names of a country's subdivisions, for a suggestion."""
    return [each.name for each in subdivisions(country)] or [country_name(country)]
