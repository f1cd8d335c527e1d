"""A decision team in the sandbox, and events built from GitHub's real webhook payloads.

The payloads come from ``tests/data/webhooks`` (``@octokit/webhooks-examples``); each helper copies
one and adapts only what the scenario needs: the issue, the comment, the sender, the label.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ritual_bot.config import Config
from ritual_bot.markers import find_markers, read_block
from ritual_bot.rituals.base import Event
from ritual_bot.runner import RunReport
from tests.support import REPO, World, make_config

WEBHOOKS = Path(__file__).parents[1] / "data" / "webhooks"
DATA = Path(__file__).parents[1] / "data" / "decisions"
BOT = "github-actions[bot]"
OTHER_BOT = "dependabot[bot]"

# alice is the DRI; bob, carol and dave the stakeholders (group eng); erin another member;
# mallory a maintainer outside the rosters; oscar an outsider who can only read.
DRI = "alice"
STAKEHOLDERS = ("bob", "carol", "dave")
MEMBER = "erin"
MAINTAINER = "mallory"
OUTSIDER = "oscar"
AUTHOR = "ivan"  # opens the issue and names alice as DRI in the form

FORM = """\
### Context

Our reports are slow; we need to pick a database.

### Options

1. Postgres
2. MySQL

### DRI

@alice

### Stakeholders

eng

### Feedback deadline

_No response_
"""

CONFIG = """\
version: 1
timezone: Europe/Paris
members: [alice, bob, carol, dave, erin]
groups:
  eng: [bob, carol, dave]
hpfo:
  enabled: false  # these scenarios are about decisions only
decisions:
  stakeholders: [eng]
  feedback_days: 5
"""


def config(extra: str = "") -> Config:
    return make_config(CONFIG + extra)


@cache
def _payload(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((WEBHOOKS / name).read_text())
    return loaded


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(_payload(name))


def _sender(login: str) -> dict[str, Any]:
    return {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"}


@dataclass
class Team:
    """The sandbox world seeded with the decision team."""

    world: World

    @classmethod
    def seed(cls, world: World) -> Team:
        box = world.sandbox
        for login in (DRI, *STAKEHOLDERS, MEMBER):
            box.add_user(login)
            box.set_permission(REPO, login, "write")
        box.add_user(MAINTAINER)
        box.set_permission(REPO, MAINTAINER, "maintain")
        box.add_user(AUTHOR)
        box.set_permission(REPO, AUTHOR, "write")
        box.add_user(OUTSIDER)
        box.set_permission(REPO, OUTSIDER, "read")
        box._add_account(OTHER_BOT, "Bot")
        return cls(world)

    # --- acting as people --------------------------------------------------------------------

    def open_issue(self, body: str = "We need to pick a database.", author: str = DRI) -> int:
        created = self.world.api(
            author, "POST", f"/repos/{REPO}/issues", {"title": "Pick a database", "body": body}
        )
        return int(created["number"])

    def label(self, number: int, who: str = DRI, name: str = "decision") -> Event:
        self.world.api(who, "POST", f"/repos/{REPO}/issues/{number}/labels", {"labels": [name]})
        event = payload("issues.labeled.json")
        event["issue"] = self.world.sandbox.issue(REPO, number)
        event["label"] = {**event["label"], "name": name}
        event["sender"] = _sender(who)
        return Event("issues", event)

    def comment(self, number: int, who: str, body: str) -> tuple[int, Event]:
        if who.endswith("[bot]"):
            made = self.world.sandbox.create_comment(REPO, number, body=body, user=who)
        else:
            path = f"/repos/{REPO}/issues/{number}/comments"
            made = self.world.api(who, "POST", path, {"body": body})
        return int(made["id"]), self.comment_event("created", number, made, who)

    def edit(self, number: int, comment_id: int, who: str, body: str) -> Event:
        path = f"/repos/{REPO}/issues/comments/{comment_id}"
        made = self.world.api(who, "PATCH", path, {"body": body})
        return self.comment_event("edited", number, made, who)

    def delete(self, number: int, comment_id: int, who: str) -> Event:
        found = next(c for c in self.world.sandbox.comments(REPO, number) if c["id"] == comment_id)
        self.world.api(who, "DELETE", f"/repos/{REPO}/issues/comments/{comment_id}")
        return self.comment_event("deleted", number, found, who)

    def comment_event(self, action: str, number: int, comment: dict[str, Any], who: str) -> Event:
        event = payload(f"issue_comment.{action}.json")
        event["issue"] = self.world.sandbox.issue(REPO, number)
        event["comment"] = comment
        event["sender"] = _sender(who)
        return Event("issue_comment", event)

    def set_state(self, number: int, who: str, state: str, reason: str | None = None) -> Event:
        body: dict[str, Any] = {"state": state}
        if reason:
            body["state_reason"] = reason
        self.world.api(who, "PATCH", f"/repos/{REPO}/issues/{number}", body)
        # The examples package has no issues.closed payload (tests/data/webhooks/README.md): the
        # reopened one has the same shape, with the action changed.
        event = payload("issues.reopened.json")
        event["action"] = "reopened" if state == "open" else "closed"
        event["issue"] = self.world.sandbox.issue(REPO, number)
        event["sender"] = _sender(who)
        return Event("issues", event)

    # --- running the bot ---------------------------------------------------------------------

    def run(self, event: Event | None = None, cfg: Config | None = None) -> RunReport:
        return self.world.run(cfg or config(), event)

    def run_twice(self, event: Event | None = None, cfg: Config | None = None) -> RunReport:
        """Run, then rerun the same event: the rerun must change nothing."""
        report = self.run(event, cfg)
        before = len(self.world.writes())
        again = self.run(event, cfg)
        assert again.applied == [], [a.op.describe() for a in again.applied]
        assert len(self.world.writes()) == before
        return report

    # --- reading the result ------------------------------------------------------------------

    def issue(self, number: int) -> dict[str, Any]:
        return self.world.sandbox.issue(REPO, number)

    def block(self, number: int) -> str:
        return read_block(self.issue(number)["body"], "decision") or ""

    def labels(self, number: int) -> set[str]:
        return {label["name"] for label in self.issue(number)["labels"]}

    def bot_comments(self, number: int, kind: str | None = None) -> list[dict[str, Any]]:
        found = [c for c in self.world.sandbox.comments(REPO, number) if c["user"]["login"] == BOT]
        if kind is None:
            return found
        return [c for c in found if any(m.kind == kind for m in find_markers(c["body"]))]

    def started(self) -> int:
        """A decision issue opened by the DRI, labelled, and started by the bot."""
        number = self.open_issue()
        self.run_twice(self.label(number))
        return number
