"""Reminders on scheduled runs, with a fixed clock (SPEC §4).

The decision starts on Monday 2026-11-23 at 10:00 in Paris; feedback is due by the end of
Saturday 2026-11-28, Paris time (23:00 UTC). The hourly schedule runs at minute 17.
"""

from __future__ import annotations

from typing import Any

import pytest

from ritual_bot.rituals.base import Event
from ritual_bot.rituals.decisions import ritual as decisions_ritual
from tests.decisions.helpers import DRI, Team


def _schedule(team: Team, iso: str) -> list[str]:
    team.world.at(iso)
    report = team.run_twice(Event("schedule"))
    return [a.op.describe() for a in report.applied]


def test_one_reminder_the_day_before_and_one_at_the_deadline(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)

    assert _schedule(team, "2026-11-27T22:17") == []  # Friday 23:17 in Paris: not yet
    _schedule(team, "2026-11-27T23:17")  # Saturday 00:17 in Paris: the last day
    (before,) = team.bot_comments(number, "decision-remind")
    assert "@carol @dave" in before["body"] and "@bob" not in before["body"]
    assert "end of **2026-11-28**" in before["body"]
    assert _schedule(team, "2026-11-28T12:17") == []  # exactly once

    _, event = team.comment(number, "carol", "/concern no rollback plan")
    team.run_twice(event)
    _schedule(team, "2026-11-28T23:17")  # Sunday 00:17 in Paris: the deadline passed
    reminders = team.bot_comments(number, "decision-remind")
    assert len(reminders) == 2
    due = reminders[1]["body"]
    assert f"@{DRI}, the feedback deadline (2026-11-28) has passed" in due
    assert "Feedback: **2/3**" in due and "@\u200bdave" in due
    assert "Open concerns: **1**" in due and "no rollback plan" in due
    assert _schedule(team, "2026-11-30T08:17") == []


def test_the_reminder_is_checked_against_the_thread_when_it_is_sent(team: Team) -> None:
    number = team.started()
    for who in ("bob", "carol", "dave"):
        _, event = team.comment(number, who, "/approve")
        team.run_twice(event)
    _schedule(team, "2026-11-28T10:17")
    assert team.bot_comments(number, "decision-remind") == []  # nobody is missing
    _schedule(team, "2026-11-29T10:17")
    (due,) = team.bot_comments(number, "decision-remind")
    assert "**Ready to decide**" in due["body"]


def test_moving_the_deadline_moves_the_reminders(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/deadline 2026-12-02")
    team.run_twice(event)
    _schedule(team, "2026-11-29T10:17")
    assert team.bot_comments(number, "decision-remind") == []
    _schedule(team, "2026-12-02T10:17")
    assert len(team.bot_comments(number, "decision-remind")) == 1


def test_no_reminder_for_a_decided_issue(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/decide Use Postgres")
    team.run_twice(event)
    _schedule(team, "2026-11-28T10:17")
    _schedule(team, "2026-11-29T10:17")
    assert team.bot_comments(number, "decision-remind") == []


def test_a_scheduled_run_with_nothing_due_reads_no_thread(team: Team) -> None:
    team.started()
    team.world.at("2026-11-24T10:17")
    team.world.sandbox.clear_requests()
    report = team.run(Event("schedule"))
    assert report.applied == []
    paths = [r.path for r in team.world.sandbox.requests]
    assert not any("comments" in p for p in paths), paths
    assert len(paths) <= 3  # HPFO's listing, the decisions listing, the proposals folder


def test_a_decision_that_cannot_be_planned_stops_no_other(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §7: a bug on one decision is reported as that decision; the other's reminder goes."""
    first, second = team.started(), team.started()
    real = decisions_ritual.issue_ops

    def broken_for_first(ctx: Any, snapshot: Any, issue: Any) -> Any:
        if issue.number == first:
            raise KeyError("a bug on the first decision")
        return real(ctx, snapshot, issue)

    monkeypatch.setattr(decisions_ritual, "issue_ops", broken_for_first)
    team.world.at("2026-11-27T23:17")  # Saturday 00:17 in Paris: the last day of feedback
    report = team.run(Event("schedule"))
    assert [f.item for f in report.failures] == [f"decision #{first}"]
    assert team.bot_comments(second, "decision-remind")
    assert not team.bot_comments(first, "decision-remind")
    monkeypatch.setattr(decisions_ritual, "issue_ops", real)
    assert team.run(Event("schedule")).failures == []  # the next run catches it up
    assert team.bot_comments(first, "decision-remind")
