"""GitHub's GraphQL schema (the vendored subset) and the checks made against it.

``tests/data/graphql/github-subset.graphql`` is written by ``scripts/extract_graphql.py`` from
``@octokit/graphql-schema``. A query is checked with graphql-core's ``validate``; an answer is
checked by executing the query on GitHub's schema with the answer itself as the resolved values:
every non-null field, scalar type and abstract type (``__typename``) is then checked by
graphql-core, and a conforming answer comes back unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    print_type,
    validate,
)

SUBSET = Path(__file__).resolve().parent / "data" / "graphql" / "github-subset.graphql"


@cache
def github_schema() -> GraphQLSchema:
    return build_schema(SUBSET.read_text(encoding="utf-8"))


def query_errors(query: str, schema: GraphQLSchema | None = None) -> list[str]:
    return [error.message for error in validate(schema or github_schema(), parse(query))]


def answer_errors(query: str, variables: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """Why ``data`` is not a valid answer to ``query`` under GitHub's schema ([] if it is)."""
    result = execute(
        github_schema(),
        parse(query),
        root_value=data,
        variable_values=variables,
        type_resolver=_resolve_type,
    )
    assert not hasattr(result, "__await__")
    problems = [error.message for error in result.errors or ()]
    if not problems and result.data != data:
        problems.append(f"the answer has fields the query did not ask for: {data}")
    return problems


def _resolve_type(
    value: Any, info: GraphQLResolveInfo[Any], abstract: GraphQLAbstractType
) -> str | None:
    """The answer's ``__typename`` when the query asked for it; else the first possible type
    that has every field the answer holds (``editor { login }`` is some Actor)."""
    if isinstance(value, dict) and isinstance(value.get("__typename"), str):
        return str(value["__typename"])
    for possible in info.schema.get_possible_types(abstract):
        if isinstance(value, dict) and set(value) <= set(possible.fields):
            return possible.name
    return None


def not_in_github(schema: GraphQLSchema) -> list[str]:
    """What ``schema`` has that GitHub's has not, or types differently: types, fields, args."""
    github = github_schema()
    problems: list[str] = []
    for name, own in schema.type_map.items():
        if name.startswith("__"):
            continue
        theirs = github.type_map.get(name)
        if theirs is None or type(theirs) is not type(own):
            problems.append(f"type {name}: {print_type(own)!r} is not GitHub's")
            continue
        if not isinstance(own, GraphQLObjectType | GraphQLInterfaceType):
            continue
        assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
        their_interfaces = {i.name for i in theirs.interfaces}
        for interface in own.interfaces:
            if interface.name not in their_interfaces:
                problems.append(f"{name} does not implement {interface.name} on GitHub")
        for field_name, field in own.fields.items():
            their_field = theirs.fields.get(field_name)
            if their_field is None or str(their_field.type) != str(field.type):
                problems.append(f"{name}.{field_name}: {field.type} is not GitHub's")
                continue
            for arg_name, arg in field.args.items():
                their_arg = their_field.args.get(arg_name)
                if their_arg is None or str(their_arg.type) != str(arg.type):
                    problems.append(f"{name}.{field_name}({arg_name}: {arg.type}) is not GitHub's")
    return problems
