"""The fresh digest over two weeks, on the sandbox (SPEC §3, issue 12).

alice, carol and erin live in Paris, bob in New York; check-ins open on Mondays at 09:00 local
time, the digest on Tuesdays at 10:00 in Paris. Week 48: alice reports a fire on Monday, carol
answers and closes her own issue, erin and bob say nothing by Tuesday. The digest of week 48
comes on Tuesday of week 48 with alice's fire, bob and erin "not yet"; bob answers afterwards.
It is rewritten once, on the run after bob's week 49 opens (the last opening), with the final
participation, and closed when the digest of week 49 opens. Every run is repeated and the
repeat writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from ritual_bot.config import Config
from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.markers import first_marker
from ritual_bot.rituals.hpfo.core import DIGEST_LABEL
from tests.support import REPO, World, make_config

CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
  - carol
  - erin
hpfo:
  day: monday
  time: "09:00"
  remind_after: 2d
  digest: {day: tuesday, time: "10:00"}
"""
ALICE = "## Highlights\n- onboarding shipped\n## Fires\n- the payment webhook drops events\n"
CAROL = "## Highlights\n- design workshop\n## Objectives\n- user tests\n"
BOB = "## Highlights\n- search v2 at 10%\n## Objectives\n- 50% rollout\n"


@pytest.fixture
def config(world: World) -> Config:
    world.add_members(["alice", "bob", "carol", "erin"])
    return make_config(CONFIG)


def settle(world: World, config: Config) -> list[str]:
    """Run, then rerun: the rerun must write nothing. The first run's writes, described."""
    report = world.run(config)
    assert report.failures == [] and report.stopped is None
    writes = len(world.writes())
    again = world.run(config)
    assert again.applied == [], [a.op.describe() for a in again.applied]
    assert len(world.writes()) == writes
    return [a.op.describe() for a in report.applied]


def digests(world: World) -> list[dict[str, Any]]:
    return [
        i
        for i in world.sandbox.issues(REPO)
        if any(label["name"] == DIGEST_LABEL for label in i["labels"])
    ]


def checkin(world: World, login: str, period: str) -> dict[str, Any]:
    found = world.checkin(login, period)
    assert found is not None, f"no check-in for {login} {period}"
    return found


def patches_of(world: World, number: int) -> int:
    return sum(
        1
        for r in world.sandbox.requests
        if r.method == "PATCH" and r.path == f"/repos/{REPO}/issues/{number}"
    )


def at(world: World, config: Config, iso: str) -> list[str]:
    world.at(iso)
    return settle(world, config)


