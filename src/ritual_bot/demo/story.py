"""``ritual-bot demo``: a scripted scenario against the built-in sandbox.

A team of four in two timezones runs two weeks of HPFO: answers in English and French, a fire
answered by a teammate, one reminder, the week's team digest on Tuesday from the answers so far,
one /skip, last week closed with its summaries and its digest rewritten once with the final
participation, then the next week's digest with its participation chart. The sandbox's clock is
moved between runs, so nothing sleeps; every run goes through the real gateway and HTTP, exactly
as in a workflow.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.config import Config, parse_config
from ritual_bot.demo.decisions import run_decision_demo
from ritual_bot.demo.team import REPO, DemoTeam, Echo, seeded_sandbox
from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.markers import first_marker, read_block
from ritual_bot.ops import OpKind
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.core import SUMMARY_BLOCK, Kind
from ritual_bot.rituals.hpfo.ritual import CHECKIN
from ritual_bot.runner import RunReport, run
from ritual_bot.templates import Templates

DEMO_CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - login: dave
    away: ["2026-12-05..2026-12-13"]
groups:
  eng: [alice, bob, carol, dave]
hpfo:
  day: monday
  time: "09:00"
  remind_after: 1d
  digest: {day: tuesday, time: "10:00"}
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

BOB_HELPS = "Restarted the CI runner: it was out of disk. Ping me if staging flakes again."
DAVE_SKIP = "/skip off sick, back next week"
PLAYGROUND_LINE = (
    "Live the same story in your browser, and carry it on: `ritual-bot sandbox --story`"
    " opens it in the playground."
)


def _run(team: DemoTeam, url: str, config: Config, echo: Echo, label: str) -> RunReport:
    gateway = team.gateway(url)
    templates = Templates(config.language)
    ctx = Context(config, Event("schedule"), team.clock.now(), templates, team.checkout)
    report = run(ctx, gateway)
    local = team.clock.now().strftime("%a %Y-%m-%d %H:%M UTC")
    echo(f"\n▶ {label} — scheduled run at {local}")
    for applied in report.applied:
        if applied.op.kind is not OpKind.ENSURE_LABEL:
            echo(f"  {applied.op.describe()}")
            if applied.html_url:
                echo(f"         {applied.html_url}")
    if not report.applied:
        echo("  nothing due: no write")
    echo(f"  requests: {report.requests} ({report.writes} writes)")
    return report


def _checkin(team: DemoTeam, login: str, period: str) -> dict[str, Any] | None:
    for issue in team.sandbox.issues(REPO):
        marker = first_marker(issue["body"], CHECKIN)
        if marker and marker.get("period") == period and marker.get("member") == login:
            return issue
    return None


def _comment(team: DemoTeam, author: str, owner: str, period: str, body: str, echo: Echo) -> None:
    issue = _checkin(team, owner, period)
    if issue is None:
        return
    team.sandbox.create_comment(REPO, issue["number"], body=body, user=author)
    whose = "their own" if author == owner else f"@{owner}'s"
    echo(f"  @{author} commented on {whose} #{issue['number']}: {body.splitlines()[0]}")


def _show_block(echo: Echo, title: str, text: str) -> None:
    echo(f"\n  ┌ {title}")
    for line in text.strip().splitlines():
        echo(f"  │ {line}")
    echo("  └")


def _week_48(team: DemoTeam, url: str, config: Config, echo: Echo) -> None:
    _run(team, url, config, echo, "Week 48, before 09:00 in Paris")
    team.clock.set(datetime(2026, 11, 23, 8, 17, tzinfo=UTC))
    _run(team, url, config, echo, "Week 48, 09:17 in Paris")
    team.clock.set(datetime(2026, 11, 23, 14, 17, tzinfo=UTC))
    _run(team, url, config, echo, "Week 48, 09:17 in New York")
    _run(team, url, config, echo, "Same hour again (idempotent)")
    team.clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    echo("\n▶ Monday afternoon: the team answers, in English and in French")
    _comment(team, "alice", "alice", "2026-W48", ALICE_W48, echo)
    _comment(team, "bob", "bob", "2026-W48", BOB_W48, echo)
    _comment(team, "carol", "carol", "2026-W48", CAROL_W48, echo)
    _comment(team, "bob", "alice", "2026-W48", BOB_HELPS, echo)
    team.clock.set(datetime(2026, 11, 24, 8, 17, tzinfo=UTC))
    _run(team, url, config, echo, "Tuesday: dave has said nothing for a day (one reminder)")
    team.clock.set(datetime(2026, 11, 24, 9, 17, tzinfo=UTC))
    _run(
        team, url, config, echo,
        "Tuesday 10:17 in Paris: this week's digest, from the answers so far (no second reminder)",
    )  # fmt: skip
    _show_digest(team, echo, "2026-W48", "the fire of Monday is in it; dave has not answered yet")
    team.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    echo("\n▶ Wednesday")
    _comment(team, "dave", "dave", "2026-W48", DAVE_SKIP, echo)
    _run(team, url, config, echo, "dave's /skip closes his week")


def _week_49(team: DemoTeam, url: str, config: Config, echo: Echo) -> None:
    team.clock.set(datetime(2026, 11, 30, 8, 17, tzinfo=UTC))
    _run(team, url, config, echo, "Week 49, 09:17 in Paris: last week closes, this week opens")
    team.clock.set(datetime(2026, 11, 30, 14, 17, tzinfo=UTC))
    _run(
        team, url, config, echo,
        "Week 49, 09:17 in New York: bob's week 48 closes, the last one: its digest is made final",
    )  # fmt: skip
    alice = _checkin(team, "alice", "2026-W48")
    if alice is not None:
        summary = read_block(alice["body"], SUMMARY_BLOCK) or ""
        _show_block(echo, f"summary closing #{alice['number']} ({alice['state_reason']})", summary)
    carried = _checkin(team, "alice", "2026-W49")
    if carried is not None:
        boxes = [line for line in carried["body"].splitlines() if line.startswith("- [ ] ")]
        echo(f"\n  #{carried['number']} carries last week's objectives: {'; '.join(boxes)}")
    _show_digest(
        team, echo, "2026-W48", "made final once every check-in closed", part="## 👥 Participation"
    )
    team.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    _run(team, url, config, echo, "Tuesday 10:00 in Paris: week 49's digest; week 48's is closed")
    _show_digest(team, echo, "2026-W49", "this week's, from the answers so far")


def _show_digest(
    team: DemoTeam, echo: Echo, period: str, note: str, part: str | None = None
) -> None:
    """The digest of ``period``, whole or from the heading ``part`` to the chart."""
    for issue in team.sandbox.issues(REPO):
        marker = first_marker(issue["body"], Kind.DIGEST)
        if marker is not None and marker.get("period") == period:
            body = issue["body"]
            if part is not None and part in body:
                body = f"…\n{part}{body.split(part, 1)[1].split('```mermaid', 1)[0]}…"
            title = f"#{issue['number']} {issue['title']} ({issue['state']}): {note}"
            _show_block(echo, title, body)


def play_story(team: DemoTeam, url: str, config: Config, echo: Echo) -> None:
    """The story itself, against a served sandbox (the playground replays it too)."""
    _week_48(team, url, config, echo)
    _week_49(team, url, config, echo)
    run_decision_demo(team, url, echo)


def run_demo(echo: Echo, hold: Callable[[str], object] | None = None) -> None:
    """Play the scenario; ``hold(url)``, if given, runs while the sandbox is still served."""
    clock = FixedClock(datetime(2026, 11, 23, 7, 17, tzinfo=UTC))
    box, tokens = seeded_sandbox(clock=clock)
    checkout = tempfile.TemporaryDirectory(prefix="ritual-bot-demo-")
    team = DemoTeam(box, clock, tokens["github-actions[bot]"], tokens, Path(checkout.name))
    config = parse_config(DEMO_CONFIG, "demo/.github/rituals.yml")

    # What goes to GitHub keeps its neutralised mentions; what goes to a terminal is copied and
    # pasted by people, so it shows the plain "@login".
    def say(line: str) -> None:
        echo(line.replace(MENTION_BREAKER, ""))

    say("ritual-bot demo: team alice, carol, dave (Europe/Paris) and bob (America/New_York).")
    say("Check-ins open on Mondays at 09:00 local time. Each week's digest opens on its Tuesday")
    say("at 10:00 from the answers so far, and is rewritten once when the week's check-ins close.")
    with box.serve() as url:
        kept = "" if hold else " (up while the demo runs: `ritual-bot demo --serve` keeps it up)"
        say(f"sandbox: {url}/{REPO}/issues{kept}")
        play_story(team, url, config, say)
        say(f"\nsandbox requests in total: {len(box.requests)}")
        if hold is not None:
            say(PLAYGROUND_LINE)
            hold(url)
        else:
            say(
                "The links above stop working now that the demo ends: run `ritual-bot demo --serve`"
            )
            say("to keep the sandbox up and open them.")
            say(PLAYGROUND_LINE)
    checkout.cleanup()
