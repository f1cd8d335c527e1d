"""The quarter's tracker (SPEC §8): opened from committed plans, values by /kr, scored at the end.

alice commits her 2026-Q4 plan (fiscal year from April: January to March 2027); the tracker
follows her values through the quarter and closes with the scores a week after it ends.
"""

from __future__ import annotations

from typing import Any

from ritual_bot.markers import first_marker
from ritual_bot.rituals.keyresults.ledger import read_ledger
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import Confidence
from ritual_bot.rituals.okrs.tracker import TRACKER
from tests.decisions.helpers import Team
from tests.okrs.test_planning import PLAN_TEXT, config, open_alice
from tests.rituals.mermaid_grammar import check_lines
from tests.support import REPO, World


def committed(world: World) -> Team:
    team, number = open_alice(world)
    _, event = team.comment(number, "alice", PLAN_TEXT)
    world.run(config(), event)
    _, event = team.comment(number, "alice", "/commit")
    world.run(config(), event)
    return team


def tracker(world: World) -> dict[str, Any]:
    found = [i for i in world.sandbox.issues(REPO) if first_marker(i["body"], TRACKER)]
    assert len(found) == 1
    return found[0]


def test_the_quarter_from_commit_to_scores(world: World) -> None:
    team = committed(world)
    world.at("2026-12-21T08:05:00")  # the next scheduled run in the planning window
    world.run(config())
    board = tracker(world)
    number = int(board["number"])
    assert board["title"] == "OKR tracker 2026-Q4"
    assert {label["name"] for label in board["labels"]} == {"okr", "okr: tracker"}
    assert "| KR1.1 | Activation rate | 32% | 45% |  | 0% |" in board["body"]
    chart = board["body"].split("```mermaid\n")[1].split("```")[0]
    check_lines(chart)

    world.at("2027-01-20T10:00:00")
    _, event = team.comment(number, "alice", "/kr KR1.1 38% on track")
    world.run(config(), event)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| KR1.1 | Activation rate | 32% | 45% | 38% | 46% | 22% | 🟢 |" in body
    ledger = read_ledger(body)
    assert ledger is not None
    record = ledger.record("alice", "KR1.1")
    assert record is not None and record.value == Quantity(38.0, "%")
    assert record.confidence is Confidence.ON_TRACK

    _, event = team.comment(number, "bob", "/kr KR1.1 50%")
    world.run(config(), event)
    reply = world.sandbox.comments(REPO, number)[-1]["body"]
    assert "only the owners record values here (owners: alice)" in reply
    assert "| 38% |" in world.sandbox.issue(REPO, number)["body"]

    # carol rewrites alice's value in alice's own comment: it stops counting (SPEC §4).
    first = next(c for c in world.sandbox.comments(REPO, number) if c["body"].startswith("/kr"))
    world.at("2027-01-21T10:00:00")
    event = team.edit(number, int(first["id"]), "carol", "/kr KR1.1 44% on track")
    world.run(config(), event)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| 44% |" not in body and "| KR1.1 | Activation rate | 32% | 45% |  | 0% |" in body
    assert (
        "last edited by carol, not its author" in (world.sandbox.comments(REPO, number)[-1]["body"])
    )

    world.at("2027-02-15T10:00:00")
    own_id, _ = team.comment(number, "alice", "/kr KR1.2 5d at risk")
    event = team.edit(number, own_id, "alice", "/kr KR1.2 4d at risk\n/kr KR9.9 1")
    world.run(config(), event)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| KR1.2 | Median time to first check-in | 6d | 2d | 4d | 50% |" in body
    assert (
        "KR9.9: no such key result; yours: KR1.1, KR1.2, KR1.3"
        in (world.sandbox.comments(REPO, number)[-1]["body"])
    )

    # A hand edit of the tracker is rendered back on the next run.
    world.api("carol", "PATCH", f"/repos/{REPO}/issues/{number}", {"body": "mine now"})
    world.run(config(), event)
    assert "| 4d |" in world.sandbox.issue(REPO, number)["body"]

    world.at("2027-03-31T08:30:00")  # the quarter's last day, 10:30 in Paris
    world.run(config())
    ask = world.sandbox.comments(REPO, number)[-1]["body"]
    assert "Last day of 2026-Q4" in ask and "@alice" in ask
    _, event = team.comment(number, "alice", "/score KR1.3 0.5 half of the wizard shipped")
    world.run(config(), event)

    world.at("2027-04-07T08:30:00")  # seven days into the next quarter
    world.run(config())
    closed = world.sandbox.issue(REPO, number)
    assert closed["state"] == "closed"
    # KR1.1 0 (its only value is carol's), KR1.2 0.5, KR1.3 set to 0.5 by alice: O1 0.33.
    scores = world.sandbox.comments(REPO, number)[-1]["body"]
    assert "OKR scores 2026-Q4" in scores and "| alice | 0.33 | O1 0.33 (KR1.1) |" in scores
    assert "set by the owner: half of the wizard shipped" in closed["body"]
    record_file = world.sandbox.file(REPO, "docs/okrs/2026-Q4.md")
    assert (
        record_file is not None and "status: scored" in record_file and "KR1.3: 0.50" in record_file
    )

    writes = len(world.writes())
    world.run(config())
    assert len(world.writes()) == writes, "scored and closed: nothing more"


