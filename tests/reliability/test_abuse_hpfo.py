"""Hostile or odd input on the HPFO ritual: each has a clear outcome and changes nothing it should
not (issue #6, abuse tests)."""

from __future__ import annotations

import re

from tests.support import REPO, World, team_config

LIMIT = 65_536


def answer_last_week(world: World, login: str, body: str, *, author: str | None = None) -> None:
    config = team_config([login])
    world.at("2026-11-23T08:17")
    world.run(config)
    issue = world.checkin(login, "2026-W48")
    assert issue is not None
    world.at("2026-11-24T09:00")
    world.sandbox.create_comment(REPO, issue["number"], body=body, user=author or login)
    world.at("2026-11-30T08:17")
    world.run(config)


def this_week_body(world: World, login: str) -> str:
    issue = world.checkin(login, "2026-W49")
    assert issue is not None
    return str(issue["body"])


def test_template_syntax_in_an_answer_is_carried_over_as_plain_text(world: World) -> None:
    world.add_members(["alice"])
    answer = "## Objectives\n- {{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %}\n- {{ config }}"
    answer_last_week(world, "alice", answer)
    body = this_week_body(world, "alice")
    assert "{{ 7 * 7 }}" in body and "{% for x in range(3) %}" in body and "{{ config }}" in body
    assert "- [ ] 49" not in body and "looploop" not in body


def test_a_forged_marker_in_an_answer_cannot_reach_the_bots_body(world: World) -> None:
    world.add_members(["alice"])
    forged = "<!-- ritual-bot:hpfo-checkin member=bob period=2026-W49 -->"
    answer_last_week(world, "alice", f"## Objectives\n- ship {forged}\n- <!-- hidden --> x")
    body = this_week_body(world, "alice")
    assert forged not in body
    assert body.count("<!-- ritual-bot:hpfo-checkin") == 1


def test_a_mention_flood_in_objectives_pings_nobody(world: World) -> None:
    world.add_members(["alice"])
    flood = " ".join(f"@user{i}" for i in range(200)) + " @acme/everyone"
    answer_last_week(world, "alice", f"## Objectives\n- review with {flood}")
    body = this_week_body(world, "alice")
    pingable = re.findall(r"(?<![\w`])@[A-Za-z0-9][\w-]*", body.split("## 📈", 1)[1])
    assert pingable == []


def test_a_huge_answer_keeps_the_new_issue_under_githubs_body_limit(world: World) -> None:
    world.add_members(["alice"])
    # About 64,000 characters: a comment as long as GitHub allows.
    objectives = "\n".join(f"- objective {i} " + "x" * 200 for i in range(300))
    answer_last_week(world, "alice", f"## Objectives\n{objectives}")
    body = this_week_body(world, "alice")
    assert len(body) < LIMIT
    assert "objective 0 " in body and "and 275 more in last week's check-in" in body


def test_an_answer_by_someone_else_is_not_the_members_answer(world: World) -> None:
    world.add_members(["alice", "mallory"])
    answer_last_week(world, "alice", "## Objectives\n- mallory's plan", author="mallory")
    assert "mallory's plan" not in this_week_body(world, "alice")


def test_the_bots_own_comments_never_count_as_an_answer(world: World) -> None:
    world.add_members(["alice"])
    answer = "## Objectives\n- planted by a bot"
    answer_last_week(world, "alice", answer, author="github-actions[bot]")
    assert "planted by a bot" not in this_week_body(world, "alice")


def test_zero_width_and_rtl_characters_in_headings_do_not_crash_the_run(world: World) -> None:
    world.add_members(["alice"])
    answer = "## \u200bObjectives\u200f\n- \u202eevil\u202c text\n## Fires\u200d\n- none"
    answer_last_week(world, "alice", answer)
    assert this_week_body(world, "alice")  # opened; whether the odd heading counts is the parser's


def test_a_full_thread_of_2500_comments_is_read_in_pages_of_a_hundred(world: World) -> None:
    world.add_members(["alice"])
    config = team_config(["alice"])
    world.at("2026-11-23T08:17")
    world.run(config)
    issue = world.checkin("alice", "2026-W48")
    assert issue is not None
    world.at("2026-11-24T09:00")
    # GitHub's limit is 2,500 comments per issue (the sandbox refuses the 2,501st).
    for i in range(2_499):
        world.sandbox.create_comment(REPO, issue["number"], body=f"+1 ({i})", user="alice")
    world.sandbox.create_comment(REPO, issue["number"], body="## Objectives\n- last", user="alice")
    world.at("2026-11-30T08:17")
    world.sandbox.clear_requests()
    world.run(config)
    assert "- [ ] last" in this_week_body(world, "alice")
    listings = [r for r in world.sandbox.requests if r.path.endswith("/issues/comments")]
    assert len(listings) == 25  # 2,500 comments, 100 a page
