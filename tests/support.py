"""Shared test support: a sandbox world, config builders (the fixtures live in conftest.py).

Every scenario test talks to the sandbox over real HTTP through the real gateway, exactly as a
workflow run does; the sandbox's request log is what request-budget tests count.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.config import Config, parse_config
from ritual_bot.gateway import Gateway, Resilience, Secret
from ritual_bot.markers import first_marker
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import RunReport, run
from ritual_bot.sandbox import Sandbox
from ritual_bot.templates import Templates

REPO = "acme/team"
# Every token the sandbox issued in this test session: conftest.py fails the session if one of
# them shows up in any captured output (SPEC §6: the token never appears in output).
ISSUED_TOKENS: set[str] = set()


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets found in ``text`` (long ones only: a short string matches by chance)."""
    return [secret for secret in secrets if len(secret) >= 16 and secret in text]


def make_config(text: str) -> Config:
    return parse_config(text, ".github/rituals.yml")


def team_config(members: Sequence[str], extra: str = "") -> Config:
    lines = ["version: 1", "timezone: Europe/Paris", "members:"]
    lines += [f"  - {m}" for m in members]
    return make_config("\n".join(lines) + "\n" + extra)


def _no_sleep_expected(seconds: float) -> None:
    raise AssertionError(f"the gateway tried to sleep {seconds}s in a test without faults")


@dataclass
class FakeTime:
    """Time for the gateway's waits: sleeping moves the sandbox's clock instead of waiting.

    ``skew`` offsets the runner's own clock from the server's, to prove waits are derived from
    the server's ``Date`` header.
    """

    clock: FixedClock
    skew: float = 0.0
    slept: list[float] = field(default_factory=list)
    paced: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.clock.now().timestamp() + self.skew

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))

    def pace(self, seconds: float) -> None:
        """The spacing between writes: it moves the clock too, recorded apart from the waits."""
        self.paced.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))

    def resilience(self, **options: Any) -> Resilience:
        return Resilience(sleep=self.sleep, pause=self.pace, now=self.now, **options)


@dataclass
class World:
    """A repository in the sandbox, the bot's token, and helpers to act as people."""

    sandbox: Sandbox
    clock: FixedClock
    url: str
    bot_token: str

    def at(self, iso: str) -> None:
        self.clock.set(datetime.fromisoformat(iso).replace(tzinfo=UTC))

    def gateway(self, resilience: Resilience | None = None) -> Gateway:
        """The bot's gateway; by default writes are spaced on the sandbox's clock (as on GitHub:
        a second apart, issue creations slower) and any other wait is a test failure."""
        # The spacing runs on a copy of the clock: the sandbox's stays where the test set it, so
        # timestamps (and what falls due) do not drift by a second per write.
        fake = FakeTime(FixedClock(self.clock.now()))
        default = Resilience(sleep=_no_sleep_expected, pause=fake.pace, now=fake.now)
        return Gateway(
            REPO, Secret(self.bot_token), api_url=self.url, resilience=resilience or default
        )

    def run(
        self,
        config: Config,
        event: Event | None = None,
        *,
        dry_run: bool = False,
        gateway: Gateway | None = None,
        workspace: Path | None = None,
    ) -> RunReport:
        templates = Templates(config.language)
        now = self.clock.now()
        ctx = Context(config, event or Event("schedule"), now, templates, workspace)
        return run(ctx, gateway or self.gateway(), dry_run=dry_run)

    def add_members(self, logins: Sequence[str]) -> None:
        for login in logins:
            self.sandbox.add_user(login)
            self.sandbox.set_permission(REPO, login, "write")

    def checkin(self, login: str, period: str) -> dict[str, Any] | None:
        found = [
            issue
            for issue in self.sandbox.issues(REPO)
            if (m := first_marker(issue["body"], "hpfo-checkin"))
            and m.get("member") == login
            and m.get("period") == period
        ]
        assert len(found) <= 1, f"duplicate check-ins for {login} {period}"
        return found[0] if found else None

    def api(self, login: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call the sandbox's REST API as a person (with their own token), like a browser would."""
        token = self.sandbox.user_token(login)
        ISSUED_TOKENS.add(token)
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def writes(self) -> list[Any]:
        return [r for r in self.sandbox.requests if r.is_write]


@contextmanager
def served_world(clock: FixedClock | None = None) -> Iterator[World]:
    """A fresh sandbox with the team's repository, served on loopback for the block's duration."""
    clock = clock or FixedClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    box = Sandbox(clock=clock)
    box.add_org("acme")
    box.add_repo(REPO)
    with box.serve() as url:
        token = box.actions_token(REPO)
        ISSUED_TOKENS.add(token)
        yield World(box, clock, url, token)
