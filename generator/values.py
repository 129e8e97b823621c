"""Value types of the workspace files that need more than a type: exact amounts, dates, web addresses."""

from __future__ import annotations

import datetime
import re
import urllib.parse
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema

#: Postings are dated in this century: another year is a typo, and dates near 9999 would make
#: validThrough (datePosted + valid_days) overflow.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def _read_date(value: Any) -> datetime.date:
    """Accept a YAML date or a quoted ISO date ("2026-11-02") within the accepted years."""
    example = "write it as YYYY-MM-DD, e.g. 2026-11-02"
    if isinstance(value, datetime.datetime):
        raise ValueError(f"'{value}' is a date and a time; {example}")
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(f"'{value}' is not a date; {example}")
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{value}' is not a day of the calendar; {example}") from None
    if not isinstance(value, datetime.date):
        raise ValueError(f"expected a date, got {value!r}; {example}")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            f"{value} is outside the dates jdgen accepts, {EARLIEST_DATE} to {LATEST_DATE}; check the year"
        )
    return value


Date = Annotated[datetime.date, BeforeValidator(_read_date)]


def _check_web_address(value: str, placeholder: str | None = None) -> str:
    """Refuse what is not an absolute http(s) address with a host; `placeholder` may appear in it."""
    text = value.replace(placeholder, "role") if placeholder else value
    if re.search(r"\s", text):
        raise ValueError(f"'{value}' contains a space; a web address has none (write %20 inside a path)")
    try:
        parts = urllib.parse.urlsplit(text)
        host, _ = parts.hostname, parts.port  # both raise ValueError on a malformed host or port
    except ValueError:
        raise ValueError(f"'{value}' is not a valid web address; write it as https://host/path") from None
    if parts.scheme not in ("http", "https"):
        if "://" in text:
            raise ValueError(f"'{value}' is not a web page address; start it with https:// or http://")
        raise ValueError(f"'{value}' is not a full web address; start it with https://")
    if not host:
        raise ValueError(f"'{value}' has no host name; write it as https://careers.example.com/...")
    if placeholder and ("{" in text or "}" in text):
        raise ValueError(f"'{value}' holds a placeholder other than {placeholder}; only {placeholder} is replaced")
    return value


#: Editors check addresses as they are typed; the validator gives the precise reason.
_ADDRESS_SCHEMA = WithJsonSchema({"type": "string", "pattern": r"^https?://[^\s/?#]+([/?#]\S*)?$"})
_Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
WebAddress = Annotated[_Address, AfterValidator(_check_web_address), _ADDRESS_SCHEMA]
#: An address in which `{role}` stands for the role id.
RoleAddress = Annotated[_Address, AfterValidator(lambda value: _check_web_address(value, "{role}")), _ADDRESS_SCHEMA]


#: No pay reaches a trillion in any currency and period: a top yearly salary in the currencies
#: with the most units per dollar (Iranian rial, Lebanese pound, Vietnamese dong) stays below
#: 10^11. A larger number is extra digits or a units slip, and refusing it keeps every amount
#: within 14 significant digits (with cents), which a JSON number carries exactly.
MAX_AMOUNT = Decimal(10**12)
#: ISO 4217 currencies whose minor unit is 0 (no cents): an amount in them is whole.
WHOLE_CURRENCIES = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
_AMOUNT_SCHEMA = WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": int(MAX_AMOUNT)})
Amount = Annotated[Decimal, _AMOUNT_SCHEMA]


def read_amount(value: Any, end: str = "top") -> Decimal:
    """Turn a YAML number into an exact amount of at most two decimals; `end` names it in messages."""
    example = 155000 if end == "top" else 125000
    if isinstance(value, str):
        raise ValueError(
            f"'{value}' is text, not an amount; write the {end} of the range as a number without quotes, e.g. {example}"
        )
    fix = f"write the {end} of the range as a number, e.g. {example}"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        shown = "an empty value" if value is None else str(value).lower() if isinstance(value, bool) else repr(value)
        raise ValueError(f"{shown} is not an amount; {fix}")
    # a float's shortest repr is the number as the YAML wrote it: 52.3, never 52.29999...
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite():
        shown = ".nan" if amount.is_nan() else "-.inf" if amount < 0 else ".inf"
        raise ValueError(f"{shown} is not an amount; {fix}")
    if amount <= 0:
        raise ValueError(f"{value} is not a positive amount; {fix}")
    if amount >= MAX_AMOUNT:
        raise ValueError(f"{value} is more than any pay reaches (the limit is {MAX_AMOUNT:,}); check for extra digits")
    if amount == amount.to_integral_value():
        return Decimal(int(amount))  # 60000.0 and 60000 are the same amount, printed one way
    if amount.normalize().as_tuple().exponent < -2:
        rounded = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
        raise ValueError(f"{value} has more than two decimal places; round it to two, e.g. {rounded}")
    return amount
