"""A transferred issue (301) and a full one (2,500 comments): the gateway neither follows the
issue into another repository nor fails unclearly (SPEC §7 "GitHub's real rules")."""

from __future__ import annotations

import pytest

from ritual_bot.errors import GitHubError
from ritual_bot.markers import Marker
from ritual_bot.ops import AddComment
from tests.support import REPO, World


def _comment(number: int) -> AddComment:
    marker = Marker.of("test", n=str(number))
    return AddComment(number, marker, f"hello {marker.render()}")


def test_a_transferred_issue_is_gone_and_never_written_in_its_new_repository(
    world: World,
) -> None:
    world.sandbox.add_repo("acme/elsewhere")
    world.sandbox.add_user("alice")
    world.sandbox.create_issue(REPO, title="Pick a database", user="alice", labels=["decision"])
    new = world.sandbox.transfer_issue(REPO, 1, "acme/elsewhere")
    gateway = world.gateway()
    assert gateway.get_issue(1) is None  # PyGithub alone would return acme/elsewhere's issue
    with pytest.raises(GitHubError) as raised:
        list(gateway.apply([_comment(1)]))
    assert raised.value.status == 301 and "transferred" in str(raised.value)
    assert world.sandbox.comments("acme/elsewhere", new) == []


def test_a_full_issue_says_so(world: World) -> None:
    world.sandbox.add_user("alice")
    world.sandbox.create_issue(REPO, title="Busy", user="alice")
    world.sandbox.state.repo(REPO).issues[1].comment_count = 2500  # type: ignore[union-attr]
    with pytest.raises(GitHubError) as raised:
        list(world.gateway().apply([_comment(1)]))
    assert raised.value.status == 403
    assert "limit of 2,500 comments" in str(raised.value) and "new issue" in str(raised.value)
