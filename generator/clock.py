"""The build's notion of "now": SOURCE_DATE_EPOCH when set, so builds can be reproduced."""

from __future__ import annotations

import datetime
import os
import re

from .errors import JdgenError

#: The moments jdgen can record. ZIP entry times (so a DOCX's) run from 1980 to 2107: earlier
#: moments are written as 1980-01-01 inside the ZIP, which reproducible-build tools accept (some set
#: SOURCE_DATE_EPOCH=0); later ones cannot be written at all.
EARLIEST_EPOCH = 0
LATEST_EPOCH = int(datetime.datetime(2107, 12, 31, 23, 59, 59, tzinfo=datetime.UTC).timestamp())
_FIX = "set it from the last commit: export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"


def source_date_epoch() -> datetime.datetime | None:
    """Return the moment SOURCE_DATE_EPOCH names, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    # ASCII digits only: int() would also take "1_700_000_000" or Arabic-Indic digits
    shown = value if len(value) <= 40 else value[:40] + "…"
    if not re.fullmatch(r"-?[0-9]+", value):
        raise JdgenError(f"jdgen: SOURCE_DATE_EPOCH={shown!r} is not a number of seconds since 1970; {_FIX}")
    # a longer number is out of range anyway, and int() refuses thousands of digits
    seconds = int(value) if len(value) <= 20 else None
    if seconds is None or not EARLIEST_EPOCH <= seconds <= LATEST_EPOCH:
        raise JdgenError(
            f"jdgen: SOURCE_DATE_EPOCH={shown} is outside the range jdgen can record, "
            f"{EARLIEST_EPOCH} (1970-01-01) to {LATEST_EPOCH} (2107-12-31, the last date a ZIP entry holds); {_FIX}"
        )
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
