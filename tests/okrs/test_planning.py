"""OKR planning (SPEC §8): planning issues before the quarter, signed off as a decision, committed.

A team of four in two timezones with a fiscal year starting in April: the next quarter, 2026-Q4,
runs from 2027-01-01; planning opens 14 days before, on 2026-12-18 at 09:00 in each owner's
timezone. alice owns personal OKRs, the team eng (bob, carol) a team set led by bob; dave approves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ritual_bot.config import Config
from ritual_bot.markers import find_markers, first_marker
from ritual_bot.ops import Op
from ritual_bot.report import skips
from ritual_bot.rituals.keyresults.ledger import (
    Committed,
    KrRecord,
    Ledger,
    planning_body,
    read_committed,
    tracker_body,
)
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.okrs.planning import PLAN, PlanningIssue
from ritual_bot.sandbox.state import BOT_LOGIN
from tests.decisions.helpers import Team
from tests.support import REPO, World, make_config

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - login: dave
    away: ["2026-12-10..2026-12-22"]
groups:
  eng: [bob, carol]
  leads: [dave]
okrs:
  quarter_start: april
  owners: [alice, eng]
  approvers: [leads]
  planning_days: 14
  record: docs/okrs/
"""

PLAN_TEXT = """\
Here is my draft.

## O1 Make onboarding self-serve
- KR1.1 Activation rate: 32% → 45%
- KR1.2 Median time to first check-in: 6d → 2d
- KR1.3 Setup wizard shipped
"""


def config(extra: str = "") -> Config:
    return make_config(CONFIG + extra)


def planning_issues(world: World) -> dict[str, dict[str, Any]]:
    found = {}
    for issue in world.sandbox.issues(REPO):
        marker = first_marker(issue["body"], PLAN)
        if marker is not None:
            found[marker.get("owner") or ""] = issue
    return found


def labels(issue: dict[str, Any]) -> set[str]:
    return {label["name"] for label in issue["labels"]}


def test_planning_opens_fourteen_days_before_the_fiscal_quarter_in_each_owners_morning(
    world: World,
) -> None:
    world.at("2026-12-18T07:30:00")  # 08:30 in Paris: not yet
    world.run(config())
    assert planning_issues(world) == {}

    world.at("2026-12-18T08:05:00")  # 09:05 in Paris: alice's and eng's (team timezone)
    world.run(config())
    found = planning_issues(world)
    assert sorted(found) == ["alice", "eng"]
    alice, eng = found["alice"], found["eng"]
    assert alice["title"] == "OKRs 2026-Q4 · @alice"
    assert eng["title"] == "OKRs 2026-Q4 · eng"
    assert [a["login"] for a in alice["assignees"]] == ["alice"]
    assert [a["login"] for a in eng["assignees"]] == ["bob"]  # the team's first member
    assert labels(alice) == {"okr", "okr: planning", "decision"}
    # Feedback is due on the quarter's first day; dave, the approver, is asked by name.
    assert "2027-01-01" in alice["body"] and "@dave" in alice["body"]
    assert "No plan yet" in alice["body"]

    # The next run is the decision ritual's first look at them: it writes its block and status.
    report = world.run(config())
    assert [a.op.describe() for a in report.applied] == [
        f"update issue #{alice['number']}: body, labels",
        f"update issue #{eng['number']}: body, labels",
    ]
    assert "decision: open" in labels(world.sandbox.issue(REPO, alice["number"]))
    writes = len(world.writes())
    world.run(config())
    assert len(world.writes()) == writes, "a rerun opens nothing twice"


def test_no_planning_for_a_quarter_that_has_started(world: World) -> None:
    world.at("2027-01-02T12:00:00")
    world.run(config())
    assert planning_issues(world) == {}


def test_an_owner_away_at_planning_time_still_gets_the_issue_with_a_note(world: World) -> None:
    world.at("2026-12-18T09:00:00")
    owned_by_dave = CONFIG.replace("owners: [alice, eng]", "owners: [dave]")
    world.run(make_config(owned_by_dave.replace("approvers: [leads]", "approvers: [alice]")))
    dave = planning_issues(world)["dave"]
    assert "away until 2026-12-22" in dave["body"]


def open_alice(world: World) -> tuple[Team, int]:
    world.at("2026-12-18T08:05:00")
    world.run(config())
    return Team(world), int(planning_issues(world)["alice"]["number"])


