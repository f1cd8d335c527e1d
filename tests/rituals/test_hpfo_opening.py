"""HPFO check-ins open once per member and ISO week, on their local day and time (SPEC §3)."""

from __future__ import annotations

from ritual_bot.rituals.hpfo.ritual import MANAGED_LABEL
from tests.support import REPO, World, make_config, team_config

PARIS_AND_NEW_YORK = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
"""

ANSWER = """\
Morning! Here is my week.

## Highlights
- Shipped onboarding

## Progress
- Billing at 80%

## Fires
- none

## Objectives
- Finish billing
- Draft the Q1 OKRs for @bob's team
"""


def test_each_member_gets_one_issue_once_their_local_monday_nine_has_passed(world: World) -> None:
    world.add_members(["alice", "bob"])
    config = make_config(PARIS_AND_NEW_YORK)

    world.at("2026-11-23T07:59")  # 08:59 in Paris
    assert world.run(config).applied == []

    world.at("2026-11-23T08:00")  # 09:00 in Paris, 03:00 in New York
    world.run(config)
    assert world.checkin("alice", "2026-W48") is not None
    assert world.checkin("bob", "2026-W48") is None

    world.at("2026-11-23T14:00")  # 09:00 in New York
    world.run(config)
    assert world.checkin("bob", "2026-W48") is not None


def test_the_issue_has_the_title_assignee_labels_and_four_sections(world: World) -> None:
    world.add_members(["alice"])
    world.at("2026-11-23T08:17")
    world.run(team_config(["alice"]))

    issue = world.checkin("alice", "2026-W48")
    assert issue is not None
    assert issue["title"] == "HPFO 2026-W48 · @alice"
    assert [a["login"] for a in issue["assignees"]] == ["alice"]
    assert sorted(label["name"] for label in issue["labels"]) == ["hpfo", MANAGED_LABEL]
    assert issue["user"]["login"] == "github-actions[bot]"
    for heading in ("## 🌟 Highlights", "## 📈 Progress", "## 🔥 Fires", "## 🎯 Objectives"):
        assert heading in issue["body"]
    managed = next(lb for lb in world.sandbox.labels(REPO) if lb["name"] == MANAGED_LABEL)
    assert managed["color"] != "ededed"  # created by the bot with its own colour


def test_french_teams_get_french_sections(world: World) -> None:
    world.add_members(["alice"])
    world.at("2026-11-23T08:17")
    world.run(team_config(["alice"], "language: fr\n"))
    issue = world.checkin("alice", "2026-W48")
    assert issue is not None
    assert "## 🔥 Incendies" in issue["body"] and "## 🎯 Objectifs" in issue["body"]


def test_nobody_is_opened_for_while_away_and_catches_up_on_return(world: World) -> None:
    world.add_members(["alice", "dave"])
    config = make_config(
        "version: 1\ntimezone: Europe/Paris\nmembers:\n  - alice\n"
        "  - login: dave\n    away: ['2026-11-20..2026-11-24']\n"
    )
    world.at("2026-11-23T08:17")
    world.run(config)
    assert world.checkin("alice", "2026-W48") is not None
    assert world.checkin("dave", "2026-W48") is None

    world.at("2026-11-25T08:17")  # Wednesday: dave is back, the week's check-in is still due
    world.run(config)
    assert world.checkin("dave", "2026-W48") is not None


def test_a_late_run_catches_up_within_the_week_but_never_backfills(world: World) -> None:
    world.add_members(["alice"])
    config = team_config(["alice"])
    world.at("2026-12-03T18:17")  # Thursday of W49; nothing ran in W48
    world.run(config)
    assert world.checkin("alice", "2026-W49") is not None
    assert world.checkin("alice", "2026-W48") is None


def test_the_week_the_clocks_change_opens_at_local_nine(world: World) -> None:
    world.add_members(["bob"])
    config = make_config("version: 1\nmembers:\n  - login: bob\n    timezone: America/New_York\n")
    # US clocks spring forward on Sunday 2026-03-08: Monday 09:00 is now 13:00 UTC, not 14:00.
    world.at("2026-03-09T12:59")
    world.run(config)
    assert world.checkin("bob", "2026-W11") is None
    world.at("2026-03-09T13:00")
    world.run(config)
    assert world.checkin("bob", "2026-W11") is not None


def test_last_weeks_objectives_are_carried_over_with_a_link(world: World) -> None:
    world.add_members(["alice"])
    config = team_config(["alice"])
    world.at("2026-11-23T08:17")
    world.run(config)
    last = world.checkin("alice", "2026-W48")
    assert last is not None
    world.at("2026-11-24T10:00")
    world.sandbox.create_comment(REPO, last["number"], body="thanks!", user="github-actions[bot]")
    world.sandbox.create_comment(REPO, last["number"], body=ANSWER, user="alice")

    world.at("2026-11-30T08:17")
    world.run(config)
    issue = world.checkin("alice", "2026-W49")
    assert issue is not None
    progress = issue["body"].split("## 📈 Progress", 1)[1].split("## 🔥 Fires", 1)[0]
    assert "- [ ] Finish billing" in progress
    assert "- [ ] Draft the Q1 OKRs" in progress
    assert "@bob" not in progress  # quoted objectives never re-ping anyone
    assert last["html_url"] in issue["body"]


def test_objectives_written_into_the_body_are_carried_over_too(world: World) -> None:
    world.add_members(["alice"])
    config = team_config(["alice"])
    world.at("2026-11-23T08:17")
    world.run(config)
    last = world.checkin("alice", "2026-W48")
    assert last is not None
    edited = last["body"].replace("## 🎯 Objectives", "## 🎯 Objectives\n- Ship search v2")
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{last['number']}", {"body": edited})

    world.at("2026-11-30T08:17")
    world.run(config)
    issue = world.checkin("alice", "2026-W49")
    assert issue is not None and "- [ ] Ship search v2" in issue["body"]


def test_an_untouched_issue_carries_nothing_over(world: World) -> None:
    world.add_members(["alice"])
    config = team_config(["alice"])
    world.at("2026-11-23T08:17")
    world.run(config)
    world.at("2026-11-30T08:17")
    world.run(config)
    issue = world.checkin("alice", "2026-W49")
    assert issue is not None and "- [ ]" not in issue["body"]


def test_a_spoofed_marker_in_someone_elses_issue_does_not_count(world: World) -> None:
    world.add_members(["alice", "mallory"])
    world.sandbox.create_issue(
        REPO,
        title="HPFO 2026-W48 · @alice",
        body="<!-- ritual-bot:hpfo-checkin member=alice period=2026-W48 -->",
        user="mallory",
        labels=[MANAGED_LABEL],
    )
    world.at("2026-11-23T08:17")
    world.run(team_config(["alice"]))
    bot_issues = [
        i for i in world.sandbox.issues(REPO) if i["user"]["login"] == "github-actions[bot]"
    ]
    assert len(bot_issues) == 1


def test_dry_run_prints_the_plan_and_writes_nothing(world: World) -> None:
    world.add_members(["alice", "bob"])
    world.at("2026-11-23T15:00")
    report = world.run(team_config(["alice", "bob"]), dry_run=True)
    assert len([op for op in report.planned if op.kind.value == "create-issue"]) == 2
    assert world.sandbox.issues(REPO) == []
    assert world.writes() == []


def test_a_title_with_a_format_spec_opens_the_check_in(world: World) -> None:
    world.add_members(["alice"])
    world.at("2026-11-23T08:17")
    world.run(team_config(["alice"], 'hpfo:\n  title: "HPFO {period:>10} @{login}"\n'))
    (issue,) = world.sandbox.issues(REPO)
    assert issue["title"] == "HPFO   2026-W48 @alice"
