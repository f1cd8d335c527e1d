"""The gateway conversations pinned as cassettes: each one self-contained, through the real Gateway.

A flow only knows a ``Target``: where the API is, which repository, who the token acts as, a
reference time and a tag. The same flows run against the sandbox (recorded to
``tests/data/cassettes/sandbox``), from those cassettes (the default, no server), and against
real GitHub in live mode (``tests/live``). So their checks never depend on things that differ
between the two, like issue numbers or ids: a listed issue must be the one the flow created.

The sandbox identity is ``alice`` with a personal token, not the Actions token: live mode runs
with a maintainer's personal token, and comparing like with like is the point of the cassettes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from ritual_bot.clock import FixedClock
from ritual_bot.errors import GitHubError
from ritual_bot.gateway import Applied, Gateway, Secret
from ritual_bot.markers import Marker, find_markers
from ritual_bot.ops import AddComment, CreateIssue, EnsureLabel, UpdateIssue
from ritual_bot.sandbox import Sandbox
from tests.gateway.recording import FAKE_API_URL
from tests.support import REPO

# The sandbox's clock while recording, and the reference time of every replay: the ``since``
# queries are part of the recorded requests.
RECORDED_AT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SANDBOX_LOGIN = "alice"
# What a run tags its labels and markers with; live runs use a random tag (rewritten to this one
# in their cassettes) so that re-running against the same throwaway repository starts clean.
SANDBOX_TAG = "rec"
BAD_TOKEN = "not-a-valid-token"
LABEL_COLOR = "5319e7"


@dataclass(frozen=True)
class Target:
    api_url: str
    token: str = field(repr=False)  # a live token must not show in a failure report
    repo: str
    login: str  # who the token acts as; also the assignee (a maintainer can assign themselves)
    now: datetime  # the reference instant for ``since``
    tag: str = SANDBOX_TAG

    def gateway(self, *, repo: str | None = None, token: str | None = None) -> Gateway:
        return Gateway(repo or self.repo, Secret(token or self.token), api_url=self.api_url)

    def label(self, flow: str) -> str:
        """One label per flow, so a flow's listing sees only what that flow created."""
        return f"ritual-cassette:{flow}-{self.tag}"

    def marker(self, flow: str) -> Marker:
        return Marker.of("cassette", flow=flow, run=self.tag)

    @property
    def since(self) -> datetime:
        # Ten minutes back: room for clock skew between a maintainer's machine and GitHub.
        return self.now - timedelta(minutes=10)

    @property
    def future(self) -> datetime:
        return self.now + timedelta(days=1)

    @property
    def missing_repo(self) -> str:
        owner = self.repo.partition("/")[0]
        return f"{owner}/ritual-bot-missing-{self.tag}"


@contextmanager
def sandbox_target(now: datetime = RECORDED_AT) -> Iterator[Target]:
    """A fresh sandbox with ``acme/team`` and alice (write access), served on loopback."""
    box = Sandbox(clock=FixedClock(now))
    box.add_org("acme")
    box.add_repo(REPO)
    box.set_permission(REPO, SANDBOX_LOGIN, "write")
    with box.serve() as url:
        yield Target(url, box.user_token(SANDBOX_LOGIN), REPO, SANDBOX_LOGIN, now)


def replay_target(now: datetime = RECORDED_AT) -> Target:
    """No server: the cassette answers. The token is never sent anywhere."""
    return Target(FAKE_API_URL, "replay-only", REPO, SANDBOX_LOGIN, now)


@dataclass(frozen=True)
class Flow:
    name: str
    run: Callable[[Target], None]
    statuses: tuple[int, ...]  # what GitHub answers, in order (checked against the cassette)

    def __str__(self) -> str:
        return self.name


def _open(target: Target, gateway: Gateway, flow: str, title: str) -> Applied:
    marker = target.marker(flow)
    op = CreateIssue(
        marker=marker,
        title=title,
        body=f"{marker.render()}\nOpened by the `{flow}` cassette flow.\n",
        labels=(target.label(flow),),
        assignees=(target.login,),
    )
    (applied,) = gateway.apply([op])
    assert applied.number is not None and applied.number > 0
    assert applied.html_url.endswith(f"/issues/{applied.number}")
    return applied


def ensure_label(target: Target) -> None:
    """The label is created, and ensuring it again answers 422 already_exists, which is fine."""
    gateway = target.gateway()
    op = EnsureLabel(target.label("ensure_label"), LABEL_COLOR, "Made by the cassette flows")
    applied = list(gateway.apply([op, op]))
    assert applied == [Applied(op, None), Applied(op, None)]
    assert (gateway.stats.requests, gateway.stats.writes) == (2, 2)


