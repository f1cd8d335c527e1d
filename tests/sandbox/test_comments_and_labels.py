"""Comments, reactions and labels over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox

REPO = "/repos/acme/team"


def test_comment_updates_issue_count_and_updated_at(
    bot: Any, sandbox: Sandbox, clock: FixedClock, url: str
) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    clock.advance(timedelta(minutes=10))
    reply = bot.post(f"{REPO}/issues/1/comments", {"body": "hello"})
    assert reply.status == 201
    comment = reply.body
    assert comment["html_url"] == f"{url}/acme/team/issues/1#issuecomment-{comment['id']}"
    assert comment["issue_url"] == f"{url}/repos/acme/team/issues/1"
    assert comment["id"] > 1_000_000
    assert comment["created_at"] == "2024-05-06T09:10:00Z"
    issue = sandbox.issue("acme/team", 1)
    assert issue["comments"] == 1 and issue["updated_at"] == "2024-05-06T09:10:00Z"
    clock.advance(timedelta(minutes=10))
    assert bot.delete(f"{REPO}/issues/comments/{comment['id']}").status == 204
    issue = sandbox.issue("acme/team", 1)
    assert issue["comments"] == 0 and issue["updated_at"] == "2024-05-06T09:20:00Z"
    assert bot.get(f"{REPO}/issues/comments/{comment['id']}").status == 404


def test_comment_body_limits(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    long = bot.post(f"{REPO}/issues/1/comments", {"body": "x" * 65537})
    assert long.status == 422
    assert long.body["errors"] == [
        {
            "resource": "IssueComment",
            "code": "custom",
            "field": "body",
            "message": "body is too long (maximum is 65536 characters)",
        }
    ]
    assert bot.post(f"{REPO}/issues/1/comments", {}).status == 422
    assert bot.post(f"{REPO}/issues/7/comments", {"body": "x"}).status == 404


def test_edit_comment_and_permissions(
    bot: Any, carol: Any, sandbox: Sandbox, clock: FixedClock
) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    theirs = sandbox.create_comment("acme/team", 1, body="by bob", user="bob")
    own = sandbox.create_comment("acme/team", 1, body="by carol", user="carol")
    clock.advance(timedelta(minutes=3))
    assert carol.patch(f"{REPO}/issues/comments/{theirs['id']}", {"body": "no"}).status == 403
    assert carol.delete(f"{REPO}/issues/comments/{theirs['id']}").status == 403
    edited = carol.patch(f"{REPO}/issues/comments/{own['id']}", {"body": "fixed"}).body
    assert edited["body"] == "fixed" and edited["updated_at"] == "2024-05-06T09:03:00Z"
    assert edited["created_at"] == "2024-05-06T09:00:00Z"
    by_bot = bot.patch(f"{REPO}/issues/comments/{theirs['id']}", {"body": "healed"}).body
    assert by_bot["body"] == "healed"


def test_list_comments_since_and_pages(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    for n in range(5):
        sandbox.create_comment("acme/team", 1, body=f"c{n}", user="bob")
        clock.advance(timedelta(minutes=1))
    page = bot.get(f"{REPO}/issues/1/comments", per_page="2", page="3")
    assert [c["body"] for c in page.body] == ["c4"]
    recent = bot.get(f"{REPO}/issues/1/comments", since="2024-05-06T09:03:00Z").body
    assert [c["body"] for c in recent] == ["c3", "c4"]


def test_repo_wide_comments_sort(bot: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    sandbox.create_issue("acme/team", title="a", user="alice")
    sandbox.create_issue("acme/team", title="b", user="alice")
    first = sandbox.create_comment("acme/team", 1, body="one", user="bob")
    clock.advance(timedelta(minutes=1))
    sandbox.create_comment("acme/team", 2, body="two", user="bob")
    clock.advance(timedelta(minutes=1))
    sandbox.edit_comment("acme/team", first["id"], body="one, edited")
    plain = bot.get(f"{REPO}/issues/comments").body
    assert [c["body"] for c in plain] == ["one, edited", "two"]
    by_update = bot.get(f"{REPO}/issues/comments", sort="updated", direction="desc").body
    assert [c["body"] for c in by_update] == ["one, edited", "two"]
    by_created = bot.get(f"{REPO}/issues/comments", sort="created", direction="desc").body
    assert [c["body"] for c in by_created] == ["two", "one, edited"]


def test_reactions_roll_up(bot: Any, alice: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    c = sandbox.create_comment("acme/team", 1, body="vote", user="bob")
    path = f"{REPO}/issues/comments/{c['id']}/reactions"
    assert alice.post(path, {"content": "+1"}).status == 201
    assert alice.post(path, {"content": "+1"}).status == 200
    assert bot.post(path, {"content": "+1"}).status == 201
    assert alice.post(path, {"content": "shrug"}).status == 422
    rollup = bot.get(f"{REPO}/issues/comments/{c['id']}").body["reactions"]
    assert rollup["+1"] == 2 and rollup["total_count"] == 2
    hearts = bot.get(path, content="heart").body
    assert hearts == []
    assert [r["user"]["login"] for r in bot.get(path).body] == ["alice", "github-actions[bot]"]


def test_url_encoded_label_names(bot: Any, sandbox: Sandbox, url: str) -> None:
    made = bot.post(f"{REPO}/labels", {"name": "decision: open", "color": "#0E8A16"})
    assert made.status == 201
    assert made.body["color"] == "0e8a16"
    assert made.body["url"] == f"{url}/repos/acme/team/labels/decision%3A%20open"
    assert bot.get(f"{REPO}/labels/decision%3A%20open").body["name"] == "decision: open"
    bot.post(f"{REPO}/labels", {"name": "ritual:hpfo"})
    assert bot.get(f"{REPO}/labels/ritual%3Ahpfo").body["color"] == "ededed"
    assert bot.get(f"{REPO}/labels/RITUAL%3AHPFO").status == 200
    assert bot.get(f"{REPO}/labels/nope").status == 404


def test_label_validation(bot: Any, carol: Any) -> None:
    bot.post(f"{REPO}/labels", {"name": "x"})
    dup = bot.post(f"{REPO}/labels", {"name": "X"})
    assert dup.status == 422
    assert dup.body["errors"] == [{"resource": "Label", "code": "already_exists", "field": "name"}]
    assert bot.post(f"{REPO}/labels", {"name": "y", "color": "red"}).status == 422
    assert carol.post(f"{REPO}/labels", {"name": "z"}).status == 403


def test_rename_and_delete_label_follow_issues(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice", labels=["old", "keep"])
    renamed = bot.patch(f"{REPO}/labels/old", {"new_name": "new", "color": "ff0000"})
    assert renamed.body["name"] == "new"
    assert [lb["name"] for lb in sandbox.issue("acme/team", 1)["labels"]] == ["new", "keep"]
    assert bot.delete(f"{REPO}/labels/new").status == 204
    assert [lb["name"] for lb in sandbox.issue("acme/team", 1)["labels"]] == ["keep"]


def test_issue_labels_add_set_remove(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    added = bot.post(f"{REPO}/issues/1/labels", {"labels": ["a", "b"]})
    assert [lb["name"] for lb in added.body] == ["a", "b"]
    bare = bot.post(f"{REPO}/issues/1/labels", ["c"])  # PyGithub sends a bare array
    assert [lb["name"] for lb in bare.body] == ["a", "b", "c"]
    replaced = bot.put(f"{REPO}/issues/1/labels", {"labels": [{"name": "decision: open"}]})
    assert [lb["name"] for lb in replaced.body] == ["decision: open"]
    removed = bot.delete(f"{REPO}/issues/1/labels/decision%3A%20open")
    assert removed.status == 200 and removed.body == []
    gone = bot.delete(f"{REPO}/issues/1/labels/decision%3A%20open")
    assert gone.status == 404 and gone.body["message"] == "Label does not exist"
    assert [lb["name"] for lb in bot.get(f"{REPO}/issues/1/labels").body] == []
