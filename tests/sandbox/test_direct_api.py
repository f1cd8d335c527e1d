"""The in-process API used to seed scenarios and inspect results."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import ApiError, Sandbox


def test_timestamps_follow_the_clock(sandbox: Sandbox, clock: FixedClock) -> None:
    issue = sandbox.create_issue("acme/team", title="t", user="alice")
    clock.advance(timedelta(days=2, hours=3))
    comment = sandbox.create_comment("acme/team", 1, body="later", user="bob")
    assert issue["created_at"] == "2024-05-06T09:00:00Z"
    assert comment["created_at"] == "2024-05-08T12:00:00Z"
    assert sandbox.issue("acme/team", 1)["updated_at"] == "2024-05-08T12:00:00Z"
    clock.advance(timedelta(hours=1))
    closed = sandbox.set_issue_state(
        "acme/team", 1, "closed", state_reason="not_planned", user="bob"
    )
    assert closed["closed_at"] == "2024-05-08T13:00:00Z"
    assert closed["closed_by"]["login"] == "bob"


def test_seeding_validates_like_the_api(sandbox: Sandbox) -> None:
    with pytest.raises(ApiError) as too_long:
        sandbox.create_issue("acme/team", title="t", body="x" * 65537, user="alice")
    assert too_long.value.status == 422
    with pytest.raises(KeyError):
        sandbox.create_issue("acme/team", title="t", user="nobody")
    with pytest.raises(KeyError):
        sandbox.issue("acme/nope", 1)
    with pytest.raises(ValueError):
        sandbox.set_permission("acme/team", "bob", "owner")


def test_inspection_returns_rest_shapes(sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="a", user="alice", labels=["x"], assignees=["bob"])
    sandbox.add_labels("acme/team", 1, ["y"], user="alice")
    c = sandbox.create_comment("acme/team", 1, body="hi", user="carol")
    sandbox.edit_comment("acme/team", c["id"], body="hi!")
    [issue] = sandbox.issues("acme/team")
    assert [lb["name"] for lb in issue["labels"]] == ["x", "y"]
    assert issue["assignee"]["login"] == "bob"
    assert [x["body"] for x in sandbox.comments("acme/team", 1)] == ["hi!"]
    sandbox.delete_comment("acme/team", c["id"])
    assert sandbox.comments("acme/team", 1) == []
    assert sandbox.issue("acme/team", 1)["comments"] == 0
    assert sandbox.file("acme/team", "missing.md") is None


def test_owner_added_by_repo_can_become_an_org(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    sb.add_repo("beta/app")
    sb.add_org("beta", members=["zoe"])
    issue = sb.create_issue("beta/app", title="t", user="zoe")
    assert issue["author_association"] == "CONTRIBUTOR"
    assert sb.state.user("beta") is not None
    assert sb.state.user("beta").type == "Organization"  # type: ignore[union-attr]


def test_web_url_is_the_served_address(sandbox: Sandbox) -> None:
    with sandbox.serve() as url:
        assert sandbox.web_url == url
        assert sandbox.create_issue("acme/team", title="t", user="alice")["html_url"] == (
            f"{url}/acme/team/issues/1"
        )
