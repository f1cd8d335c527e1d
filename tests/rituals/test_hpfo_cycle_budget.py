"""Request budgets of the weekly cycle (SPEC §7, issue #3), counted on the sandbox's log."""

from __future__ import annotations

import math

import pytest

from ritual_bot.config import Config
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import RunReport, run
from ritual_bot.templates import Templates
from tests.support import REPO, FakeTime, World, team_config

DIGEST = "hpfo:\n  remind_after: 2d\n  digest: {day: tuesday, time: '10:00'}\n"
ANSWER = "## Highlights\n- shipped\n## Fires\n- staging is down\n## Objectives\n- fix staging"


def team(world: World, size: int) -> tuple[list[str], Config]:
    logins = [f"member{i:03d}" for i in range(size)]
    world.add_members(logins)
    return logins, team_config(logins, DIGEST)


def hpfo_run(world: World, config: Config) -> RunReport:
    """A scheduled run of the HPFO ritual alone: other rituals' reads are theirs to budget."""
    ctx = Context(config, Event("schedule"), world.clock.now(), Templates(config.language))
    return run(ctx, world.gateway(), rituals=[HpfoRitual()])


def answer_all(world: World, logins: list[str], period: str, comments: int = 1) -> None:
    for login in logins:
        issue = world.checkin(login, period)
        assert issue is not None
        for _ in range(comments):
            world.sandbox.create_comment(REPO, issue["number"], body=ANSWER, user=login)


def per_issue_comment_listings(world: World) -> list[str]:
    return [
        r.path
        for r in world.sandbox.requests
        if r.method == "GET" and r.path.endswith("/comments") and "/issues/comments" not in r.path
    ]


def comment_pages(world: World) -> int:
    return sum(
        1
        for r in world.sandbox.requests
        # Page 2 on follows GitHub's Link header, which names the repository by id.
        if r.method == "GET" and r.path.endswith("/issues/comments")
    )


@pytest.mark.parametrize(("size", "each"), [(5, 1), (30, 4)])
def test_closing_a_week_is_one_write_and_answers_are_read_repo_wide(
    world: World, size: int, each: int
) -> None:
    logins, config = team(world, size)
    world.at("2026-11-23T08:17")
    hpfo_run(world, config)
    world.at("2026-11-23T12:00")
    answer_all(world, logins, "2026-W48", each)
    world.at("2026-11-30T08:17")
    world.sandbox.clear_requests()
    hpfo_run(world, config)
    patches = [r for r in world.sandbox.requests if r.method == "PATCH"]
    assert len(patches) == size  # one PATCH per member: summary, state and reason together
    assert len({r.path for r in patches}) == size
    assert per_issue_comment_listings(world) == []
    # Pages of the one repository-wide listing grow with comments / 100, not with members.
    assert comment_pages(world) == math.ceil(size * each / 100)


def test_a_run_with_nothing_due_costs_at_most_3_requests_even_with_answers(world: World) -> None:
    logins, config = team(world, 40)
    world.at("2026-11-23T08:17")
    hpfo_run(world, config)
    answer_all(world, logins, "2026-W48")
    world.at("2026-11-23T15:17")
    hpfo_run(world, config)
    world.at("2026-11-23T16:17")
    world.sandbox.clear_requests()
    report = hpfo_run(world, config)
    assert report.applied == []
    assert len(world.sandbox.requests) <= 3