def test_the_block_shows_what_was_understood_and_one_reply_says_what_was_not(
    world: World,
) -> None:
    team, number = open_alice(world)
    broken = PLAN_TEXT.replace("6d → 2d", "6d →")
    _, event = team.comment(number, "alice", broken)
    world.run(config(), event)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| KR1.1 | Activation rate | 32% | 45% | numeric |" in body
    assert "line 5: KR1.2: no target after →" in body
    replies = [c for c in world.sandbox.comments(REPO, number) if "could not read" in c["body"]]
    assert len(replies) == 1 and "KR1.2: no target after →" in replies[0]["body"]
    world.run(config(), event)
    again = [c for c in world.sandbox.comments(REPO, number) if "could not read" in c["body"]]
    assert len(again) == 1, "one reply per comment version"


def test_a_plan_or_command_written_by_someone_else_in_the_owners_comment_counts_for_nothing(
    world: World,
) -> None:
    team, number = open_alice(world)
    comment_id, _ = team.comment(number, "alice", "I'll write it tomorrow.")
    world.at("2026-12-18T10:00:00")
    event = team.edit(number, comment_id, "carol", PLAN_TEXT)
    world.run(config(), event)
    assert "No plan yet" in world.sandbox.issue(REPO, number)["body"]

    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    comment_id, _ = team.comment(number, "alice", "Thanks all.")
    world.at("2026-12-18T11:00:00")
    world.run(config(), team.edit(number, comment_id, "carol", "/commit"))
    issue = world.sandbox.issue(REPO, number)
    assert issue["state"] == "open" and read_committed(issue["body"]) is None, "nor a command"


def test_the_approvers_are_reminded_before_the_quarter_starts(world: World) -> None:
    _, number = open_alice(world)
    world.run(config())
    world.at("2027-01-01T08:30:00")  # the deadline is the quarter's first day
    world.run(config())
    world.run(config())
    (reminder,) = kinds(world, number, "decision-remind")
    assert "dave" in reminder and "2027-01-01" in reminder


def test_commit_over_an_open_concern_needs_a_rationale_then_locks_the_plan(
    world: World,
) -> None:
    team, number = open_alice(world)
    world.at("2026-12-20T10:00:00")
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    _, event = team.comment(number, "dave", "/concern KR1.2 has no owner yet")
    world.run(config(), event)

    _, event = team.comment(number, "alice", "/commit")
    world.run(config(), event)
    issue = world.sandbox.issue(REPO, number)
    assert issue["state"] == "open"
    refusal = world.sandbox.comments(REPO, number)[-1]["body"]
    assert "a concern is still open (#1)" in refusal

    _, event = team.comment(number, "bob", "/commit")
    world.run(config(), event)
    assert world.sandbox.issue(REPO, number)["state"] == "open", "bob is not the DRI"

    _, event = team.comment(number, "alice", "/commit we staff KR1.2 in January")
    committing = world.run(config(), event)
    issue = world.sandbox.issue(REPO, number)
    assert issue["state"] == "closed"
    assert labels(issue) >= {"okr", "okr: committed", "decision: decided"}
    assert "okr: planning" not in labels(issue)
    committed = read_committed(issue["body"])
    assert committed is not None and committed.owner == "alice"
    assert committed.quarter == "2026-Q4"
    assert [kr.id for kr in committed.plan.key_results()] == ["KR1.1", "KR1.2", "KR1.3"]
    summary = next(
        c["body"] for c in world.sandbox.comments(REPO, number) if "committed" in c["body"]
    )
    assert "Committed over open concern #1" in summary and "we staff KR1.2" in summary
    record = world.sandbox.file(REPO, "docs/okrs/2026-Q4.md")
    assert record is not None and "quarter: 2026-Q4" in record and "KR1.3" in record

    # The tracker stage plans on the plan just committed: the quarter's tracker opens at once.
    assert [a.op.describe() for a in committing.applied if a.number != number][-2:] == [
        "ensure label 'okr: tracker' (#1d76db)",
        "open issue 'OKR tracker 2026-Q4' [okr, okr: tracker]",
    ]
    writes = len(world.writes())
    world.run(config(), event)
    assert len(world.writes()) == writes, "committed and frozen: a rerun writes nothing"
    report = world.run(config())  # HPFO's and eng's planning go on; alice's stays as it is
    assert number not in {a.number for a in report.applied}


def kinds(world: World, number: int, kind: str) -> list[str]:
    return [
        c["body"]
        for c in world.sandbox.comments(REPO, number)
        if c["user"]["login"] == BOT_LOGIN and any(m.kind == kind for m in find_markers(c["body"]))
    ]


