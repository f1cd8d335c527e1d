"""The gateway's GraphQL read of edit histories, against the served sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from ritual_bot.gateway import EDIT_HISTORY_QUERY, Gateway, Secret
from ritual_bot.model import EditHistory, Revision
from ritual_bot.sandbox import Request, Response
from tests.graphql_schema import query_errors
from tests.support import REPO, World, served_world


@pytest.fixture
def world() -> Iterator[World]:
    with served_world() as served:
        served.sandbox.add_user("bob")
        served.sandbox.set_permission(REPO, "bob", "write")
        served.sandbox.add_user("carol")
        served.sandbox.set_permission(REPO, "carol", "read")
        yield served


def test_the_query_is_valid_on_githubs_schema() -> None:
    assert query_errors(EDIT_HISTORY_QUERY) == []


def test_the_bots_own_edit_is_the_bots_though_graphql_drops_its_suffix(world: World) -> None:
    """GraphQL names a Bot "github-actions" where REST says "github-actions[bot]"; read as is,
    the bot's own rewrite of its block would be a stranger's edit (and distrusted)."""
    box = world.sandbox
    issue = box.create_issue(REPO, title="t", body="first", user="github-actions[bot]")
    world.clock.advance(timedelta(minutes=1))
    box.edit_issue_body(REPO, 1, body="second", user="github-actions[bot]")
    query = {"query": EDIT_HISTORY_QUERY, "variables": {"ids": [issue["node_id"]]}}
    raw = world.api("bob", "POST", "/graphql", query)
    assert raw["data"]["nodes"][0]["editor"] == {"__typename": "Bot", "login": "github-actions"}

    [history] = world.gateway().edit_histories([issue["node_id"]]).values()
    assert history.editor == "github-actions[bot]"
    assert history.last_saved_by("github-actions[bot]") == "second"


def test_histories_map_editors_and_the_original(world: World) -> None:
    box = world.sandbox
    issue = box.create_issue(REPO, title="t", body="first", user="github-actions[bot]")
    mine = box.create_comment(REPO, 1, body="/approve", user="carol")
    theirs = box.create_comment(REPO, 1, body="/approve", user="carol")
    untouched = box.create_comment(REPO, 1, body="hello", user="bob")
    world.clock.advance(timedelta(minutes=1))
    world.api("bob", "PATCH", f"/repos/{REPO}/issues/1", {"body": "rewritten"})
    world.api("carol", "PATCH", f"/repos/{REPO}/issues/comments/{mine['id']}", {"body": "/reject"})
    world.clock.advance(timedelta(minutes=1))
    box.edit_comment(REPO, theirs["id"], body="/reject", user="bob")
    box.edit_comment(REPO, theirs["id"], body="/reject!", user="carol")
    box.delete_revision(REPO, comment_id=theirs["id"], revision=0, user="bob")

    gateway = world.gateway()
    ids = [issue["node_id"], mine["node_id"], theirs["node_id"], untouched["node_id"]]
    found = gateway.edit_histories(ids)

    at = world.clock.now()
    edited_at = at - timedelta(minutes=1)
    assert found[issue["node_id"]] == EditHistory(
        issue["node_id"],
        "bob",
        edited_at,
        ("bob",),
        "first",
        (Revision("bob", edited_at, "rewritten"),),
    )
    assert found[issue["node_id"]].last_saved_by("BOB") == "rewritten"
    assert found[issue["node_id"]].last_saved_by("github-actions[bot]") is None
    assert found[mine["node_id"]].editors == ("carol",)
    assert found[mine["node_id"]].original == "/approve"
    assert found[theirs["node_id"]] == EditHistory(
        theirs["node_id"],
        "carol",
        at,
        ("bob", "carol"),
        None,
        (Revision("bob", at, "/reject"), Revision("carol", at, "/reject!")),
    )
    assert found[untouched["node_id"]] == EditHistory(untouched["node_id"])
    assert not found[untouched["node_id"]].edited
    assert (gateway.stats.requests, gateway.stats.writes) == (1, 0)


def test_one_post_per_hundred_ids_and_unknown_ids_left_out(world: World) -> None:
    box = world.sandbox
    made = box.create_issue(REPO, title="t", user="bob")
    ids = [made["node_id"]] + [f"I_kwDOmissing{n}" for n in range(99)]
    box.clear_requests()
    gateway = world.gateway()
    assert set(gateway.edit_histories(ids)) == {made["node_id"]}
    assert [(r.method, r.path) for r in box.requests] == [("POST", "/graphql")]

    box.clear_requests()
    found = gateway.edit_histories([*ids, "I_kwDOmissing-last"])
    assert set(found) == {made["node_id"]}
    assert [r.path for r in box.requests] == ["/graphql", "/graphql"]
    assert not any(r.is_write for r in box.requests)
    assert gateway.stats.writes == 0
    box.clear_requests()
    assert gateway.edit_histories([]) == {}
    assert box.requests == []


def test_failures_leave_histories_out_without_raising(world: World) -> None:
    box = world.sandbox
    made = box.create_issue(REPO, title="t", user="bob")
    bad = Gateway(REPO, Secret("ghp_not-a-token-the-sandbox-knows"), api_url=world.url)
    assert bad.edit_histories([made["node_id"]]) == {}
    assert bad.stats.requests == 1

    def refuse(request: Request) -> Response | None:
        if request.path.endswith("/graphql"):
            return Response(403, {"message": "Resource not accessible by integration"})
        return None

    box.before_request.append(refuse)
    gateway = world.gateway()
    ids = [made["node_id"]] + [f"I_kwDOmissing{n}" for n in range(150)]
    assert gateway.edit_histories(ids) == {}
    assert gateway.stats.requests == 1  # no second chunk after a refusal
    box.before_request.remove(refuse)

    def query_error(request: Request) -> Response | None:
        if request.path.endswith("/graphql"):
            return Response(200, {"errors": [{"message": "Something went wrong"}]})
        return None

    box.before_request.append(query_error)
    assert world.gateway().edit_histories([made["node_id"]]) == {}


def test_a_truncated_history_is_left_out(world: World) -> None:
    box = world.sandbox
    made = box.create_comment(REPO, box.create_issue(REPO, title="t", user="bob")["number"],
                              body="v0", user="bob")  # fmt: skip
    for n in range(1, 101):  # 101 revisions with the creation one: one more than a page
        box.edit_comment(REPO, made["id"], body=f"v{n}", user="carol")
    assert world.gateway().edit_histories([made["node_id"]]) == {}


def test_ghes_base_url_posts_to_api_graphql(world: World) -> None:
    made = world.sandbox.create_issue(REPO, title="t", body="a", user="bob")
    world.sandbox.edit_issue_body(REPO, 1, body="b", user="bob")
    gateway = Gateway(REPO, Secret(world.bot_token), api_url=f"{world.url}/api/v3")
    world.sandbox.clear_requests()
    assert gateway.edit_histories([made["node_id"]])[made["node_id"]].editor == "bob"
    assert [r.path for r in world.sandbox.requests] == ["/api/graphql"]


def test_listing_reads_node_ids_without_completing_issues(world: World) -> None:
    box = world.sandbox
    for n in range(3):
        box.create_issue(REPO, title=f"t{n}", user="bob", labels=["rituals"])
    box.set_issue_state(REPO, 2, "closed", user="bob")
    gateway = world.gateway()
    box.clear_requests()
    listed = gateway.list_issues("rituals", since=None)
    assert len(box.requests) == 1  # closed_by and node_id read from the listing's raw data
    assert {i.number: i.closed_by for i in listed} == {1: None, 2: None, 3: None}
    assert all(i.node_id.startswith("I_") for i in listed)
    single = gateway.get_issue(2)
    assert single is not None and single.closed_by == "bob"
    comments = gateway.issue_comments(2)
    assert comments == []
    box.create_comment(REPO, 1, body="hi", user="bob")
    (comment,) = gateway.issue_comments(1)
    assert comment.node_id.startswith("IC_")
