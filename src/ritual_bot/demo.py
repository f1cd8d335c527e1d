"""``ritual-bot demo``: a scripted scenario against the built-in sandbox.

A team of four in two timezones (one of them away the first week) runs two weeks of HPFO
check-ins. The sandbox's clock is moved between runs, so nothing sleeps; every run goes through
the real gateway and HTTP, exactly as in a workflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.config import Config, parse_config
from ritual_bot.gateway import Gateway, Secret
from ritual_bot.markers import first_marker
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo import CHECKIN
from ritual_bot.runner import RunReport, run
from ritual_bot.sandbox import Sandbox
from ritual_bot.templates import Templates

Echo = Callable[[str], object]

REPO = "acme/team"
TEAM = ("alice", "bob", "carol", "dave")
DEMO_CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - login: dave
    away: ["2026-11-21..2026-11-29"]
groups:
  eng: [alice, bob, carol, dave]
hpfo:
  day: monday
  time: "09:00"
"""

ALICE_W48 = """\
## Highlights
- Shipped the new onboarding flow 🎉

## Progress
- Billing migration: 80% done

## Fires
- Staging is flaky since Thursday, @bob can you take a look?

## Objectives
- Finish the billing migration
- Write the Q1 OKR draft
"""

BOB_W48 = """\
**H:** pairing with carol on the search index
**P:** search index v2 merged
**F:** none
**O:** roll out search v2 to 10% of users
"""

CAROL_W48 = """\
Temps forts : atelier design très productif
Progrès : maquettes de la page d'accueil
Incendies : rien
Objectifs :
- valider les maquettes avec l'équipe
"""


@dataclass
class DemoTeam:
    sandbox: Sandbox
    clock: FixedClock
    bot_token: str
    member_tokens: dict[str, str]


def seeded_sandbox(
    *, seed: bool = True, clock: FixedClock | None = None
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


def _run(team: DemoTeam, url: str, config: Config, echo: Echo, label: str) -> RunReport:
    gateway = Gateway(REPO, Secret(team.bot_token), api_url=url)
    ctx = Context(config, Event("schedule"), team.clock.now(), Templates(config.language))
    report = run(ctx, gateway)
    local = team.clock.now().strftime("%a %Y-%m-%d %H:%M UTC")
    echo(f"\n▶ {label} — scheduled run at {local}")
    opened = [a for a in report.applied if a.op.kind.value == "create-issue"]
    for applied in opened:
        echo(f"  opened #{applied.number} {applied.op.describe()}")  # type: ignore[union-attr]
        echo(f"         {applied.html_url}")
    if not report.applied:
        echo("  nothing due: no write")
    echo(f"  requests: {report.requests} ({report.writes} writes)")
    return report


def _checkins(team: DemoTeam, period: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for issue in team.sandbox.issues(REPO):
        marker = first_marker(issue["body"], CHECKIN)
        if marker and marker.get("period") == period:
            found.append((marker.get("member") or "", issue))
    return found


def _answer(team: DemoTeam, login: str, period: str, body: str, echo: Echo) -> None:
    for member, issue in _checkins(team, period):
        if member == login:
            team.sandbox.create_comment(REPO, issue["number"], body=body, user=login)
            echo(f"  @{login} answered on #{issue['number']}")


def _carried_over(team: DemoTeam, echo: Echo, period: str) -> None:
    for _member, issue in _checkins(team, period):
        items = [line[6:] for line in issue["body"].splitlines() if line.startswith("- [ ] ")]
        if items:
            echo(f"  #{issue['number']} {issue['title']} carries over: {'; '.join(items)}")


def run_demo(echo: Echo) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 7, 17, tzinfo=UTC))
    box, tokens = seeded_sandbox(clock=clock)
    team = DemoTeam(box, clock, tokens["github-actions[bot]"], tokens)
    config = parse_config(DEMO_CONFIG, "demo/.github/rituals.yml")
    echo("ritual-bot demo: team alice, carol, dave (Europe/Paris) and bob (America/New_York);")
    echo("dave is away until 2026-11-29. Check-ins open on Mondays at 09:00 local time.")
    with box.serve() as url:
        echo(f"sandbox: {url}/{REPO}/issues")
        _run(team, url, config, echo, "Week 48, before 09:00 in Paris")
        clock.set(datetime(2026, 11, 23, 8, 17, tzinfo=UTC))
        _run(team, url, config, echo, "Week 48, 09:17 in Paris")
        clock.set(datetime(2026, 11, 23, 14, 17, tzinfo=UTC))
        _run(team, url, config, echo, "Week 48, 09:17 in New York")
        _run(team, url, config, echo, "Same hour again (idempotent)")
        clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
        echo("\n▶ Tuesday: the team answers")
        _answer(team, "alice", "2026-W48", ALICE_W48, echo)
        _answer(team, "bob", "2026-W48", BOB_W48, echo)
        _answer(team, "carol", "2026-W48", CAROL_W48, echo)
        clock.set(datetime(2026, 11, 30, 8, 17, tzinfo=UTC))
        _run(team, url, config, echo, "Week 49, 09:17 in Paris (dave is back)")
        clock.set(datetime(2026, 11, 30, 14, 17, tzinfo=UTC))
        _run(team, url, config, echo, "Week 49, 09:17 in New York")
        echo("\n▶ Objectives carried over from week 48")
        _carried_over(team, echo, "2026-W49")
        echo(f"\nsandbox requests in total: {len(box.requests)}")
