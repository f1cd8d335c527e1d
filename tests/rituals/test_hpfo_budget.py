"""Request budgets (SPEC §7), counted on the sandbox's request log, and idempotence."""

from __future__ import annotations

import pytest

from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import plan, read_snapshot
from ritual_bot.templates import Templates
from tests.support import REPO, World, team_config


@pytest.mark.parametrize("members", [3, 40])
def test_opening_n_check_ins_costs_at_most_n_plus_5_requests(world: World, members: int) -> None:
    logins = [f"member{i:02d}" for i in range(members)]
    world.add_members(logins)
    world.at("2026-11-23T08:17")
    world.sandbox.clear_requests()
    report = world.run(team_config(logins))
    assert len(report.applied) == members + 1  # the managed label, then one issue each
    assert len(world.sandbox.requests) <= members + 5
    assert report.requests == len(world.sandbox.requests)


@pytest.mark.parametrize("members", [3, 40])
def test_a_repeated_run_makes_no_write_and_costs_at_most_3_requests(
    world: World, members: int
) -> None:
    logins = [f"member{i:02d}" for i in range(members)]
    world.add_members(logins)
    config = team_config(logins)
    world.at("2026-11-23T08:17")
    world.run(config)
    world.at("2026-11-23T09:17")
    world.sandbox.clear_requests()
    report = world.run(config)
    assert report.applied == []
    assert world.writes() == []
    assert len(world.sandbox.requests) <= 3


def test_the_next_weeks_opening_with_answers_stays_within_budget(world: World) -> None:
    logins = [f"member{i:02d}" for i in range(40)]
    world.add_members(logins)
    config = team_config(logins)
    world.at("2026-11-23T08:17")
    world.run(config)
    world.at("2026-11-24T08:00")
    for login in logins:
        issue = world.checkin(login, "2026-W48")
        assert issue is not None
        world.sandbox.create_comment(REPO, issue["number"], body="## Objectives\n- x", user=login)
    world.at("2026-11-24T09:17")  # Tuesday 10:17 in Paris: the week's digest opens
    world.run(config)
    world.at("2026-11-30T08:17")
    world.sandbox.clear_requests()
    world.run(config)
    # 40 openings and 40 closings (one PATCH each, the summary riding in it), last week's digest
    # made final (one PATCH), + 5 reads/labels and the repository (the digest's schedule warning).
    assert len(world.sandbox.requests) <= 40 + 40 + 1 + 6
    assert len(world.writes()) == 40 + 40 + 1
    issue = world.checkin("member07", "2026-W49")
    assert issue is not None and "- [ ] x" in issue["body"]


def test_applying_the_same_plan_twice_writes_nothing_the_second_time(world: World) -> None:
    """Idempotent by construction: each op knows from a fresh snapshot whether it is done."""
    world.add_members(["alice", "bob"])
    config = team_config(["alice", "bob"])
    world.at("2026-11-23T08:17")
    ctx = Context(config, Event("schedule"), world.clock.now(), Templates())
    rituals = [HpfoRitual()]
    gateway = world.gateway()
    ops = plan(rituals, ctx, read_snapshot(gateway, rituals, ctx))
    list(gateway.apply(ops))
    assert len(world.sandbox.issues(REPO)) == 2

    fresh = read_snapshot(gateway, rituals, ctx)
    assert [op for op in ops if not op.is_done(fresh)] == []
    writes_before = len(world.writes())
    list(gateway.apply([op for op in ops if not op.is_done(fresh)]))
    assert len(world.writes()) == writes_before
