"""Onboarding goals (SPEC §9) over a newcomer's first 100 days, on the sandbox with a clock.

dan joins on 2026-12-07 in Paris with alice as buddy and writes his goals on time; erin joins on
2026-12-09 in Los Angeles with bob as buddy, who needs the day-5 reminder; gus (no repository
access, so GitHub refuses to assign him) joins with dan; zed's joined date cannot be planned
(day 97 is past the calendar's end) and fails alone; old joined in August, so his day 97 has
passed and nothing opens for him. carol has write access and is nobody's
buddy: her tick does not count and is put back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ritual_bot.config import Config
from ritual_bot.markers import find_markers, first_marker
from ritual_bot.rituals.base import Event
from ritual_bot.runner import RunReport
from tests.decisions.helpers import payload
from tests.support import REPO, World, make_config, served_world

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - login: dan
    joined: "2026-12-07"
    buddy: alice
  - login: erin
    timezone: America/Los_Angeles
    joined: "2026-12-09"
    buddy: bob
  - login: gus
    joined: "2026-12-07"
    buddy: alice
  - login: zed
    joined: "9999-12-30"
    buddy: alice
  - login: old
    joined: "2026-08-01"
    buddy: alice
hpfo: {enabled: false}
"""

DAN_GOALS = """\

## By 2027-01-06 (1 month)

- [x] Set up the dev environment
- [ ] Ship a first fix

## By 2027-03-07 (3 months)

- [ ] Own the release checklist
"""

ERIN_GOALS = """\

## By 2027-01-08 (1 month)

- [ ] Read the architecture notes

## By 2027-03-09 (3 months)

- [x] Pair on an incident
"""


@pytest.fixture
def world() -> Iterator[World]:
    with served_world() as world:
        for login in ("alice", "bob", "carol", "dan", "erin"):
            world.sandbox.add_user(login)
            world.sandbox.set_permission(REPO, login, "write")
        world.sandbox.add_user("gus")  # no access: GitHub refuses to assign him
        yield world


@pytest.fixture
def config() -> Config:
    return make_config(CONFIG)


def onboarding(world: World, login: str) -> dict[str, Any]:
    found = [
        i
        for i in world.sandbox.issues(REPO)
        if (m := first_marker(i["body"], "onboarding")) and m.get("member") == login
    ]
    assert len(found) == 1, f"{len(found)} onboarding issues for {login}"
    return found[0]


def bot_comments(world: World, number: int, kind: str) -> list[str]:
    return [
        c["body"]
        for c in world.sandbox.comments(REPO, number)
        if any(m.kind == kind for m in find_markers(c["body"]))
    ]


def run_twice(world: World, config: Config, event: Event | None = None) -> RunReport:
    """Run, then rerun: the rerun writes nothing (idempotent)."""
    report = world.run(config, event)
    before = len(world.writes())
    again = world.run(config, event)
    assert [a.op.describe() for a in again.applied] == []
    assert len(world.writes()) == before
    return report


def edit_body(world: World, who: str, number: int, body: str) -> Event:
    issue = world.api(who, "PATCH", f"/repos/{REPO}/issues/{number}", {"body": body})
    event = payload("issues.reopened.json")  # the same shape as issues.edited
    event.update(action="edited", issue=issue, sender={"login": who, "type": "User"})
    return Event("issues", event)


def comment(world: World, who: str, number: int, body: str) -> int:
    made = world.api(who, "POST", f"/repos/{REPO}/issues/{number}/comments", {"body": body})
    return int(made["id"])


