"""The tracker under GitHub's 65,536-character limit on a body and a comment (SPEC §7).

Owners with 3 objectives of 5 key results each and a value every week. A small team's tracker is
one body with charts; a bigger one is a body (the hidden ledger, whole, and an overview) and
detail comments holding every owner's tables and charts, each within the limit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ritual_bot.bodies import BODY_LIMIT
from ritual_bot.markers import Marker
from ritual_bot.model import Comment, User
from ritual_bot.ops import AddComment, UpdateComment
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.keyresults.ledger import Committed, planning_body, read_ledger
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import Confidence, KrValue
from ritual_bot.rituals.okrs.board import Entry, build_board
from ritual_bot.rituals.okrs.rendering import PART, Rendering, part_ops, rendering
from ritual_bot.rituals.okrs.tracker import TRACKER
from ritual_bot.sandbox.state import BOT_LOGIN
from ritual_bot.templates import Templates
from tests.decisions.helpers import Team
from tests.support import REPO, World, make_config

PLAN = parse_plan(
    "\n".join(
        f"## O{o} Objective number {o} for the quarter\n"
        + "\n".join(f"- KR{o}.{k} A typical key result: {10 * k}% → {20 * k}%" for k in range(1, 6))
        for o in range(1, 4)
    )
).plan
QUARTER = Quarter(2027, 1)


def body_for(owners: int, weeks: int) -> Rendering:
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
    return rendering(ctx, Marker.of(TRACKER, quarter=str(QUARTER)), board)


def test_fifty_owners_open_a_tracker_within_the_limit_with_a_whole_ledger() -> None:
    text = body_for(50, weeks=0)
    assert text.body is not None and len(text.body) <= BODY_LIMIT
    ledger = read_ledger(text.body)
    assert ledger is not None and len(ledger.records) == 50 * 15
    assert all(len(part) <= BODY_LIMIT - 600 for part in text.parts)


def test_a_small_team_is_one_body_and_a_big_one_a_body_and_detail_comments() -> None:
    small = body_for(5, weeks=13)
    assert small.body is not None and small.parts == () and "```mermaid" in small.body
    big = body_for(50, weeks=13)
    assert big.body is not None and len(big.body) <= BODY_LIMIT and len(big.parts) > 1
    ledger = read_ledger(big.body)
    assert ledger is not None and len(ledger.records) == 50 * 15
    assert all(len(part) <= BODY_LIMIT - 600 for part in big.parts)
    # Every owner is in the overview, and in exactly one detail comment with their charts.
    for i in range(50):
        assert f"| user{i} | " in big.body
        holding = [p for p in big.parts if f"### user{i} · " in p]
        assert len(holding) == 1 and holding[0].count("```mermaid") >= 3
    assert "```mermaid" not in big.body


# --- On the sandbox: twelve owners, a tracker with detail comments -----------------------------

OWNERS = [f"user{i}" for i in range(12)]
TEAM = make_config(
    "version: 1\ntimezone: Europe/Paris\n"
    f"members: [{', '.join(OWNERS)}]\n"
    "hpfo: {enabled: false}\n"
    f"okrs: {{owners: [{', '.join(OWNERS)}]}}\n"
)


def parts_on(world: World, number: int) -> list[dict[str, Any]]:
    return [c for c in world.sandbox.comments(REPO, number) if PART in c["body"]]


def test_a_big_teams_tracker_keeps_its_detail_comments_up_to_date(world: World) -> None:
    world.add_members(OWNERS)
    world.at("2026-12-20T08:00:00")
    for name in OWNERS:
        world.sandbox.create_issue(
            REPO,
            title=f"OKRs 2027-Q1 · @{name}",
            body=planning_body(Committed(name, str(QUARTER), PLAN)),
            user=BOT_LOGIN,
            labels=["okr", "okr: committed"],
        )
    world.at("2027-03-01T08:05:00")  # Monday 09:05 in Paris: the tracker's weekly moment
    world.run(TEAM)
    [board] = [i for i in world.sandbox.issues(REPO) if i["title"] == "OKR tracker 2027-Q1"]
    number = int(board["number"])
    parts = parts_on(world, number)
    assert parts and all(len(p["body"]) <= BODY_LIMIT for p in parts)
    assert f"part 1 of {len(parts)}" in parts[0]["body"] and "| user0 | " in board["body"]
    assert "```mermaid" not in board["body"] and "comment below marked “details”" in board["body"]
    for name in OWNERS:
        assert sum(f"### {name} · " in p["body"] for p in parts) == 1

    writes = len(world.writes())
    world.run(TEAM)
    assert len(world.writes()) == writes, "nothing changed: nothing written"

    # A value changes the body's overview and the one part holding its owner: two writes.
    world.at("2027-03-02T10:00:00")
    _, event = Team(world).comment(number, "user11", "/kr KR1.1 15% on track")
    world.run(TEAM, event)
    written = world.writes()[writes:]
    paths = sorted({w.method + " " + w.path.rsplit("/", 2)[-2] for w in written})
    assert [w.method for w in written].count("PATCH") == 2, paths
    holding = next(p for p in parts_on(world, number) if "### user11 · " in p["body"])
    assert "| KR1.1 | A typical key result | 10% | 20% | 15% |" in holding["body"]
    assert (
        "15%"
        not in next(p for p in parts_on(world, number) if "### user0 · " in p["body"])["body"]
        .split("### user1 · ")[0]
        .split("| KR1.1 |")[1]
        .split("\n")[0]
    )

    # Someone rewrites a part: the next write of the tracker renders it back.
    first = parts_on(world, number)[0]
    world.at("2027-03-03T10:00:00")
    world.api("user3", "PATCH", f"/repos/{REPO}/issues/comments/{first['id']}", {"body": "gone"})
    _, event = Team(world).comment(number, "user0", "/kr KR1.2 25%")
    world.run(TEAM, event)
    again = next(c for c in world.sandbox.comments(REPO, number) if c["id"] == first["id"])
    assert (
        "### user0 · " in again["body"]
        and "| KR1.2 | A typical key result | 20% | 40% | 25% |" in again["body"]
    )
    assert len(parts_on(world, number)) == len(parts), "re-rendered in place, never duplicated"


def test_detail_comments_no_longer_needed_are_marked_unused_not_deleted() -> None:
    ctx = Context(TEAM, Event("schedule"), datetime(2027, 3, 1, tzinfo=UTC), Templates("en"))
    at = datetime(2027, 2, 1, tzinfo=UTC)
    bot = User(BOT_LOGIN)
    written = part_ops(ctx, "2027-Q1", ["one", "two", "three"], {}, 7)
    existing = {
        n: Comment(100 + n, 7, bot, op.body, at, at)
        for n, op in enumerate(written, start=1)
        if isinstance(op, AddComment)
    }
    assert len(existing) == 3
    assert part_ops(ctx, "2027-Q1", ["one", "two", "three"], existing, 7) == []
    fewer = part_ops(ctx, "2027-Q1", ["one, two and three"], existing, 7)
    assert [(type(op).__name__, getattr(op, "comment_id", None)) for op in fewer] == [
        ("UpdateComment", 101),
        ("UpdateComment", 102),
        ("UpdateComment", 103),
    ]
    bodies = [op.body for op in fewer if isinstance(op, UpdateComment)]
    assert "part 1 of 1" in bodies[0] and "no longer used" in bodies[2]
