"""The gateway under GitHub's faults and limits, injected in the sandbox (SPEC §7).

Waits go through FakeTime: sleeping moves the sandbox's clock, so nothing really waits and the
tests can assert exactly how long the gateway chose to wait.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from ritual_bot.errors import GitHubError
from ritual_bot.gateway import Gateway, Secret
from ritual_bot.resilience import RetryPolicy, WritePacer
from ritual_bot.runner import RunReport
from ritual_bot.sandbox.faults import CreationLimits, FaultKind, Faults
from tests.support import REPO, FakeTime, World, team_config

ISSUES = r"/repos/acme/team/issues$"
THREE_CHECKINS = [f"HPFO 2026-W48 · @m{i}" for i in range(3)]


@pytest.fixture
def faults(world: World) -> Iterator[Faults]:
    installed = Faults(world.sandbox)
    yield installed
    installed.release()


@pytest.fixture
def fake_time(world: World) -> FakeTime:
    return FakeTime(world.clock)


def open_week(world: World, fake_time: FakeTime, members: int = 3, **options: object) -> RunReport:
    logins = [f"m{i}" for i in range(members)]
    world.add_members(logins)
    world.at("2026-11-23T08:17")
    return world.run(team_config(logins), gateway=world.gateway(fake_time.resilience(**options)))


def bot_issues(world: World) -> list[str]:
    return sorted(i["title"] for i in world.sandbox.issues(REPO))


def test_a_5xx_on_a_read_is_retried_with_backoff(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.ERROR_5XX, method="GET", path=ISSUES, status=502, times=2)
    open_week(world, fake_time)
    assert fake_time.slept == [1.0, 2.0]
    assert len(bot_issues(world)) == 3


def test_a_5xx_on_a_create_that_did_not_land_is_written_once_more(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.ERROR_5XX, method="POST", path=ISSUES, status=503, nth=2)
    open_week(world, fake_time)
    assert bot_issues(world) == [
        "HPFO 2026-W48 · @m0",
        "HPFO 2026-W48 · @m1",
        "HPFO 2026-W48 · @m2",
    ]
    assert fake_time.slept == []  # an ambiguous create is looked up, not waited on


def test_a_create_whose_answer_was_lost_is_found_by_its_marker_not_duplicated(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.DROP_AFTER, method="POST", path=ISSUES, nth=2)
    open_week(world, fake_time)
    assert bot_issues(world) == [
        "HPFO 2026-W48 · @m0",
        "HPFO 2026-W48 · @m1",
        "HPFO 2026-W48 · @m2",
    ]
    lookups = [r for r in world.sandbox.requests if r.query.get("creator") == "github-actions[bot]"]
    assert len(lookups) == 1


def test_a_secondary_limit_with_retry_after_waits_that_long(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.SECONDARY_LIMIT, method="POST", path=ISSUES, retry_after=30)
    open_week(world, fake_time)
    assert fake_time.slept == [30.0]
    assert len(bot_issues(world)) == 3


def test_a_secondary_limit_without_retry_after_waits_at_least_a_minute(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.SECONDARY_LIMIT, method="POST", path=ISSUES, times=2)
    open_week(world, fake_time)
    assert fake_time.slept == [60.0, 120.0]
    assert len(bot_issues(world)) == 3


def test_primary_exhaustion_waits_until_reset_by_the_servers_clock_not_the_runners(
    world: World, faults: Faults
) -> None:
    skewed = FakeTime(world.clock, skew=3600.0)  # the runner's clock is an hour fast
    faults.add(FaultKind.PRIMARY_EXHAUSTED, method="GET", path=ISSUES, reset_in=120)
    open_week(world, skewed)
    assert len(skewed.slept) == 1 and 120.0 <= skewed.slept[0] <= 122.0
    assert len(bot_issues(world)) == 3


def test_a_wait_past_the_cap_fails_clearly_and_the_next_run_finishes(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    faults.add(FaultKind.PRIMARY_EXHAUSTED, method="POST", path=ISSUES, nth=2, reset_in=7200)
    report = open_week(world, fake_time, policy=RetryPolicy(max_total_wait=600))
    # The whole run is rate limited, not one item: it stops, reports it, and leaves the rest.
    assert report.stopped and "past this run's cap" in report.stopped
    assert [f.status for f in report.failures] == [403] and len(report.left) == 1
    assert len(bot_issues(world)) == 1
    faults.clear()
    world.run(team_config(["m0", "m1", "m2"]), gateway=world.gateway(fake_time.resilience()))
    assert len(bot_issues(world)) == 3


def test_a_plain_403_is_not_mistaken_for_a_rate_limit(world: World, fake_time: FakeTime) -> None:
    world.add_members(["alice"])
    world.at("2026-11-23T08:17")
    world.bot_token = world.sandbox.actions_token(REPO, permissions={"issues": "read"})
    # The config read is refused first; the message names the permission GitHub asked for.
    with pytest.raises(GitHubError, match=r"`permissions: \{contents: read\}`"):
        world.run(team_config(["alice"]), gateway=world.gateway(fake_time.resilience()))
    assert fake_time.slept == []


def test_a_hung_request_times_out_and_a_read_is_retried(
    world: World, faults: Faults, fake_time: FakeTime
) -> None:
    world.add_members(["alice"])
    world.at("2026-11-23T08:17")
    faults.add(FaultKind.HANG, method="GET", path=ISSUES)
    resilience = fake_time.resilience()
    gateway = Gateway(REPO, Secret(world.bot_token), world.url, timeout=1, resilience=resilience)
    world.run(team_config(["alice"]), gateway=gateway)
    assert len(bot_issues(world)) == 1
    assert fake_time.slept == [1.0]


def test_a_run_that_reaches_its_write_budget_stops_cleanly_and_the_next_continues(
    world: World, fake_time: FakeTime
) -> None:
    logins = [f"m{i}" for i in range(6)]
    world.add_members(logins)
    world.at("2026-11-23T08:17")
    config = team_config(logins)
    small = WritePacer(per_minute=80, per_hour=4)
    report = world.run(config, gateway=world.gateway(fake_time.resilience(pacer=small)))
    assert len(report.applied) == 4 and len(report.left) == 3
    assert report.stopped is not None
    report = world.run(config, gateway=world.gateway(fake_time.resilience()))
    assert len(bot_issues(world)) == 6
    assert len(report.applied) == 3


def test_writes_are_a_second_apart_and_creations_stay_under_githubs_issue_limit(
    world: World, fake_time: FakeTime
) -> None:
    """100 check-ins against a sandbox that enforces the issue-creation limit (20 a minute): the
    pacer never trips it, keeps every write a second apart and within 80 a minute."""
    limits = CreationLimits(world.sandbox)
    logins = [f"m{i:03d}" for i in range(100)]
    world.add_members(logins)
    world.at("2026-11-23T08:17")
    report = world.run(team_config(logins), gateway=world.gateway(fake_time.resilience()))
    assert report.failures == [] and limits.tripped == 0 and fake_time.slept == []
    assert len(bot_issues(world)) == 100
    writes = [r.at for r in world.sandbox.requests if r.is_write and r.at is not None]
    assert len(writes) == 101
    assert all((b - a).total_seconds() >= 1 for a, b in itertools.pairwise(writes))
    creations = [
        r.at
        for r in world.sandbox.requests
        if r.operation == "/repos/{owner}/{repo}/issues" and r.method == "POST"
    ]
    assert len(creations) == 100
    for index in range(len(creations) - 20):
        assert (creations[index + 20] - creations[index]).total_seconds() >= 60  # type: ignore[operator]
    assert 295 <= sum(fake_time.paced) <= 310  # 100 creations at 20 a minute: about 5 minutes
