"""The GraphQL endpoint (``POST /graphql``): just what reading edit histories needs.

GitHub's GraphQL API lives at ``/graphql`` on the API root (``https://api.github.com/graphql``)
and at ``/api/graphql`` on GitHub Enterprise Server, where REST is ``/api/v3``
(https://docs.github.com/graphql/guides/forming-calls-with-graphql#the-graphql-endpoint);
PyGithub derives it the same way (``Requester.get_graphql_prefix``).

The schema below is a strict subset of GitHub's published one: ``tests/sandbox/test_graphql.py``
checks every type, field and argument against ``tests/data/graphql/github-subset.graphql``
(extracted from ``@octokit/graphql-schema`` by ``scripts/extract_graphql.py``). Queries are parsed,
validated and executed by ``graphql-core``, so a field GitHub does not have here is a validation
error, as on GitHub. What GitHub adds on top, followed here:

- authentication is required, even for public data (401 otherwise);
- ``nodes(ids:)`` takes at most 100 ids: "You may not provide more than 100 node ids; you provided
  101." (type ``ARGUMENT_LIMIT``, quoted in https://github.com/sourcecred/sourcecred/pull/908);
- an id that does not resolve, or that the caller may not see, is a ``null`` node plus an error of
  type ``NOT_FOUND``: "Could not resolve to a node with the global id of '…'.";
- every connection needs ``first`` or ``last``, within 1-100
  (https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api);
- ``userContentEdits`` lists the newest revision first: git-bug's importer reverses the nodes
  ("reverse issue edits because github", github.com/git-bug/git-bug bridge/github/iterator.go)
  before reading the creation revision first. Unconfirmed by GitHub's docs, so the gateway sorts
  by ``editedAt`` itself rather than trust any order.

Error messages of query validation are graphql-core's, not GitHub's word for word.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLSyntaxError,
    build_schema,
    execute,
    parse,
    validate,
)

from ritual_bot.sandbox import errors
from ritual_bot.sandbox.auth import Principal, can_read, require_scope
from ritual_bot.sandbox.render import iso, node_id
from ritual_bot.sandbox.state import Comment, Issue, Repo, Revision, State

PATHS = ("/graphql", "/api/graphql")
DOCS = "https://docs.github.com/graphql"
MAX_NODE_IDS = 100
MAX_PAGE = 100

# A subset of GitHub's schema (see the module docstring); field order and types as GitHub's.
SDL = """
scalar DateTime

interface Node {
  id: ID!
}

interface Actor {
  login: String!
}

type User implements Actor & Node {
  id: ID!
  login: String!
}

type Bot implements Actor & Node {
  id: ID!
  login: String!
}

type Organization implements Actor & Node {
  id: ID!
  login: String!
}

interface Comment {
  author: Actor
  body: String!
  createdAt: DateTime!
  editor: Actor
  id: ID!
  includesCreatedEdit: Boolean!
  lastEditedAt: DateTime
  updatedAt: DateTime!
  userContentEdits(after: String, before: String, first: Int, last: Int): UserContentEditConnection
}

type Issue implements Comment & Node {
  author: Actor
  body: String!
  createdAt: DateTime!
  editor: Actor
  id: ID!
  includesCreatedEdit: Boolean!
  lastEditedAt: DateTime
  number: Int!
  updatedAt: DateTime!
  userContentEdits(after: String, before: String, first: Int, last: Int): UserContentEditConnection
}

type IssueComment implements Comment & Node {
  author: Actor
  body: String!
  createdAt: DateTime!
  editor: Actor
  id: ID!
  includesCreatedEdit: Boolean!
  lastEditedAt: DateTime
  updatedAt: DateTime!
  userContentEdits(after: String, before: String, first: Int, last: Int): UserContentEditConnection
}

