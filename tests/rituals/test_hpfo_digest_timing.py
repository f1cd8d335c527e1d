"""When the digest of a week opens, when it is final, what it reads (SPEC §3, issue 12): pure.

The digest of week W opens at ``digest.day`` + ``time`` of week W in the team's timezone, from
the answers so far; it is rewritten once when every check-in of W has closed (the last member's
W+1 opening at the latest). The scenario over two weeks, on the sandbox, is in
test_hpfo_digest_fresh.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ritual_bot.config import Config
from ritual_bot.markers import first_marker
from ritual_bot.model import Comment, Issue, User
from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateIssue, pending
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import DIGEST_LABEL, MANAGED_LABEL, Checkin, checkins
from ritual_bot.rituals.hpfo.digest import (
    closes_at,
    covered,
    create_digest,
    digest_period,
    digests_listed_from,
    opens_at,
    plan_digest,
    week_is_final,
)
from ritual_bot.rituals.hpfo.ritual import HpfoRitual, listed_from, listing_start
from tests.rituals.hpfo_builders import (
    BOT,
    URL,
    closed_checkin,
    context,
    open_checkin,
    snapshot,
)
from tests.rituals.mermaid_grammar import mermaid_blocks, parse_chart
from tests.support import make_config, team_config

W47, W48, W49 = Period(2026, 47), Period(2026, 48), Period(2026, 49)
ANSWER = "## Highlights\n- shipped\n## Fires\n- the VPN is down\n## Objectives\n- fix it"


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def answered(config: Config, number: int, login: str, period: Period) -> tuple[Issue, Comment]:
    """An open check-in and its member's answer, an hour after it opened."""
    issue = open_checkin(config, number, login, period)
    when = issue.created_at + timedelta(hours=1)
    comment = Comment(number * 100, number, User(login), ANSWER, when, when)
    return replace(issue, comments_count=1, updated_at=when), comment


def plan(
    config: Config, issues: list[Issue], iso: str, comments: Sequence[Comment] = ()
) -> list[Op]:
    found = replace(snapshot(issues), comments={c.issue_number: (c,) for c in comments})
    return plan_digest(context(config, iso), found, checkins(found))


def created(ops: list[Op]) -> CreateIssue:
    [create] = [op for op in ops if isinstance(op, CreateIssue)]
    return create


def digest_issue(ops: list[Op], number: int, iso: str) -> Issue:
    """The issue GitHub would hold once ``ops`` opened it."""
    create = created(ops)
    now = at(iso)
    return Issue(
        number, create.title, create.body, "open", BOT, now, now,
        labels=(DIGEST_LABEL, MANAGED_LABEL), html_url=URL.format(number=number),
    )  # fmt: skip


# --- The moments -------------------------------------------------------------------------------


def test_the_digest_of_a_week_opens_on_its_own_day_in_the_team_timezone() -> None:
    config = team_config(["alice"], "hpfo:\n  digest: {day: tuesday, time: '10:00'}\n")
    assert opens_at(config, W48) == at("2026-11-24T09:00")  # Tuesday of W48, 10:00 in Paris
    assert digest_period(config, at("2026-11-24T08:59")) == W47
    assert digest_period(config, at("2026-11-24T09:00")) == W48
    assert digest_period(config, at("2026-11-30T23:59")) == W48  # until W49's opens
    assert closes_at(config, W48) == at("2026-11-30T08:00")  # alice's W49, Monday 09:00