def test_commit_by_someone_other_than_the_owner_gets_one_reply_and_locks_nothing(
    world: World,
) -> None:
    team, number = open_alice(world)
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    _, event = team.comment(number, "carol", "/commit")
    world.run(config(), event)
    world.run(config(), event)
    (reply,) = kinds(world, number, "decision-reply")
    assert "`/commit`: only the DRI" in reply and "alice" in reply
    issue = world.sandbox.issue(REPO, number)
    assert issue["state"] == "open" and read_committed(issue["body"]) is None


def test_a_refused_record_file_never_blocks_the_commit(world: World) -> None:
    world.sandbox.protect_branch(REPO)
    team, number = open_alice(world)
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    _, event = team.comment(number, "alice", "/commit")
    report = world.run(config(), event)
    assert any("not written" in s.reason for s in skips(report))
    opened = [a.op.describe() for a in report.applied if a.number != number]
    assert "open issue 'OKR tracker 2026-Q4' [okr, okr: tracker]" in opened
    issue = world.sandbox.issue(REPO, number)
    assert issue["state"] == "closed" and read_committed(issue["body"]) is not None
    (summary,) = kinds(world, number, "okr-commit")
    assert "`docs/okrs/2026-Q4.md` was not written" in summary
    assert world.sandbox.file(REPO, "docs/okrs/2026-Q4.md") is None
    rerun = [a.op.describe() for a in world.run(config(), event).applied]
    assert rerun == [], "nothing retried, nothing duplicated"


LAST_QUARTER = """\
## O1 Make onboarding self-serve
- KR1.1 Activation rate: 32% → 45%
- KR1.2 Median time to first check-in: 6d → 2d
- KR1.3 Setup wizard shipped
"""

NEW_PLAN = """\
## O1 Make onboarding self-serve
- KR1.1 Docs pages rewritten: 0 → 12
- KR1.2 Support tickets about setup: 40 → 10
"""


# Where and when the ledger's values were recorded: an old check-in, no longer re-read.
WEEKS_AGO = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHECKIN_URL = "https://github.com/acme/team/issues/1#issuecomment-1"


def last_quarter(world: World) -> None:
    """alice's committed 2026-Q3 plan and the tracker's ledger, as the bot left them: KR1.1
    ended at 40% (0.62), KR1.2 at 2d (reached), KR1.3 never done."""
    world.at("2026-09-20T08:00:00")
    plan = parse_plan(LAST_QUARTER).plan
    committed = planning_body(Committed("alice", "2026-Q3", plan))
    box = world.sandbox
    box.create_issue(
        REPO,
        title="OKRs 2026-Q3 · @alice",
        body=committed,
        user=BOT_LOGIN,
        labels=["okr", "okr: committed"],
    )
    ledger = Ledger(
        "2026-Q3",
        (
            KrRecord("alice", "KR1.1", Quantity(40, "%"), None, WEEKS_AGO, CHECKIN_URL),
            KrRecord("alice", "KR1.2", Quantity(2, "d"), None, WEEKS_AGO, CHECKIN_URL),
        ),
    )
    box.create_issue(
        REPO,
        title="OKR tracker 2026-Q3",
        body=tracker_body(ledger),
        user=BOT_LOGIN,
        labels=["okr", "okr: tracker"],
    )


def test_carry_copies_last_quarters_unreached_krs_into_the_new_plan(world: World) -> None:
    last_quarter(world)
    team, number = open_alice(world)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "Unreached in 2026-Q3" in body
    assert "| KR1.1 | Activation rate | 40% | 62% |" in body and "| KR1.3 | Setup wizard" in body
    assert "| KR1.2 | Median time" not in body, "reached: not offered"

    _, event = team.comment(number, "alice", NEW_PLAN)
    world.run(config(), event)
    _, event = team.comment(number, "alice", "/carry KR1.3 KR1.1\n/carry KR1.2")
    world.run(config(), event)
    world.run(config(), event)
    (reply,) = kinds(world, number, "okr-carry-reply")
    assert "I cannot carry KR1.2" in reply and "KR1.1, KR1.3" in reply
    assert kinds(world, number, "decision-reply") == [], "not a sign-off command"
    body = world.sandbox.issue(REPO, number)["body"]
    # Into the objective of the same title, renumbered after the written KRs; KR1.1 starts
    # from where it ended.
    assert "| KR1.3 | Setup wizard shipped |  |  | milestone |" in body
    assert "| KR1.4 | Activation rate | 40% | 45% | numeric |" in body

    _, event = team.comment(number, "carol", "/carry KR1.1")  # not alice's plan: ignored
    world.run(config(), event)
    _, event = team.comment(number, "alice", "/commit")
    world.run(config(), event)
    committed = read_committed(world.sandbox.issue(REPO, number)["body"])
    assert committed is not None
    assert [kr.id for kr in committed.plan.key_results()] == ["KR1.1", "KR1.2", "KR1.3", "KR1.4"]


