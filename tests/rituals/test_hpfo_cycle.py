"""Three weeks of HPFO for a team of five, on the sandbox with a fixed clock (SPEC §3).

alice, carol, dave and erin live in Paris, bob in New York. Week 48: alice reports a fire that
bob answers, carol answers in French, dave skips, erin stays silent (one reminder, then counted
missing) and carol's well-meant /skip on erin's issue is refused. Week 49: dave is away, alice
answers by editing her issue and ticks a carried-over objective. Each week's digest opens on its
Tuesday from the answers so far, is rewritten once when the week's last check-in (bob's, in New
York) closes, and is closed by the next one. After every step a rerun must change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from ritual_bot.config import Config
from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.markers import first_marker, read_block
from ritual_bot.rituals.hpfo.core import DIGEST_LABEL, SUMMARY_BLOCK
from tests.support import REPO, World, make_config

TEAM = ("alice", "bob", "carol", "dave", "erin")
CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - login: dave
    away: ["2026-11-28..2026-12-06"]
  - erin
hpfo:
  day: monday
  time: "09:00"
  remind_after: 1d
  digest: {day: tuesday, time: "10:00"}
"""

ALICE_W48 = """\
Morning all!

## Highlights
- Shipped the new onboarding flow 🎉

## Progress
- Billing migration: 80% done

## Fires
- Staging is flaky since Thursday, @bob can you take a look?

## Objectives
- Finish the billing migration
- Write the Q1 OKR draft
"""

BOB_W48 = """\
**H:** pairing with carol on the search index
**P:** search index v2 merged
**F:** none
**O:** roll out search v2 to 10% of users
"""

CAROL_W48 = """\
Temps forts : atelier design très productif
Progrès : maquettes de la page d'accueil
Incendies : rien
Objectifs :
- valider les maquettes avec l'équipe
"""

BOB_HELPS = "On it: the runner was out of disk, I cleaned it up. Ping me if it flakes again."


def comment(world: World, login: str, period: str, body: str) -> dict[str, Any]:
    issue = world.checkin(login, period)
    assert issue is not None, f"no check-in for {login} {period}"
    return world.sandbox.create_comment(REPO, issue["number"], body=body, user=login)


def comment_on(world: World, author: str, owner: str, period: str, body: str) -> dict[str, Any]:
    issue = world.checkin(owner, period)
    assert issue is not None
    return world.sandbox.create_comment(REPO, issue["number"], body=body, user=author)


def settle(world: World, config: Config) -> list[str]:
    """Run, then rerun and check the rerun writes nothing; the first run's ops, described."""
    report = world.run(config)
    assert report.stopped is None
    writes = len(world.writes())
    again = world.run(config)
    assert again.applied == [], [a.op.describe() for a in again.applied]
    assert len(world.writes()) == writes
    return [a.op.describe() for a in report.applied]


def bot_comments(world: World, number: int) -> list[dict[str, Any]]:
    return [
        c
        for c in world.sandbox.comments(REPO, number)
        if c["user"]["login"] == "github-actions[bot]"
    ]


def digest_issues(world: World) -> list[dict[str, Any]]:
    return [
        i
        for i in world.sandbox.issues(REPO)
        if any(lb["name"] == DIGEST_LABEL for lb in i["labels"])
    ]


def issue(world: World, login: str, period: str) -> dict[str, Any]:
    found = world.checkin(login, period)
    assert found is not None, f"no check-in for {login} {period}"
    return found


@pytest.fixture
def config(world: World) -> Config:
    world.add_members([*TEAM, "mallory"])
    return make_config(CONFIG)