def test_a_digest_day_earlier_than_the_openings_opens_with_everyone_not_yet() -> None:
    config = team_config(["alice", "bob"], "hpfo:\n  digest: {day: monday, time: '08:00'}\n")
    ops = plan(config, [], "2026-11-23T07:17")  # Monday 08:17 in Paris: nobody's check-in yet
    body = created(ops).body
    assert "**provisional**" in body and "| 0 | 2 | 0 | 0 | 0 |" in body
    assert "_No answers yet this week._" in body
    assert first_marker(body, "hpfo-history") is None  # nothing final to carry
    # Their W48 check-ins open at 09:00 and close with W49's: the week is final then, not before.
    issues = [closed_checkin(config, n, who, W48) for n, who in ((1, "alice"), (2, "bob"))]
    still = [issues[0], open_checkin(config, 2, "bob", W48)]
    assert not week_is_final(config, at("2026-11-30T07:59"), checkins(snapshot(still)), W48)
    assert week_is_final(config, at("2026-11-30T08:00"), checkins(snapshot(issues)), W48)


def test_members_in_far_apart_timezones_keep_the_week_open_until_the_last_opening() -> None:
    config = make_config(
        "version: 1\ntimezone: Europe/Paris\nmembers:\n"
        "  - {login: kiri, timezone: Pacific/Kiritimati}\n"  # UTC+14
        "  - {login: hono, timezone: Pacific/Honolulu}\n"  # UTC-10
        "hpfo:\n  digest: {day: tuesday, time: '10:00'}\n"
    )
    # kiri's Monday 09:00 is Sunday 19:00 UTC; hono's is Monday 19:00 UTC: a day apart.
    assert closes_at(config, W48) == at("2026-11-30T19:00")
    kiri = closed_checkin(config, 1, "kiri", W48)
    hono = open_checkin(config, 2, "hono", W48)
    found = checkins(snapshot([kiri, hono]))
    assert not week_is_final(config, at("2026-11-30T18:59"), found, W48)  # hono's is open
    closed = checkins(snapshot([kiri, closed_checkin(config, 2, "hono", W48)]))
    assert week_is_final(config, at("2026-11-30T19:17"), closed, W48)
    # Where the listing starts on that run still holds kiri's check-in of W48, opened first.
    ctx = context(config, "2026-11-30T19:17")
    earliest_opening = at("2026-11-22T19:00")
    assert listed_from(ctx) <= earliest_opening and covered(config, W48, listed_from(ctx))
    # The digest (Tuesday 10:00 in Paris) comes after both openings: kiri answered, hono not yet.
    digest_at = "2026-11-24T09:17"
    kiri_open, comment = answered(config, 1, "kiri", W48)
    body = created(plan(config, [kiri_open, hono], digest_at, [comment])).body
    assert "the VPN is down" in body and "| 1 | 1 | 0 | 0 | 0 |" in body


def test_with_the_digest_off_nothing_is_planned_and_the_listing_is_not_extended() -> None:
    config = team_config(["alice"], "hpfo:\n  digest: false\n")
    assert digest_period(config, at("2026-11-24T09:17")) is None
    assert digests_listed_from(config, at("2026-11-24T09:17")) is None
    ctx = context(config, "2026-11-24T09:17")
    assert listed_from(ctx) == listing_start(ctx)
    issues = [closed_checkin(config, 1, "alice", W47), open_checkin(config, 2, "alice", W48)]
    assert plan(config, issues, "2026-11-24T09:17") == []
    assert not HpfoRitual().needs_repository(ctx, snapshot(issues))


# --- Provisional, then final once ----------------------------------------------------------------


def test_the_provisional_digest_reads_open_threads_and_lists_who_has_not_answered() -> None:
    config = team_config(["alice", "bob", "carol"])
    alice, comment = answered(config, 1, "alice", W48)
    bob = open_checkin(config, 2, "bob", W48)
    carol = closed_checkin(config, 3, "carol", W48, [("carol", "/skip off today")])
    body = created(plan(config, [alice, bob, carol], "2026-11-24T09:17", [comment])).body
    assert body.index("the VPN is down") < body.index("## 🌟 Highlights")
    assert "| Answered | Not yet | Missing | Skipped | Away |" in body
    assert "| 1 | 1 | 0 | 1 | 0 |" in body
    assert "the answers given by 2026-11-24 10:17 (Europe/Paris)" in body
    # The chart shows this week so far: "not yet" on top of the usual four layers.
    [source] = mermaid_blocks(body)
    chart = parse_chart(source)
    assert chart.categories == ("2026-W48",) and [bar[0] for bar in chart.bars] == [3, 2, 2, 2, 1]
    assert "🟦 not yet" in body


