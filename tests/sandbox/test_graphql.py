"""Edit histories: recorded by REST edits, answered by ``POST /graphql`` as GitHub would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ritual_bot.clock import FixedClock
from ritual_bot.gateway import EDIT_HISTORY_QUERY
from ritual_bot.sandbox import Sandbox
from ritual_bot.sandbox.graphql_api import SCHEMA
from tests.graphql_schema import answer_errors, not_in_github
from tests.sandbox.conftest import Client

REPO = "/repos/acme/team"
HISTORY = (
    "query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Comment { id editor { login } "
    "lastEditedAt includesCreatedEdit userContentEdits(last: 100) { totalCount nodes { "
    "editor { login } editedAt diff deletedAt deletedBy { login } } } } } }"
)


def _ask(client: Client, ids: list[str], query: str = HISTORY) -> Any:
    reply = client.post("/graphql", {"query": query, "variables": {"ids": ids}})
    assert reply.status == 200, reply.body
    data = reply.body.get("data")
    if data is not None and "__typename" in query:  # abstract types need it to be checked
        assert answer_errors(query, {"ids": ids}, data) == []
    return reply.body


@pytest.fixture
def bob(sandbox: Sandbox, url: str) -> Client:
    return Client(url, sandbox.user_token("bob"))


def test_the_sandbox_schema_is_githubs() -> None:
    assert not_in_github(SCHEMA) == []


def test_an_edit_by_someone_else_is_kept_with_the_creation_revision(
    sandbox: Sandbox, alice: Client, bob: Client, clock: FixedClock
) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    made = alice.post(f"{REPO}/issues/1/comments", {"body": "/approve"}).body
    clock.advance(timedelta(minutes=5))
    edited = bob.patch(f"{REPO}/issues/comments/{made['id']}", {"body": "/reject"}).body
    assert edited["updated_at"] == "2024-05-06T09:05:00Z" != edited["created_at"]
    assert edited["node_id"] == made["node_id"]

    (node,) = _ask(alice, [made["node_id"]])["data"]["nodes"]
    assert node["__typename"] == "IssueComment"
    assert node["editor"] == {"login": "bob"}
    assert node["lastEditedAt"] == "2024-05-06T09:05:00Z"
    assert node["includesCreatedEdit"] is True
    edits = node["userContentEdits"]
    assert edits["totalCount"] == 2
    # Newest first; the creation revision (the author, at creation, first text) last.
    assert [(e["editor"]["login"], e["editedAt"], e["diff"]) for e in edits["nodes"]] == [
        ("bob", "2024-05-06T09:05:00Z", "/reject"),
        ("alice", "2024-05-06T09:00:00Z", "/approve"),
    ]


def test_an_unedited_body_has_no_history_and_same_text_is_no_edit(
    sandbox: Sandbox, alice: Client
) -> None:
    issue = alice.post(f"{REPO}/issues", {"title": "t", "body": "same"}).body
    alice.patch(f"{REPO}/issues/1", {"body": "same", "title": "renamed"})  # no body change
    (node,) = _ask(alice, [issue["node_id"]])["data"]["nodes"]
    assert node["__typename"] == "Issue"
    assert (node["editor"], node["lastEditedAt"], node["includesCreatedEdit"]) == (
        None,
        None,
        False,
    )
    assert node["userContentEdits"]["nodes"] == []


def test_issue_body_edits_and_a_deleted_revision(
    sandbox: Sandbox, alice: Client, bob: Client, clock: FixedClock
) -> None:
    issue = sandbox.create_issue("acme/team", title="t", body="v1", user="github-actions[bot]")
    clock.advance(timedelta(minutes=1))
    bob.patch(f"{REPO}/issues/1", {"body": "v2"})
    clock.advance(timedelta(minutes=1))
    sandbox.edit_issue_body("acme/team", 1, body="v3", user="alice")
    with pytest.raises(PermissionError):
        sandbox.delete_revision("acme/team", issue=1, revision=0, user="carol")  # read only
    clock.advance(timedelta(minutes=1))
    sandbox.delete_revision("acme/team", issue=1, revision=0, user="bob")

    (node,) = _ask(alice, [issue["node_id"]])["data"]["nodes"]
    assert node["editor"] == {"login": "alice"}
    edits = node["userContentEdits"]["nodes"]
    assert [(e["editor"]["login"], e["diff"]) for e in edits] == [
        ("alice", "v3"),
        ("bob", "v2"),
        ("github-actions", None),  # GraphQL names a Bot without REST's "[bot]"
    ]
    assert edits[-1]["deletedAt"] == "2024-05-06T09:03:00Z"
    assert edits[-1]["deletedBy"] == {"login": "bob"}
    assert all(e["deletedAt"] is None for e in edits[:-1])


def test_a_read_only_person_cannot_edit_someone_elses_comment(
    sandbox: Sandbox, carol: Client, alice: Client
) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    made = sandbox.create_comment("acme/team", 1, body="mine", user="alice")
    assert carol.patch(f"{REPO}/issues/comments/{made['id']}", {"body": "x"}).status == 403
    (node,) = _ask(alice, [made["node_id"]])["data"]["nodes"]
    assert node["lastEditedAt"] is None


def test_pages_of_the_history(sandbox: Sandbox, alice: Client, clock: FixedClock) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    made = sandbox.create_comment("acme/team", 1, body="v0", user="alice")
    for n in range(1, 4):
        clock.advance(timedelta(minutes=1))
        sandbox.edit_comment("acme/team", made["id"], body=f"v{n}")
    query = (
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { userContentEdits(first: 2)"
        " { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { diff } } } } }"
    )
    (node,) = _ask(alice, [made["node_id"]], query)["data"]["nodes"]
    connection = node["userContentEdits"]
    assert connection["totalCount"] == 4
    assert [n["diff"] for n in connection["nodes"]] == ["v3", "v2"]
    assert connection["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}


def test_unknown_and_invisible_ids_are_null_nodes_with_not_found(
    sandbox: Sandbox, url: str, alice: Client
) -> None:
    made = sandbox.create_issue("acme/team", title="t", user="alice")
    mallory = Client(url, sandbox.user_token("mallory"))  # no access to the private repo
    body = _ask(mallory, [made["node_id"], "I_kwDOnothing"])
    assert body["data"] == {"nodes": [None, None]}
    assert [(e["type"], e["path"]) for e in body["errors"]] == [
        ("NOT_FOUND", ["nodes", 0]),
        ("NOT_FOUND", ["nodes", 1]),
    ]
    assert body["errors"][0]["message"] == (
        f"Could not resolve to a node with the global id of '{made['node_id']}'."
    )
    assert _ask(alice, [made["node_id"]])["data"]["nodes"][0]["id"] == made["node_id"]


def test_limits_and_query_errors(sandbox: Sandbox, alice: Client) -> None:
    made = sandbox.create_issue("acme/team", title="t", user="alice")
    too_many = _ask(alice, [made["node_id"]] * 101)
    assert too_many["data"] is None
    assert too_many["errors"][0]["type"] == "ARGUMENT_LIMIT"
    assert "more than 100 node ids; you provided 101" in too_many["errors"][0]["message"]

    unbounded = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { userContentEdits { totalCount } } } }"  # noqa: E501
    assert _ask(alice, [made["node_id"]], unbounded)["errors"][0]["type"] == (
        "MISSING_PAGINATION_BOUNDARIES"
    )
    unknown_field = alice.post("/graphql", {"query": "{ nodes(ids: []) { id secret } }"}).body
    assert "data" not in unknown_field and unknown_field["errors"]
    assert alice.post("/graphql", {"variables": {}}).body["errors"]
    assert alice.call("POST", "/graphql", raw=b"{not json").status == 400


def test_graphql_needs_a_token_and_is_counted_as_a_read(
    sandbox: Sandbox, url: str, alice: Client
) -> None:
    anonymous = Client(url).post("/graphql", {"query": "{ nodes(ids: []) { id } }"})
    assert anonymous.status == 401
    assert anonymous.body["message"] == "This endpoint requires you to be authenticated."
    assert Client(url, "ghp_unknown").post("/graphql", {"query": "{ __typename }"}).status == 401

    sandbox.clear_requests()
    reply = alice.post("/graphql", {"query": "{ nodes(ids: []) { id } }"})
    assert reply.body == {"data": {"nodes": []}}
    assert reply.header("x-ratelimit-resource") == "graphql"
    (record,) = sandbox.requests
    assert (record.method, record.path, record.operation) == ("POST", "/graphql", "/graphql")
    assert (record.actor, record.is_write, record.status) == ("alice", False, 200)


def test_ghes_path_and_the_actions_token(sandbox: Sandbox, bot: Client) -> None:
    made = sandbox.create_issue("acme/team", title="t", user="alice")
    for path in ("/graphql", "/api/graphql"):
        reply = bot.post(path, {"query": HISTORY, "variables": {"ids": [made["node_id"]]}})
        assert reply.body["data"]["nodes"][0]["id"] == made["node_id"]


def test_the_gateways_query_is_answered_in_githubs_shape(
    sandbox: Sandbox, alice: Client, bob: Client
) -> None:
    issue = sandbox.create_issue("acme/team", title="t", body="v1", user="alice")
    comment = sandbox.create_comment("acme/team", 1, body="c1", user="alice")
    bob.patch(f"{REPO}/issues/1", {"body": "v2"})
    sandbox.delete_revision("acme/team", issue=1, revision=0, user="alice")
    ids = [issue["node_id"], comment["node_id"], "I_kwDOmissing"]
    reply = alice.post("/graphql", {"query": EDIT_HISTORY_QUERY, "variables": {"ids": ids}})
    data = reply.body["data"]
    assert answer_errors(EDIT_HISTORY_QUERY, {"ids": ids}, data) == []
    assert [n and n["__typename"] for n in data["nodes"]] == ["Issue", "IssueComment", None]


def test_the_shape_check_catches_what_github_would_not_send() -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Issue { includesCreatedEdit } } }"  # noqa: E501
    good = {"nodes": [{"__typename": "Issue", "includesCreatedEdit": False}, None]}
    assert answer_errors(query, {"ids": []}, good) == []
    bad = {"nodes": [{"__typename": "Issue", "includesCreatedEdit": None}]}
    assert answer_errors(query, {"ids": []}, bad) != []
