"""Fault isolation (SPEC §7): one bad item never stops the rest; the run reports it and exits 1,
and the next run retries it (state is derived: nothing is remembered)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from ritual_bot.errors import GitHubError
from ritual_bot.gateway import Applied, Gateway
from ritual_bot.isolation import apply_per_item
from ritual_bot.markers import Marker
from ritual_bot.model import Snapshot
from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateIssue
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.hpfo import ritual as hpfo_ritual
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import run
from ritual_bot.sandbox.faults import FaultKind, Faults
from ritual_bot.templates import Templates
from tests.reliability.isolation_matrix import cases, run_case
from tests.support import REPO, World, team_config

CREATE = rf"^/repos/{REPO}/issues$"
TEAM = ["m0", "m1", "m2", "m3", "m4"]


def test_a_rejected_check_in_does_not_stop_the_members_after_it(world: World) -> None:
    world.add_members(TEAM)
    world.at("2026-11-23T08:17")
    faults = Faults(world.sandbox)
    faults.add(FaultKind.REJECT, method="POST", path=CREATE, nth=3, status=422)
    first = world.run(team_config(TEAM))
    assert [world.checkin(m, "2026-W48") is not None for m in TEAM] == [1, 1, 0, 1, 1]
    [failure] = first.failures
    assert failure.status == 422 and "@m2" in failure.item and "Validation Failed" in str(failure)
    # The next run retries it, and only it; a third run writes nothing.
    second = world.run(team_config(TEAM))
    assert second.failures == [] and len(second.applied) == 1
    assert all(world.checkin(m, "2026-W48") for m in TEAM)
    assert world.run(team_config(TEAM)).applied == []


class FakeGateway:
    """Applies ops by recording them; an op on a poisoned issue number fails with a 422."""

    def __init__(self, poisoned: Collection[int]) -> None:
        self.poisoned, self.written = set(poisoned), list[Op]()

    def apply(self, ops: Sequence[Op]) -> Iterator[Applied]:
        for op in ops:
            if getattr(op, "number", None) in self.poisoned:
                raise GitHubError("GitHub answered 422: Validation Failed", status=422)
            self.written.append(op)
            yield Applied(op, getattr(op, "number", None))


def test_a_failed_update_holds_back_the_close_of_the_same_issue_only() -> None:
    marker = Marker.of("t", k="1")
    ops: list[Op] = [
        UpdateIssue(7, body="summary"),
        UpdateIssue(7, state="closed"),
        AddComment(8, marker, f"hi\n{marker.render()}"),
        CreateIssue(marker, "new", f"body\n{marker.render()}"),
        UpdateIssue(9, state="closed"),
    ]
    gateway = FakeGateway(poisoned={7})
    outcome = apply_per_item(cast(Gateway, gateway), ops)
    assert gateway.written == ops[2:]
    assert outcome.held == [ops[1]] and [f.item for f in outcome.failures] == ["issue #7"]


class Crashing:
    """A ritual with a bug in one hook."""

    def __init__(self, name: str, hook: str) -> None:
        self.name, self.hook = name, hook

    def handles(self, event: Event) -> bool:
        return True

    def _maybe_crash(self, hook: str) -> None:
        if hook == self.hook:
            raise KeyError(f"bug in {self.name}.{hook}")

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        self._maybe_crash("queries")
        return []

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        return []

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        self._maybe_crash("plan")
        return []


def test_a_crashing_ritual_does_not_stop_another_in_the_same_run(world: World) -> None:
    world.add_members(["alice", "bob"])
    world.at("2026-11-23T08:17")
    now = datetime(2026, 11, 23, 8, 17, tzinfo=UTC)
    ctx = Context(team_config(["alice", "bob"]), Event("schedule"), now, Templates())
    rituals: list[Any] = [Crashing("reads", "queries"), HpfoRitual(), Crashing("plans", "plan")]
    report = run(ctx, world.gateway(), rituals=rituals)
    assert world.checkin("alice", "2026-W48") and world.checkin("bob", "2026-W48")
    assert [(f.item, f.step) for f in report.failures] == [
        ("ritual reads", "queries"),
        ("ritual plans", "plan"),
    ]
    assert "KeyError" in report.failures[0].message


def test_a_member_with_read_access_only_gets_an_unassigned_check_in_that_mentions_them(
    world: World,
) -> None:
    """reader, in the middle of the team, is an outside collaborator with read access: GitHub
    answers 422 to an issue assigned to them. Every other check-in opens, theirs opens unassigned
    with a mention, is reminded and closed like the others, and the digest comes."""
    team = ["m0", "m1", "reader", "m3", "m4"]
    world.add_members([m for m in team if m != "reader"])
    world.sandbox.add_user("reader")
    world.sandbox.set_permission(REPO, "reader", "read")
    config = team_config(team, "hpfo:\n  digest: {day: tuesday, time: '10:00'}\n")
    for monday in ("2026-11-16T08:17", "2026-11-23T08:17"):
        world.at(monday)
        report = world.run(config)
        assert report.failures == []
        assert [n for n in report.notices if n.startswith("@reader: GitHub refused to assign")]
    checkins = {m: world.checkin(m, "2026-W48") for m in team}
    reader, last_week = checkins["reader"], world.checkin("reader", "2026-W47")
    assert reader is not None and reader["assignees"] == [] and "cc @reader" in reader["body"]
    assert last_week is not None and last_week["state_reason"] == "not_planned"  # no answer
    assert [a["login"] for a in checkins["m3"]["assignees"]] == ["m3"]  # type: ignore[index]
    world.at("2026-11-24T09:17")  # Tuesday 10:17 in Paris: reminders, and the digest comes
    tuesday = [a.op.describe() for a in world.run(config).applied]
    assert f"comment on #{reader['number']} (hpfo-reminder)" in tuesday
    assert "open issue 'HPFO digest 2026-W48' [ritual:hpfo-digest, ritual:hpfo]" in tuesday
    assert world.run(config).applied == []  # a rerun writes nothing


def test_the_isolation_matrix_at_a_reduced_size() -> None:
    """One poisoned item per kind: the rest applied, the poisoned one reported, nothing
    duplicated, and the next run converges (benchmarks/reliability.py runs it at full size)."""
    for case in cases(members=3):
        row = run_case(case)
        assert row.reported == 1 and row.duplicates == 0 and row.converged, row
        assert 0 < row.applied < row.expected, row


def test_one_members_check_in_that_cannot_be_planned_stops_no_other(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §7: a bug on bob's check-in (opening one week, closing it the next) is reported as
    bob's; alice's and carol's open and close, and the next run, bug gone, catches bob up."""
    team = ["alice", "bob", "carol"]
    world.add_members(team)
    config = team_config(team)
    real_open, real_week = hpfo_ritual.open_checkin, hpfo_ritual.open_week_ops

    def open_but_bob(*args: Any) -> Any:
        if args[3].login == "bob":
            raise KeyError("a bug on bob's opening")
        return real_open(*args)

    monkeypatch.setattr(hpfo_ritual, "open_checkin", open_but_bob)
    world.at("2026-11-23T08:17")
    report = world.run(config)
    assert [f.item for f in report.failures] == ["HPFO check-in of @bob"]
    assert world.checkin("alice", "2026-W48") and world.checkin("carol", "2026-W48")
    assert world.checkin("bob", "2026-W48") is None
    monkeypatch.setattr(hpfo_ritual, "open_checkin", real_open)
    assert world.run(config).failures == [] and world.checkin("bob", "2026-W48")

    bobs = world.checkin("bob", "2026-W48")
    assert bobs is not None

    def weeks_but_bob(ctx: Any, snapshot: Any, checkin: Any, only: Any) -> Any:
        if checkin.member == "bob":
            raise KeyError("a bug on bob's week")
        return real_week(ctx, snapshot, checkin, only)

    monkeypatch.setattr(hpfo_ritual, "open_week_ops", weeks_but_bob)
    world.at("2026-11-30T08:17")  # the next Monday: last week's close, this week's open
    report = world.run(config)
    assert [f.item for f in report.failures] == [f"HPFO check-in #{bobs['number']}"]
    closed = {
        m: world.sandbox.issue(REPO, int(world.checkin(m, "2026-W48")["number"]))  # type: ignore[index]
        for m in team
    }
    assert closed["alice"]["state"] == "closed" and closed["carol"]["state"] == "closed"
    assert closed["bob"]["state"] == "open"
    assert all(world.checkin(m, "2026-W49") for m in team)
