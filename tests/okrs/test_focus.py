"""The focus check's first part (SPEC §8): with OKRs, the digest shows each member's share of
this week's objectives that name a key result — `(KR1.1)`, `[KR1.1]` or `#KR1.1`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ritual_bot.markers import first_marker
from ritual_bot.rituals.hpfo.okrs import KrLine, focus_of
from ritual_bot.rituals.keyresults.ledger import (
    Committed,
    KrRecord,
    Ledger,
    planning_body,
    tracker_body,
)
from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.sandbox.state import BOT_LOGIN
from tests.decisions.helpers import Team
from tests.okrs.test_planning import CONFIG, PLAN_TEXT
from tests.support import REPO, World, make_config

PLAN = parse_plan(PLAN_TEXT).plan

ANSWER = "## Objectives\n- Ship the setup wizard (KR1.3)\n- Tidy the backlog\n"


def digest(world: World) -> dict[str, Any]:
    found = [i for i in world.sandbox.issues(REPO) if first_marker(i["body"], "hpfo-digest")]
    assert len(found) == 1
    return found[0]


def week_with_an_answer(world: World, config_text: str) -> str:
    config = make_config(config_text)
    world.at("2027-01-11T08:05:00")  # Monday 09:05 in Paris
    world.run(config)
    checkin = world.checkin("alice", "2027-W02")
    assert checkin is not None
    _, event = Team(world).comment(int(checkin["number"]), "alice", ANSWER)
    world.run(config, event)
    world.at("2027-01-12T09:05:00")  # Tuesday 10:05 in Paris: the week's digest
    world.run(config)
    return str(digest(world)["body"])


def test_the_digest_shows_the_share_of_objectives_linked_to_a_key_result(world: World) -> None:
    body = week_with_an_answer(world, CONFIG)
    assert "2 objectives · 🎯 1/2 linked to a key result (#" in body


def test_without_okrs_the_digest_says_nothing_of_key_results(world: World) -> None:
    body = week_with_an_answer(world, CONFIG.split("okrs:")[0])
    assert "2 objectives (#" in body and "linked to a key result" not in body


def alice_owns_krs(world: World) -> None:
    """alice's committed plan for the quarter of 2027-W02, as the bot left it."""
    quarter = str(Quarter.of(date(2027, 1, 11), 4))
    body = planning_body(Committed("alice", quarter, PLAN))
    world.sandbox.create_issue(
        REPO, title="OKRs", body=body, user=BOT_LOGIN, labels=["okr", "okr: committed"]
    )


def test_an_objective_naming_an_unknown_kr_gets_one_reply_listing_the_valid_ids(
    world: World,
) -> None:
    config = make_config(CONFIG)
    world.at("2027-01-04T08:00:00")
    alice_owns_krs(world)
    world.at("2027-01-11T08:05:00")  # Monday 09:05 in Paris: the check-ins open
    world.run(config)
    number = int((world.checkin("alice", "2027-W02") or {})["number"])
    team = Team(world)
    team.comment(number, "alice", "## Objectives\n- Ship it (KR9.9)\n- Tidy [KR1.3]\n")
    team.comment(number, "bob", "## Objectives\n- Not mine (KR7.7)\n")
    # alice's text, but carol saved the version read now: it is not alice's to answer for.
    edited, _ = team.comment(number, "alice", "## Objectives\n- Later (KR1.1)\n")
    world.at("2027-01-11T10:00:00")
    team.edit(number, edited, "carol", "## Objectives\n- Later (KR8.8)\n")
    world.at("2027-01-12T09:05:00")  # Tuesday 10:05 in Paris: the digest run reads OKRs
    world.run(config)
    world.run(config)
    replies = [
        c["body"]
        for c in world.sandbox.comments(REPO, number)
        if first_marker(c["body"], "hpfo-kr-unknown")
    ]
    assert len(replies) == 1, replies
    assert "`KR9.9`" in replies[0] and "`KR1.1`, `KR1.2`, `KR1.3`" in replies[0]
    assert "KR1.3`:" not in replies[0] and "KR7.7" not in replies[0]
    assert "KR8.8" not in replies[0]


LOW = "## Objectives\n- Ship the wizard (KR1.3)\n- Tidy the backlog\n- Answer support\n"


