"""The bot as the Action runs it, attached to a playground.

Each event goes through the same steps as ``ritual-bot run`` in a workflow: a ``Gateway`` with the
workflow's token over HTTP to the (sandbox) API, ``runner.run`` on a ``Context`` built from the
config, the event and the clock, then ``print_report`` for the log and ``publish`` for the step
summary (written to a file, as ``GITHUB_STEP_SUMMARY`` is in Actions). Scheduled runs happen a few
minutes after each moment the config makes something due (``schedule.due_moments``), as the cron
lines ``ritual-bot schedule`` prints would start them; the catch-up run an hour later is left out
(it finds nothing a run at the moment did not).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ritual_bot.actions_runtime import ActionsRuntime
from ritual_bot.clock import Clock, SystemClock, TravelClock
from ritual_bot.config import Config
from ritual_bot.rituals.base import Context, Event
from ritual_bot.sandbox.playground import OUTSIDER, BotRun, Playground
from ritual_bot.schedule import RUN_DELAY, due_moments
from ritual_bot.templates import Templates

if TYPE_CHECKING:
    from ritual_bot.sandbox.core import Sandbox


class ActionBot:
    def __init__(
        self, sandbox: Sandbox, repo: str, config: Config, templates: Templates | None = None
    ) -> None:
        self.sandbox = sandbox
        self.repo = repo
        self.config = config
        self.templates = templates or Templates(config.language)
        self._token = sandbox.actions_token(repo)

    def handle(self, name: str, payload: Mapping[str, Any], why: str = "") -> BotRun:
        from ritual_bot.demo.team import virtual_pacing
        from ritual_bot.gateway import Gateway, Secret
        from ritual_bot.report import print_report, publish
        from ritual_bot.runner import run

        now = self.sandbox.clock.now()
        first = len(self.sandbox.requests)
        gateway = Gateway(
            self.repo,
            Secret(self._token),
            api_url=self.sandbox.web_url,
            resilience=virtual_pacing(),
        )
        ctx = Context(self.config, Event(name, dict(payload)), now, self.templates)
        action = payload.get("action")
        sender = payload.get("sender", {}).get("login")
        title = name + (f".{action}" if action else "") + (f" by {sender}" if sender else "")
        title += f": {why}" if why else ""
        try:
            report = run(ctx, gateway)
        except Exception as error:  # shown in the side panel; the page and the sandbox go on
            crash = (f"the run failed: {type(error).__name__}: {error}",)
            return BotRun(title, now, crash, "", self._requests(first), 0)
        log: list[str] = []
        print_report(report, log.append)
        with tempfile.TemporaryDirectory(prefix="ritual-bot-playground-") as folder:
            summary = Path(folder) / "step-summary.md"
            publish(report, ActionsRuntime(io.StringIO(), in_actions=True, summary_path=summary))
            text = summary.read_text(encoding="utf-8") if summary.exists() else ""
        return BotRun(title, now, tuple(log), text, self._requests(first), report.writes)

    def _requests(self, first: int) -> tuple[str, ...]:
        return tuple(f"{r.method} {r.path} → {r.status}" for r in self.sandbox.requests[first:])

    def due_after(self, after: datetime, until: datetime) -> list[tuple[datetime, str]]:
        days = (until - after).days + 3
        runs: dict[datetime, list[str]] = {}
        for due in due_moments(self.config, (after - timedelta(days=1)).date(), days):
            at = due.at + RUN_DELAY
            if after < at <= until:
                runs.setdefault(at, []).append(due.what)
        return [(at, ", ".join(whats)) for at, whats in sorted(runs.items())]


# The demo team's config with decisions on, so every ritual can be tried.
PLAYGROUND_CONFIG_EXTRA = """\
decisions:
  stakeholders: [eng]
  feedback_days: 5
"""
STORY_START = datetime(2026, 11, 23, 7, 17, tzinfo=UTC)


def open_playground(
    config: Config | None = None,
    templates: Templates | None = None,
    *,
    story: bool = False,
    now: datetime | None = None,
    real: Clock | None = None,
) -> Playground:
    """The demo repository and team in a sandbox whose clock starts ``now`` (default: the
    current time) and runs with ``real`` time (a ``TravelClock``), with ``config`` (default: the
    demo team's, decisions on), the shipped issue forms, an outsider, and the bot attached.
    ``story`` first plays the demo's two weeks (from its own date) so there is something to read.
    """
    from ritual_bot.config import parse_config
    from ritual_bot.demo.story import DEMO_CONFIG, play_story
    from ritual_bot.demo.team import REPO, DemoTeam, seeded_sandbox

    if config is None:
        config = parse_config(DEMO_CONFIG + PLAYGROUND_CONFIG_EXTRA, "playground/rituals.yml")
    clock = TravelClock(STORY_START if story else now or SystemClock().now(), real)
    box, tokens = seeded_sandbox(clock=clock)
    _seed(box, config)
    pg = Playground(box, REPO, ActionBot(box, REPO, config, templates))
    box.playground = pg
    if story:
        with box.serve() as url, tempfile.TemporaryDirectory(prefix="ritual-bot-") as checkout:
            team = DemoTeam(box, clock, tokens["github-actions[bot]"], tokens, Path(checkout))
            play_story(team, url, parse_config(DEMO_CONFIG, "demo/.github/rituals.yml"), _quiet)
    return pg


def _quiet(line: str) -> None:
    """The story's narration is for the terminal demo; the playground shows the issues."""


def _seed(box: Sandbox, config: Config) -> None:
    from ritual_bot.demo.team import REPO
    from ritual_bot.sandbox import domain

    people = config.expand([*(m.login for m in config.members), *config.groups])
    for login in people:
        if box.state.user(login) is None:
            box.add_user(login)
            box.set_permission(REPO, login, "write")
    box.add_user(OUTSIDER)
    form = resources.files("ritual_bot") / "templates" / "init" / "ISSUE_TEMPLATE"
    for entry in form.iterdir():
        if entry.name.endswith(".yml"):
            box.put_file(
                REPO, f".github/ISSUE_TEMPLATE/{entry.name}", entry.read_text(), user="alice"
            )
    with box.state.lock:
        repo = box.state.repo(REPO)
        assert repo is not None
        # Public, as an open-source team's repository: an outsider can read and comment.
        repo.private = False
        domain.ensure_label(box.state, repo, "decision")