def test_two_newcomers_over_a_hundred_days(world: World, config: Config) -> None:
    # Day 0 for dan and gus, 09:00 in Paris: their issues open; zed fails alone.
    world.at("2026-12-07T08:10:00")
    report = run_twice(world, config)
    assert [f.item for f in report.failures] == ["onboarding of @zed"]
    dan = onboarding(world, "dan")
    assert dan["title"] == "Onboarding · @dan"
    assert {a["login"] for a in dan["assignees"]} == {"dan", "alice"}
    assert [label["name"] for label in dan["labels"]] == ["ritual:onboarding"]
    assert "## By 2027-01-06 (1 month)" in dan["body"]
    assert "## By 2027-03-07 (3 months)" in dan["body"]
    assert not [i for i in world.sandbox.issues(REPO) if "member=old" in i["body"]]  # day 97 passed
    gus = onboarding(world, "gus")
    assert gus["assignees"] == [] and gus["body"].startswith("cc @gus @alice")
    n = dan["number"]

    # dan writes his goals; carol ticks one: the tick does not count and is put back.
    world.at("2026-12-07T10:00:00")
    written = dan["body"].split("## By")[0] + DAN_GOALS
    edit_body(world, "dan", n, written)
    world.at("2026-12-07T11:00:00")
    ticked = written.replace("- [ ] Ship a first fix", "- [x] Ship a first fix")
    run_twice(world, config, edit_body(world, "carol", n, ticked))
    assert onboarding(world, "dan")["body"] == written

    # Day 0 for erin, 09:00 in Los Angeles: the runs of the moment were missed, a later one
    # that day opens it.
    world.at("2026-12-09T21:40:00")
    run_twice(world, config)
    erin = onboarding(world, "erin")
    assert {a["login"] for a in erin["assignees"]} == {"erin", "bob"}

    # Day 5: dan has goals, so no reminder; erin's buddy is reminded once.
    world.at("2026-12-12T08:10:00")
    run_twice(world, config)
    world.at("2026-12-14T17:10:00")
    run_twice(world, config)
    assert bot_comments(world, n, "onboarding-reminder") == []
    (reminder,) = bot_comments(world, erin["number"], "onboarding-reminder")
    assert "@bob" in reminder and "@erin" in reminder
    world.at("2026-12-15T09:00:00")
    edit_body(world, "bob", erin["number"], erin["body"].split("## By")[0] + ERIN_GOALS)

    # A day with no moment: the ritual reads nothing (idle runs stay cheap) and writes nothing.
    world.at("2026-12-20T12:10:00")
    seen = len(world.sandbox.requests)
    world.run(config)
    listed = [r.query.get("labels") for r in world.sandbox.requests[seen:]]
    assert "ritual:onboarding" not in listed
    assert onboarding(world, "dan")["number"] == n  # and an issue it did not see is not missing

    # Day 30 for dan: each 1-month goal met or not, a retro asked of both.
    world.at("2027-01-06T08:10:00")
    run_twice(world, config)
    (check,) = bot_comments(world, n, "onboarding-check")
    assert "@dan @alice" in check
    assert "✅ met: Set up the dev environment" in check
    assert "⬜ not met: Ship a first fix" in check and "**1/2** met" in check
    # After the check: alice ticks a goal, dan rewrites a 3-month one, both write a retro.
    world.at("2027-01-06T12:00:00")
    edit_body(world, "alice", n, ticked)
    edited = ticked.replace("Own the release checklist", "Own the release checklist and notes")
    edit_body(world, "dan", n, edited)
    comment(world, "dan", n, "The first month was dense but good. Pairing helped most.")
    comment(world, "carol", n, "Not a retro of a writer. It is not quoted.")
    world.at("2027-01-08T17:10:00")
    run_twice(world, config)
    assert (
        "⬜ not met: Read the architecture notes"
        in bot_comments(world, erin["number"], "onboarding-check")[0]
    )

    # Day 90 for both, then the retro on the three months.
    world.at("2027-03-07T08:10:00")
    run_twice(world, config)
    assert len(bot_comments(world, n, "onboarding-check")) == 2
    world.at("2027-03-08T09:00:00")
    comment(world, "alice", n, "Three months in, dan runs releases alone! Great work.")
    # A retro edited by someone else is nobody's (SPEC §4): it is not quoted.
    forged = comment(world, "dan", n, "Releases are fine.")
    world.at("2027-03-08T10:00:00")
    world.api("carol", "PATCH", f"/repos/{REPO}/issues/comments/{forged}", {"body": "I quit."})
    world.at("2027-03-09T17:10:00")
    run_twice(world, config)

    # Day 97: closed as completed, with the summary.
    world.at("2027-03-14T08:10:00")
    run_twice(world, config)
    closed = onboarding(world, "dan")
    assert (closed["state"], closed["state_reason"]) == ("closed", "completed")
    (summary,) = bot_comments(world, n, "onboarding-summary")
    assert "2/2 goals met" in summary and "0/1 goals met" in summary
    assert "Own the release checklist and notes" in summary
    assert "dan: “The first month was dense but good.” ([comment](" in summary
    assert "alice: “Three months in, dan runs releases alone!” ([comment](" in summary
    assert "Not a retro" not in summary and "I quit" not in summary and "@dan" not in summary
    assert onboarding(world, "erin")["state"] == "open"  # erin's day 97 is two days later
    world.at("2027-03-16T16:10:00")  # 09:00 in Los Angeles, daylight saving time
    run_twice(world, config)
    (summary,) = bot_comments(world, erin["number"], "onboarding-summary")
    assert "0/1 goals met" in summary and "1/1 goals met" in summary
    assert "No retro was written." in summary
