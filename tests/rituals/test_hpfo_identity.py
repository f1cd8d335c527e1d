"""A check-in's identity survives any edit (issue 9, point 4; SPEC §3 and §7), on the sandbox.

Anyone with write access can edit any issue body, the bot's included. Each attack below was
reproduced against the marker-only identity; each must end as SPEC says: the teammate's week
opens, a rewritten body is the member's answer and is never duplicated, a copied body never makes
this week a "duplicate" of last week's, and the bot puts its marker back keeping every character
the member wrote. After every step a scheduled rerun changes nothing.

alice and carol live in Paris (due Monday 08:00 UTC), bob in New York (due 14:00 UTC).
"""

from __future__ import annotations

from typing import Any

import pytest

from ritual_bot.config import Config
from ritual_bot.markers import find_markers, read_block
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.core import SUMMARY_BLOCK
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.runner import RunReport, run
from ritual_bot.templates import Templates
from tests.support import REPO, World, make_config

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
hpfo:
  day: monday
  time: "09:00"
  remind_after: 2d
"""
BOB_W48 = "<!-- ritual-bot:hpfo-checkin member=bob period=2026-W48 -->"
CAROL_W48 = "<!-- ritual-bot:hpfo-checkin member=carol period=2026-W48 -->"
ALICE_W48 = "<!-- ritual-bot:hpfo-checkin member=alice period=2026-W48 -->"
ALICE_W49 = "<!-- ritual-bot:hpfo-checkin member=alice period=2026-W49 -->"
REWRITE = """\
## Highlights
- Shipped the billing export

## Fires
- Staging certificate expires Friday

## Objectives
- Rotate the staging certificate
"""


@pytest.fixture
def config(world: World) -> Config:
    world.add_members(["alice", "bob", "carol"])
    return make_config(CONFIG)


def settle(world: World, config: Config) -> list[str]:
    """Run, then rerun: the rerun must write nothing. The first run's ops, described."""
    report = world.run(config)
    assert report.stopped is None
    again = world.run(config)
    assert again.applied == [], [a.op.describe() for a in again.applied]
    return [a.op.describe() for a in report.applied]


def week(world: World, login: str, period: str) -> dict[str, Any]:
    """The one issue the bot opened for ``login`` in ``period``, found by its title (the test's
    ground truth: the markers are what the attacks tamper with)."""
    found = [i for i in world.sandbox.issues(REPO) if i["title"] == f"HPFO {period} · @{login}"]
    assert len(found) == 1, f"{len(found)} check-ins for {login} {period}"
    return found[0]


def edit(world: World, login: str, issue: dict[str, Any], body: str) -> None:
    world.api(login, "PATCH", f"/repos/{REPO}/issues/{issue['number']}", {"body": body})


def checkin_markers(body: str) -> list[str]:
    return [m.render() for m in find_markers(body) if m.kind == "hpfo-checkin"]


def open_week_48(world: World, config: Config) -> None:
    world.at("2026-11-23T08:17")
    settle(world, config)
    week(world, "alice", "2026-W48")
    week(world, "carol", "2026-W48")


# --- 1. A teammate's marker pasted into one's own check-in -------------------------------------