def week_48(world: World, config: Config) -> None:
    world.at("2026-11-23T08:17")  # 09:17 in Paris, 03:17 in New York
    settle(world, config)
    assert [m for m in TEAM if world.checkin(m, "2026-W48")] == ["alice", "carol", "dave", "erin"]
    world.at("2026-11-23T14:17")  # 09:17 in New York
    settle(world, config)
    assert world.checkin("bob", "2026-W48") is not None

    world.at("2026-11-23T15:00")
    comment(world, "alice", "2026-W48", ALICE_W48)
    comment(world, "carol", "2026-W48", CAROL_W48)
    comment(world, "dave", "2026-W48", "/skip at a conference all week")
    comment_on(world, "carol", "erin", "2026-W48", "/skip")  # not hers to skip
    world.at("2026-11-23T16:00")
    comment(world, "bob", "2026-W48", BOB_W48)
    comment_on(world, "bob", "alice", "2026-W48", BOB_HELPS)
    done = settle(world, config)
    # dave's /skip closes his week at once; carol's gets one reply; no reminder is due yet.
    assert issue(world, "dave", "2026-W48")["state_reason"] == "not_planned"
    assert [d.split(" (")[0] for d in done if d.startswith("comment")] == [
        f"comment on #{issue(world, 'erin', '2026-W48')['number']}"
    ]
    refusal = bot_comments(world, issue(world, "erin", "2026-W48")["number"])
    assert len(refusal) == 1 and "@carol" in refusal[0]["body"]
    assert f"@{MENTION_BREAKER}erin" in refusal[0]["body"]  # names who may, without a ping

    world.at("2026-11-24T08:17")  # Tuesday: a day after the Paris issues opened
    settle(world, config)
    erin = bot_comments(world, issue(world, "erin", "2026-W48")["number"])
    assert len(erin) == 2 and "@erin" in erin[1]["body"] and "reminder" in erin[1]["body"]
    for member in ("alice", "carol", "dave"):
        reminders = [
            c for c in bot_comments(world, issue(world, member, "2026-W48")["number"])
            if "reminder" in c["body"]
        ]  # fmt: skip
        assert reminders == [], member
    world.at("2026-11-24T15:00")  # bob answered before his own reminder was due
    made = settle(world, config)
    assert bot_comments(world, issue(world, "bob", "2026-W48")["number"]) == []
    # Tuesday after 10:00 in Paris: this week's digest, from the answers so far (week 47 had no
    # check-ins: nothing to digest there).
    assert [d for d in made if "HPFO digest" in d] == [
        "open issue 'HPFO digest 2026-W48' [ritual:hpfo-digest, ritual:hpfo]"
    ]
    (digest,) = digest_issues(world)
    body = digest["body"]
    assert "**provisional**" in body and "Staging is flaky" in body
    assert "| 3 | 1 | 0 | 1 | 0 |" in body  # answered, not yet (erin), missing, skipped, away
    assert f"**Not yet**: @{MENTION_BREAKER}erin" in body
    assert first_marker(body, "hpfo-history") is None  # no final week to carry yet


