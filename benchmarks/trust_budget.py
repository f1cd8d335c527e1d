"""Requests per decision event with and without the edit checks of issue 9, against the sandbox.

Run: .venv/bin/python benchmarks/trust_budget.py

Prints one row per scenario: the requests of the run that handles the event (budget: 3 for a
comment event that needs no edit history) and how many of them were GraphQL reads of edit
histories. The edit check costs one GraphQL request (up to 100 bodies) and only when the run
must know who wrote something: an edited comment with commands whose editor no event or recorded
refusal tells, an edited bot comment, or a write that depends on what the bot wrote in a body (a
decision the bot opened, concern numbers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package, for the team

from ritual_bot.clock import FixedClock
from ritual_bot.rituals.base import Event
from tests.decisions.helpers import DRI, Team
from tests.support import served_world

Scenario = Callable[[Team], Event]


def _later(team: Team) -> None:
    team.world.clock.advance(timedelta(minutes=5))


def plain_comment(team: Team) -> Event:
    number = team.started()
    return team.comment(number, "bob", "/approve")[1]


def edit_by_its_author(team: Team) -> Event:
    number = team.started()
    comment_id, event = team.comment(number, "bob", "Thinking.")
    team.run(event)
    _later(team)
    return team.edit(number, comment_id, "bob", "/approve")


def edit_by_someone_else(team: Team) -> Event:
    number = team.started()
    comment_id, event = team.comment(number, DRI, "Reading.")
    team.run(event)
    _later(team)
    return team.edit(number, comment_id, "bob", "/decide Use MySQL")


def missed_edit_then_a_comment(team: Team) -> Event:
    number = team.started()
    comment_id, event = team.comment(number, "carol", "Fine.")
    team.run(event)
    _later(team)
    team.edit(number, comment_id, "bob", "/object no")
    return team.comment(number, "dave", "/approve")[1]


def comment_with_a_concern_open(team: Team) -> Event:
    number = team.started()
    team.run(team.comment(number, "bob", "/concern rollback")[1])
    return team.comment(number, "carol", "/approve")[1]


def comment_on_a_bot_opened_decision(team: Team) -> Event:
    inputs = {"title": "Move CI", "dri": "@alice", "deadline": ""}
    team.run(Event("workflow_dispatch", {"inputs": {**inputs, "stakeholders": "bob"}}))
    (issue,) = team.world.sandbox.issues("acme/team")
    return team.comment(int(issue["number"]), "bob", "/approve")[1]


SCENARIOS: dict[str, Scenario] = {
    "comment, nothing edited": plain_comment,
    "edit by its author (event)": edit_by_its_author,
    "edit by someone else (event)": edit_by_someone_else,
    "missed edit, then a comment": missed_edit_then_a_comment,
    "comment, a concern open": comment_with_a_concern_open,
    "comment, bot-opened decision": comment_on_a_bot_opened_decision,
}


def measure(scenario: Scenario) -> tuple[int, int]:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    with served_world(clock) as world:
        team = Team.seed(world)
        event = scenario(team)
        world.sandbox.clear_requests()
        report = team.run(event)
        graphql = sum(1 for r in world.sandbox.requests if r.path.endswith("/graphql"))
        return report.requests, graphql


def main() -> None:
    print(f"{'scenario':<34}{'requests':>10}{'graphql':>10}")
    for name, scenario in SCENARIOS.items():
        requests, graphql = measure(scenario)
        print(f"{name:<34}{requests:>10}{graphql:>10}")


if __name__ == "__main__":
    main()