type UserContentEdit implements Node {
  createdAt: DateTime!
  deletedAt: DateTime
  deletedBy: Actor
  diff: String
  editedAt: DateTime!
  editor: Actor
  id: ID!
  updatedAt: DateTime!
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type UserContentEditConnection {
  nodes: [UserContentEdit]
  pageInfo: PageInfo!
  totalCount: Int!
}

type Query {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
}
"""


@dataclass(frozen=True)
class Caller:
    state: State
    principal: Principal


class TypedError(GraphQLError):
    """A GraphQL error with GitHub's top-level ``type`` (NOT_FOUND, FORBIDDEN, …)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message, extensions={"type": kind})


def _actor(state: State, login: str | None) -> dict[str, Any] | None:
    """An ``Actor``; a deleted account is null in GraphQL (the REST "ghost" has no node)."""
    user = state.user(login) if login else None
    if user is None:
        return None
    prefix = {"Bot": "BOT", "Organization": "O"}.get(user.type, "U")
    # GraphQL names a Bot without REST's "[bot]" suffix: "github-actions", not
    # "github-actions[bot]" (https://github.com/zxkane/autonomous-dev-team/pull/395).
    login = user.login.removesuffix("[bot]") if user.type == "Bot" else user.login
    return {"__typename": user.type, "id": node_id(prefix, user.id), "login": login}


def _body_node(
    state: State, typename: str, nid: str, target: Issue | Comment, body: str | None
) -> dict[str, Any]:
    edits = target.edits
    last = edits[-1] if edits else None
    return {
        "__typename": typename,
        "id": nid,
        "author": _actor(state, target.user),
        "body": body or "",
        "createdAt": iso(target.created_at),
        "updatedAt": iso(target.updated_at),
        # "The actor who edited the comment" / "The moment the editor made the last edit".
        "editor": _actor(state, last.editor) if last else None,
        "lastEditedAt": iso(last.edited_at) if last else None,
        "includesCreatedEdit": bool(edits),
        "_edits": edits,
    }


def _decode(global_id: str) -> tuple[str, int] | None:
    """Inverse of ``render.node_id``: (prefix, database id), None for anything else."""
    prefix, sep, raw = global_id.partition("_kwDO")
    if not sep or not prefix:
        return None
    try:
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return None
    return (prefix, int.from_bytes(data, "big")) if len(data) == 8 else None


def _find(state: State, prefix: str, number: int) -> tuple[Repo, Issue | Comment] | None:
    for repo in state.repos.values():
        if prefix == "I":
            found_issue = next((i for i in repo.issues.values() if i.id == number), None)
            if found_issue is not None:
                return repo, found_issue
        elif prefix == "IC" and number in repo.comments:
            return repo, repo.comments[number]
    return None


def _node(caller: Caller, global_id: str) -> dict[str, Any] | GraphQLError:
    not_found = TypedError(
        "NOT_FOUND", f"Could not resolve to a node with the global id of '{global_id}'."
    )
    decoded = _decode(global_id)
    if decoded is None:
        return not_found
    prefix, number = decoded
    state = caller.state
    if prefix in ("U", "BOT", "O"):
        user = next((u for u in state.users.values() if u.id == number), None)
        actor = _actor(state, user.login) if user else None
        return actor if actor is not None and actor["id"] == global_id else not_found
    found = _find(state, prefix, number)
    if found is None:
        return not_found
    repo, target = found
    if not can_read(state, caller.principal, repo):
        return not_found  # a private repository's content is invisible, as over REST
    try:
        require_scope(caller.principal, repo, "issues", "read")
    except errors.ApiError as error:
        return TypedError("FORBIDDEN", error.message)
    if isinstance(target, Issue):
        out = _body_node(state, "Issue", global_id, target, target.body)
        out["number"] = target.number
        return out
    return _body_node(state, "IssueComment", global_id, target, target.body)


def _resolve_nodes(_: None, info: GraphQLResolveInfo[Caller], ids: list[str]) -> list[Any]:
    if len(ids) > MAX_NODE_IDS:
        raise TypedError(
            "ARGUMENT_LIMIT",
            f"You may not provide more than {MAX_NODE_IDS} node ids; you provided {len(ids)}.",
        )
    return [_node(info.context, global_id) for global_id in ids]


def _resolve_node(_: None, info: GraphQLResolveInfo[Caller], id: str) -> Any:
    found = _node(info.context, id)
    if isinstance(found, GraphQLError):
        raise found
    return found


def _cursor(revision: Revision) -> str:
    return base64.b64encode(f"cursor:v2:{revision.id}".encode()).decode()


def _revision(state: State, r: Revision) -> dict[str, Any]:
    return {
        "__typename": "UserContentEdit",
        "id": node_id("UCE", r.id),
        "createdAt": iso(r.created_at),
        "updatedAt": iso(r.deleted_at or r.created_at),
        "editedAt": iso(r.edited_at),
        "editor": _actor(state, r.editor),
        "diff": r.diff,
        "deletedAt": iso(r.deleted_at) if r.deleted_at else None,
        "deletedBy": _actor(state, r.deleted_by),
    }


def _resolve_edits(source: dict[str, Any], info: GraphQLResolveInfo[Caller], **args: Any) -> Any:
    """A Relay connection over the revisions, newest first (see the module docstring)."""
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise TypedError(
            "MISSING_PAGINATION_BOUNDARIES",
            "You must provide a `first` or `last` value to properly paginate the "
            "`userContentEdits` connection.",
        )
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise TypedError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {value} records on the `userContentEdits` connection exceeds the "
                f"`{name}` limit of {MAX_PAGE} records.",
            )
    ordered: list[Revision] = list(reversed(source["_edits"]))
    cursors = [_cursor(r) for r in ordered]
    start, end = 0, len(ordered)
    if args.get("after") in cursors:
        start = cursors.index(args["after"]) + 1
    if args.get("before") in cursors:
        end = cursors.index(args["before"])
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    page = ordered[start:end]
    state: State = info.context.state
    return {
        "nodes": [_revision(state, r) for r in page],
        "totalCount": len(ordered),
        "pageInfo": {
            "startCursor": cursors[start] if page else None,
            "endCursor": cursors[end - 1] if page else None,
            "hasPreviousPage": start > 0,
            "hasNextPage": end < len(ordered),
        },
    }


