"""``/skip`` handled on the comment event itself, and a French team's whole week in French."""

from __future__ import annotations

from typing import Any

from ritual_bot.config import Config
from ritual_bot.markers import read_block
from ritual_bot.rituals.base import Event
from ritual_bot.rituals.hpfo.core import SUMMARY_BLOCK
from tests.support import REPO, World, team_config


def comment_event(issue: dict[str, Any], login: str) -> Event:
    payload = {
        "action": "created",
        "issue": {"number": issue["number"]},
        "comment": {"body": "/skip", "user": {"login": login}},
        "sender": {"login": login, "type": "User"},
    }
    return Event("issue_comment", payload)


def bot_comments(world: World, number: int) -> list[str]:
    return [
        c["body"]
        for c in world.sandbox.comments(REPO, number)
        if c["user"]["login"] == "github-actions[bot]"
    ]


def alices_open_week(world: World) -> tuple[Config, dict[str, Any]]:
    """A team of alice and bob on the Monday of 2026-W48, alice's check-in open."""
    world.add_members(["alice", "bob"])
    config = team_config(["alice", "bob"])
    world.at("2026-11-23T08:17")
    world.run(config)
    issue = world.checkin("alice", "2026-W48")
    assert issue is not None
    world.at("2026-11-23T09:00")
    return config, issue


def test_skip_by_the_member_closes_on_the_comment_event_and_others_get_one_reply(
    world: World,
) -> None:
    config, issue = alices_open_week(world)
    world.sandbox.create_comment(REPO, issue["number"], body="/skip", user="bob")
    report = world.run(config, comment_event(issue, "bob"))
    assert [a.op.kind.value for a in report.applied] == ["add-comment"]
    assert world.run(config, comment_event(issue, "bob")).applied == []  # once per comment
    assert world.checkin("alice", "2026-W48")["state"] == "open"  # type: ignore[index]
    [reply] = bot_comments(world, issue["number"])
    assert reply.startswith("<!-- ritual-bot:hpfo-skip-refused") and "@bob" in reply

    world.sandbox.create_comment(REPO, issue["number"], body="/skip parental leave", user="alice")
    report = world.run(config, comment_event(issue, "alice"))
    closed = world.checkin("alice", "2026-W48")
    assert closed is not None and closed["state_reason"] == "not_planned"
    assert "parental leave" in (read_block(closed["body"], SUMMARY_BLOCK) or "")
    assert len(world.sandbox.issues(REPO)) == 2  # the event run opened nothing
    assert world.run(config, comment_event(issue, "alice")).applied == []


def test_an_answer_on_a_check_in_costs_its_event_job_no_request(world: World) -> None:
    """Only a comment that can hold /skip is read on its event (issue 11: at 200 members each
    answer's job listed every check-in); the next scheduled run reads the answer anyway."""
    config, issue = alices_open_week(world)
    world.sandbox.create_comment(REPO, issue["number"], body="## Fires\n- CI down", user="alice")
    event = comment_event(issue, "alice")
    answer = Event(event.name, {**event.payload, "comment": {"body": "## Fires\n- CI down"}})
    world.sandbox.clear_requests()
    assert world.run(config, answer).applied == []
    assert world.sandbox.requests == []
    world.at("2026-11-30T08:17")  # the next week opens: last week's summary has the fire
    world.run(config)
    closed = world.checkin("alice", "2026-W48")
    assert closed is not None and "CI down" in (read_block(closed["body"], SUMMARY_BLOCK) or "")


def test_a_french_team_gets_the_reminder_summary_and_digest_in_french(world: World) -> None:
    world.add_members(["alice", "bob"])
    config = team_config(["alice", "bob"], "language: fr\n")
    world.at("2026-11-23T08:17")
    world.run(config)
    alice = world.checkin("alice", "2026-W48")
    assert alice is not None
    world.at("2026-11-23T10:00")  # English words are understood whatever the setting
    answer = "## Highlights\n- démo\n## Fires\n- la CI est rouge"
    world.sandbox.create_comment(REPO, alice["number"], body=answer, user="alice")
    world.at("2026-11-24T08:17")
    world.run(config)
    bob = world.checkin("bob", "2026-W48")
    assert bob is not None
    [reminder] = bot_comments(world, bob["number"])
    assert "petit rappel" in reminder and "@bob" in reminder
    world.at("2026-11-24T09:17")  # Tuesday 10:17 in Paris: the digest, from the answers so far
    world.run(config)
    [digest] = [i for i in world.sandbox.issues(REPO) if i["title"].startswith("Synthèse HPFO")]
    assert digest["title"] == "Synthèse HPFO 2026-W48" and "**provisoire**" in digest["body"]
    assert "| Réponses | Pas encore | Manquants | Passés | Absents |" in digest["body"]
    assert "| 1 | 1 | 0 | 0 | 0 |" in digest["body"] and "la CI est rouge" in digest["body"]

    world.at("2026-11-30T08:17")  # the week closes: the digest is rewritten, final
    world.run(config)
    closed = world.checkin("alice", "2026-W48")
    assert closed is not None
    summary = read_block(closed["body"], SUMMARY_BLOCK) or ""
    assert "#### 🔥 Incendies\n- la CI est rouge" in summary
    missing = read_block((world.checkin("bob", "2026-W48") or {})["body"], SUMMARY_BLOCK) or ""
    assert "compté comme manquant" in missing
    [digest] = [i for i in world.sandbox.issues(REPO) if i["title"].startswith("Synthèse HPFO")]
    assert digest["title"] == "Synthèse HPFO 2026-W48" and "provisoire" not in digest["body"]
    assert "## 🔥 Incendies" in digest["body"] and "| 1 | 1 | 0 | 0 |" in digest["body"]
