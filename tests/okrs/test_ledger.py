"""The records the OKR ritual leaves for others (the committed plan, the ledger of values)."""

from __future__ import annotations

from datetime import UTC, datetime

from ritual_bot.markers import Marker, render_block
from ritual_bot.model import Issue, Snapshot, User
from ritual_bot.rituals.keyresults.ledger import (
    PLANNING,
    Committed,
    KrRecord,
    Ledger,
    committed_of,
    committed_plans,
    key_results_of,
    planning_body,
    quarter_ledger,
    read_committed,
    read_ledger,
    render_committed,
    render_ledger,
    tracker_body,
)
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import Confidence

PLAN = parse_plan(
    "## O1 Make onboarding <b>self-serve</b> --> & more\n"
    "- KR1.1 Activation rate: 32% → 45%\n"
    "- KR1.2 Median time to first check-in: 6d → 2d\n"
    "- KR1.3 Setup wizard shipped\n"
).plan


def test_a_committed_plan_reads_back_as_written_around_any_text() -> None:
    committed = Committed("eng", "2027-Q1", PLAN)
    body = f"People wrote this.\n\n{render_committed(committed)}\n\nAnd this."
    assert read_committed(body) == committed
    assert key_results_of([committed], "ENG") == PLAN.key_results()
    assert key_results_of([committed], "alice") == ()


def test_no_committed_plan_without_the_block_or_with_an_unreadable_plan() -> None:
    assert read_committed("## O1 Title\n- KR1.1 a: 1 → 2\n- KR1.2 b: 1 → 2\n") is None
    broken = render_committed(Committed("alice", "2027-Q1", PLAN)).replace("32% → 45%", "32% →")
    assert read_committed(broken) is None


def test_the_ledger_round_trips_and_cannot_be_closed_by_the_text_it_carries() -> None:
    ledger = Ledger(
        "2027-Q1",
        (
            KrRecord(
                "alice",
                "KR1.1",
                Quantity(38.0, "%"),
                Confidence.AT_RISK,
                datetime(2027, 1, 11, 9, 30, tzinfo=UTC),
                "https://example.test/x?a=1&b=<2>-->",
                {"2027-W02": 0.46, "2027-W01": 0.2},
            ),
            KrRecord("eng", "KR2.1"),
        ),
    )
    text = render_ledger(ledger)
    assert "-->" not in text[: -len("-->")] and "<2>" not in text
    assert read_ledger(f"Tracker text\n{text}\nmore") == ledger
    assert render_ledger(read_ledger(text) or Ledger("")) == text
    assert ledger.record("ALICE", "KR1.1") is ledger.records[0]
    assert ledger.of("eng") == (ledger.records[1],)


def test_a_damaged_ledger_is_not_half_believed() -> None:
    good = render_ledger(Ledger("2027-Q1", (KrRecord("alice", "KR1.1"),)))
    assert read_ledger(good.replace('"kr":"KR1.1"', '"kr":7')) is None
    assert read_ledger(good.replace("}]}", "}]")) is None
    assert read_ledger("no ledger here") is None


BOT = "github-actions[bot]"
AT = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def bot_issue(number: int, body: str) -> Issue:
    return Issue(number, f"#{number}", body, "open", User(BOT, "Bot"), AT, AT, labels=("okr",))


def test_a_committed_record_counts_only_inside_its_planning_issues_own_block() -> None:
    real = Committed("alice", "2027-Q1", PLAN)
    fake = Committed("alice", "2027-Q1", parse_plan("## O1 Nothing\n- KR1.1 a\n- KR1.2 b\n").plan)
    genuine = bot_issue(1, planning_body(real))
    # The owner pasted a record of their own above the bot's block before the commit.
    pasted = bot_issue(2, render_committed(fake) + "\n" + planning_body(real))
    # A record pasted into a check-in the bot later rewrote: no planning identity.
    checkin = bot_issue(
        3, "<!-- ritual-bot:hpfo-checkin member=bob period=2027-W02 -->\n" + render_committed(fake)
    )
    # A planning issue of alice's whose record names bob.
    bobs = Marker.of(PLANNING, owner="bob", quarter="2027-Q1").render()
    other = bot_issue(4, f"{bobs}\n{render_block(PLANNING, render_committed(real))}")
    snapshot = Snapshot("acme/team", BOT, (genuine, pasted, checkin, other))
    assert committed_of(snapshot, genuine) == real
    assert committed_of(snapshot, pasted) == real
    assert committed_of(snapshot, checkin) is None
    assert committed_of(snapshot, other) is None
    assert committed_plans(snapshot, "2027-Q1") == [real, real]


def test_the_ledger_counts_only_in_the_quarters_tracker() -> None:
    ledger = Ledger("2027-Q1", (KrRecord("alice", "KR1.1", Quantity(38.0, "%")),))
    snapshot = Snapshot(
        "acme/team",
        BOT,
        (bot_issue(1, "a check-in the bot rewrote\n" + render_ledger(ledger)),),
    )
    assert quarter_ledger(snapshot, "2027-Q1") is None
    tracked = Snapshot("acme/team", BOT, (bot_issue(2, tracker_body(ledger)),))
    assert quarter_ledger(tracked, "2027-Q1") == ledger