def week_of_alice(world: World, monday: str, tuesday: str, answer: str) -> str:
    """alice answers her check-in of the week; the week's digest body, Tuesday 10:05 Paris."""
    config = make_config(CONFIG)
    world.at(f"{monday}T08:05:00")
    world.run(config)
    checkin = [
        i for i in world.sandbox.issues(REPO) if first_marker(i["body"], "hpfo-checkin")
        and "alice" in i["body"].split("\n", 1)[0] and i["state"] == "open"
    ]  # fmt: skip
    Team(world).comment(int(checkin[-1]["number"]), "alice", answer)
    world.at(f"{tuesday}T09:05:00")
    world.run(config)
    found = [i for i in world.sandbox.issues(REPO) if first_marker(i["body"], "hpfo-digest")]
    return str(max(found, key=lambda i: int(i["number"]))["body"])


def test_the_digest_names_stale_krs_and_flags_two_low_weeks_running(world: World) -> None:
    world.at("2027-01-04T08:00:00")
    alice_owns_krs(world)
    quarter = str(Quarter.of(date(2027, 1, 11), 4))
    url = "https://github.com/acme/team/issues/1#issuecomment-1"
    old = datetime(2026, 12, 1, tzinfo=UTC)
    ledger = Ledger(quarter, (KrRecord("alice", "KR1.2", Quantity(5, "d"), None, old, url),))
    tracker = world.sandbox.create_issue(
        REPO, title="OKR tracker", body=tracker_body(ledger), user=BOT_LOGIN,
        labels=["okr", "okr: tracker"],
    )  # fmt: skip
    first = week_of_alice(world, "2027-01-11", "2027-01-12", LOW)
    assert "alice: 1/3 objectives linked to a key result · no linked objective nor update " \
        "for two weeks: KR1.1, KR1.2\n" in first  # fmt: skip
    assert "⚠️" not in first and "/okr change" not in first, "one low week is not flagged"
    second = week_of_alice(world, "2027-01-18", "2027-01-19", LOW)
    assert "⚠️ @\u200balice: 1/3 objectives" in second
    assert f"`/okr change TEXT` on [the tracker]({tracker['html_url']})" in second


def test_a_kr_is_stale_with_neither_a_linked_objective_nor_an_update_for_two_weeks() -> None:
    now = datetime(2027, 1, 19, 9, tzinfo=UTC)
    owned = [
        KrLine("KR1.1", "a", "alice", "", now - timedelta(days=13)),  # updated: fresh
        KrLine("KR1.2", "b", "alice", "", now - timedelta(days=14)),  # two weeks: stale
        KrLine("KR1.3", "c", "alice", ""),  # never updated but linked: fresh
        KrLine("KR2.1", "d", "eng", ""),  # a team KR, never updated: stale
    ]
    found = focus_of("alice", owned, ["Ship [KR1.3]", "Tidy"], 0.5, now)
    assert (found.linked, found.objectives, found.stale) == (1, 2, ("KR1.2", "KR2.1"))
    assert not found.low and focus_of("alice", owned, ["Tidy"], 0.5, now).low
    assert not focus_of("alice", owned, [], 0.5, now).low, "no objectives: nothing to judge"


def test_a_team_owners_krs_are_in_each_group_members_check_in_and_no_one_elses(
    world: World,
) -> None:
    """eng (bob, carol) owns a plan: both their check-ins list its KRs; dave's lists none."""
    world.at("2027-01-04T08:00:00")
    quarter = str(Quarter.of(date(2027, 1, 11), 4))
    body = planning_body(Committed("eng", quarter, PLAN))
    world.sandbox.create_issue(
        REPO, title="OKRs", body=body, user=BOT_LOGIN, labels=["okr", "okr: committed"]
    )
    world.at("2027-01-11T14:05:00")  # Monday 09:05 in New York: every check-in is open
    world.run(make_config(CONFIG))
    for login in ("bob", "carol"):
        checkin = world.checkin(login, "2027-W02") or {}
        assert "| KR1.2 | Median time to first check-in | eng | none yet |" in checkin["body"]
    assert "KR1.1" not in (world.checkin("dave", "2027-W02") or {})["body"]