@pytest.mark.parametrize("how", ["above", "instead"])
def test_a_teammates_marker_pasted_into_ones_own_check_in_suppresses_nothing(
    world: World, config: Config, how: str
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T09:00")
    pasted = (
        f"{BOB_W48}\n{alice['body']}"
        if how == "above"
        else alice["body"].replace(ALICE_W48, BOB_W48)
    )
    edit(world, "alice", alice, pasted)

    world.at("2026-11-23T14:17")  # bob's Monday 09:17
    done = settle(world, config)
    assert week(world, "bob", "2026-W48")["assignees"][0]["login"] == "bob"
    repaired = week(world, "alice", "2026-W48")["body"]
    assert checkin_markers(repaired) == [ALICE_W48]
    assert repaired.replace(ALICE_W48 + "\n", "") == pasted.replace(BOB_W48 + "\n", "").replace(
        ALICE_W48 + "\n", ""
    )
    assert sum(d.startswith("open issue") for d in done) == 1  # bob's only, never alice's again


def test_a_teammates_marker_pasted_before_they_are_due_is_not_their_check_in_even_unverified(
    world: World, config: Config
) -> None:
    """Without a history read (an idle hour), the window alone shows the paste for what it is."""
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T09:00")
    edit(world, "alice", alice, f"{BOB_W48}\n{alice['body']}")
    world.at("2026-11-23T10:17")
    settle(world, config)  # repaired now: the issue was not plausible
    assert checkin_markers(week(world, "alice", "2026-W48")["body"]) == [ALICE_W48]
    world.at("2026-11-23T14:17")
    settle(world, config)
    week(world, "bob", "2026-W48")


def test_a_colleagues_marker_swapped_in_after_both_opened_closes_each_week_as_its_own(
    world: World, config: Config
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T09:00")
    edit(world, "alice", alice, alice["body"].replace(ALICE_W48, CAROL_W48) + "\n" + REWRITE)
    world.at("2026-11-23T10:17")
    settle(world, config)
    assert checkin_markers(week(world, "alice", "2026-W48")["body"]) == [ALICE_W48]
    assert checkin_markers(week(world, "carol", "2026-W48")["body"]) == [CAROL_W48]

    world.at("2026-11-30T14:17")
    settle(world, config)
    alice = week(world, "alice", "2026-W48")
    carol = week(world, "carol", "2026-W48")
    assert (alice["state_reason"], carol["state_reason"]) == ("completed", "not_planned")
    assert "Staging certificate" in (read_block(alice["body"], SUMMARY_BLOCK) or "")


# --- 2. Answering by rewriting the whole body, markers included --------------------------------


@pytest.mark.parametrize("keep", ["nothing", "checkin-marker", "pristine-marker"])
def test_a_rewritten_body_is_the_members_answer_and_the_check_in_is_never_duplicated(
    world: World, config: Config, keep: str
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    kind = {"checkin-marker": "hpfo-checkin", "pristine-marker": "pristine"}.get(keep)
    kept = [m.render() for m in find_markers(alice["body"]) if m.kind == kind]
    body = REWRITE
    if keep == "checkin-marker":
        body = f"{kept[0]}\n{REWRITE}"
    if keep == "pristine-marker":
        body = f"{REWRITE}\n{kept[0]}\n"
    world.at("2026-11-23T11:00")
    edit(world, "alice", alice, body)

    world.at("2026-11-23T11:17")
    settle(world, config)
    repaired = week(world, "alice", "2026-W48")["body"]
    assert checkin_markers(repaired) == [ALICE_W48]
    assert REWRITE in repaired  # every character alice wrote

    world.at("2026-11-30T08:17")
    settle(world, config)
    closed = week(world, "alice", "2026-W48")
    assert (closed["state"], closed["state_reason"]) == ("closed", "completed")
    assert "Staging certificate expires Friday" in (read_block(closed["body"], SUMMARY_BLOCK) or "")
    assert "- [ ] Rotate the staging certificate" in week(world, "alice", "2026-W49")["body"]


def test_removing_only_the_fingerprint_does_not_turn_an_untouched_template_into_an_answer(
    world: World, config: Config
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    bare = "".join(
        alice["body"].replace(m.render() + "\n", "")
        for m in find_markers(alice["body"])
        if m.kind == "pristine"
    )
    world.at("2026-11-23T11:00")
    edit(world, "alice", alice, bare)
    world.at("2026-11-30T08:17")
    settle(world, config)
    assert week(world, "alice", "2026-W48")["state_reason"] == "not_planned"  # missing


# --- 3. Copying last week's body into this week's issue ----------------------------------------


@pytest.mark.parametrize("summary", [True, False])
def test_last_weeks_body_copied_into_this_weeks_issue_keeps_this_weeks_check_in(
    world: World, config: Config, summary: bool
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T11:00")
    edit(world, "alice", alice, alice["body"] + "\n" + REWRITE)
    world.at("2026-11-30T08:17")
    settle(world, config)
    last = week(world, "alice", "2026-W48")
    assert last["state"] == "closed"

    copied = last["body"]
    if not summary:
        copied = copied.split("<!-- ritual-bot:begin")[0]
    this = week(world, "alice", "2026-W49")
    world.at("2026-11-30T10:00")
    edit(world, "alice", this, copied)
    world.at("2026-11-30T10:17")
    settle(world, config)
    this = week(world, "alice", "2026-W49")
    assert this["state"] == "open"
    assert checkin_markers(this["body"]) == [ALICE_W49]
    assert week(world, "alice", "2026-W48")["state_reason"] == "completed"

    world.at("2026-12-07T08:17")
    settle(world, config)
    closed = week(world, "alice", "2026-W49")
    assert (closed["state"], closed["state_reason"]) == ("closed", "completed")
    week(world, "alice", "2026-W50")


# --- What verifying costs, and when history cannot be read -------------------------------------


def hpfo_run(world: World, config: Config) -> RunReport:
    """The HPFO ritual alone: the decisions ritual's reads are its own budget's business."""
    ctx = Context(config, Event("schedule"), world.clock.now(), Templates(config.language))
    return run(ctx, world.gateway(), rituals=[HpfoRitual()])


def graphql_posts(world: World) -> int:
    return sum(1 for r in world.sandbox.requests if r.method == "POST" and "graphql" in r.path)


def test_the_history_read_costs_one_request_only_on_writing_or_suspicious_runs(
    world: World, config: Config
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T09:00")
    world.sandbox.create_comment(REPO, alice["number"], body=REWRITE, user="alice")

    world.at("2026-11-23T10:17")  # idle, and every issue is plausible: no history read
    world.sandbox.clear_requests()
    assert hpfo_run(world, config).applied == []
    assert graphql_posts(world) == 0 and len(world.sandbox.requests) <= 3

    world.at("2026-11-23T14:17")  # bob's opening writes: verified first, in one request
    world.sandbox.clear_requests()
    hpfo_run(world, config)
    assert graphql_posts(world) == 1

    edit(world, "carol", week(world, "carol", "2026-W48"), REWRITE)  # suspicious: no marker
    world.at("2026-11-23T15:17")
    world.sandbox.clear_requests()
    assert [a.op.describe() for a in hpfo_run(world, config).applied] == [
        f"update issue #{week(world, 'carol', '2026-W48')['number']}: body"
    ]
    assert graphql_posts(world) == 1
    world.at("2026-11-23T16:17")  # repaired: plausible again, so idle again
    world.sandbox.clear_requests()
    assert hpfo_run(world, config).applied == []
    assert graphql_posts(world) == 0 and len(world.sandbox.requests) <= 3


class NoHistory:
    """A gateway whose GraphQL reads all fail (a token without GraphQL access, an outage):
    ``Gateway.edit_histories`` then returns nothing."""

    def __init__(self, world: World) -> None:
        self.inner = world.gateway()

    def edit_histories(self, node_ids: Any) -> dict[str, Any]:
        return {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_without_history_an_unverifiable_check_in_is_reported_and_never_duplicated(
    world: World, config: Config
) -> None:
    open_week_48(world, config)
    alice = week(world, "alice", "2026-W48")
    world.at("2026-11-23T11:00")
    edit(world, "alice", alice, REWRITE)

    world.at("2026-11-23T14:17")
    report = world.run(config, gateway=NoHistory(world))  # type: ignore[arg-type]
    assert [a.op.describe().split(" for ")[-1] for a in report.applied] == [
        "@bob [hpfo, ritual:hpfo]"
    ]
    week(world, "alice", "2026-W48")  # exactly one: no duplicate while unverifiable
    notes = "\n".join(report.notices)
    assert f"#{alice['number']}" in notes and "@alice's check-in of 2026-W48" in notes
    assert week(world, "alice", "2026-W48")["body"] == REWRITE  # not trusted, so not rewritten

    world.at("2026-11-23T15:17")  # history readable again: verified and repaired
    settle(world, config)
    assert checkin_markers(week(world, "alice", "2026-W48")["body"]) == [ALICE_W48]
