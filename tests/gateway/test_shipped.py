"""What shipped in a window: pull requests merged and releases published, read from listings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ritual_bot.errors import GitHubError
from tests.support import ISSUED_TOKENS, REPO, World

START = datetime(2026, 11, 16, tzinfo=UTC)  # the week 2026-W47, [START, END)
END = datetime(2026, 11, 23, tzinfo=UTC)
PULLS = "/repos/{owner}/{repo}/pulls"
RELEASES = "/repos/{owner}/{repo}/releases"


def _grant(world: World, **permissions: str) -> None:
    world.bot_token = world.sandbox.actions_token(REPO, {"issues": "write", **permissions})
    ISSUED_TOKENS.add(world.bot_token)


def _pull(world: World, at: str, title: str, *, labels: tuple[str, ...] = ()) -> int:
    world.at(at)
    made = world.sandbox.create_pull_request(
        REPO, title=title, user="bob", head=title.replace(" ", "-"), labels=labels
    )
    return int(made["number"])


def _merged(world: World, at: str, title: str, **kwargs: tuple[str, ...]) -> int:
    number = _pull(world, at, title, **kwargs)
    world.sandbox.merge_pull_request(REPO, number, user="alice")
    return number


def _operations(world: World) -> list[str | None]:
    return [r.operation for r in world.sandbox.requests]


def test_merged_pulls_stop_at_the_first_page_updated_before_the_window(world: World) -> None:
    world.add_members(["alice", "bob"])
    _grant(world, pull_requests="read")
    for n in range(120):  # merged the week before: never kept, and never read past
        _merged(world, f"2026-11-09T{n // 60:02d}:{n % 60:02d}:00", f"old {n}")
    reopened_talk = _merged(world, "2026-11-10T09:00:00", "old talked about")
    for n in range(105):
        labels = ("feature",) if n % 2 else ()
        _merged(world, f"2026-11-17T{n // 60:02d}:{n % 60:02d}:00", f"new {n}", labels=labels)
    late_comment = _merged(world, "2026-11-20T10:00:00", "commented later")
    dropped = _pull(world, "2026-11-18T10:00:00", "dropped")
    world.sandbox.set_issue_state(REPO, dropped, "closed", user="alice")
    _pull(world, "2026-11-18T11:00:00", "still open")
    world.at("2026-11-19T12:00:00")  # a comment after the merge moves updated_at, not merged_at
    world.sandbox.create_comment(REPO, reopened_talk, body="why?", user="alice")
    world.at("2026-11-23T05:00:00")
    world.sandbox.create_comment(REPO, late_comment, body="nice", user="alice")
    after = _merged(world, "2026-11-23T02:00:00", "after the window")
    world.sandbox.clear_requests()

    found = world.gateway().merged_pulls(START, END)

    assert len(found) == 106
    numbers = [p.number for p in found]
    assert late_comment == numbers[0] and after not in numbers and dropped not in numbers
    assert reopened_talk not in numbers
    assert all(START <= p.merged_at < END for p in found)
    first_new = found[-1]
    assert (first_new.title, first_new.author.login, first_new.labels, first_new.base) == (
        "new 0",
        "bob",
        (),
        "main",
    )
    assert first_new.merged_at == datetime(2026, 11, 17, tzinfo=UTC)
    assert first_new.url.endswith(f"/{REPO}/pull/{first_new.number}")
    assert found[-2].labels == ("feature",)
    # 111 closed pull requests updated since START fill page 1 and start page 2, where the first
    # one older than START ends the read: page 3 (the rest of last week's) is never asked for.
    assert _operations(world) == [PULLS, PULLS]
    assert all(r.query.get("direction") == "desc" for r in world.sandbox.requests)


def test_listing_pull_requests_needs_the_pull_requests_permission(world: World) -> None:
    _grant(world, contents="read")  # a workflow that forgot `pull-requests: read`
    with pytest.raises(GitHubError) as refused:
        world.gateway().merged_pulls(START, END)
    assert refused.value.status == 403
    assert "`permissions: {pull-requests: read}`" in str(refused.value)


def test_releases_published_in_the_window_without_drafts(world: World) -> None:
    world.add_members(["alice"])
    _grant(world, contents="write")  # push access: the listing holds drafts too
    world.at("2026-10-01T09:00:00")
    for n in range(101):
        world.sandbox.create_release(REPO, tag_name=f"v0.{n}", user="alice")
    world.at("2026-11-10T09:00:00")  # drafted before the window, published in it
    late = world.sandbox.create_release(REPO, tag_name="v1.2", user="alice", draft=True)
    world.at("2026-11-17T09:00:00")
    world.sandbox.create_release(REPO, tag_name="v1.0", user="alice", name="Big one")
    world.at("2026-11-18T09:00:00")
    world.sandbox.create_release(REPO, tag_name="v1.1-rc1", user="alice", prerelease=True)
    world.sandbox.create_release(REPO, tag_name="v2.0", user="alice", draft=True)
    world.at("2026-11-19T09:00:00")
    world.sandbox.publish_release(REPO, late["id"])
    world.at("2026-11-23T03:00:00")
    world.sandbox.create_release(REPO, tag_name="v1.3", user="alice")
    world.sandbox.clear_requests()

    found = world.gateway().published_releases(START, END)

    assert [(r.tag_name, r.title, r.prerelease) for r in found] == [
        ("v1.2", "v1.2", False),
        ("v1.1-rc1", "v1.1-rc1", True),
        ("v1.0", "Big one", False),
    ]
    assert found[2].published_at == datetime(2026, 11, 17, 9, tzinfo=UTC)
    assert found[2].author.login == "alice" and "/releases/tag/v1.0" in found[2].url
    assert _operations(world) == [RELEASES, RELEASES]  # 106 releases: two pages of 100


def test_the_issues_read_leaves_pull_requests_out(world: World) -> None:
    world.add_members(["bob"])
    world.sandbox.create_issue(REPO, title="an issue", user="bob", labels=["feature"])
    number = _pull(world, "2026-11-23T06:00:00", "a pull", labels=("feature",))
    gateway = world.gateway()
    assert [i.title for i in gateway.list_issues("feature", since=None)] == ["an issue"]
    assert gateway.get_issue(number) is None
