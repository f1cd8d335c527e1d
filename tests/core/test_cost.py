"""The cost of a team-week (issue 11): the benchmark's counts, quiet runs, a spread opening."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from benchmarks import cost

from ritual_bot.config import Config
from ritual_bot.moments import CATCH_UP, RUN_DELAY, SPREAD, run_offsets
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.moments import quiet_since
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import RunReport, run
from ritual_bot.schedule import schedule_entries
from ritual_bot.templates import Templates
from tests.support import REPO, World, team_config


def test_two_days_of_a_team_of_5_cost_exactly_these_requests() -> None:
    """benchmarks/cost.py, short: counts are deterministic (the clock and pacing simulated)."""
    tally = cost.play(5, days=2)
    assert (tally.scheduled, tally.event_jobs, tally.skipped) == (18, 10, 1)
    # Answers on check-ins cost their event jobs no request (HpfoRitual.handles): 15 fewer.
    assert (tally.requests, tally.scheduled_requests, tally.writes) == (90, 75, 22)
    assert tally.over_limits == [] and tally.left_over == 0


def test_the_issues_own_hpfo_week_at_5_members_is_within_its_targets() -> None:
    """Issue 11's scenario (an HPFO week, no decision ritual): ≤ 30 jobs, ≤ 60 requests. Its
    check-ins open and close on Monday and remind on Tuesday, so two days hold the whole week."""
    tally = cost.play(5, days=2, hpfo_only=True)
    assert (tally.scheduled, tally.event_jobs, tally.requests, tally.writes) == (14, 6, 47, 13)
    assert tally.over_limits == [] and tally.left_over == 0


def test_more_openings_than_one_run_may_create_get_a_run_per_batch_then_the_catch_up() -> None:
    assert run_offsets(5) == [RUN_DELAY, RUN_DELAY + CATCH_UP]
    assert run_offsets(200) == [RUN_DELAY, RUN_DELAY + SPREAD, RUN_DELAY + SPREAD + CATCH_UP]
    logins = [f"m{i:03d}" for i in range(200)]  # one timezone: 200 open at 09:00 Paris
    lines = {e.cron for e in schedule_entries(team_config(logins), date(2026, 11, 23))}
    assert {"7 9 * * 1", "22 10,11 * * 1"} <= lines  # 09:07, 10:22, and 11:22 to catch up
    assert "37 10,11 * * 2" in lines  # their reminders: 09:22, 10:37 and 11:37 on Tuesday


def test_a_run_between_moments_reads_only_what_changed() -> None:
    config = team_config([f"m{i:03d}" for i in range(60)])
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    assert quiet_since(config, monday + timedelta(minutes=7)) is None  # the opening's run
    assert quiet_since(config, monday + timedelta(hours=2)) is None  # an hourly run after it
    thursday = monday + timedelta(days=3)
    assert quiet_since(config, thursday) == thursday - timedelta(hours=26)
    # Tuesday 10:00 in Paris the digest falls due: its catch-up run starts at 11:07.
    assert quiet_since(config, monday + timedelta(days=1, hours=5)) == monday + timedelta(
        days=1, hours=2, minutes=7
    )


def test_a_quiet_run_costs_one_request_and_a_change_is_still_seen(world: World) -> None:
    logins = [f"m{i:03d}" for i in range(50)]
    world.add_members(logins)
    config = team_config(logins)
    # The opening, the reminders, the digest of the week (Tuesday 10:00 in Paris).
    for at in ("2026-11-30T08:07", "2026-12-01T08:22", "2026-12-01T09:07"):
        world.at(at)
        hpfo_run(world, config)
    world.at("2026-12-02T10:00")  # Wednesday: nothing falls due, nothing changed
    world.sandbox.clear_requests()
    assert hpfo_run(world, config).applied == []
    assert len(world.sandbox.requests) == 1
    issue = world.checkin("m007", "2026-W49")
    assert issue is not None
    world.sandbox.set_issue_state(REPO, issue["number"], "closed", user="m007")
    world.at("2026-12-02T11:00")  # a person closed their check-in: its summary is written
    made = [a.op.describe() for a in hpfo_run(world, config).applied]
    assert len(made) == 1 and f"#{issue['number']}" in made[0], made


def hpfo_run(world: World, config: Config) -> RunReport:
    ctx = Context(config, Event("schedule"), world.clock.now(), Templates(config.language))
    return run(ctx, world.gateway(), rituals=[HpfoRitual()])
