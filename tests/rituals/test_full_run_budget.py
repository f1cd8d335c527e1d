"""Both rituals together, as the scheduled workflow runs them every hour (SPEC §7 budgets).

Every hour of a fortnight with answers, a decision under way and a proposal file in the checkout,
the run is repeated: the repeat has nothing due and must cost at most 3 requests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ritual_bot.workspace import Workspace, blob_sha
from tests.support import REPO, World, make_config

DATA = Path(__file__).parents[1] / "data" / "decisions"
CONFIG = """\
version: 1
timezone: Europe/Paris
members: [alice, bob, carol, dave, erin]
groups: {eng: [alice, bob, carol, dave, erin]}
decisions: {stakeholders: [eng]}
"""


def test_an_idle_hourly_run_costs_at_most_3_requests_all_fortnight(
    world: World, tmp_path: Path
) -> None:
    logins = ["alice", "bob", "carol", "dave", "erin"]
    world.add_members(logins)
    config = make_config(CONFIG)
    proposals = tmp_path / ".github" / "decisions"
    proposals.mkdir(parents=True)
    (proposals / "trunk.md").write_text((DATA / "proposal.md").read_text())
    decision = world.sandbox.create_issue(
        REPO, title="Pick a CI provider", body="Which one?", user="alice", labels=["decision"]
    )

    at = datetime(2026, 11, 23, 6, 17, tzinfo=UTC)
    worst = 0
    while at < datetime(2026, 12, 7, tzinfo=UTC):
        world.clock.set(at)
        if at.hour == 10 and at.weekday() == 0:  # people answer on Mondays (no event runs)
            for login in logins[:3]:
                issue = world.checkin(login, _period(at))
                assert issue is not None
                world.sandbox.create_comment(
                    REPO, issue["number"], body="## Fires\n- CI\n## Objectives\n- ship", user=login
                )
            world.sandbox.create_comment(REPO, decision["number"], body="/approve", user="bob")
        world.run(config, workspace=tmp_path)  # whatever is due (a changed thread included)
        world.sandbox.clear_requests()
        report = world.run(config, workspace=tmp_path)
        assert report.applied == [], (at, [a.op.describe() for a in report.applied])
        worst = max(worst, len(world.sandbox.requests))
        at += timedelta(hours=1)
    assert worst <= 3
    assert any(i["title"] == "Adopt trunk-based development" for i in world.sandbox.issues(REPO))


def _period(at: datetime) -> str:
    iso = at.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def test_the_checkout_gives_the_blob_sha_the_contents_api_would(
    world: World, tmp_path: Path
) -> None:
    text = "---\ntitle: x\n---\nbody é\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    world.sandbox.put_file(REPO, "a.md", text, user="github-actions[bot]")
    local = Workspace(tmp_path).get_file("a.md")
    remote = world.gateway().get_file("a.md")
    assert local is not None and remote is not None
    assert local.sha == remote.sha == blob_sha(text.encode())
    assert Workspace(tmp_path).get_file("../../etc/passwd") is None