def _schema() -> GraphQLSchema:
    schema = build_schema(SDL)
    query = schema.query_type
    assert query is not None
    query.fields["nodes"].resolve = _resolve_nodes
    query.fields["node"].resolve = _resolve_node
    for name in ("Issue", "IssueComment"):
        found = schema.get_type(name)
        assert found is not None and hasattr(found, "fields")
        found.fields["userContentEdits"].resolve = _resolve_edits
    return schema


SCHEMA = _schema()


def _formatted(error: GraphQLError) -> dict[str, Any]:
    """GitHub's error shape: ``type`` at the top level for its own errors."""
    out: dict[str, Any] = dict(error.formatted)
    extensions: dict[str, Any] = dict(out.pop("extensions", None) or {})
    kind = extensions.pop("type", None)
    if kind is not None:
        out = {"type": kind, **out}
    if extensions:
        out["extensions"] = extensions
    return out


def answer(state: State, principal: Principal, raw_body: bytes) -> tuple[int, dict[str, Any]]:
    """Run one GraphQL request; (HTTP status, JSON body). GitHub answers 200 for query errors."""
    try:
        payload = json.loads(raw_body or b"null")
    except (ValueError, UnicodeDecodeError):
        return 400, {"message": "Problems parsing JSON", "documentation_url": DOCS}
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return 200, {
            "errors": [{"message": "A query attribute must be specified and must be a string."}]
        }
    variables = payload.get("variables") or {}
    if not isinstance(variables, dict):
        return 200, {"errors": [{"message": "Variables are invalid JSON."}]}
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        return 200, {"errors": [_formatted(error)]}
    problems = validate(SCHEMA, document)
    if problems:
        return 200, {"errors": [_formatted(e) for e in problems]}
    result = execute(
        SCHEMA,
        document,
        variable_values=variables,
        operation_name=payload.get("operationName"),
        context_value=Caller(state, principal),
    )
    assert not hasattr(result, "__await__"), "the sandbox's resolvers are synchronous"
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [_formatted(e) for e in result.errors]
    return 200, out
