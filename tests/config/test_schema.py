"""The shipped JSON Schema: valid draft 2020-12, documented for editors, in step with the code."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.config import DAYS, SECTIONS, Config, parse_duration
from ritual_bot.schema import config_schema

Parse = Callable[[str], Config]

# Keys with no static default: required ones, and a member's timezone (the team's by default).
NO_DEFAULT = {"version", "members", "login", "timezone@member", "joined@member", "buddy@member"}
# The review's areas: what each must say, and what it may leave out (nothing by default).
NO_DEFAULT |= {"title@areas", "owner@areas", "shipped@areas", "experiments@areas"}
NO_DEFAULT |= {"labels@shipped", "label@experiments"}
NO_DEFAULT |= {"key@metrics", "file@metrics", "target@metrics", "alert@metrics"}


def properties(schema: Any, owner: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(owner, key, schema) of every property declared anywhere in the schema."""
    if isinstance(schema, dict):
        for key, sub in schema.get("properties", {}).items():
            yield owner, key, sub
        for key, sub in schema.items():
            inner = owner if key in ("properties", "anyOf", "items", "$defs") else key
            if isinstance(sub, dict):
                for name, value in sub.items() if key in ("properties", "$defs") else [("", sub)]:
                    yield from properties(value, name or inner)
            elif isinstance(sub, list):
                for item in sub:
                    yield from properties(item, inner)


def test_it_ships_as_package_data() -> None:
    text = resources.files("ritual_bot.schema").joinpath("rituals.schema.json").read_text("utf-8")
    assert json.loads(text) == config_schema()


def test_it_is_a_valid_draft_2020_12_schema() -> None:
    schema = config_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_property_is_documented_for_editors() -> None:
    found = list(properties(config_schema()))
    assert len(found) > 20
    for owner, key, schema in found:
        assert schema.get("title"), f"{owner}.{key} has no title"
        assert schema.get("description"), f"{owner}.{key} has no description"
        assert schema.get("examples"), f"{owner}.{key} has no examples"
        if key not in NO_DEFAULT and f"{key}@{owner}" not in NO_DEFAULT:
            assert "default" in schema, f"{owner}.{key} has no default"


def test_every_object_refuses_unknown_keys() -> None:
    def objects(schema: Any) -> Iterator[dict[str, Any]]:
        if isinstance(schema, dict):
            if "properties" in schema:
                yield schema
            for value in schema.values():
                yield from objects(value)
        elif isinstance(schema, list):
            for item in schema:
                yield from objects(item)

    for schema in objects(config_schema()):
        assert schema["additionalProperties"] is False, sorted(schema["properties"])


def test_defaults_in_the_schema_are_what_the_minimal_file_gets(parse: Parse) -> None:
    schema = config_schema()["properties"]
    config = parse("version: 1\nmembers: [alice]\n")
    assert config.timezone == schema["timezone"]["default"]
    assert config.language == schema["language"]["default"]
    hpfo = schema["hpfo"]["properties"]
    assert config.hpfo.remind_after == parse_duration(hpfo["remind_after"]["default"])
    assert config.hpfo.time.strftime("%H:%M") == hpfo["time"]["default"]
    assert config.hpfo.title == hpfo["title"]["default"]
    assert DAYS[config.hpfo.day] == hpfo["day"]["default"]
    decisions = schema["decisions"]["properties"]
    assert config.decisions.feedback_days == decisions["feedback_days"]["default"]
    assert config.decisions.log == decisions["log"]["default"]


def test_the_spec_example_is_valid_for_an_editor(spec_example: str) -> None:
    data = yaml.safe_load(spec_example)
    jsonschema.Draft202012Validator(config_schema()).validate(data)


def test_defaults_and_examples_validate_against_their_own_schema() -> None:
    validator = jsonschema.Draft202012Validator(config_schema())
    for owner, key, schema in properties(config_schema()):
        for value in [schema.get("default"), *schema.get("examples", [])]:
            if value is None and "default" not in schema:
                continue
            errors = list(validator.evolve(schema=schema).iter_errors(value))
            assert not errors, f"{owner}.{key}: {value!r}: {errors[0].message}"


@pytest.mark.parametrize("day", [*DAYS, "Monday", "SUNDAY", "wEdNeSdAy"])
def test_days_are_case_insensitive_in_the_schema_too(day: str) -> None:
    day_schema = config_schema()["$defs"]["day"]
    jsonschema.validate(day, day_schema)


@given(st.text(alphabet="0123456789wdhmx", max_size=12))
def test_schema_duration_pattern_agrees_with_parse_duration(text: str) -> None:
    schema = config_schema()["$defs"]["duration"]
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(text)
    try:
        parse_duration(text)
        parsed = True
    except ValueError as exc:
        parsed = "zero" in str(exc) or "too long" in str(exc)  # well-formed, refused for value
    assert schema_ok == parsed


def test_the_schema_sections_are_the_registered_rituals_config_sections() -> None:
    # The schema stays whole (editors read the file); each ritual owns its section's checks and
    # builder, so a section in one but not the other would go unchecked or unbuilt.
    from ritual_bot.rituals.registry import RITUALS

    properties = config_schema()["properties"]
    sections = [name for name, sub in properties.items() if "properties" in sub]
    assert sections == [s.name for s in SECTIONS]
    # The registry's order is the order plans are made in, not the file's (registry.py).
    assert sorted(sections) == sorted(r.name for r in RITUALS)
