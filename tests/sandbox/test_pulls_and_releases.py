"""Pull requests and releases over HTTP: the listings' filters, order, pagination and access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox

REPO = "/repos/acme/team"


def _numbers(reply: Any) -> list[int]:
    assert reply.status == 200, reply.body
    return [item["number"] for item in reply.body]


def _seed(sandbox: Sandbox, clock: FixedClock) -> None:
    """#1 an issue; #2 merged PR (feature into main); #3 open PR (fix into release); #4 closed
    unmerged."""
    sandbox.create_issue("acme/team", title="plain issue", user="alice")
    sandbox.create_pull_request("acme/team", title="Feature", user="bob", head="feature")
    clock.advance(timedelta(minutes=1))
    sandbox.create_pull_request(
        "acme/team", title="Fix", user="bob", head="fix", base="release", labels=["bug"]
    )
    clock.advance(timedelta(minutes=1))
    sandbox.create_pull_request("acme/team", title="Dropped", user="alice", head="dropped")
    clock.advance(timedelta(minutes=1))
    sandbox.merge_pull_request("acme/team", 2, user="alice")
    clock.advance(timedelta(minutes=1))
    sandbox.set_issue_state("acme/team", 4, "closed", user="alice")


def test_pull_requests_number_with_issues_and_show_in_the_issues_listing(
    sandbox: Sandbox, clock: FixedClock, alice: Any, url: str
) -> None:
    _seed(sandbox, clock)
    issues = alice.get(f"{REPO}/issues", state="all").body
    by_number = {item["number"]: item for item in issues}
    assert sorted(by_number) == [1, 2, 3, 4]
    assert "pull_request" not in by_number[1]
    merged = by_number[2]
    assert merged["html_url"] == f"{url}/acme/team/pull/2"
    assert merged["pull_request"]["url"] == f"{url}/repos/acme/team/pulls/2"
    assert merged["pull_request"]["merged_at"] == "2024-05-06T09:03:00Z"
    assert by_number[4]["pull_request"]["merged_at"] is None
    # Plain issues never show in the pull requests listing.
    assert _numbers(alice.get(f"{REPO}/pulls", state="all")) == [4, 3, 2]


def test_state_sort_direction_and_branch_filters(
    sandbox: Sandbox, clock: FixedClock, alice: Any
) -> None:
    _seed(sandbox, clock)
    assert _numbers(alice.get(f"{REPO}/pulls")) == [3]  # open by default
    closed = alice.get(f"{REPO}/pulls", state="closed").body
    assert [(p["number"], p["merged_at"] is not None) for p in closed] == [(4, False), (2, True)]
    assert closed[1]["closed_at"] == closed[1]["merged_at"] == "2024-05-06T09:03:00Z"
    # sort=updated defaults to ascending; desc must be asked for.
    assert _numbers(alice.get(f"{REPO}/pulls", state="all", sort="updated")) == [3, 2, 4]
    newest = alice.get(f"{REPO}/pulls", state="all", sort="updated", direction="desc")
    assert _numbers(newest) == [4, 2, 3]
    assert _numbers(alice.get(f"{REPO}/pulls", state="all", base="release")) == [3]
    assert _numbers(alice.get(f"{REPO}/pulls", state="all", head="acme:fix")) == [3]
    assert _numbers(alice.get(f"{REPO}/pulls", state="all", head="someone:fix")) == []
    # A bare branch name is ignored, as on GitHub: every pull request comes back.
    assert _numbers(alice.get(f"{REPO}/pulls", state="all", head="fix")) == [4, 3, 2]
    fix = alice.get(f"{REPO}/pulls", head="acme:fix").body[0]
    assert [label["name"] for label in fix["labels"]] == ["bug"]
    assert (fix["head"]["label"], fix["base"]["ref"], fix["user"]["login"]) == (
        "acme:fix",
        "release",
        "bob",
    )
    for name, value in (("state", "merged"), ("sort", "title"), ("direction", "up")):
        refused = alice.get(f"{REPO}/pulls", **{name: value})
        assert refused.status == 422, (name, refused.body)


def test_pull_listing_pages_like_the_other_listings(
    sandbox: Sandbox, clock: FixedClock, alice: Any
) -> None:
    _seed(sandbox, clock)
    first = alice.get(f"{REPO}/pulls", state="all", per_page="2")
    assert _numbers(first) == [4, 3]
    link = first.header("link")
    assert link is not None and 'rel="next"' in link and "state=all" in link
    next_url = link.split(";")[0].strip("<>")
    assert _numbers(alice.call("GET", next_url)) == [2]


def test_the_actions_token_needs_pull_requests_read(sandbox: Sandbox, bot: Any) -> None:
    sandbox.create_pull_request("acme/team", title="x", user="bob", head="x")
    refused = bot.get(f"{REPO}/pulls")
    assert refused.status == 403
    assert "not accessible by integration" in refused.body["message"]
    allowed = bot.as_(sandbox.actions_token("acme/team", {"pull_requests": "read"}))
    assert _numbers(allowed.get(f"{REPO}/pulls")) == [1]


def test_draft_pull_requests_do_not_merge(sandbox: Sandbox) -> None:
    sandbox.create_pull_request("acme/team", title="wip", user="bob", head="wip", draft=True)
    try:
        sandbox.merge_pull_request("acme/team", 1, user="alice")
    except Exception as error:
        assert "not mergeable" in str(error)
    else:
        raise AssertionError("a draft merged")


def test_draft_releases_are_listed_only_with_push_access(
    sandbox: Sandbox, clock: FixedClock, alice: Any, carol: Any, bot: Any
) -> None:
    sandbox.create_release("acme/team", tag_name="v1.0", user="alice", name="First")
    clock.advance(timedelta(days=1))
    draft = sandbox.create_release("acme/team", tag_name="v1.1", user="alice", draft=True)
    assert draft["published_at"] is None
    assert [r["tag_name"] for r in alice.get(f"{REPO}/releases").body] == ["v1.1", "v1.0"]
    assert [r["tag_name"] for r in carol.get(f"{REPO}/releases").body] == ["v1.0"]
    # The Actions token: contents write is push access, contents read is not.
    assert len(bot.get(f"{REPO}/releases").body) == 2
    reader = bot.as_(sandbox.actions_token("acme/team", {"contents": "read"}))
    published = reader.get(f"{REPO}/releases").body
    assert [(r["tag_name"], r["author"]["login"]) for r in published] == [("v1.0", "alice")]
    assert published[0]["published_at"] == "2024-05-06T09:00:00Z"
    clock.advance(timedelta(hours=2))
    sandbox.publish_release("acme/team", draft["id"])
    later = reader.get(f"{REPO}/releases").body
    assert (later[0]["tag_name"], later[0]["published_at"]) == (
        "v1.1",
        "2024-05-07T11:00:00Z",
    )
