"""What OKRs cost a week of HPFO (issue 14): at most one write per run to the tracker, and no
request per member beyond today's HPFO. Request counts are deterministic, so they are asserted
here; the timings live in benchmarks/.

A team of N members in one timezone; alice has a committed plan and a tracker. The Monday run
(check-ins open, last week's close, the tracker's weekly refresh) is run with and without OKRs:
what OKRs add must not grow with N.
"""

from __future__ import annotations

import pytest

from ritual_bot.rituals.keyresults.ledger import Committed, planning_body
from ritual_bot.rituals.keyresults.plan import parse_plan
from tests.support import REPO, World, make_config, served_world

BOT = "github-actions[bot]"
PLAN = parse_plan("## O1 Onboarding\n- KR1.1 Activation: 32% → 45%\n- KR1.2 Wizard shipped\n").plan


def config(members: list[str], okrs: bool) -> str:
    text = f"version: 1\ntimezone: Europe/Paris\nmembers: [{', '.join(members)}]\n"
    return text + ("okrs: {owners: [m0]}\n" if okrs else "")


def monday_cost(members: int, okrs: bool) -> tuple[int, int, int]:
    """(requests, writes, writes to the tracker) of the second Monday's run."""
    logins = [f"m{i}" for i in range(members)]
    with served_world() as world:
        world.add_members(logins)
        committed = planning_body(Committed("m0", "2027-Q1", PLAN))
        world.sandbox.create_issue(
            REPO, title="OKRs 2027-Q1 · @m0", body=committed, user=BOT, labels=["okr"]
        )
        cfg = make_config(config(logins, okrs))
        world.at("2027-01-11T08:05:00")  # Monday 09:05 in Paris
        world.run(cfg)
        _answer_all(world, logins, "2027-W02")
        world.at("2027-01-18T08:05:00")
        before = len(world.sandbox.requests)
        report = world.run(cfg)
        tracker = [
            r
            for r in world.sandbox.requests[before:]
            if r.is_write and "OKR tracker" in _title(world, r.path)
        ]
        return report.requests, report.writes, len(tracker)


def _answer_all(world: World, logins: list[str], period: str) -> None:
    for login in logins:
        checkin = world.checkin(login, period)
        assert checkin is not None
        path = f"/repos/{REPO}/issues/{checkin['number']}/comments"
        world.api(login, "POST", path, {"body": "## Progress\n- KR1.1: 36% 🟢\n"})


def _title(world: World, path: str) -> str:
    parts = path.split("/")
    if len(parts) > 5 and parts[4] == "issues" and parts[5].isdigit():
        return str(world.sandbox.issue(REPO, int(parts[5]))["title"])
    return ""


@pytest.mark.parametrize("members", [3, 12])
def test_okrs_add_the_same_few_requests_whatever_the_team_size(members: int) -> None:
    with_okrs = monday_cost(members, okrs=True)
    without = monday_cost(members, okrs=False)
    extra_requests = with_okrs[0] - without[0]
    extra_writes = with_okrs[1] - without[1]
    assert with_okrs[2] <= 1, "at most one write to the tracker per run"
    # The OKR issues' listing, the last two weeks of check-ins' listing and the tracker's write;
    # their comments come in HPFO's one repository-wide comments listing, and the tracker's edit
    # history in the same GraphQL request as the check-ins'.
    assert (extra_requests, extra_writes) == (3, 1)


def later_costs(members: int, okrs: bool) -> tuple[int, int]:
    """Requests of the week's digest run (Tuesday 10:05 Paris: OKRs read for the focus check)
    and of an idle run after it (Wednesday)."""
    logins = [f"m{i}" for i in range(members)]
    with served_world() as world:
        world.add_members(logins)
        committed = planning_body(Committed("m0", "2027-Q1", PLAN))
        world.sandbox.create_issue(
            REPO, title="OKRs 2027-Q1 · @m0", body=committed, user=BOT, labels=["okr"]
        )
        cfg = make_config(config(logins, okrs) + "hpfo: {digest: {day: tuesday}}\n")
        world.at("2027-01-11T08:05:00")
        world.run(cfg)
        _answer_all(world, logins, "2027-W02")
        world.at("2027-01-12T09:05:00")
        digest = world.run(cfg).requests
        world.at("2027-01-13T11:05:00")
        return digest, world.run(cfg).requests


@pytest.mark.parametrize("members", [3, 12])
def test_the_focus_check_adds_the_same_requests_to_the_digest_run_and_none_to_idle_runs(
    members: int,
) -> None:
    (digest, idle), (digest_without, idle_without) = (
        later_costs(members, okrs=True),
        later_costs(members, okrs=False),
    )
    assert idle == idle_without, "an idle run reads no OKR issue"
    # The OKR issues' listing only, whatever the team size: the tracker waits for its own
    # moments and is not rewritten on the digest's run.
    assert digest - digest_without == 1
