"""Translate pydantic's validation errors into located, plain-language problems."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .workspace import Loc, SourceFile, format_loc


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


def _translate(model: type[BaseModel], source: SourceFile, error: dict[str, Any]) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if part != "[key]")
    # pydantic reports an aliased field by alias; the source map knows it by the same name.
    where = format_loc(loc)
    kind = error["type"]
    raw = source.raw.get(loc)
    value = error.get("input")
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'"
        where = format_loc(loc[:-1])
    elif kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'{suggest(str(loc[-1]), _fields_at(model, loc[:-1]))}"
        where = format_loc(loc[:-1])
    elif kind == "string_type" and isinstance(value, bool | int | float | None.__class__):
        read_as = {bool: "a true/false value", type(None): "an empty value"}.get(type(value), "a number")
        shown = raw if raw is not None else repr(value)
        message = f'expected text, but YAML reads {shown!r} as {read_as}; put it in quotes: "{shown}"'
    elif kind == "string_pattern_mismatch" and "a-z0-9" in str(error.get("ctx", {}).get("pattern", "")):
        message = f"'{value}' is not a valid id: use lowercase letters, digits and hyphens (e.g. 'plans-projects')"
    elif kind in ("int_type", "int_from_float"):
        message = f"expected a whole number, got {raw if raw is not None else value!r}"
    elif kind in ("list_type", "dict_type", "model_type"):
        wanted = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping of fields"}[kind]
        message = f"expected {wanted}, got {_describe(value)}"
    elif kind == "value_error":
        message = str(error["ctx"]["error"])
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    prefix = f"{where}: " if where else ""
    return source.problem(loc, prefix + message)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Return the field names allowed at `loc` inside `model`, for typo suggestions."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part)) or next(
                (f for f in annotation.model_fields.values() if f.alias == part), None
            )
            if field is None:
                return []
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
    annotation = _unwrap(annotation)
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
