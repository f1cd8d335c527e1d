"""The records the OKR ritual leaves for others (the committed plan, the ledger of values)."""

from __future__ import annotations

import base64
import zlib
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


def big_ledger(owners: int) -> Ledger:
    """Owners of 15 KRs each with a value and 13 weeks of progress, no two values alike."""
    records = []
    for o in range(owners):
        for k in range(15):
            n = o * 15 + k
            weekly = {f"2027-W{w:02d}": ((n * 7 + w * 13) % 100 + 1) / 100 for w in range(1, 14)}
            at = datetime(2027, 3, 29, n % 24, n % 60, tzinfo=UTC)
            url = f"https://github.com/acme/team/issues/{n}#issuecomment-{10**9 + n * 7919}"
            value = Quantity(n / 7, "%")
            records.append(
                KrRecord(
                    f"user{o}",
                    f"KR{k // 5 + 1}.{k % 5 + 1}",
                    value,
                    Confidence.AT_RISK,
                    at,
                    url,
                    weekly,
                )
            )
    return Ledger("2027-Q1", tuple(records))


def test_a_big_ledger_is_written_compactly_and_reads_back_the_same() -> None:
    small, big = big_ledger(1), big_ledger(50)
    assert "okr-ledger v=1" in render_ledger(small)
    text = render_ledger(big)
    assert "okr-ledger v=2" in text and len(text) < 25_000
    back = read_ledger(f"people's text\n{text}\nmore")
    assert back == big  # values, times, URLs and weekly progress (whole percents) as written
    assert all("<" not in line and ">" not in line for line in text.splitlines()[1:-1])


def test_a_damaged_compact_ledger_is_not_half_believed() -> None:
    text = render_ledger(big_ledger(50))
    head, payload, tail = text.split("\n")
    assert read_ledger(f"{head}\n{payload[:-40]}\n{tail}") is None
    assert read_ledger(f"{head}\n{payload.replace('A', '*', 1)}\n{tail}") is None
    bomb = base64.b64encode(zlib.compress(b"[" * 9_000_000)).decode()
    assert read_ledger(f"{head}\n{bomb}\n{tail}") is None
