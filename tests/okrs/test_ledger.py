"""The records the OKR ritual leaves for others (the committed plan, the ledger of values)."""

from __future__ import annotations

from datetime import UTC, datetime

from ritual_bot.rituals.keyresults.ledger import (
    Committed,
    KrRecord,
    Ledger,
    key_results_of,
    read_committed,
    read_ledger,
    render_committed,
    render_ledger,
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
