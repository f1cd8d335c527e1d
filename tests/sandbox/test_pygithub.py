"""The main flows as the bot drives them: through PyGithub against the served sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from github import Auth, Github, GithubException

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox


def _client(url: str, token: str) -> Github:
    return Github(
        base_url=url,
        auth=Auth.Token(token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=None,
        per_page=100,
    )


@pytest.fixture
def gh(sandbox: Sandbox, url: str) -> Iterator[Github]:
    client = _client(url, sandbox.actions_token("acme/team"))
    yield client
    client.close()


def test_issue_lifecycle(gh: Github, sandbox: Sandbox, clock: FixedClock, url: str) -> None:
    repo = gh.get_repo("acme/team")
    issue = repo.create_issue("Weekly HPFO", body="<!-- ritual:hpfo -->", labels=["ritual:hpfo"])
    assert issue.number == 1 and issue.html_url == f"{url}/acme/team/issues/1"
    assert issue.user.login == "github-actions[bot]" and issue.user.type == "Bot"
    comment = issue.create_comment("Reminder")
    assert comment.html_url.endswith(f"#issuecomment-{comment.id}")
    clock.advance(timedelta(days=7))
    issue.edit(state="closed", state_reason="completed")
    fetched = repo.get_issue(1)
    assert fetched.state == "closed" and fetched.state_reason == "completed"
    assert fetched.closed_by is not None and fetched.closed_by.login == "github-actions[bot]"
    assert fetched.closed_at.isoformat() == "2024-05-13T09:00:00+00:00"
    assert fetched.comments == 1


def test_paginated_listing_follows_links(gh: Github, sandbox: Sandbox) -> None:
    for n in range(130):
        sandbox.create_issue("acme/team", title=f"t{n}", user="alice", labels=["ritual:hpfo"])
    repo = gh.get_repo("acme/team")
    sandbox.clear_requests()
    listed = list(repo.get_issues(state="all", labels=[repo.get_label("ritual:hpfo")]))
    assert len(listed) == 130
    pages = [r for r in sandbox.requests if r.operation == "/repos/{owner}/{repo}/issues"]
    assert len(pages) == 2
    assert pages[1].path.startswith("/repositories/")


def test_comments_edit_delete_and_members_comment(gh: Github, sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    as_bob = _client(url, sandbox.user_token("bob"))
    bob_comment = as_bob.get_repo("acme/team").get_issue(1).create_comment("H: shipped")
    assert bob_comment.user.login == "bob"
    assert bob_comment.author_association == "COLLABORATOR"  # private org member, direct role
    issue = gh.get_repo("acme/team").get_issue(1)
    bot_comment = issue.create_comment("summary v1")
    bot_comment.edit("summary v2")
    assert [c.body for c in issue.get_comments()] == ["H: shipped", "summary v2"]
    bot_comment.delete()
    assert [c.body for c in issue.get_comments()] == ["H: shipped"]
    as_bob.close()


def test_labels_via_pygithub(gh: Github, sandbox: Sandbox) -> None:
    repo = gh.get_repo("acme/team")
    repo.create_label("decision: open", "0e8a16", "awaiting a decision")
    sandbox.create_issue("acme/team", title="d", user="alice")
    issue = repo.get_issue(1)
    issue.add_to_labels("decision: open")
    issue.set_labels("decision: closed", "ritual:decision")
    issue.remove_from_labels("ritual:decision")
    assert [lb.name for lb in repo.get_issue(1).labels] == ["decision: closed"]
    assert repo.get_label("decision: open").description == "awaiting a decision"


def test_errors_surface_as_pygithub_exceptions(gh: Github, sandbox: Sandbox) -> None:
    with pytest.raises(GithubException) as user_error:
        gh.get_user().login  # noqa: B018  (attribute access triggers the request)
    assert user_error.value.status == 403
    with pytest.raises(GithubException) as missing:
        gh.get_repo("acme/nope")
    assert missing.value.status == 404
    repo = gh.get_repo("acme/team")
    with pytest.raises(GithubException) as too_long:
        repo.create_issue("t", body="x" * 70000)
    assert too_long.value.status == 422


def test_permissions_and_contents(gh: Github, sandbox: Sandbox) -> None:
    repo = gh.get_repo("acme/team")
    assert repo.get_collaborator_permission("bob") == "write"
    assert repo.has_in_collaborators("carol")
    assert not repo.has_in_collaborators("mallory")
    made = repo.create_file("docs/summary.md", "add summary", "# Summary\n")
    current = repo.get_contents("docs/summary.md")
    assert not isinstance(current, list)
    assert current.decoded_content == b"# Summary\n"
    repo.update_file("docs/summary.md", "update", "# Summary v2\n", current.sha)
    assert sandbox.file("acme/team", "docs/summary.md") == "# Summary v2\n"
    assert made["commit"].sha


def test_team_members_via_pat(sandbox: Sandbox, url: str) -> None:
    client = _client(url, sandbox.user_token("alice"))
    # Only the team-members operation is emulated, so call it directly (no org/team objects).
    members = client.requester.requestJsonAndCheck("GET", "/orgs/acme/teams/eng/members")[1]
    assert [m["login"] for m in members] == ["alice", "bob"]
    client.close()
