"""The JSON Schemas `jdgen schema` writes describe every field, for editors to show on hover."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from generator.scaffold import schema_documents

SCHEMAS = {name: json.loads(text) for name, text in schema_documents().items()}


def _properties(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, schema) for every property of every object definition, `$defs` included."""
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{path}.{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}[{index}]")


def _description(schema: str, *path: str) -> str:
    node = SCHEMAS[schema]
    for key in path:
        node = node[key]
    return node["description"]


def test_the_walk_reaches_every_kind_of_file_and_their_definitions() -> None:
    assert sorted(SCHEMAS) == ["area.schema.json", "jdgen.schema.json", "role.schema.json"]
    found = {path for name, schema in SCHEMAS.items() for path, _ in _properties(schema, name)}
    # a top-level field, a nested model's field and a field with an alias are all walked
    assert "jdgen.schema.json.company" in found
    assert "role.schema.json/$defs/Salary.min" in found
    assert "role.schema.json/$defs/CareerPath.from" in found


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_property_has_a_description(name: str) -> None:
    missing = [path for path, prop in _properties(SCHEMAS[name], name) if not prop.get("description", "").strip()]
    assert missing == []


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_object_definition_has_a_description(name: str) -> None:
    schema = SCHEMAS[name]
    undescribed = [key for key, model in schema.get("$defs", {}).items() if not model.get("description")]
    assert schema.get("description")
    assert undescribed == []


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_descriptions_are_one_line(name: str) -> None:
    # editors' hovers show a single line break as a new paragraph, so wrapped docstrings are joined
    wrapped = [path for path, prop in _properties(SCHEMAS[name], name) if "\n" in prop.get("description", "")]
    assert wrapped == []


def test_the_fields_people_look_up_say_what_to_write() -> None:
    salary = _description("role.schema.json", "$defs", "RoleLevel", "properties", "salary")
    assert "{min: 112000, max: 140000, currency: USD, period: year}" in salary
    emphasis = _description("role.schema.json", "$defs", "RoleCompetency", "properties", "emphasis")
    assert "core" in emphasis and "supporting" in emphasis
    work_model = _description("jdgen.schema.json", "$defs", "Location", "properties", "work_model")
    assert "onsite, hybrid or remote" in work_model and "onsite when absent" in work_model
    assert "ISO 4217" in _description("role.schema.json", "$defs", "Salary", "properties", "currency")
    assert "{role}" in _description("jdgen.schema.json", "$defs", "Company", "properties", "apply_url")
