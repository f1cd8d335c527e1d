"""The one guard every body goes through: never over GitHub's 65,536 characters (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from ritual_bot.bodies import BODY_LIMIT, guard
from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Issue, Snapshot, User
from ritual_bot.ops import AddComment, UpdateIssue

BOT = "github-actions[bot]"
T = datetime(2026, 11, 23, tzinfo=UTC)


def _issue(number: int, author: str) -> Issue:
    return Issue(number, "t", "text", "open", User(author), T, T)


SNAPSHOT = Snapshot("acme/team", BOT, issues=(_issue(1, BOT), _issue(2, "alice")))


def test_a_bot_body_is_shortened_on_a_line_and_keeps_its_markers() -> None:
    marker = Marker.of("digest", period="2026-W48")
    tail = Marker.of("history", weeks="x")
    body = f"{marker.render()}\n" + "line of text\n" * 6_000 + tail.render() + "\n"
    op = guard(AddComment(1, marker, body), SNAPSHOT)
    assert isinstance(op, AddComment) and len(op.body) <= BODY_LIMIT
    assert list(find_markers(op.body)) == [marker, tail]
    assert "shortened to fit GitHub's 65,536-character limit" in op.body
    update = guard(UpdateIssue(1, body=body, state="closed"), SNAPSHOT)
    assert isinstance(update, UpdateIssue) and len(update.body or "") <= BODY_LIMIT


def test_a_persons_issue_keeps_its_text_and_only_the_other_fields_change() -> None:
    op = guard(UpdateIssue(2, body="x" * (BODY_LIMIT + 1), labels=("a",)), SNAPSHOT)
    assert op == UpdateIssue(2, body=None, labels=("a",))
    small = UpdateIssue(2, body="fine")
    assert guard(small, SNAPSHOT) is small
