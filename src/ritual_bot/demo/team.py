"""The demo's team and repository on the built-in sandbox, shared by each ritual's part of the story
(``demo.story`` for HPFO, ``demo.decisions``) and by ``ritual-bot sandbox``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ritual_bot.clock import Clock, FixedClock
from ritual_bot.gateway import Gateway, Resilience, Secret
from ritual_bot.sandbox import Sandbox

Echo = Callable[[str], object]

REPO = "acme/team"
TEAM = ("alice", "bob", "carol", "dave")


@dataclass
class DemoTeam:
    sandbox: Sandbox
    clock: FixedClock
    bot_token: str
    member_tokens: dict[str, str]
    # The workflow's checkout of the default branch (empty here: no proposal files), which
    # scheduled runs read instead of the contents API, as in the Action.
    checkout: Path | None = None

    def gateway(self, url: str) -> Gateway:
        """The workflow's gateway, its writes spaced on a clock that jumps instead of waiting:
        the sandbox imposes no secondary rate limit, and the story's time is the sandbox clock's
        (the pacer alone made the demo sleep ~27 s)."""
        return Gateway(REPO, Secret(self.bot_token), api_url=url, resilience=virtual_pacing())


def virtual_pacing() -> Resilience:
    """The gateway's pacing and budgets as in a workflow, with every pause skipped over."""
    skipped = [0.0]

    def pause(seconds: float) -> None:
        skipped[0] += seconds

    return Resilience(pause=pause, now=lambda: time.time() + skipped[0])


def seeded_sandbox(
    *, seed: bool = True, clock: Clock | None = None
) -> tuple[Sandbox, dict[str, str]]:
    """A sandbox holding the demo repository and team, with a token for the bot and each member."""
    box = Sandbox(clock=clock) if clock else Sandbox()
    if not seed:
        return box, {}
    box.add_org("acme")
    box.add_repo(REPO)
    for login in TEAM:
        box.add_user(login, name=login.capitalize())
        box.set_permission(REPO, login, "admin" if login == "alice" else "write")
    tokens = {"github-actions[bot]": box.actions_token(REPO)}
    tokens.update({login: box.user_token(login) for login in TEAM})
    return box, tokens