def open_and_list(target: Target) -> None:
    """An issue opened with a label, an assignee and a marker reads back from the label listing."""
    gateway = target.gateway()
    label = target.label("open_and_list")
    created = _open(target, gateway, "open_and_list", "Weekly check-in (cassette)")

    (issue,) = gateway.list_issues(label, since=target.since)
    assert issue.number == created.number
    assert issue.html_url == created.html_url
    assert issue.title == "Weekly check-in (cassette)"
    assert issue.labels == (label,)
    assert issue.assignees == (target.login,)
    assert issue.author.login == target.login and issue.author.type == "User"
    assert (issue.state, issue.state_reason, issue.closed_at) == ("open", None, None)
    assert list(find_markers(issue.body)) == [target.marker("open_and_list")]
    assert issue.comments_count == 0
    assert issue.created_at <= issue.updated_at

    assert gateway.list_issues(label, since=target.future) == []  # ``since`` is honoured
    assert (gateway.stats.requests, gateway.stats.writes) == (3, 1)


def comment_and_read(target: Target) -> None:
    """A comment posted on an issue comes back from the repository-wide listing with ``since``."""
    gateway = target.gateway()
    created = _open(target, gateway, "comment_and_read", "Comment flow (cassette)")
    assert created.number is not None
    marker = Marker.of("cassette-comment", run=target.tag)
    body = f"{marker.render()}\nA comment from the `comment_and_read` flow.\n"
    (commented,) = gateway.apply([AddComment(created.number, marker, body)])
    assert commented.number == created.number
    assert "#issuecomment-" in commented.html_url

    found = gateway.comments_since(target.since, [created.number])
    (comment,) = found[created.number]
    assert comment.issue_number == created.number
    assert comment.author.login == target.login
    assert comment.body == body
    assert comment.html_url == commented.html_url
    assert comment.created_at == comment.updated_at

    assert gateway.comments_since(target.future, [created.number]) == {created.number: []}
    assert (gateway.stats.requests, gateway.stats.writes) == (4, 2)


def close_with_summary(target: Target) -> None:
    """Closing writes the summary body, the state and its reason in one PATCH."""
    gateway = target.gateway()
    label = target.label("close_with_summary")
    created = _open(target, gateway, "close_with_summary", "Close flow (cassette)")
    assert created.number is not None
    summary = f"{target.marker('close_with_summary').render()}\n## Summary\n\nNothing to do.\n"
    op = UpdateIssue(created.number, body=summary, state="closed", state_reason="not_planned")
    assert list(gateway.apply([op])) == [Applied(op, created.number)]
    assert (gateway.stats.requests, gateway.stats.writes) == (2, 2)  # one POST, one PATCH

    (issue,) = gateway.list_issues(label, since=target.since, state="closed")
    assert issue.number == created.number
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    assert issue.body == summary
    assert issue.closed_at is not None and issue.closed_at >= issue.created_at
    assert gateway.list_issues(label, since=target.since, state="open") == []
    assert gateway.stats.requests == 4


def edit_history(target: Target) -> None:
    """An issue body rewritten once: GraphQL names the editor and keeps the first text."""
    gateway = target.gateway()
    label = target.label("edit_history")
    created = _open(target, gateway, "edit_history", "Edit history flow (cassette)")
    assert created.number is not None
    (issue,) = gateway.list_issues(label, since=target.since)
    assert issue.node_id and issue.closed_by is None
    rewritten = f"{target.marker('edit_history').render()}\nRewritten by the flow.\n"
    op = UpdateIssue(created.number, body=rewritten)
    assert list(gateway.apply([op])) == [Applied(op, created.number)]

    history = gateway.edit_histories([issue.node_id])[issue.node_id]
    assert history.editor == target.login
    assert history.editors == (target.login,)
    assert history.original == issue.body
    assert history.last_edited_at is not None and history.last_edited_at >= issue.created_at
    assert (gateway.stats.requests, gateway.stats.writes) == (4, 2)  # the GraphQL POST reads


def missing_repo(target: Target) -> None:
    """A repository that does not exist (or the token cannot see) is a 404 that says so."""
    gateway = target.gateway(repo=target.missing_repo)
    with pytest.raises(GitHubError) as raised:
        gateway.list_issues("anything", since=None)
    assert raised.value.status == 404
    assert f"GitHub answered 404 for {target.missing_repo}" in str(raised.value)
    assert gateway.stats.requests == 1


def bad_token(target: Target) -> None:
    """A token GitHub does not know is a 401 "Bad credentials" that names what to check."""
    gateway = target.gateway(token=BAD_TOKEN)
    with pytest.raises(GitHubError) as raised:
        gateway.list_issues(target.label("bad_token"), since=None)
    assert raised.value.status == 401
    assert "GitHub refused the token (401 Bad credentials)" in str(raised.value)
    assert "GITHUB_TOKEN" in str(raised.value)
    assert BAD_TOKEN not in str(raised.value)
    assert gateway.stats.requests == 1


FLOWS = (
    Flow("ensure_label", ensure_label, (201, 422)),
    Flow("open_and_list", open_and_list, (201, 200, 200)),
    Flow("comment_and_read", comment_and_read, (201, 201, 200, 200)),
    Flow("close_with_summary", close_with_summary, (201, 200, 200, 200)),
    Flow("edit_history", edit_history, (201, 200, 200, 200)),
    Flow("missing_repo", missing_repo, (404,)),
    Flow("bad_token", bad_token, (401,)),
)
