"""Hostile or odd input on the decision ritual (issue #6, abuse tests): each has a clear outcome,
and nobody gains an effect they are not allowed."""

from __future__ import annotations

import re

import pytest

from tests.decisions.helpers import BOT, DRI, OUTSIDER, Team
from tests.support import REPO, World

LIMIT = 65_536
PINGABLE = re.compile(r"(?<![\w`\u200b])@[A-Za-z0-9][\w-]*")


@pytest.fixture
def team(world: World) -> Team:
    world.at("2026-11-23T09:00")  # Monday 10:00 in Paris
    return Team.seed(world)


def bot_texts(team: Team, number: int) -> list[str]:
    comments = [c["body"] for c in team.bot_comments(number)]
    return [team.issue(number)["body"], *comments]


def test_a_zero_width_space_cannot_smuggle_an_outsiders_decide(team: Team) -> None:
    number = team.started()
    for text in ("/\u200bdecide Use MySQL", "/decide\u200b Use MySQL", "\u200b/decide Use MySQL"):
        team.run_twice(team.comment(number, OUTSIDER, text)[1])
    assert team.issue(number)["state"] == "open"
    assert "decision: decided" not in team.labels(number)
    assert not any("MySQL" in text for text in [team.block(number)])


def test_a_homoglyph_login_is_not_the_person_it_imitates(team: Team) -> None:
    number = team.started()
    # The login below starts with CYRILLIC SMALL LETTER A (U+0430): no GitHub login can.
    team.run_twice(team.comment(number, DRI, "/dri @\u0430lice")[1])
    assert "@alice" in team.block(number).replace("\u200b", "")
    assert "\u0430lice" not in team.block(number)
    replies = team.bot_comments(number, "decision-reply")
    assert len(replies) == 1


def test_template_syntax_in_the_title_and_body_stays_literal(team: Team) -> None:
    title = "Pick {{ 7 * 7 }} {% for x in range(3) %}x{% endfor %} {{ config }}"
    made = team.world.api(
        DRI, "POST", f"/repos/{REPO}/issues", {"title": title, "body": "{{ self.__init__ }}"}
    )
    number = int(made["number"])
    team.run_twice(team.label(number))
    team.run_twice(team.comment(number, "bob", "/approve {{ 6 * 7 }}")[1])
    team.run_twice(team.comment(number, DRI, "/decide {{ 7 * 7 }} it is")[1])
    texts = "\n".join(bot_texts(team, number))
    assert "49 it is" not in texts and "Pick 49" not in texts and "xxx" not in texts
    assert "{{ 7 * 7 }} it is" in texts  # the decision, quoted as written
    assert team.issue(number)["body"].startswith("{{ self.__init__ }}")  # author text untouched


def test_a_mention_flood_in_feedback_pings_nobody_again(team: Team) -> None:
    number = team.started()
    flood = " ".join(f"@user{i}" for i in range(300)) + " @acme/everyone"
    team.run_twice(team.comment(number, "carol", f"/concern {flood}")[1])
    team.run_twice(team.comment(number, DRI, "/decide Go ahead")[1])
    for text in bot_texts(team, number):
        pings = {m for m in PINGABLE.findall(text) if m.startswith("@user") or m == "@acme"}
        assert pings == set()


def test_a_comment_as_long_as_github_allows_still_counts_and_bodies_stay_under_the_limit(
    team: Team,
) -> None:
    number = team.started()
    words = " ".join(f"word{i}" for i in range(12_000))[: LIMIT - 200]
    team.run_twice(team.comment(number, "carol", f"/concern {words}")[1])
    team.run_twice(team.comment(number, "bob", f"{words}\n\n/approve")[1])
    team.run_twice(team.comment(number, DRI, f"/decide Go\n\n{words}")[1])
    assert team.issue(number)["state"] == "closed"
    assert "approves" in "\n".join(bot_texts(team, number))
    for text in bot_texts(team, number):
        assert len(text) < LIMIT


def test_an_rtl_override_in_a_command_is_refused_not_obeyed(team: Team) -> None:
    number = team.started()
    # U+202E reverses the display: the reversed word could read as /decide to a person.
    team.run_twice(team.comment(number, "bob", "\u202e/ediced Use MySQL")[1])
    assert team.issue(number)["state"] == "open"
    assert all(c["user"]["login"] == BOT for c in team.bot_comments(number))
