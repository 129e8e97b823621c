"""schema.org JobPosting objects, the data job search engines read from a posting's page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .compliance.places import region_name
from .core import Workspace
from .documents import PostingDoc
from .models import Location, Salary
from .places import region_code

_UNIT = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}


def posting_identifier(posting: PostingDoc) -> str:
    """Return the posting's identifier in every place it is published: JobPosting data and every feed."""
    # the 0.1 identifier stays for a role posted in one unnamed place; a named place adds its id,
    # so each place's posting keeps one identifier from build to build
    return "-".join(part for part in (posting.role_id, posting.level_id, posting.place.id) if part)


def valid_through(workspace: Workspace, posting: PostingDoc, date_posted: datetime.date) -> datetime.date:
    """Return the last day a posting is open: the role's closes_on, else date_posted + publish.valid_days."""
    closes_on = workspace.roles[posting.role_id].closes_on
    return closes_on or date_posted + datetime.timedelta(days=workspace.config.publish.valid_days)


def job_posting(
    workspace: Workspace, posting: PostingDoc, body_html: str, date_posted: datetime.date, url: str | None
) -> dict[str, Any]:
    """Build the schema.org JobPosting object of one posting."""
    role = workspace.roles[posting.role_id]
    company = workspace.config.company
    publish = workspace.config.publish
    place = posting.place
    last_day = valid_through(workspace, posting, date_posted)
    identifier = posting_identifier(posting)
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": body_html,
        "datePosted": date_posted.isoformat(),
        "validThrough": last_day.isoformat(),
        "employmentType": role.employment_type,
        "hiringOrganization": _organisation(company.name, company.website),
        **(_location(place.location) if place.id is None else _named_location(place.location)),
        "baseSalary": _salary(posting.salary),
        "identifier": {
            "@type": "PropertyValue",
            "name": company.name,
            "value": identifier,
        },
        "directApply": publish.direct_apply,
    }
    if url:
        data["url"] = url
    if role.onet:
        data["occupationalCategory"] = role.onet
    return data


def _organisation(name: str, website: str | None) -> dict[str, Any]:
    organisation: dict[str, Any] = {"@type": "Organization", "name": name}
    if website:
        organisation["sameAs"] = website
    return organisation


def _location(location: Location) -> dict[str, Any]:
    if location.work_model == "remote":
        return {
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": {"@type": "Country", "name": location.country},
        }
    address = {"@type": "PostalAddress", "addressCountry": location.country}
    if location.locality:
        address["addressLocality"] = location.locality
    if location.region:
        address["addressRegion"] = location.region
    return {"jobLocation": {"@type": "Place", "address": address}}


def _named_location(location: Location) -> dict[str, Any]:
    """Describe a place of jdgen.yaml `locations` with the ISO codes validation resolved its names to."""
    code = region_code(location)  # validation made sure a given region resolves
    subdivision = code.split("-", 1)[1] if code else None  # "NY", as Google's JobPosting examples write it
    if location.work_model == "remote":
        if code:
            where = {"@type": "State", "name": region_name(code), "identifier": code}
        else:
            where = {"@type": "Country", "name": location.country}
        return {"jobLocationType": "TELECOMMUTE", "applicantLocationRequirements": where}
    address = {"@type": "PostalAddress", "addressCountry": location.country}
    if location.locality:
        address["addressLocality"] = location.locality
    if subdivision:
        address["addressRegion"] = subdivision
    return {"jobLocation": {"@type": "Place", "address": address}}


def _salary(salary: Salary) -> dict[str, Any]:
    def number(value: Decimal) -> float | int:
        # amounts have at most 14 significant digits (see MAX_AMOUNT), which a float's shortest
        # repr prints exactly, so 52.5 stays 52.5 in the JSON
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "@type": "MonetaryAmount",
        "currency": salary.currency,
        "value": {
            "@type": "QuantitativeValue",
            "minValue": number(salary.min),
            "maxValue": number(salary.max),
            "unitText": _UNIT[salary.period],
        },
    }
