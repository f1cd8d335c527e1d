"""The demo's team and repository on the built-in sandbox, shared by each ritual's part of the story
(``demo.story`` for HPFO, ``demo.decisions``) and by ``ritual-bot sandbox``."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ritual_bot.clock import Clock, FixedClock
from ritual_bot.config import Config
from ritual_bot.gateway import Gateway, Resilience, Secret
from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import RunReport, run
from ritual_bot.sandbox import Sandbox
from ritual_bot.templates import Templates

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
    # The permissions of the workflow `init` writes (the review lists merged pull requests).
    granted = {"issues": "write", "contents": "write", "pull_requests": "read"}
    tokens = {"github-actions[bot]": box.actions_token(REPO, granted)}
    tokens.update({login: box.user_token(login) for login in TEAM})
    return box, tokens


class Player:
    """Plays a story on the team's sandbox: the clock jumps, each run goes through the real
    runner, gateway and HTTP, and what the bot did is echoed (``demo --okrs``, ``--onboarding``,
    ``--review``)."""

    def __init__(self, team: DemoTeam, url: str, echo: Echo, config: Config) -> None:
        self.team, self.url, self.echo, self.config = team, url, echo, config
        self.box = team.sandbox

    def at(self, iso: str) -> None:
        self.team.clock.set(datetime.fromisoformat(iso).replace(tzinfo=UTC))

    def run(self, event: Event | None = None) -> RunReport:
        ctx = Context(
            self.config, event or Event("schedule"), self.team.clock.now(), Templates("en")
        )
        report = run(ctx, self.team.gateway(self.url))
        for applied in report.applied:
            self.echo(f"    bot: {applied.op.describe()}")
        self.echo(f"    ({report.requests} requests, {report.writes} writes)")
        return report

    def scheduled(self, iso: str, what: str) -> RunReport:
        self.at(iso)
        self.echo(f"\n▶ {what} (scheduled run, {iso[:16].replace('T', ' ')} UTC)")
        return self.run()

    def comment(self, number: int, who: str, body: str) -> None:
        comment = self.box.create_comment(REPO, number, body=body, user=who)
        self.echo(f"  @{who} on #{number}: {body.splitlines()[0]}")
        payload: dict[str, Any] = {
            "action": "created",
            "issue": self.box.issue(REPO, number),
            "comment": comment,
            "sender": {"login": who, "type": "User"},
        }
        self.run(Event("issue_comment", payload))

    def show(self, title: str, text: str, keep: int = 40) -> None:
        self.echo(f"\n  ┌ {title}")
        for line in text.strip().splitlines()[:keep]:
            if not line.startswith("<!--"):
                self.echo(f"  │ {line}")
        self.echo("  └")


def play_story(
    echo: Echo,
    start: datetime,
    intro: str,
    play: Callable[[DemoTeam, str, Echo], None],
    newcomers: Sequence[str] = (),
) -> None:
    """A story on a fresh sandbox of the demo team (and ``newcomers``, with write access) whose
    clock starts at ``start``; mentions are shown plain in the terminal."""
    clock = FixedClock(start)
    box, tokens = seeded_sandbox(clock=clock)
    for login in newcomers:
        box.add_user(login, name=login.capitalize())
        box.set_permission(REPO, login, "write")
        tokens[login] = box.user_token(login)
    checkout = tempfile.TemporaryDirectory(prefix="ritual-bot-demo-")
    team = DemoTeam(box, clock, tokens["github-actions[bot]"], tokens, Path(checkout.name))

    def say(line: str) -> None:
        echo(line.replace(MENTION_BREAKER, ""))

    say(intro)
    with box.serve() as url:
        say(f"sandbox: {url}/{REPO}/issues (up while the demo runs)")
        play(team, url, say)
        say(f"\nsandbox requests in total: {len(box.requests)}")
    checkout.cleanup()