def test_the_final_rewrite_is_one_update_and_a_rerun_plans_nothing() -> None:
    config = team_config(["alice", "bob"])
    alice, comment = answered(config, 1, "alice", W48)
    bob = open_checkin(config, 2, "bob", W48)
    opening = "2026-11-24T09:17"
    digest = digest_issue(plan(config, [alice, bob], opening, [comment]), 9, opening)
    assert plan(config, [alice, bob, digest], "2026-11-25T09:17", [comment]) == []  # open week
    closed = [
        closed_checkin(config, 1, "alice", W48, [("alice", ANSWER)]),
        closed_checkin(config, 2, "bob", W48),
    ]
    [final] = plan(config, [*closed, digest], "2026-11-30T08:17")
    assert isinstance(final, UpdateIssue) and (final.number, final.state) == (9, None)
    assert final.body is not None and "provisional" not in final.body
    assert "| 1 | 1 | 0 | 0 |" in final.body  # answered, missing, skipped, away
    history = first_marker(final.body, "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:1:1:0:0"
    rewritten = replace(digest, body=final.body)
    assert plan(config, [*closed, rewritten], "2026-11-30T09:17") == []


def test_final_and_superseded_together_are_one_patch() -> None:
    """A digest day and time that is also the last opening: the week is final on the run that
    opens the next digest, so the old one gets its final text and its closing at once."""
    config = team_config(["alice"], "hpfo:\n  digest: {day: monday, time: '09:00'}\n")
    opening = "2026-11-23T08:17"
    alice = open_checkin(config, 1, "alice", W48)
    digest = digest_issue(plan(config, [alice], opening), 9, opening)
    closed = closed_checkin(config, 1, "alice", W48, [("alice", ANSWER)])
    ops = plan(config, [closed, digest], "2026-11-30T08:17")
    updates = [op for op in ops if isinstance(op, UpdateIssue)]
    assert [(u.number, u.state, u.state_reason) for u in updates] == [(9, "closed", "completed")]
    assert updates[0].body is not None and "hpfo-digest:period=2026-W49" in updates[0].body
    assert "| 1 | 0 | 0 | 0 |" in updates[0].body
    assert created(ops).title == "HPFO digest 2026-W49"


def test_a_week_final_after_the_next_digest_opened_is_rewritten_closed_and_reaches_the_chain() -> (
    None
):
    """Digest on Monday 10:00 in Paris, bob in New York opens at 15:00 in Paris: each digest
    opens before the week before is final. That week's final rewrite lands in its closed issue,
    and its counts reach the next digests through it (the listing reaches back to it)."""
    config = make_config(
        "version: 1\ntimezone: Europe/Paris\nmembers:\n"
        "  - alice\n  - {login: bob, timezone: America/New_York}\n"
        "hpfo:\n  digest: {day: monday, time: '10:00'}\n"
    )
    # Monday of W49, 10:17 in Paris: alice's W48 closed at 09:00, bob's is open till 15:00.
    assert closes_at(config, W48) == at("2026-11-30T14:00")
    assert digests_listed_from(config, at("2026-11-30T09:17")) == at("2026-11-16T08:55")
    w48_digest = Issue(
        7, "HPFO digest 2026-W48", "<!-- ritual-bot:hpfo-digest period=2026-W48 -->\nso far\n",
        "open", BOT, at("2026-11-23T09:17"), at("2026-11-23T09:17"),
        labels=(DIGEST_LABEL, MANAGED_LABEL), html_url=URL.format(number=7),
    )  # fmt: skip
    alice = closed_checkin(config, 1, "alice", W48, [("alice", ANSWER)])
    bob = open_checkin(config, 2, "bob", W48)
    ops = plan(config, [alice, bob, w48_digest], "2026-11-30T09:17")
    closing = [op for op in ops if isinstance(op, UpdateIssue)]
    assert [(u.number, u.state) for u in closing] == [(7, "closed")]
    assert closing[0].body is not None and "so far" in closing[0].body  # not final yet
    w49 = created(ops)
    assert first_marker(w49.body, "hpfo-history") is None  # W48 is not final: not carried

    closed_w48 = replace(w48_digest, body=closing[0].body, state="closed")
    w49_digest = digest_issue(ops, 8, "2026-11-30T09:17")
    bob_closed = closed_checkin(config, 2, "bob", W48)
    ops = plan(config, [alice, bob_closed, closed_w48, w49_digest], "2026-11-30T14:17")
    [final] = ops
    assert isinstance(final, UpdateIssue) and (final.number, final.state) == (7, None)
    assert final.body is not None and w49_digest.html_url in final.body  # the note stays
    assert "2026-W48:1:1:0:0" in final.body

    # A week later the digest of W50 opens: W48's final counts come from W48's digest.
    final_w48 = replace(closed_w48, body=final.body)
    later = plan(config, [final_w48, w49_digest], "2026-12-07T09:17")
    history = first_marker(created(later).body, "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:1:1:0:0"


def test_a_final_text_split_in_comments_posts_new_parts_first_and_never_twice() -> None:
    """500 long logins: the provisional digest continued in comments (one member still to come),
    then the final text, continued in new comments marked final, posted before the body that
    says the digest is final. Applied in part, the plan posts only what is missing."""
    logins = [f"member-with-a-long-login-{i:03d}" for i in range(500)]
    config = team_config([*logins, "late"])
    model = closed_checkin(config, 1, logins[0], W48, [(logins[0], ANSWER)])
    found = [
        Checkin(
            replace(model, number=n, html_url=URL.format(number=n),
                    body=model.body.replace(logins[0], login)),
            login, W48,
        )
        for n, login in enumerate(logins, start=1)
    ]  # fmt: skip
    issues = [c.issue for c in found]
    opening = "2026-11-24T09:17"
    first = create_digest(context(config, opening), snapshot(issues), found, [], W48)
    parts = [op for op in first if isinstance(op, AddComment)]
    assert parts and all("(provisional)._" in p.body for p in parts)
    digest = replace(digest_issue(first, 999, opening), comments_count=len(parts))
    when = at(opening)
    posted = tuple(Comment(5000 + i, 999, BOT, p.body, when, when) for i, p in enumerate(parts))
    monday = "2026-11-30T08:17"  # the late member's W48 never opened: the week is final
    world = replace(snapshot([*issues, digest]), comments={999: posted})
    ops = plan_digest(context(config, monday), world, found)
    new_parts = [op for op in ops if isinstance(op, AddComment)]
    assert isinstance(ops[-1], UpdateIssue) and ops[-1].body is not None
    assert "marked “final”" in ops[-1].body and len(ops[-1].body) <= 65_536
    assert new_parts and all(p.number == 999 and "(final)._" in p.body for p in new_parts)
    assert len(pending(ops, world)) == len(ops)  # the provisional parts are other comments
    # Killed after two of the new parts: only the rest, then the body.
    half = tuple(
        Comment(6000 + i, 999, BOT, p.body, when, when) for i, p in enumerate(new_parts[:2])
    )
    world = replace(world, comments={999: posted + half})
    again = pending(plan_digest(context(config, monday), world, found), world)
    assert [op for op in again if isinstance(op, AddComment)] == new_parts[2:]
    done = replace(world, issues=(*issues, replace(digest, body=ops[-1].body)))
    assert plan_digest(context(config, monday), done, found) == []