def test_commit_of_an_unreadable_plan_is_refused_and_a_later_commit_takes_the_fixed_plan(
    world: World,
) -> None:
    team, number = open_alice(world)
    _, event = team.comment(number, "alice", PLAN_TEXT.replace("6d → 2d", "6d →"))
    world.run(config(), event)
    _, event = team.comment(number, "alice", "/commit")
    world.run(config(), event)
    (refusal,) = kinds(world, number, "okr-commit-refused")
    assert "line 5: KR1.2: no target after →" in refusal
    assert read_committed(world.sandbox.issue(REPO, number)["body"]) is None

    world.run(config(), team.set_state(number, "alice", "open"))
    # Written in the same second as the refused /commit: after it all the same.
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    assert read_committed(world.sandbox.issue(REPO, number)["body"]) is None
    _, event = team.comment(number, "alice", "/commit")
    world.run(config(), event)
    committed = read_committed(world.sandbox.issue(REPO, number)["body"])
    assert committed is not None and committed.plan.find("KR1.2") is not None
    assert len(kinds(world, number, "okr-commit")) == 1


def test_a_team_plan_is_written_by_a_member_and_committed_by_its_dri(world: World) -> None:
    world.at("2026-12-18T08:05:00")
    world.run(config())
    team, number = Team(world), int(planning_issues(world)["eng"]["number"])
    _, event = team.comment(number, "carol", PLAN_TEXT)  # any member of eng writes it
    world.run(config(), event)
    _, event = team.comment(number, "carol", "/commit")  # only the DRI locks it
    world.run(config(), event)
    assert read_committed(world.sandbox.issue(REPO, number)["body"]) is None
    _, event = team.comment(number, "bob", "/commit")
    world.run(config(), event)
    committed = read_committed(world.sandbox.issue(REPO, number)["body"])
    assert committed is not None and committed.owner == "eng"
    assert "quarter: 2026-Q4" in (world.sandbox.file(REPO, "docs/okrs/2026-Q4.md") or "")


def test_a_planning_issue_whose_body_a_person_rewrote_is_still_the_owners(world: World) -> None:
    team, number = open_alice(world)
    world.at("2026-12-18T10:00:00")
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{number}", {"body": "my notes"})
    world.run(config())
    assert sorted(planning_issues(world)) == ["eng"], "alice's is not opened again"
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    world.run(config())  # a scheduled run reads its comments too
    body = world.sandbox.issue(REPO, number)["body"]
    assert body.startswith("my notes") and "| KR1.1 | Activation rate |" in body


def test_an_owner_who_cannot_be_assigned_gets_the_issue_unassigned_with_a_mention(
    world: World,
) -> None:
    world.sandbox.add_user("erin")  # no access to the repository: GitHub answers 422
    cfg = CONFIG.replace("  - carol\n", "  - carol\n  - erin\n").replace("[alice, eng]", "[erin]")
    world.at("2026-12-18T08:05:00")
    world.run(make_config(cfg))
    erin = planning_issues(world)["erin"]
    assert erin["assignees"] == [] and erin["body"].startswith("cc @erin")
    world.run(make_config(cfg))  # the decision ritual starts the sign-off (and tries to assign)
    report = world.run(make_config(cfg))
    assert report.applied == []


def test_one_planning_issue_that_cannot_be_planned_does_not_stop_the_other(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.at("2026-12-18T08:05:00")
    world.run(config())
    found = planning_issues(world)
    alice, eng = int(found["alice"]["number"]), int(found["eng"]["number"])
    team = Team(world)
    team.comment(alice, "alice", PLAN_TEXT)
    team.comment(eng, "bob", PLAN_TEXT)
    real = PlanningIssue.ops

    def broken_for_alice(self: PlanningIssue) -> list[Op]:
        if self.issue.number == alice:
            raise KeyError("a bug on alice's issue")
        return real(self)

    monkeypatch.setattr(PlanningIssue, "ops", broken_for_alice)
    report = world.run(config())
    assert [str(f.item) for f in report.failures] == [f"issue #{alice}"]
    assert "KeyError" in report.failures[0].message
    assert "| KR1.1 | Activation rate | 32% | 45% |" in world.sandbox.issue(REPO, eng)["body"]
    assert "No plan yet" in world.sandbox.issue(REPO, alice)["body"]
    monkeypatch.setattr(PlanningIssue, "ops", real)
    world.run(config())  # the next run plans it again
    assert "| KR1.1 | Activation rate | 32% | 45% |" in world.sandbox.issue(REPO, alice)["body"]