@pytest.mark.parametrize("size", [5, 30])
def test_a_digest_for_n_members_costs_at_most_n_over_100_plus_4_requests_over_an_idle_run(
    world: World, size: int
) -> None:
    """Each Tuesday the week's digest opens from the answers given since Monday, and the previous
    one is closed; each Monday the week before is made final. The check-ins' comments are read
    by every scheduled run anyway (idle runs too): the digest reads no other comment, and the
    closed weeks carry their summaries and outcomes."""
    logins, config = team(world, size)
    for week, (monday, tuesday) in enumerate(
        [("2026-11-23", "2026-11-24"), ("2026-11-30", "2026-12-01"), ("2026-12-07", "2026-12-08")]
    ):
        world.at(f"{monday}T08:17")
        world.sandbox.clear_requests()
        report = hpfo_run(world, config)  # last week closes and is made final, this week opens
        made = [a.op.describe() for a in report.applied]
        if week > 0:
            # One PATCH per check-in closed, one per opening, one for the final digest, and the
            # repository once (the digest's schedule warning): over the reads of any such run.
            finals = [d for d in made if d.startswith("update issue") and "state=" not in d]
            assert len(finals) == 1, made
            assert sum(r.path == f"/repos/{REPO}" for r in world.sandbox.requests) == 1
            assert len(world.sandbox.requests) <= 2 * size + 1 + size / 100 + 5
        world.at(f"{monday}T12:00")  # answers come before the digest: it shows them
        answer_all(world, logins, f"2026-W{48 + week}")
        world.at(f"{tuesday}T08:50")  # an idle run, for comparison
        world.sandbox.clear_requests()
        assert hpfo_run(world, config).applied == []
        idle = len(world.sandbox.requests)
        assert idle <= 3 and comment_pages(world) == 1
        world.at(f"{tuesday}T09:00")  # 10:00 in Paris: this week's digest
        world.sandbox.clear_requests()
        report = hpfo_run(world, config)
        made = [a.op.describe() for a in report.applied]
        assert any(f"HPFO digest 2026-W{48 + week}" in d for d in made), made
        # Over the idle run: the edit histories (read before any write), open the new one,
        # close the old (week 48: the digest label is created instead, once), and read the
        # repository once: its last push says whether GitHub is about to turn the schedule off
        # (issue 10).
        assert len(world.sandbox.requests) - idle <= size / 100 + 4
        assert sum(r.path == f"/repos/{REPO}" for r in world.sandbox.requests) == 1
        assert comment_pages(world) == 1  # the same one listing as the idle run


def listing_pages(world: World) -> int:
    return sum(
        1 for r in world.sandbox.requests if r.method == "GET" and r.path.endswith("/issues")
    )


def test_at_scale_the_listing_stops_at_last_week_and_the_digest_adds_2n_over_100_plus_3(
    world: World,
) -> None:
    """150 members, three weeks of issues on record, each week's digest opened on its Tuesday.
    The check-in listing reads this week and last week only (newest first, stopping at the week
    before); the digest's own requests, on top of what the same run reads anyway for the open
    week, stay within 2N/100 + 3: the edit histories of last week's check-ins and of this week's
    answered ones (read before any write, 100 a request), open the digest, close the old one,
    and read the repository."""
    size = 150
    logins, config = team(world, size)
    fake = FakeTime(world.clock)
    for monday, tuesday, week in (
        ("2026-11-16", "2026-11-17", "2026-W47"),
        ("2026-11-23", "2026-11-24", "2026-W48"),
        ("2026-11-30", "2026-12-01", "2026-W49"),
    ):
        world.at(f"{monday}T08:17")
        run(hpfo_context(world, config), world.gateway(fake.resilience()), rituals=[HpfoRitual()])
        world.at(f"{monday}T12:00")
        answer_all(world, logins[::3], week)
        if week != "2026-W49":
            world.at(f"{tuesday}T09:17")
            run(hpfo_context(world, config), world.gateway(fake.resilience()))

    world.at("2026-12-01T08:50")  # Tuesday, before the digest is due
    world.sandbox.clear_requests()
    assert hpfo_run(world, config).applied == []
    # Answers came in since Monday's runs, so this run between moments reads them all (the
    # quiet probe, issue 11, finds them changed): this week's and last week's check-ins and
    # last week's digest, not three weeks' worth, after the probe's one page.
    assert listing_pages(world) == 1 + math.ceil((2 * size + 1) / 100)

    world.at("2026-12-01T09:17")  # 10:17 in Paris: the digest of 2026-W49 is due
    world.sandbox.clear_requests()
    made = [a.op.describe() for a in hpfo_run(world, config).applied]
    assert any("HPFO digest 2026-W49" in d for d in made), made
    assert listing_pages(world) == math.ceil((2 * size + 1) / 100)
    read = listing_pages(world) + comment_pages(world)  # what any run reading all of it reads
    assert len(world.sandbox.requests) - read <= 2 * size / 100 + 3


def hpfo_context(world: World, config: Config) -> Context:
    return Context(config, Event("schedule"), world.clock.now(), Templates(config.language))