def test_a_fire_on_monday_is_in_tuesdays_digest_which_is_made_final_once(
    world: World, config: Config
) -> None:
    at(world, config, "2026-11-23T08:17")  # Monday 09:17 in Paris
    at(world, config, "2026-11-23T14:17")  # 09:17 in New York
    world.at("2026-11-23T15:00")
    alice, carol = checkin(world, "alice", "2026-W48"), checkin(world, "carol", "2026-W48")
    world.sandbox.create_comment(REPO, alice["number"], body=ALICE, user="alice")
    world.sandbox.create_comment(REPO, carol["number"], body=CAROL, user="carol")
    world.api("carol", "PATCH", f"/repos/{REPO}/issues/{carol['number']}", {"state": "closed"})
    at(world, config, "2026-11-23T16:17")  # carol's summary is written into her closed issue

    assert at(world, config, "2026-11-24T08:17") == []  # Tuesday 09:17 in Paris: not yet due
    assert digests(world) == []
    made = at(world, config, "2026-11-24T09:17")  # 10:17 in Paris: the digest of this week
    assert made[-1] == "open issue 'HPFO digest 2026-W48' [ritual:hpfo-digest, ritual:hpfo]"
    (digest,) = digests(world)
    provisional = digest["body"]
    assert "**provisional**" in provisional
    assert provisional.index("the payment webhook drops events") < provisional.index("## 🌟")
    assert "design workshop" in provisional  # carol answered, then closed her issue herself
    assert f"**Answered**: @{MENTION_BREAKER}alice, @{MENTION_BREAKER}carol" in provisional
    assert f"**Not yet**: @{MENTION_BREAKER}bob, @{MENTION_BREAKER}erin" in provisional
    assert "| 2 | 2 | 0 | 0 | 0 |" in provisional

    world.at("2026-11-24T15:00")  # bob answers after the digest opened
    bob = checkin(world, "bob", "2026-W48")
    world.sandbox.create_comment(REPO, bob["number"], body=BOB, user="bob")
    for iso in ("2026-11-24T16:17", "2026-11-25T09:17", "2026-11-30T08:17"):
        at(world, config, iso)  # Monday 09:17 in Paris: the Paris weeks close, bob's is open
        (digest,) = digests(world)
        assert digest["body"] == provisional, iso  # one rewrite, at the week's end: not yet
    assert patches_of(world, digest["number"]) == 0

    made = at(world, config, "2026-11-30T14:17")  # bob's week 49 opens: the last opening
    assert f"update issue #{digest['number']}: body" in made
    (digest,) = digests(world)
    final = digest["body"]
    assert "provisional" not in final and "the payment webhook drops events" in final
    assert "search v2 at 10%" in final and "design workshop" in final
    assert "| 3 | 1 | 0 | 0 |" in final  # answered, missing (erin), skipped, away
    assert f"**Missing**: @{MENTION_BREAKER}erin" in final
    history = first_marker(final, "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:3:1:0:0"
    assert digest["state"] == "open" and patches_of(world, digest["number"]) == 1

    at(world, config, "2026-12-01T08:17")  # Tuesday of W49, 09:17 in Paris: nothing new
    made = at(world, config, "2026-12-01T09:17")  # 10:17: the digest of week 49
    assert "open issue 'HPFO digest 2026-W49' [ritual:hpfo-digest, ritual:hpfo]" in made
    w48, w49 = digests(world)
    assert (w48["state"], w48["state_reason"]) == ("closed", "completed")
    assert w48["body"].startswith(final.rstrip()) and w49["html_url"] in w48["body"]
    assert patches_of(world, w48["number"]) == 2  # made final once, then closed
    assert "**provisional**" in w49["body"] and "| 0 | 4 | 0 | 0 | 0 |" in w49["body"]
    history = first_marker(w49["body"], "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:3:1:0:0"
    assert '"2026-W48", "2026-W49"' in w49["body"]  # the chart: last week final, this one so far


def test_a_pasted_final_entry_does_not_stop_the_rewrite_and_a_removed_one_costs_one_write(
    world: World, config: Config
) -> None:
    """The history marker says whether a digest is final; people can edit it. A week's end
    reads the edit histories anyway (it opens check-ins): there the bot's own last text decides.
    An entry removed from a final digest gets it rewritten once, then never again."""
    for iso in ("2026-11-23T08:17", "2026-11-23T14:17", "2026-11-24T09:17"):
        at(world, config, iso)
    (digest,) = digests(world)
    world.at("2026-11-24T12:00")
    forged = digest["body"].rstrip() + "\n<!-- ritual-bot:hpfo-history weeks=2026-W48:4:0:0:0 -->\n"
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{digest['number']}", {"body": forged})
    at(world, config, "2026-11-25T09:17")  # an idle run: no history read, nothing written
    assert digests(world)[0]["body"] == forged
    at(world, config, "2026-11-30T08:17")
    made = at(world, config, "2026-11-30T14:17")
    assert f"update issue #{digest['number']}: body" in made
    final = digests(world)[0]["body"]
    history = first_marker(final, "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:0:4:0:0"

    world.at("2026-11-30T15:00")
    stripped = final.replace(history.render(), "")
    world.api("alice", "PATCH", f"/repos/{REPO}/issues/{digest['number']}", {"body": stripped})
    made = at(world, config, "2026-11-30T15:17")
    assert made == [f"update issue #{digest['number']}: body"]
    assert digests(world)[0]["body"] == final
    assert at(world, config, "2026-11-30T16:17") == []


LATE_CONFIG = """\
version: 1
timezone: Europe/Paris
members:
  - alice
  - login: bob
    timezone: America/New_York
hpfo:
  digest: {day: monday, time: "10:00"}
"""


def test_when_each_digest_opens_before_the_week_before_is_final_no_week_is_lost(
    world: World,
) -> None:
    """Monday 10:00 in Paris is before bob's opening (15:00 in Paris): each digest opens while
    the week before is still open for bob. That week is made final later in its closed issue,
    and its counts still reach the next digests' history and chart."""
    world.add_members(["alice", "bob"])
    config = make_config(LATE_CONFIG)
    for monday in ("2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"):
        for hour in ("08:17", "09:17", "14:17"):  # Paris opens, the digest, bob opens
            at(world, config, f"{monday}T{hour}")
    w48, w49, w50, w51 = digests(world)
    for digest, weeks in (
        (w48, "2026-W48:0:2:0:0"),
        (w49, "2026-W48:0:2:0:0/2026-W49:0:2:0:0"),
        (w50, "2026-W48:0:2:0:0/2026-W49:0:2:0:0/2026-W50:0:2:0:0"),
    ):
        history = first_marker(digest["body"], "hpfo-history")
        assert history is not None and history.get("weeks") == weeks, digest["title"]
        assert digest["state"] == "closed" and "provisional" not in digest["body"]
    # W51's digest opened before W50 was final: it carries the weeks final then, and W50 comes
    # into the chain at W51's own final rewrite, from W50's digest.
    history = first_marker(w51["body"], "hpfo-history")
    assert history is not None and history.get("weeks") == "2026-W48:0:2:0:0/2026-W49:0:2:0:0"
    assert "**provisional**" in w51["body"] and w51["state"] == "open"
