"""The playground: each action fires the event GitHub would, shaped like GitHub's real payloads;
time travel runs every scheduled run on the way, each at its own time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ritual_bot.clock import FixedClock, TravelClock
from ritual_bot.config import parse_config
from ritual_bot.sandbox import Sandbox
from ritual_bot.sandbox.bot import ActionBot, open_playground
from ritual_bot.sandbox.playground import BotRun, Playground, Refused

WEBHOOKS = Path(__file__).resolve().parents[1] / "data" / "webhooks"
# Keys a delivery carries only for an app installation or an organization-owned repository.
_CONTEXT = {"installation", "organization", "enterprise"}


class Recorder:
    """A bot that notes what it was asked to handle, and when."""

    def __init__(self, box: Sandbox, due: list[datetime] | None = None) -> None:
        self.box = box
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.times: list[datetime] = []
        self.due = due or []

    def handle(self, name: str, payload: Mapping[str, Any], why: str = "") -> BotRun:
        self.events.append((name, dict(payload)))
        self.times.append(self.box.clock.now())
        return BotRun(name, self.box.clock.now(), (), "", (), 0)

    def due_after(self, after: datetime, until: datetime) -> list[tuple[datetime, str]]:
        return [(at, "something") for at in self.due if after < at <= until]


@pytest.fixture
def played(sandbox: Sandbox) -> tuple[Playground, Recorder]:
    bot = Recorder(sandbox)
    return Playground(sandbox, "acme/team", bot), bot


def _example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((WEBHOOKS / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def test_each_action_fires_its_event_shaped_like_the_real_payload(
    played: tuple[Playground, Recorder],
) -> None:
    pg, bot = played
    number = pg.open_issue("alice", "Pick a database", "Which one?", labels=["decision"])
    comment = pg.comment("bob", number, "/approve")
    pg.edit_comment("bob", comment, "/approve\nyes")
    pg.delete_comment("bob", comment)
    pg.label("alice", number, "decision", add=False)
    pg.set_state("alice", number, "closed", "completed")
    pg.set_state("alice", number, "open", "reopened")
    fired = [f"{name}.{payload['action']}" for name, payload in bot.events]
    assert fired == [
        "issues.opened",
        "issues.labeled",  # an issue opened with labels also fires labeled, as on GitHub
        "issue_comment.created",
        "issue_comment.edited",
        "issue_comment.deleted",
        "issues.unlabeled",
        "issues.closed",
        "issues.reopened",
    ]
    for (_name, payload), kind in zip(bot.events, fired, strict=True):
        real = _example(kind if kind != "issues.closed" else "issues.reopened")
        assert set(payload) == set(real) - _CONTEXT, kind
        # Every field the real delivery has (GitHub has added fields since the examples).
        for part in ("issue", "repository", "sender", "comment", "label"):
            if part in real:
                assert set(real[part]) - {"pull_request"} <= set(payload[part]), (kind, part)
        assert payload["sender"]["login"] in ("alice", "bob"), kind
    assert bot.events[3][1]["changes"] == {"body": {"from": "/approve"}}
    assert bot.events[1][1]["label"]["name"] == "decision"


def test_a_refused_action_changes_nothing_and_fires_nothing(
    sandbox: Sandbox, played: tuple[Playground, Recorder]
) -> None:
    pg, bot = played
    sandbox.set_permission("acme/team", "mallory", "read")
    number = pg.open_issue("alice", "t", "")
    with pytest.raises(Refused, match="triage"):
        pg.label("mallory", number, "bug", add=True)
    with pytest.raises(Refused, match="write"):
        pg.edit_comment("mallory", pg.comment("alice", number, "mine"), "theirs")
    with pytest.raises(Refused):
        pg.comment("alice", 99, "no such issue")
    assert [p["action"] for _, p in bot.events] == ["opened", "created"]
    assert sandbox.issue("acme/team", number)["labels"] == []


def test_time_travel_runs_each_due_run_at_its_own_time(sandbox: Sandbox) -> None:
    start = sandbox.clock.now()
    due = [start + timedelta(hours=h) for h in (2, 5, 30)]
    bot = Recorder(sandbox, due)
    pg = Playground(sandbox, "acme/team", bot)
    pg.advance(None)
    assert bot.times == due[:1] and sandbox.clock.now() == due[0]
    pg.advance(timedelta(days=1))
    assert bot.times == due[:2] and sandbox.clock.now() == due[0] + timedelta(days=1)
    with pytest.raises(Refused):
        pg.advance(timedelta(0))


def test_the_real_bot_opens_the_check_ins_at_the_first_due_run() -> None:
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # before 09:00 in Paris
    pg = open_playground(now=monday, real=FixedClock(monday))  # no real time passes
    with pg.sandbox.serve():
        at, what = pg.next_due() or (None, "")
        assert at == datetime(2026, 11, 23, 8, 7, tzinfo=UTC)  # 09:00 Paris, +7 min (schedule)
        assert "@alice's check-in opens" in what
        pg.advance(None)
    titles = [issue["title"] for issue in pg.sandbox.issues("acme/team")]
    assert "HPFO 2026-W48 · @alice" in titles and "HPFO 2026-W48 · @bob" not in titles  # New York
    [run] = pg.runs
    assert run.title.startswith("schedule: ") and run.writes > 0
    assert run.summary.startswith("## ritual-bot") and "open issue" in run.summary
    assert any(line.startswith("event: schedule") for line in run.log)


def test_the_playground_clock_runs_with_real_time_and_jumps_when_told() -> None:
    real = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    start = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    clock = TravelClock(start, real)
    real.advance(timedelta(seconds=90))
    assert clock.now() == start + timedelta(seconds=90)
    clock.advance(timedelta(days=1))
    assert clock.now() == start + timedelta(days=1, seconds=90)
    clock.set(start)
    real.advance(timedelta(seconds=5))
    assert clock.now() == start + timedelta(seconds=5)


def test_a_bot_run_that_fails_is_shown_and_the_action_stands(sandbox: Sandbox) -> None:
    bot = ActionBot(sandbox, "acme/team", parse_config("version: 1\nmembers: [alice]\n", "r.yml"))
    bot._token = "ghs_revoked"  # GitHub answers 401: the run stops with an error
    pg = Playground(sandbox, "acme/team", bot)
    sandbox.create_issue("acme/team", title="t", user="alice")
    with sandbox.serve():
        pg.comment("alice", 1, "/skip")  # a comment the bot reads on its own event
    [run] = pg.runs
    assert run.title == "issue_comment.created by alice"
    assert run.log[0].startswith("the run failed: "), run.log
    assert run.requests and run.requests[0].endswith("→ 401")
    assert [c["body"] for c in sandbox.comments("acme/team", 1)] == ["/skip"]
