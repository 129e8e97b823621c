"""The Indeed XML feed: one <job> per posting and place, its content in CDATA as Indeed's sample feed has it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from ..documents import FeedContext, FeedEntry
from ..models import Salary
from .base import FeedFormat
from .xmlfeed import Node, rfc2822, write_feed

_JOB_TYPES = {
    "FULL_TIME": "fulltime",
    "PART_TIME": "parttime",
    "CONTRACTOR": "contract",
    "TEMPORARY": "temporary",
    "INTERN": "internship",
    "VOLUNTEER": "volunteer",
}  # PER_DIEM and OTHER have no Indeed value: left out rather than guessed
_REMOTE_TYPES = {"remote": "Fully remote", "hybrid": "Hybrid remote"}  # on-site has none
#: Only symbols that name one currency: "$" alone is read as US dollars, so CAD and AUD keep their codes.
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_PER = {"hour": "per hour", "day": "per day", "week": "per week", "month": "per month", "year": "per year"}


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def salary_text(salary: Salary) -> str:
    """Return the pay as Indeed reads it, e.g. '$102,000 - $132,000 per year' or 'CHF 90,000 - CHF 110,000 per year'."""
    symbol = _SYMBOLS.get(salary.currency)
    cents = any(value != value.to_integral_value() for value in (salary.min, salary.max))

    def amount(value: Decimal) -> str:
        # both ends alike: "$25.00 - $32.75", never "$25 - $32.75"
        digits = f"{value:,.2f}" if cents else f"{value:,.0f}"
        return f"{symbol}{digits}" if symbol else f"{salary.currency} {digits}"

    shown = amount(salary.min) if salary.min == salary.max else f"{amount(salary.min)} - {amount(salary.max)}"
    return f"{shown} {_PER[salary.period]}"


def _job(entry: FeedEntry) -> list[Node]:
    return [
        ("title", entry.title),
        ("date", rfc2822(_midnight(entry.date_posted))),
        ("referencenumber", entry.reference),
        ("requisitionid", entry.requisition),
        ("url", entry.url or entry.apply_url),
        ("company", entry.company),
        ("city", entry.locality),
        ("state", entry.region_code),
        ("country", entry.country),
        ("description", entry.description_html),
        ("salary", salary_text(entry.salary)),
        ("jobtype", _JOB_TYPES.get(entry.employment_type)),
        ("expirationdate", entry.valid_through.isoformat()),
        ("remotetype", _REMOTE_TYPES.get(entry.work_model)),
    ]


def encode(entries: Sequence[FeedEntry], context: FeedContext) -> bytes:
    """Return the Indeed XML feed of `entries`, in the order given."""
    header: list[Node] = [
        ("publisher", context.publisher),
        ("publisherurl", context.publisher_url),
        ("lastBuildDate", rfc2822(context.built_at)),
    ]
    return write_feed(header, [_job(entry) for entry in entries])


FORMAT = FeedFormat("indeed", "feeds/indeed.xml", "Indeed XML feed", encode)
