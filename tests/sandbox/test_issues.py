"""Issues over HTTP: creation rules, filters, sorting, pagination, state changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox

REPO = "/repos/acme/team"


def _seed(sandbox: Sandbox, clock: FixedClock, count: int) -> None:
    for n in range(count):
        sandbox.create_issue("acme/team", title=f"issue {n + 1}", user="alice")
        clock.advance(timedelta(minutes=1))


def test_created_issue_has_github_shape_and_links(bot: Any, sandbox: Sandbox, url: str) -> None:
    reply = bot.post(f"{REPO}/issues", {"title": "Hello", "body": "World"})
    assert reply.status == 201
    issue = reply.body
    assert issue["number"] == 1
    assert issue["html_url"] == f"{url}/acme/team/issues/1"
    assert issue["url"] == f"{url}/repos/acme/team/issues/1"
    assert reply.header("location") == issue["url"]
    assert issue["user"]["login"] == "github-actions[bot]"
    assert issue["user"]["type"] == "Bot"
    assert issue["user"]["id"] == 41898282
    assert "pull_request" not in issue
    assert issue["created_at"] == "2024-05-06T09:00:00Z"
    assert issue["reactions"]["total_count"] == 0
    assert issue["state_reason"] is None and issue["closed_by"] is None


def test_numbers_are_per_repo_and_ids_global(sandbox: Sandbox) -> None:
    sandbox.add_repo("acme/other")
    a = sandbox.create_issue("acme/team", title="a", user="alice")
    b = sandbox.create_issue("acme/other", title="b", user="alice")
    assert a["number"] == b["number"] == 1
    assert a["id"] != b["id"]


def test_missing_labels_are_created_in_default_colour(bot: Any, sandbox: Sandbox) -> None:
    bot.post(f"{REPO}/issues", {"title": "t", "labels": ["ritual:hpfo"]})
    assert [(lb["name"], lb["color"]) for lb in sandbox.labels("acme/team")] == [
        ("ritual:hpfo", "ededed")
    ]


def test_labels_and_assignees_from_a_reader_are_silently_dropped(carol: Any) -> None:
    reply = carol.post(f"{REPO}/issues", {"title": "t", "labels": ["x"], "assignees": ["bob"]})
    assert reply.status == 201
    assert reply.body["labels"] == [] and reply.body["assignees"] == []


def test_unassignable_user_is_a_422(bot: Any) -> None:
    reply = bot.post(f"{REPO}/issues", {"title": "t", "assignees": ["mallory"]})
    assert reply.status == 422
    assert reply.body["message"] == "Validation Failed"
    assert reply.body["errors"][0]["field"] == "assignees"
    assert reply.body["errors"][0]["code"] == "invalid"


def test_a_reader_outside_the_org_cannot_be_assigned_until_they_comment(
    bot: Any, sandbox: Sandbox
) -> None:
    """carol (read, outside collaborator) is refused with GitHub's exact body, and nothing is
    created; dave (org member, read through the base role) can be; a commenter can be too."""
    before = len(sandbox.issues("acme/team"))
    reply = bot.post(f"{REPO}/issues", {"title": "t", "assignees": ["dave", "carol"]})
    assert reply.status == 422 and len(sandbox.issues("acme/team")) == before
    assert reply.body["errors"] == [
        {"value": ["carol"], "resource": "Issue", "field": "assignees", "code": "invalid"}
    ]
    assert bot.post(f"{REPO}/issues", {"title": "t", "assignees": ["dave"]}).status == 201
    number = bot.post(f"{REPO}/issues", {"title": "u"}).body["number"]
    patch = bot.patch(f"{REPO}/issues/{number}", {"assignees": ["carol"]})
    assert patch.status == 422 and patch.body["errors"][0]["value"] == "carol"
    added = bot.post(f"{REPO}/issues/{number}/assignees", {"assignees": ["carol"]})
    assert added.status == 201 and added.body["assignees"] == []  # silently skipped
    sandbox.create_comment("acme/team", number, body="I'll take it", user="carol")
    added = bot.post(f"{REPO}/issues/{number}/assignees", {"assignees": ["carol"]})
    assert [a["login"] for a in added.body["assignees"]] == ["carol"]


def test_body_too_long_is_a_422_like_github(bot: Any) -> None:
    reply = bot.post(f"{REPO}/issues", {"title": "t", "body": "x" * 65537})
    assert reply.status == 422
    assert reply.body == {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "Issue",
                "code": "custom",
                "field": "body",
                "message": "body is too long (maximum is 65536 characters)",
            }
        ],
        "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
        "status": "422",
    }
    assert bot.post(f"{REPO}/issues", {"title": "t", "body": "x" * 65536}).status == 201


def test_missing_title_and_bad_json(bot: Any) -> None:
    missing = bot.post(f"{REPO}/issues", {"body": "b"})
    assert missing.status == 422
    assert missing.body["message"] == 'Invalid request.\n\n"title" wasn\'t supplied.'
    broken = bot.call("POST", f"{REPO}/issues", raw=b"{not json")
    assert broken.status == 400
    assert broken.body["message"] == "Problems parsing JSON"


def test_unknown_issue_is_404_with_operation_docs(bot: Any) -> None:
    reply = bot.get(f"{REPO}/issues/42")
    assert reply.status == 404
    assert reply.body == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/issues/issues#get-an-issue",
        "status": "404",
    }


def test_close_with_reason_then_reopen(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    clock.advance(timedelta(hours=1))
    closed = bot.patch(f"{REPO}/issues/1", {"state": "closed", "state_reason": "not_planned"}).body
    assert closed["state"] == "closed" and closed["state_reason"] == "not_planned"
    assert closed["closed_at"] == closed["updated_at"] == "2024-05-06T10:00:00Z"
    assert closed["closed_by"]["login"] == "github-actions[bot]"
    clock.advance(timedelta(hours=1))
    reopened = bot.patch(f"{REPO}/issues/1", {"state": "open"}).body
    assert reopened["state_reason"] == "reopened" and reopened["closed_at"] is None
    assert reopened["updated_at"] == "2024-05-06T11:00:00Z"
    plain = bot.patch(f"{REPO}/issues/1", {"state": "closed"}).body
    assert plain["state_reason"] == "completed"


def test_invalid_state_reason_is_rejected(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    reply = bot.patch(f"{REPO}/issues/1", {"state": "closed", "state_reason": "done"})
    assert reply.status == 422
    assert sandbox.issue("acme/team", 1)["state"] == "open"


def test_patch_replaces_labels_and_keeps_updated_at_when_nothing_changes(
    bot: Any, sandbox: Sandbox, clock: FixedClock
) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice", labels=["a", "b"])
    clock.advance(timedelta(minutes=5))
    same = bot.patch(f"{REPO}/issues/1", {"title": "t"}).body
    assert same["updated_at"] == "2024-05-06T09:00:00Z"
    changed = bot.patch(f"{REPO}/issues/1", {"labels": ["c"], "body": "new"}).body
    assert [lb["name"] for lb in changed["labels"]] == ["c"]
    assert changed["body"] == "new" and changed["updated_at"] == "2024-05-06T09:05:00Z"


def test_readers_cannot_edit_someone_elses_issue(carol: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    reply = carol.patch(f"{REPO}/issues/1", {"title": "mine now"})
    assert reply.status == 403
    own = sandbox.create_issue("acme/team", title="carol's", user="carol")
    assert carol.patch(f"{REPO}/issues/{own['number']}", {"state": "closed"}).status == 200


def test_state_filter_and_default_sort(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    _seed(sandbox, clock, 3)
    sandbox.set_issue_state("acme/team", 2, "closed")
    assert [i["number"] for i in bot.get(f"{REPO}/issues").body] == [3, 1]
    assert [i["number"] for i in bot.get(f"{REPO}/issues", state="closed").body] == [2]
    everything = bot.get(f"{REPO}/issues", state="all", direction="asc").body
    assert [i["number"] for i in everything] == [1, 2, 3]


def test_labels_filter_needs_every_label(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="a", user="alice", labels=["ritual:hpfo", "week"])
    sandbox.create_issue("acme/team", title="b", user="alice", labels=["ritual:hpfo"])
    sandbox.create_issue("acme/team", title="c", user="alice", labels=["decision: open"])
    both = bot.get(f"{REPO}/issues", labels="ritual:hpfo,week").body
    assert [i["title"] for i in both] == ["a"]
    one = bot.get(f"{REPO}/issues", labels="Ritual:HPFO").body
    assert sorted(i["title"] for i in one) == ["a", "b"]
    spaced = bot.get(f"{REPO}/issues", labels="decision: open").body
    assert [i["title"] for i in spaced] == ["c"]


def test_since_filters_on_updated_at(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    _seed(sandbox, clock, 3)  # created 09:00, 09:01, 09:02
    clock.advance(timedelta(hours=1))
    sandbox.create_comment("acme/team", 1, body="bump", user="bob")  # updates #1 at 10:03
    recent = bot.get(f"{REPO}/issues", since="2024-05-06T09:02:00Z").body
    assert sorted(i["number"] for i in recent) == [1, 3]
    bad = bot.get(f"{REPO}/issues", since="yesterday")
    assert bad.status == 422


def test_creator_assignee_and_mentioned_filters(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="a", user="alice", assignees=["bob"])
    sandbox.create_issue("acme/team", title="b", user="bob", body="cc @alice")
    sandbox.create_issue("acme/team", title="c", user="bob")
    sandbox.create_comment("acme/team", 3, body="@carol please look", user="bob")

    def titles(**query: str) -> list[str]:
        return sorted(i["title"] for i in bot.get(f"{REPO}/issues", **query).body)

    assert titles(creator="bob") == ["b", "c"]
    assert titles(assignee="bob") == ["a"]
    assert titles(assignee="none") == ["b", "c"]
    assert titles(assignee="*") == ["a"]
    assert titles(mentioned="alice") == ["b"]
    assert titles(mentioned="carol") == ["c"]


def test_sort_by_comments_and_updated(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    _seed(sandbox, clock, 3)
    sandbox.create_comment("acme/team", 2, body="x", user="bob")
    sandbox.create_comment("acme/team", 2, body="y", user="bob")
    sandbox.create_comment("acme/team", 1, body="z", user="bob")
    by_comments = bot.get(f"{REPO}/issues", sort="comments").body
    assert [i["number"] for i in by_comments] == [2, 1, 3]
    by_updated = bot.get(f"{REPO}/issues", sort="updated", direction="asc").body
    assert [i["number"] for i in by_updated] == [3, 1, 2]


def test_pagination_and_link_header(
    bot: Any, sandbox: Sandbox, clock: FixedClock, url: str
) -> None:
    _seed(sandbox, clock, 7)
    repo_id = bot.get(REPO).body["id"]
    base = f"{url}/repositories/{repo_id}/issues?state=all&per_page=2"
    first = bot.get(f"{REPO}/issues", state="all", per_page="2")
    assert [i["number"] for i in first.body] == [7, 6]
    assert first.header("link") == (f'<{base}&page=2>; rel="next", <{base}&page=4>; rel="last"')
    middle = bot.get(f"{REPO}/issues", state="all", per_page="2", page="2")
    assert middle.header("link") == (
        f'<{base}&page=1>; rel="prev", <{base}&page=3>; rel="next", '
        f'<{base}&page=4>; rel="last", <{base}&page=1>; rel="first"'
    )
    last = bot.get(f"{REPO}/issues", state="all", per_page="2", page="4")
    assert [i["number"] for i in last.body] == [1]
    assert last.header("link") == f'<{base}&page=3>; rel="prev", <{base}&page=1>; rel="first"'
    followed = bot.call("GET", f"{base}&page=3")
    assert [i["number"] for i in followed.body] == [3, 2]


def test_per_page_defaults_to_30_and_caps_at_100(
    bot: Any, sandbox: Sandbox, clock: FixedClock
) -> None:
    _seed(sandbox, clock, 105)
    assert len(bot.get(f"{REPO}/issues").body) == 30
    assert len(bot.get(f"{REPO}/issues", per_page="500").body) == 100
    assert bot.get(f"{REPO}/issues", per_page="5").header("link") is not None
    assert bot.get(f"{REPO}/issues", per_page="100", page="2").header("link") is not None


def test_assignees_endpoints_ignore_unassignable_users(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    added = bot.post(f"{REPO}/issues/1/assignees", {"assignees": ["bob", "mallory"]})
    assert added.status == 201
    assert [a["login"] for a in added.body["assignees"]] == ["bob"]
    assert added.body["assignee"]["login"] == "bob"
    removed = bot.delete(f"{REPO}/issues/1/assignees", {"assignees": ["bob"]})
    assert removed.status == 200 and removed.body["assignees"] == []


def test_issues_disabled_is_410(sandbox: Sandbox, alice: Any) -> None:
    sandbox.add_repo("acme/quiet", has_issues=False)
    client = alice.as_(sandbox.actions_token("acme/quiet"))
    reply = client.post("/repos/acme/quiet/issues", {"title": "t"})
    assert reply.status == 410
    assert reply.body["message"] == "Issues are disabled for this repo"
