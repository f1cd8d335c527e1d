"""The focus check's first part (SPEC §8): with OKRs, the digest shows each member's share of
this week's objectives that name a key result — `(KR1.1)`, `[KR1.1]` or `#KR1.1`."""

from __future__ import annotations

from typing import Any

from ritual_bot.markers import first_marker
from tests.decisions.helpers import Team
from tests.okrs.test_planning import CONFIG
from tests.support import REPO, World, make_config

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
