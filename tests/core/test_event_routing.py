"""Which events the runner hands to the rituals, on GitHub's real example payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ritual_bot.rituals.base import Event

WEBHOOKS = Path(__file__).parents[1] / "data" / "webhooks"
BOT = "github-actions[bot]"


def load(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((WEBHOOKS / name).read_text())
    return payload


def test_a_comment_on_an_issue_is_handled() -> None:
    event = Event("issue_comment", load("issue_comment.created.json"))
    assert event.ignore_reason(BOT) is None
    assert event.action == "created"
    assert event.issue_number == load("issue_comment.created.json")["issue"]["number"]


def test_a_comment_on_a_pull_request_is_ignored() -> None:
    payload = load("issue_comment.created.json")
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    assert Event("issue_comment", payload).ignore_reason(BOT) == "the event is about a pull request"


def test_events_caused_by_the_bot_itself_are_ignored_whatever_the_case() -> None:
    payload = load("issues.labeled.json")
    payload["sender"] = {"login": "GitHub-Actions[bot]", "type": "Bot"}
    reason = Event("issues", payload).ignore_reason(BOT)
    assert reason is not None and "caused by the bot itself" in reason


def test_another_bot_is_not_mistaken_for_this_one() -> None:
    payload = load("issues.labeled.json")
    payload["sender"] = {"login": "dependabot[bot]", "type": "Bot"}
    assert Event("issues", payload).ignore_reason(BOT) is None


@pytest.mark.parametrize("name", sorted(p.name for p in WEBHOOKS.glob("*.json")))
def test_every_example_payload_reads_without_error(name: str) -> None:
    event = Event(name.split(".")[0], load(name))
    assert event.action == name.split(".")[1]
    event.ignore_reason(BOT)
    assert event.issue_number is None or event.issue_number > 0


def test_a_scheduled_event_has_no_issue() -> None:
    event = Event("schedule", {"schedule": "17 * * * *"})
    assert event.is_scheduled and event.issue_number is None and event.ignore_reason(BOT) is None