def week_49(world: World, config: Config) -> None:
    world.at("2026-11-30T08:17")
    settle(world, config)
    alice = issue(world, "alice", "2026-W48")
    assert (alice["state"], alice["state_reason"]) == ("closed", "completed")
    summary = read_block(alice["body"], SUMMARY_BLOCK)
    assert summary is not None
    assert "Staging is flaky" in summary and "Finish the billing migration" in summary
    assert "the runner was out of disk" in summary  # bob's reply, quoted
    assert f"@{MENTION_BREAKER}bob" in summary and "@bob" not in summary  # never re-pinged
    erin = issue(world, "erin", "2026-W48")
    assert (erin["state"], erin["state_reason"]) == ("closed", "not_planned")
    assert "missing" in (read_block(erin["body"], SUMMARY_BLOCK) or "")
    assert issue(world, "bob", "2026-W48")["state"] == "open"  # 03:17 in New York
    assert world.checkin("dave", "2026-W49") is None  # away
    carried = issue(world, "alice", "2026-W49")["body"]
    assert "- [ ] Finish the billing migration" in carried

    (digest,) = digest_issues(world)
    assert "**provisional**" in digest["body"]  # bob's week 48 is still open

    world.at("2026-11-30T14:17")  # bob's week 49 opens: week 48 is final, its digest rewritten
    made = settle(world, config)
    assert issue(world, "bob", "2026-W48")["state_reason"] == "completed"
    assert f"update issue #{digest['number']}: body" in made
    (digest,) = digest_issues(world)
    body = digest["body"]
    assert body.index("## 🔥 Fires") < body.index("## 🌟 Highlights")
    assert (
        "Staging is flaky" in body and f"[#{issue(world, 'alice', '2026-W48')['number']}]" in body
    )
    assert "provisional" not in body and "| 3 | 1 | 1 | 0 |" in body  # final participation
    assert "```mermaid\n%%{init" in body and "xychart-beta" in body
    assert "@bob" not in body and "@alice" not in body
    assert digest["state"] == "open"  # until the digest of week 49 opens

    world.at("2026-11-30T15:00")
    alice = issue(world, "alice", "2026-W49")
    edited = (
        alice["body"]
        .replace("- [ ] Finish the billing migration", "- [x] Finish the billing migration")
        .replace("## 🔥 Fires", "## 🔥 Fires\n- none")
        .replace("## 🌟 Highlights", "## 🌟 Highlights\n- Billing migration done")
    )
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{alice['number']}", {"body": edited})
    comment(world, "bob", "2026-W49", "H: search v2 at 10%\nF: none\nO: 50% rollout")
    comment(world, "carol", "2026-W49", "## Objectifs\n- tests utilisateurs")
    comment(world, "erin", "2026-W49", "Highlights: back on track\nObjectives: - write docs")

    world.at("2026-12-01T09:00")  # Tuesday 10:00 in Paris: the digest of week 49
    settle(world, config)
    w48, w49 = digest_issues(world)
    assert [w48["title"], w49["title"]] == ["HPFO digest 2026-W48", "HPFO digest 2026-W49"]
    assert (w48["state"], w49["state"]) == ("closed", "open")
    assert w49["html_url"] in w48["body"]
    assert "Billing migration done" in w49["body"] and "**provisional**" in w49["body"]
    history = first_marker(w49["body"], "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:3:1:1:0"


def week_50(world: World, config: Config) -> None:
    world.at("2026-12-07T08:17")
    settle(world, config)
    alice = issue(world, "alice", "2026-W49")
    summary = read_block(alice["body"], SUMMARY_BLOCK) or ""
    assert alice["state_reason"] == "completed"
    assert "[x] Finish the billing migration" in summary  # the ticked box counts as done
    assert world.checkin("dave", "2026-W50") is not None  # back from holiday
    world.at("2026-12-07T14:17")
    settle(world, config)
    second = digest_issues(world)[1]
    assert "| 4 | 0 | 0 | 1 |" in second["body"]  # final: dave away, everyone else answered
    history = first_marker(second["body"], "hpfo-history")
    assert history is not None
    assert history.get("weeks") == "2026-W48:3:1:1:0/2026-W49:4:0:0:1"

    world.at("2026-12-08T09:00")
    settle(world, config)
    first, second, third = digest_issues(world)
    assert third["title"] == "HPFO digest 2026-W50" and third["state"] == "open"
    for old in (first, second):
        assert (old["state"], old["state_reason"]) == ("closed", "completed")
    assert second["html_url"] in first["body"] and third["html_url"] in second["body"]
    assert "| 4 | 0 | 0 | 1 |" in second["body"]  # closing kept the final text
    history = first_marker(third["body"], "hpfo-history")
    assert history is not None
    assert history.get("weeks") == "2026-W48:3:1:1:0/2026-W49:4:0:0:1"


def test_three_weeks_of_hpfo_for_a_team_of_five(world: World, config: Config) -> None:
    week_48(world, config)
    week_49(world, config)
    week_50(world, config)


def test_a_member_who_answers_then_closes_their_check_in_has_answered(
    world: World, config: Config
) -> None:
    """Issue 12: the digest dropped their fires and said "No answers this week"."""
    world.at("2026-11-23T08:17")
    settle(world, config)
    world.at("2026-11-23T14:17")
    settle(world, config)
    world.at("2026-11-23T15:00")
    comment(world, "alice", "2026-W48", ALICE_W48)
    alice = issue(world, "alice", "2026-W48")
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{alice['number']}", {"state": "closed"})
    world.at("2026-11-23T16:17")
    made = settle(world, config)
    assert any(f"update issue #{alice['number']}" in d for d in made), made
    closed = issue(world, "alice", "2026-W48")
    assert closed["state"] == "closed" and closed["state_reason"] == "completed"
    assert "Staging is flaky" in closed["body"]  # the summary, written into the body
    world.at("2026-11-24T09:17")  # Tuesday 10:17 in Paris: the digest opens
    settle(world, config)
    (digest,) = digest_issues(world)
    assert "Staging is flaky" in digest["body"]
    assert f"**Answered**: @{MENTION_BREAKER}alice" in digest["body"]
    for iso in ("2026-11-30T08:17", "2026-11-30T14:17", "2026-12-01T09:00"):
        world.at(iso)
        settle(world, config)
    (digest,) = [d for d in digest_issues(world) if "2026-W48" in d["title"]]
    assert "Staging is flaky" in digest["body"] and "provisional" not in digest["body"]
    assert f"**Answered**: @{MENTION_BREAKER}alice" in digest["body"]
