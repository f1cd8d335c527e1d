"""Every command for every role: who may do what, and what everyone else hears (SPEC §4).

The issue is opened by ivan (the author) with the form naming alice as DRI; stakeholders are bob,
carol and dave (group eng); dave has raised concern #1. Each case posts one command as one person
through the API, handles the real ``issue_comment.created`` payload, and reruns it: an allowed
command takes effect and gets no reply, a refused one changes nothing and gets exactly one reply
naming who may do it, and a bot's comment is ignored without a word.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.decisions.helpers import (
    AUTHOR,
    DRI,
    FORM,
    MAINTAINER,
    MEMBER,
    OTHER_BOT,
    OUTSIDER,
    Team,
    config,
)

ROLES = {
    "dri": DRI,
    "stakeholder": "bob",
    "maintainer": MAINTAINER,
    "member": MEMBER,
    "outsider": OUTSIDER,
    "bot": OTHER_BOT,
    "author": AUTHOR,
}

Check = Callable[[Team, int, str], bool]


def _row(stance: str) -> Check:
    return lambda team, number, who: f"@{who}: {stance}" in team.block(number)


def _closed(label: str) -> Check:
    return lambda team, number, who: (
        team.issue(number)["state"] == "closed" and label in team.labels(number)
    )


COMMANDS: dict[str, tuple[str, set[str], Check]] = {
    "approve": ("/approve", {"stakeholder"}, _row("approves")),
    "abstain": ("/abstain", {"stakeholder"}, _row("abstains")),
    "concern": ("/concern no rollback plan", {"stakeholder"}, _row("has a concern")),
    "object": ("/object too expensive", {"stakeholder"}, _row("objects")),
    "resolve": ("/resolve 1", {"dri"}, lambda t, n, w: "resolved by @" in t.block(n)),
    "decide": ("/decide Use Postgres", {"dri", "maintainer"}, _closed("decision: decided")),
    "dri": ("/dri @carol", {"dri", "maintainer"}, lambda t, n, w: "**DRI:** @carol" in t.block(n)),
    "stakeholders-add": (
        "/stakeholders add @erin",
        {"dri", "maintainer"},
        lambda t, n, w: "@erin:" in t.block(n),
    ),
    "stakeholders-remove": (
        "/stakeholders remove @carol",
        {"dri", "maintainer"},
        lambda t, n, w: "@carol:" not in t.block(n),
    ),
    "deadline": (
        "/deadline 2026-12-05",
        {"dri", "maintainer"},
        lambda t, n, w: "2026-12-05" in t.block(n),
    ),
    "withdraw": ("/withdraw", {"dri", "author"}, _closed("decision: withdrawn")),
}


def _decision_with_a_concern(team: Team) -> int:
    number = team.open_issue(FORM, author=AUTHOR)
    team.run_twice(team.label(number, who=AUTHOR))
    _, event = team.comment(number, "dave", "/concern the migration needs a rollback plan")
    team.run_twice(event)
    return number


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_from_each_role(team: Team, command: str, role: str) -> None:
    text, allowed, took_effect = COMMANDS[command]
    who = ROLES[role]
    number = _decision_with_a_concern(team)
    assert not took_effect(team, number, who)

    comment_id, event = team.comment(number, who, text)
    team.run_twice(event)

    replies = [
        c
        for c in team.bot_comments(number, "decision-reply")
        if f"comment={comment_id}" in c["body"]
    ]
    if role in allowed:
        assert took_effect(team, number, who)
        assert replies == []
    elif role == "bot":
        assert not took_effect(team, number, who)
        assert replies == []  # bots never count, and are never answered (no reply loops)
    else:
        assert not took_effect(team, number, who)
        assert len(replies) == 1
        reply = replies[0]["body"]
        assert reply.startswith("<!-- ritual-bot:decision-reply")
        assert f"@{who}, I did not apply" in reply
        assert f"`/{text.split()[0][1:]}`: only" in reply


def test_the_concerns_author_may_resolve_it(team: Team) -> None:
    number = _decision_with_a_concern(team)
    _, event = team.comment(number, "dave", "/resolve 1")
    team.run_twice(event)
    assert "resolved by @dave" in team.block(number)
    assert team.bot_comments(number, "decision-reply") == []


def test_maintainers_may_not_decide_when_the_config_says_so(team: Team) -> None:
    cfg = config("  allow_maintainers: false\n")
    number = team.open_issue(FORM, author=AUTHOR)
    team.run_twice(team.label(number, who=AUTHOR), cfg)
    comment_id, event = team.comment(number, MAINTAINER, "/decide Use Postgres")
    team.run_twice(event, cfg)
    assert team.issue(number)["state"] == "open"
    (reply,) = team.bot_comments(number, "decision-reply")
    assert f"comment={comment_id}" in reply["body"]
