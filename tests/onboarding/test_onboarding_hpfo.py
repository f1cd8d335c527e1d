"""A newcomer's 1-month goals inside HPFO (SPEC §9, §8): carried into their check-ins until day
30, marked as such, counted by the focus check when they name a key result.

dan joins on Monday 2026-12-07 in Paris with alice as buddy and owns key results this quarter.
His first check-in opens with his onboarding issue, before any goal is written; the next ones
carry his 1-month goals not yet met; the one after day 30 carries none.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from ritual_bot.answers import Item, parse_answer
from ritual_bot.markers import first_marker
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import answer_area
from ritual_bot.rituals.hpfo.goals import CarriedGoals, without_goals
from ritual_bot.rituals.hpfo.ritual import render_checkin
from ritual_bot.rituals.keyresults.ledger import Committed, planning_body
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.sandbox.state import BOT_LOGIN
from ritual_bot.templates import Templates
from tests.onboarding.test_onboarding import comment, edit_body, onboarding
from tests.support import REPO, World, make_config, served_world

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - carol
  - login: dan
    joined: "2026-12-07"
    buddy: alice
okrs:
  owners: [dan]
  approvers: [alice]
"""

GOALS = """\

## By 2027-01-06 (1 month)

- [x] Set up the dev environment
- [ ] Ship a first fix (KR1.1)
- [ ] Pair with each teammate

## By 2027-03-07 (3 months)

- [ ] Own the release checklist
"""

PLAN = "## O1 Make onboarding self-serve\n- KR1.1 Activation rate: 32% → 45%\n- KR1.2 Wizard\n"
MARK = "_(onboarding goal, by 2027-01-06)_"


@pytest.fixture
def world() -> Iterator[World]:
    with served_world() as world:
        for login in ("alice", "carol", "dan"):
            world.sandbox.add_user(login)
            world.sandbox.set_permission(REPO, login, "write")
        yield world


def digest_body(world: World, period: str) -> str:
    found = [
        i["body"]
        for i in world.sandbox.issues(REPO)
        if (m := first_marker(i["body"], "hpfo-digest")) and m.get("period") == period
    ]
    assert len(found) == 1
    return str(found[0])


def test_goals_are_carried_until_day_30_and_count_for_the_focus_check(world: World) -> None:
    config = make_config(CONFIG)
    world.at("2026-12-01T08:00:00")
    plan = parse_plan(PLAN).plan
    quarter = str(Quarter.of(date(2026, 12, 7), 1))
    world.sandbox.create_issue(
        REPO, title="OKRs", body=planning_body(Committed("dan", quarter, plan)), user=BOT_LOGIN,
        labels=["okr", "okr: committed"],
    )  # fmt: skip

    # Day 0, 09:05 in Paris: the onboarding issue and the first check-in, with no goal yet.
    world.at("2026-12-07T08:05:00")
    world.run(config)
    first = world.checkin("dan", "2026-W50")
    assert first is not None and "onboarding goal" not in first["body"]
    number = onboarding(world, "dan")["number"]
    world.at("2026-12-07T10:00:00")
    written = onboarding(world, "dan")["body"].split("## By")[0] + GOALS
    edit_body(world, "dan", number, written)
    # carol is nobody's buddy: a goal she adds is no goal (the body as dan saved it counts).
    world.at("2026-12-08T10:00:00")
    edit_body(
        world, "carol", number, written.replace("## By 2027-03", "- [ ] Forged\n\n## By 2027-03")
    )

    # The next Monday's check-in carries the goals not yet met, marked, with a link.
    world.at("2026-12-14T08:05:00")
    seen = len(world.sandbox.requests)
    world.run(config)
    listed = [r.query.get("labels") for r in world.sandbox.requests[seen:]]
    assert listed.count("ritual:onboarding") == 1  # one listing, shared by both rituals' reads
    graphql = [r for r in world.sandbox.requests[seen:] if r.path == "/graphql"]
    assert len(graphql) == 1  # the body's history, with any other the run reads
    second = world.checkin("dan", "2026-W51")
    assert second is not None
    objectives = second["body"].split("## 🎯 Objectives", 1)[1]
    assert f"- [ ] Ship a first fix (KR1.1) {MARK}" in objectives
    assert f"- [ ] Pair with each teammate {MARK}" in objectives
    assert "Set up the dev environment" not in second["body"]  # met: no longer an objective
    assert "Forged" not in second["body"]
    assert f"[onboarding issue]({onboarding(world, 'dan')['html_url']})" in second["body"]
    assert world.checkin("alice", "2026-W51") is not None
    assert "onboarding goal" not in (world.checkin("alice", "2026-W51") or {})["body"]

    # dan answers by comment with one objective naming no KR: with the goals carried, the
    # focus check counts 1 of 3 objectives linked (without them it would be 0 of 1).
    world.at("2026-12-14T12:00:00")
    comment(world, "dan", second["number"], "## Objectives\n- Review the open pull requests\n")
    world.at("2026-12-15T09:05:00")  # Tuesday 10:05 in Paris: the digest, an OKR run
    world.run(config)
    body = digest_body(world, "2026-W51")
    assert "dan: 1/3 objectives linked to a key result" in body
    assert "3 objectives · 🎯 1/3 linked to a key result" in body  # listed with the answer's
    assert f"Ship a first fix (KR1.1) {MARK}" in body

    # Day 30 is Wednesday 2027-01-06: the check-in of 2027-W02 carries no goal any more.
    for monday in ("2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"):
        world.at(f"{monday}T08:05:00")
        world.run(config)
    assert MARK in (world.checkin("dan", "2027-W01") or {})["body"]
    late = world.checkin("dan", "2027-W02")
    assert late is not None and "onboarding goal" not in late["body"]


