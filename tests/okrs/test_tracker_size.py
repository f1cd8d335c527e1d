"""The tracker under GitHub's 65,536-character body limit (SPEC §7): the ledger is never cut.

Owners with 3 objectives of 5 key results each. Measured (benchmarks would print the same):
with a value per KR every week, 5 owners fit with charts, up to about 15 in the compact form
(text cut on a line when needed); beyond, the ledger alone is too big and the body is not
rewritten rather than cut (docs/okrs.md states the limit).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ritual_bot.bodies import BODY_LIMIT
from ritual_bot.markers import Marker
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.keyresults.ledger import Committed, read_ledger
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import Confidence, KrValue
from ritual_bot.rituals.okrs.board import Entry, build_board
from ritual_bot.rituals.okrs.tracker import TRACKER, Tracking
from ritual_bot.templates import Templates
from tests.support import make_config

PLAN = parse_plan(
    "\n".join(
        f"## O{o} Objective number {o} for the quarter\n"
        + "\n".join(f"- KR{o}.{k} A typical key result: {10 * k}% → {20 * k}%" for k in range(1, 6))
        for o in range(1, 4)
    )
).plan
QUARTER = Quarter(2027, 1)


def body_for(owners: int, weeks: int) -> str | None:
    names = [f"user{i}" for i in range(owners)]
    listed = ", ".join(names)
    config = make_config(f"version: 1\nmembers: [{listed}]\nokrs: {{owners: [{listed}]}}\n")
    ctx = Context(config, Event("schedule"), datetime(2027, 3, 20, tzinfo=UTC), Templates("en"))
    start = datetime(2027, 1, 4, tzinfo=UTC)
    entries = [
        Entry(
            name,
            KrValue(kr.id, Quantity(10.0 + week, "%"), Confidence.ON_TRACK, 0),
            start + timedelta(weeks=week),
            f"https://github.com/acme/team/issues/12#issuecomment-{1_000_000_000 + week}",
        )
        for name in names
        for kr in PLAN.key_results()
        for week in range(weeks)
    ]
    plans = [Committed(name, str(QUARTER), PLAN) for name in names]
    board = build_board(QUARTER, QUARTER.end, plans, entries)
    return Tracking().body(ctx, Marker.of(TRACKER, quarter=str(QUARTER)), board)


def test_fifty_owners_open_a_tracker_within_the_limit_with_a_whole_ledger() -> None:
    body = body_for(50, weeks=0)
    assert body is not None and len(body) <= BODY_LIMIT
    ledger = read_ledger(body)
    assert ledger is not None and len(ledger.records) == 50 * 15


def test_a_busy_quarter_goes_compact_then_stops_rewriting_rather_than_cut_the_ledger() -> None:
    full = body_for(5, weeks=12)
    assert full is not None and "```mermaid" in full and len(full) <= BODY_LIMIT
    compact = body_for(8, weeks=12)
    assert compact is not None and "```mermaid" not in compact and len(compact) <= BODY_LIMIT
    assert read_ledger(compact) is not None
    assert body_for(20, weeks=12) is None