def test_kr_lines_in_an_hpfo_answer_reach_the_tracker_at_its_weekly_moment(world: World) -> None:
    team = committed(world)
    world.at("2026-12-21T08:05:00")
    world.run(config())
    number = int(tracker(world)["number"])

    world.at("2027-01-18T08:05:00")  # Monday 09:05 in Paris: alice's check-in opens
    world.run(config())
    checkin = world.checkin("alice", "2027-W03")
    assert checkin is not None
    _, event = team.comment(
        int(checkin["number"]), "alice", "## Progress\n- KR1.2: 5d 🟡\n- KR9.9: 3\n"
    )
    world.run(config(), event)  # an answer is read by the next scheduled run, not at once
    assert "| 5d |" not in world.sandbox.issue(REPO, number)["body"]
    # alice also answers in her check-in's body: a KR line there counts; then carol edits
    # alice's body, and what carol wrote there does not.
    path = f"/repos/{REPO}/issues/{checkin['number']}"
    world.at("2027-01-18T09:00:00")
    body_then = world.sandbox.issue(REPO, int(checkin["number"]))["body"]
    world.api("alice", "PATCH", path, {"body": body_then + "\n- KR1.3: done\n"})
    world.at("2027-01-18T09:30:00")
    mine = world.sandbox.issue(REPO, int(checkin["number"]))["body"]
    world.api("carol", "PATCH", path, {"body": mine + "\n- KR1.1: 99% 🟢\n"})

    world.at("2027-01-25T08:05:00")  # the tracker's weekly moment
    world.run(config())
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| KR1.2 | Median time to first check-in | 6d | 2d | 5d | 25% |" in body
    assert "| 🟡 |" in body and "| 99% |" not in body
    assert "| KR1.3 | Setup wizard shipped |  |  | done | 100% |" in body
    # The same run opens alice's next check-in, which lists her KRs with those last values.
    week4 = world.checkin("alice", "2027-W04")
    assert week4 is not None
    assert (
        "| KR1.2 | Median time to first check-in | alice | 5d 🟡 on 2027-01-18 |" in (week4["body"])
    )
    assert "| KR1.1 | Activation rate | alice | none yet |" in week4["body"]
    carol_week4 = world.checkin("carol", "2027-W04")  # in eng, which has no plan here
    assert carol_week4 is not None and "key results" not in carol_week4["body"]

    # A /kr on the tracker in between reads no check-in: the answered values stay as recorded.
    world.at("2027-01-27T10:00:00")
    _, event = team.comment(number, "alice", "/kr KR1.1 37% on track")
    world.run(config(), event)
    body = world.sandbox.issue(REPO, number)["body"]
    assert "| 5d | 25% |" in body and "| 37% |" in body
    world.at("2027-01-28T00:05:00")  # the decision ritual's midnight run: no tracker moment
    world.run(config())
    assert "| 5d | 25% |" in world.sandbox.issue(REPO, number)["body"]

    # Two weeks on, that check-in is no longer re-read: the value stays, from the ledger.
    world.at("2027-02-08T08:05:00")
    world.run(config())
    assert "| 5d | 25% |" in world.sandbox.issue(REPO, number)["body"]


def test_the_hpfo_names_the_tracker_reads_are_the_hpfo_rituals_own() -> None:
    from ritual_bot.rituals.hpfo.core import MANAGED_LABEL, Kind
    from ritual_bot.rituals.okrs.tracker import HPFO_CHECKIN, HPFO_LABEL

    assert (MANAGED_LABEL, Kind.CHECKIN.value) == (HPFO_LABEL, HPFO_CHECKIN)


def test_a_deleted_value_heals_and_a_refused_score_file_does_not_block_the_close(
    world: World,
) -> None:
    team = committed(world)
    world.at("2026-12-21T08:05:00")
    world.run(config())
    number = int(tracker(world)["number"])
    world.at("2027-01-20T10:00:00")
    own_id, event = team.comment(number, "alice", "/kr KR1.1 38% on track")
    world.run(config(), event)
    assert "| 38% |" in world.sandbox.issue(REPO, number)["body"]
    world.run(config(), team.delete(number, own_id, "alice"))
    assert (
        "| KR1.1 | Activation rate | 32% | 45% |  | 0% |"
        in (world.sandbox.issue(REPO, number)["body"])
    )

    world.sandbox.protect_branch(REPO)
    world.at("2027-04-07T08:30:00")  # seven days into the next quarter
    world.run(config())
    assert world.sandbox.issue(REPO, number)["state"] == "closed"
    kept = world.sandbox.file(REPO, "docs/okrs/2026-Q4.md")  # as the commit wrote it
    assert kept is not None and "status: committed" in kept and "status: scored" not in kept
    assert "was not written" in world.sandbox.comments(REPO, number)[-1]["body"]
    writes = len(world.writes())
    world.run(config())
    assert len(world.writes()) == writes, "a refused file is not retried by every run"
