"""The decision part of ``ritual-bot demo``: one decision from label to close.

alice opens an issue and labels it ``decision``; bob, carol and dave are the stakeholders. carol
raises a concern and resolves it, bob tries ``/decide`` and is refused, alice decides, and the
summary is printed. Every step is a webhook event handled through the real gateway over HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ritual_bot.config import Config, parse_config
from ritual_bot.demo.team import REPO, DemoTeam, Echo
from ritual_bot.markers import find_markers
from ritual_bot.rituals.base import Context, Event
from ritual_bot.runner import RunReport, run
from ritual_bot.templates import Templates

CONFIG = """\
version: 1
timezone: Europe/Paris
members: [alice, bob, carol, dave]
groups:
  eng: [alice, bob, carol, dave]
hpfo:
  enabled: false
decisions:
  stakeholders: [eng]
  feedback_days: 5
"""

STEPS = (
    ("bob", "/approve\nPostgres is what most of us know; the reporting queries get simpler."),
    ("carol", "/concern the migration has no rollback plan"),
    ("dave", "Fine by me as long as backups are automated. Who owns the migration?"),
    ("bob", "/decide Use Postgres"),
    ("alice", "I own the migration; the runbook now has a rollback section."),
    ("carol", "/resolve 1\nThe runbook covers it, thanks."),
    (
        "alice",
        "/decide Move the reporting database to Postgres\nThe team knows it best, and the "
        "rollback plan answers the only concern. dave's backups are part of the runbook.",
    ),
)


def _run(team: DemoTeam, url: str, config: Config, event: Event) -> RunReport:
    gateway = team.gateway(url)
    return run(Context(config, event, team.clock.now(), Templates(config.language)), gateway)


def _sender(login: str) -> dict[str, Any]:
    return {"login": login, "type": "User"}


def _show(report: RunReport, echo: Echo) -> None:
    for applied in report.applied:
        echo(f"    bot: {applied.op.describe()}")
    echo(f"    ({report.requests} requests, {report.writes} writes)")


def run_decision_demo(team: DemoTeam, url: str, echo: Echo) -> None:
    config = parse_config(CONFIG, "demo/.github/rituals.yml")
    box = team.sandbox
    team.clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    echo("\n▶ A decision: alice opens an issue and labels it `decision`")
    body = "Our reports are slow. Should we move the reporting database to Postgres?"
    issue = box.create_issue(REPO, title="Pick a reporting database", body=body, user="alice")
    number = int(issue["number"])
    issue = box.add_labels(REPO, number, ["decision"], user="alice")
    event = {"action": "labeled", "issue": issue, "label": {"name": "decision"}}
    _show(_run(team, url, config, Event("issues", {**event, "sender": _sender("alice")})), echo)
    echo(f"  {issue['html_url']}")
    for who, text in STEPS:
        team.clock.set(team.clock.now().replace(hour=team.clock.now().hour + 1))
        comment = box.create_comment(REPO, number, body=text, user=who)
        echo(f"  @{who}: {text.splitlines()[0]}")
        payload = {
            "action": "created",
            "issue": box.issue(REPO, number),
            "comment": comment,
            "sender": _sender(who),
        }
        _show(_run(team, url, config, Event("issue_comment", payload)), echo)
    final = box.issue(REPO, number)
    labels = ", ".join(label["name"] for label in final["labels"])
    echo(f"\n  #{number} is {final['state']} ({final['state_reason']}), labels: {labels}")
    for comment in box.comments(REPO, number):
        if any(m.kind == "decision-summary" for m in find_markers(comment["body"])):
            echo("\n  The summary comment:\n")
            for line in comment["body"].splitlines()[1:]:
                echo(f"    {line}")
