"""Markdown → HTML pages, with schema.org JobPosting data that job search engines read."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from .compliance.places import region_name
from .documents import PostingDoc
from .models import Location, Salary
from .places import region_code
from .render import PAGE_TEMPLATE, Renderer
from .validate import Workspace

_UNIT = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}
#: Characters that could end a <script> element or start markup, escaped inside JSON.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True)
class Page:
    """What the page template needs: everything already escaped or safe."""

    lang: str
    title: str
    site_name: str
    summary: str
    canonical: str | None
    body: Markup  #: HTML from the Markdown; raw HTML in the Markdown is escaped, never passed on
    json_ld: Markup | None  #: JSON made safe to sit inside a <script> element


def markdown_to_html(markdown: str) -> str:
    """Render Markdown to HTML; raw HTML in it is shown as text, never interpreted."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


def script_json(data: Any) -> Markup:
    """Serialise data as JSON that cannot end or break out of a <script> element."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Markup(text.translate(_SCRIPT_SAFE))


def job_posting(
    workspace: Workspace, posting: PostingDoc, body_html: str, date_posted: datetime.date, url: str | None
) -> dict[str, Any]:
    """Build the schema.org JobPosting object of one posting."""
    role = workspace.roles[posting.role_id]
    company = workspace.config.company
    publish = workspace.config.publish
    place = posting.place
    valid_through = role.closes_on or date_posted + datetime.timedelta(days=publish.valid_days)
    # the 0.1 identifier stays for a role posted in one unnamed place; a named place adds its id,
    # so each place's posting keeps one identifier from build to build
    identifier = "-".join(part for part in (posting.role_id, posting.level_id, place.id) if part)
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": body_html,
        "datePosted": date_posted.isoformat(),
        "validThrough": valid_through.isoformat(),
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


@dataclass(frozen=True)
class PageContent:
    """One page's own content, before the site's frame goes around it."""

    title: str
    summary: str
    body_html: str  #: from markdown_to_html
    canonical: str | None = None
    json_ld: dict[str, Any] | None = None


def render_page(renderer: Renderer, workspace: Workspace, content: PageContent) -> str:
    """Render a standalone page around HTML produced from Markdown."""
    page = Page(
        lang=workspace.config.publish.language,
        title=content.title,
        site_name=workspace.config.company.name,
        summary=content.summary,
        canonical=content.canonical,
        body=Markup(content.body_html),
        json_ld=script_json(content.json_ld) if content.json_ld else None,
    )
    return renderer.render_html(PAGE_TEMPLATE, page=page)


def page_url(base_url: str | None, relative: str) -> str | None:
    """Return the public URL of an output file, when the site's base URL is known."""
    if not base_url:
        return None
    return base_url.rstrip("/") + "/" + relative


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
