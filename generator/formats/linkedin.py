"""The LinkedIn Basic Jobs XML feed: one <job> per posting and place, with the pay as LinkedIn structures it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from ..compliance.places import country_name
from ..documents import FeedContext, FeedEntry
from ..models import Salary
from .base import FeedFormat
from .xmlfeed import Node, plain_amount, rfc2822, write_feed

#: LinkedIn refuses a partnerJobId longer than this.
ID_LIMIT = 40
#: Hex digits of the hash that ends a shortened id: 40 bits, so two long references do not collide in practice.
_HASH_DIGITS = 10

_JOB_TYPES = {
    "FULL_TIME": "FULL_TIME",
    "PART_TIME": "PART_TIME",
    "CONTRACTOR": "CONTRACT",
    "TEMPORARY": "TEMPORARY",
    "INTERN": "INTERNSHIP",
    "VOLUNTEER": "VOLUNTEER",
}  # PER_DIEM and OTHER have no LinkedIn value: left out rather than guessed
_WORKPLACE_TYPES = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
_PERIODS = {"hour": "HOURLY", "day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def partner_job_id(reference: str) -> str:
    """Return `reference` when it fits LinkedIn's 40 characters, else a readable prefix and a stable hash of it all."""
    if len(reference) <= ID_LIMIT:
        return reference
    # the hash covers the whole reference, so references that share the prefix still differ
    digest = hashlib.sha256(reference.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_DIGITS]
    prefix = reference[: ID_LIMIT - _HASH_DIGITS - 1].rstrip("-")
    return f"{prefix}-{digest}"


def location_text(entry: FeedEntry) -> str:
    """Return the place as LinkedIn reads it: 'Columbus, OH, US', or the country's name when that is all there is."""
    parts = [part for part in (entry.locality, entry.region_code) if part]
    if not parts:
        return country_name(entry.country)  # a remote job open to the whole country: "United States"
    return ", ".join([*parts, entry.country])


def _salary(salary: Salary) -> list[Node]:
    def money(value: Decimal) -> list[Node]:
        return [("amount", plain_amount(value)), ("currencyCode", salary.currency)]

    return [
        (
            "salary",
            [
                ("highEnd", money(salary.max)),
                ("lowEnd", money(salary.min)),
                ("period", _PERIODS[salary.period]),
                ("type", "BASE_SALARY"),
            ],
        )
    ]


def _job(entry: FeedEntry) -> list[Node]:
    return [
        ("partnerJobId", partner_job_id(entry.reference)),
        ("company", entry.company),
        ("title", entry.title),
        ("description", entry.description_html),
        ("location", location_text(entry)),
        ("applyUrl", entry.apply_url or entry.url),
        ("workplaceTypes", _WORKPLACE_TYPES.get(entry.work_model)),
        ("jobtype", _JOB_TYPES.get(entry.employment_type)),
        ("salaries", _salary(entry.salary)),
    ]


def encode(entries: Sequence[FeedEntry], context: FeedContext) -> bytes:
    """Return the LinkedIn XML feed of `entries`, in the order given."""
    return write_feed([("lastBuildDate", rfc2822(context.built_at))], [_job(entry) for entry in entries])


FORMAT = FeedFormat("linkedin", "feeds/linkedin.xml", "LinkedIn job feed", encode)
