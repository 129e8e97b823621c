"""HR Open PositionOpening JSON, as ATS vendors exchange it: one opening per posting and place."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..documents import FeedContext, FeedEntry
from ..models import Salary
from .base import FeedFormat

_INTERVALS = {"hour": "Hour", "day": "Day", "week": "Week", "month": "Month", "year": "Year"}
#: A lone surrogate is no character: UTF-8 cannot encode it, so the file could not be written.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_number(value: Decimal) -> int | float:
    """Return an amount as a JSON number: an int when whole, else a float that prints exactly the decimal."""
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    # amounts have at most 14 significant digits (values.MAX_AMOUNT, two decimals), which a float's
    # shortest repr prints exactly: 25.5 stays 25.5; refuse rather than write a different number
    if Decimal(repr(number)) != value:
        raise ValueError(f"{value} cannot be written exactly as a JSON number")
    return number


def _text(value: str) -> str:
    return _LONE_SURROGATE.sub("", value)


def _money(value: Decimal, currency: str) -> dict[str, Any]:
    return {"value": json_number(value), "currencyCode": currency}


def _remuneration(salary: Salary) -> dict[str, Any]:
    interval = _INTERVALS[salary.period]
    low, high = _money(salary.min, salary.currency), _money(salary.max, salary.currency)
    return {"basisCode": "Salary", "ranges": [{"intervalCode": interval, "minimumAmount": low, "maximumAmount": high}]}


def _location(entry: FeedEntry) -> dict[str, Any]:
    place: dict[str, Any] = {}
    if entry.locality:
        place["city"] = _text(entry.locality)
    if entry.region_code:
        place["countrySubDivisions"] = [{"type": "StateProvince", "value": _text(entry.region_code)}]
    place["countryCode"] = entry.country
    return place


def _posting(entry: FeedEntry) -> dict[str, Any]:
    instruction: dict[str, Any] = {"start": entry.date_posted.isoformat(), "end": entry.valid_through.isoformat()}
    apply_url = entry.apply_url or entry.url
    if apply_url:
        instruction["applicationMethods"] = [{"applicationUri": _text(apply_url)}]
    return instruction


def _profile(entry: FeedEntry) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "positionTitle": _text(entry.title),
        "positionLocation": [_location(entry)],
        "positionFormattedDescriptions": [{"title": "Description", "content": _text(entry.description_html)}],
        "offeredRemunerationPackage": _remuneration(entry.salary),
    }
    if entry.onet:
        profile["jobCategories"] = [{"code": entry.onet}]
    if entry.level_name:
        profile["careerLevels"] = [{"name": _text(entry.level_name)}]
    profile["postingInstructions"] = [_posting(entry)]
    profile["positionOrganizations"] = [{"name": _text(entry.company)}]
    return profile


def encode(entries: Sequence[FeedEntry], context: FeedContext) -> bytes:
    """Return the HR Open PositionOpening document of `entries`, in the order given."""
    openings = [
        {"documentId": {"value": _text(entry.reference)}, "positionProfiles": [_profile(entry)]} for entry in entries
    ]
    text = json.dumps({"positionOpenings": openings}, ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")


FORMAT = FeedFormat("hropen", "feeds/positions.json", "HR Open PositionOpening JSON", encode)
