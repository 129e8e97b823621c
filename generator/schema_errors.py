"""Translate pydantic's validation errors into located, plain-language problems."""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem
from .models import ENTRY_TAGS
from .yaml_reader import Loc, SourceFile, format_loc, quoted


def validate_model(model: type[BaseModel], source: SourceFile) -> tuple[Any, list[Problem]]:
    """Validate a file's data against `model`; return the instance or the problems found."""
    if not isinstance(source.data, dict):
        kind = type(source.data).__name__
        return None, [source.problem((), f"expected a mapping of fields at the top level, found {kind}")]
    try:
        return model.model_validate(source.data), []
    except ValidationError as err:
        return None, [_translate(model, source, e) for e in err.errors()]


def suggest(name: str, known: typing.Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_WANTED = {"int_type": "a whole number", "float_type": "a number", "bool_type": "true or false"}
#: The YAML tags a plain scalar may resolve to for each pydantic type error to go away.
_READS_AS = {
    "int_type": {"tag:yaml.org,2002:int"},
    "float_type": {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"},
    "bool_type": {"tag:yaml.org,2002:bool"},
}
#: 112,000 or 112 000 or 112'000: digits in groups of three, as people write amounts.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[,' \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
#: $112000, 30 min, 112k: a number with a currency sign before it or a unit after it.
_WITH_UNIT = re.compile(r"(?P<sign>[$€£¥]?)\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[A-Za-z%.]*)")
_RESOLVER = yaml.resolver.Resolver()


def _translate(model: type[BaseModel], source: SourceFile, error: dict[str, Any]) -> Problem:
    # pydantic names a key's own error with "[key]"; the source map records quoted keys the same way
    # an area's entries are new competencies or overrides; pydantic adds which to the location
    full: Loc = tuple(part for part in error["loc"] if part not in ENTRY_TAGS)
    loc: Loc = tuple(part for part in full if part != "[key]")
    kind = error["type"]
    where = format_loc(loc[:-1] if kind in ("missing", "extra_forbidden") else loc)
    if kind == "string_type" and (split := _key_and_value(source, loc, error.get("input"))):
        loc, message = split
    else:
        message = _message(model, source, error, full, loc)
    prefix = f"{where}: " if where else ""
    return source.problem(loc, prefix + message)


def _message(model: type[BaseModel], source: SourceFile, error: dict[str, Any], full: Loc, loc: Loc) -> str:
    kind = error["type"]
    raw = source.raw.get(full)
    value = error.get("input")
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        return f"unknown field '{loc[-1]}'{suggest(str(loc[-1]), _fields_at(model, loc[:-1]))}"
    if kind == "string_type":
        return _not_text(value, raw)
    if kind in _WANTED or kind == "int_from_float":
        return _not_number(kind, value, raw, source.quotes.get(full))
    # a validator (of amounts) said why text is refused; a number written as people write it says more
    if kind == "value_error" and isinstance(value, str) and _expects_number(model, loc) and _number_hint(value):
        return _number_hint(value) or ""
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    if kind == "string_pattern_mismatch" and "a-z0-9" in pattern:
        return f"'{value}' is not a valid id: use lowercase letters, digits and hyphens (e.g. 'plans-projects')"
    if kind == "string_pattern_mismatch" and pattern == r"^[^\n]*$":
        return "must be one line; join the lines, or write '>-' after the colon to fold them into one"
    if kind in ("list_type", "dict_type", "model_type"):
        wanted = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping of fields"}[kind]
        return f"expected {wanted}, got {_describe(value)}{_list_hint(kind, value)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_long":  # pydantic counts after validation, so a repeated item still counts
        ctx = error.get("ctx", {})
        return f"lists {ctx.get('actual_length')} items, more than the {ctx.get('max_length')} allowed; remove some"
    return error["msg"][0].lower() + error["msg"][1:]


def _not_text(value: Any, raw: str | None) -> str:
    """Explain why a value YAML read is not the text that was expected."""
    if value is None and not raw:
        return "has no value; write the text after the colon, or on the lines below, indented"
    shown = raw if raw is not None else str(value)
    if isinstance(value, datetime.date):  # a datetime is a date too
        read_as = "a date and time" if isinstance(value, datetime.datetime) else "a date"
    elif isinstance(value, bool | int | float | None.__class__):
        read_as = {bool: "a true/false value", type(None): "an empty value"}.get(type(value), "a number")
    else:
        return f"expected text, got {_describe(value)}"
    return f"expected text, but YAML reads {shown!r} as {read_as}; put it in quotes: {quoted(shown)}"


def _key_and_value(source: SourceFile, loc: Loc, value: Any) -> tuple[Loc, str] | None:
    """Spot `- Follow-up: what changed?`: text holding ': ' that YAML read as a key and its value."""
    if not (isinstance(value, dict) and len(value) == 1):
        return None
    key, inner = next(iter(value.items()))
    if isinstance(inner, dict | list) or not isinstance(key, str):
        return None
    written = source.raw.get((*loc, key))
    line = f"{key}: {written if written is not None else inner}".rstrip()
    return (*loc, key), (
        f"this line holds ': ' so YAML reads it as a key and a value; put the whole line in quotes: {quoted(line)}"
    )


def _not_number(kind: str, value: Any, raw: str | None, quote: str | None) -> str:
    """Explain why a value is not the number or true/false value that was expected."""
    wanted = _WANTED.get(kind, "a whole number")
    if value is None:
        return f"has no value; write {wanted}"
    if isinstance(value, str):
        implicit = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if quote and implicit in _READS_AS.get(kind, ()):
            return f"{quote}{value}{quote} is text because of the quotes; remove the quotes"
        if kind != "bool_type" and (hint := _number_hint(value)):
            return hint
    elif isinstance(value, bool) and kind != "bool_type":
        return f"expected {wanted}, but YAML reads {raw or value!r} as a true/false value"
    return f"expected {wanted}, got {raw if raw is not None else value!r}"


def _number_hint(text: str) -> str | None:
    """Say how to write a number that YAML read as text: 112,000, 08, 30 min; None if it is not one."""
    text = text.strip()
    if grouped := _GROUPED.fullmatch(text):
        sep = grouped["sep"]
        name = {",": "comma", "'": "apostrophe"}.get(sep, "space")
        names = name if text.count(sep) == 1 else f"{name}s"
        return f"YAML reads {text} as text because of the {names}; write {text.replace(sep, '')}, without the {names}"
    if re.fullmatch(r"0\d+", text):
        return f"YAML reads {text} as text because of the leading zero; write {int(text)}"
    found = _WITH_UNIT.fullmatch(text)
    if found and (found["sign"] or found["unit"]):
        number = found["number"] + ("000" if found["unit"].lower() == "k" else "")
        return f"write the number alone: {number}"
    return None


def _expects_number(model: type[BaseModel], loc: Loc) -> bool:
    return _unwrap(_annotation_at(model, loc)) in (int, float, Decimal)


def _list_hint(kind: str, value: Any) -> str:
    """Name the slip that turned a list into text: `-item` without a space, or a Word bullet."""
    if kind != "list_type" or not isinstance(value, str):
        return ""
    if value.startswith("-") and not value.startswith("- "):
        return "; a list item needs a space after its '-': write '- ' at the start of each item"
    if value and value[0] in "–—•·*":
        return f"; list items start with '- ' (a plain hyphen and a space), not '{value[0]}'"
    return ""


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """Return the type `model` declares at `loc`, following fields, list items and mapping values."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part)) or next(
                (f for f in annotation.model_fields.values() if f.alias == part), None
            )
            if field is None:
                return None
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
    return annotation


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Return the field names allowed at `loc` inside `model`, for typo suggestions."""
    annotation = _unwrap(_annotation_at(model, loc))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the model or container type shows."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation
