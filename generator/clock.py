"""The build's notion of "now": SOURCE_DATE_EPOCH when set, so builds can be reproduced."""

from __future__ import annotations

import datetime
import os

from .errors import JdgenError


def source_date_epoch() -> datetime.datetime | None:
    """Return the moment SOURCE_DATE_EPOCH names, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError) as err:
        raise JdgenError(
            f"jdgen: SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970; "
            "set it with: export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"
        ) from err


def posting_date(role_date: datetime.date | None) -> datetime.date:
    """Return a posting's datePosted: the role's own date, else SOURCE_DATE_EPOCH's day, else today."""
    if role_date is not None:
        return role_date
    moment = source_date_epoch()
    # today only when nothing pins the date: such pages are not reproducible, by design
    return moment.date() if moment else datetime.datetime.now(datetime.UTC).date()
