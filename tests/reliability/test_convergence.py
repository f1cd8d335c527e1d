"""Crash or fault every write, rerun: the same final state, nothing duplicated, nothing lost."""

from __future__ import annotations

import pytest

from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import plan, read_snapshot
from ritual_bot.templates import Templates
from tests.reliability.convergence import (
    MATRIX_FAULTS,
    Scenario,
    decision_start,
    decision_to_close,
    hpfo_digest_day,
    hpfo_week,
    run_matrix,
)
from tests.support import REPO, World, team_config


@pytest.mark.parametrize(
    "scenario",
    [hpfo_week(members=3), hpfo_digest_day(members=3), decision_start(), decision_to_close()],
    ids=lambda s: s.name,
)
def test_a_scenario_converges_after_a_crash_or_a_fault_at_any_write(scenario: Scenario) -> None:
    matrix = run_matrix(scenario)
    assert matrix.writes >= 3
    assert matrix.runs == matrix.writes * (1 + len(MATRIX_FAULTS))
    assert matrix.total_duplicates == 0
    assert matrix.lost_updates == 0
    assert matrix.unauthorised_effects == 0
    # The faults really bit: every crash before the last write left the first run failing.
    crashes = matrix.by_fault()["crash"]
    assert all(o.first_run_failed for o in crashes)
    # Every other fault is absorbed within the run itself: retried, waited out, or (for a write
    # with no clear answer) looked up before being written again.
    absorbed = [o for o in matrix.outcomes if o.fault != "crash"]
    assert [(o.fault, o.point) for o in absorbed if o.first_run_failed] == []


def test_two_concurrent_runs_leave_one_issue_after_the_next_run(world: World) -> None:
    logins = ["alice", "bob"]
    world.add_members(logins)
    config = team_config(logins)
    world.at("2026-11-23T08:17")
    ctx = Context(config, Event("schedule"), world.clock.now(), Templates())
    rituals = [HpfoRitual()]
    first, second = world.gateway(), world.gateway()
    # Both runs read before either writes, so both plan the same two check-ins.
    ops_first = plan(rituals, ctx, read_snapshot(first, rituals, ctx))
    ops_second = plan(rituals, ctx, read_snapshot(second, rituals, ctx))
    list(first.apply(ops_first))
    list(second.apply(ops_second))
    assert len([i for i in world.sandbox.issues(REPO) if i["state"] == "open"]) == 4

    world.run(config)
    open_issues = [i for i in world.sandbox.issues(REPO) if i["state"] == "open"]
    closed = [i for i in world.sandbox.issues(REPO) if i["state"] == "closed"]
    assert sorted(i["title"] for i in open_issues) == [
        "HPFO 2026-W48 · @alice",
        "HPFO 2026-W48 · @bob",
    ]
    assert [i["state_reason"] for i in closed] == ["duplicate", "duplicate"]
    assert all(min(i["number"] for i in open_issues) < c["number"] for c in closed)
    writes = len(world.writes())
    world.run(config)
    assert len(world.writes()) == writes  # and the next run has nothing left to heal