def test_the_digest_welcomes_members_joined_in_the_seven_days_ending_on_its_day(
    world: World,
) -> None:
    # The digest is on Tuesdays at 10:00 in Paris: dan (Monday 12-07) and erin (Wednesday 12-02,
    # no buddy) are in the digest of 2026-W50 (Tuesday 12-08); fay (Wednesday 12-09) in the next.
    config = make_config(
        CONFIG.replace("okrs:", "  - {login: erin, joined: '2026-12-02'}\n"
                       "  - {login: fay, joined: '2026-12-09', buddy: Dan}\nokrs:")
    )  # fmt: skip
    world.at("2026-12-08T09:05:00")
    world.run(config)
    body = digest_body(world, "2026-W50")
    assert "\n\n👋 Welcome @\u200berin (joined 2026-12-02)\n\n" in body
    assert "👋 Welcome @\u200bdan (joined 2026-12-07, buddy @\u200balice)\n\n## 🔥" in body
    assert "Welcome @\u200bfay" not in body
    world.at("2026-12-15T09:05:00")
    world.run(config)
    body = digest_body(world, "2026-W51")
    assert "👋 Welcome @\u200bfay (joined 2026-12-09, buddy @\u200bdan)" in body
    assert "Welcome @\u200berin" not in body and "Welcome @\u200bdan" not in body
    # The final rewrite of 2026-W50 keeps its welcome.
    final = digest_body(world, "2026-W50")
    assert "from the closed check-ins" in final and "👋 Welcome @\u200bdan" in final


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_goals_a_checkin_carries_read_back_as_its_objectives(language: str) -> None:
    """What the focus check reads back (``goals_in``) is what the template wrote, in both
    languages; and last week's objectives that are this week's goals are not carried twice."""
    config = make_config(CONFIG)
    dan = config.member("dan")
    assert dan is not None
    goals = CarriedGoals((Item("Ship a first fix (KR1.1)", False),), "2027-01-06", "https://x/1")
    body = render_checkin(Templates(language), dan, Period(2026, 51), None, (), goals=goals)
    answer = parse_answer(answer_area(body))
    assert answer is not None
    (objective,) = answer.objectives
    assert (
        objective.text.startswith("Ship a first fix (KR1.1) _(")
        and "2027-01-06)_" in objective.text
    )
    last_week = (Item(objective.text, False), Item("Review PRs", False))
    assert without_goals(last_week, goals) == (Item("Review PRs", False),)
