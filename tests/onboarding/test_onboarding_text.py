"""The onboarding body and comments as text: goals found under each checklist's heading in both
languages, and only real task-list items; the templates render in English and French, with or
without a buddy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ritual_bot.model import Issue, Snapshot, User
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.newcomers.goals import Goal, read_goals
from ritual_bot.rituals.newcomers.timeline import Checklist, Timeline
from ritual_bot.rituals.onboarding.ritual import Onboarding, open_issue
from ritual_bot.templates import Templates
from tests.support import make_config

CONFIG = """\
version: 1
language: {language}
members:
  - alice
  - login: dan
    joined: "2026-12-07"
{buddy}"""


def timeline(language: str, buddy: bool = True) -> tuple[Context, Timeline]:
    text = CONFIG.format(language=language, buddy="    buddy: alice\n" if buddy else "")
    config = make_config(text)
    now = datetime(2027, 3, 14, 12, tzinfo=UTC)
    ctx = Context(config, Event("schedule"), now, Templates(language))
    member = config.member("dan")
    assert member is not None
    return ctx, Timeline.of(config, member)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_goals_are_the_task_items_under_each_heading(language: str) -> None:
    ctx, dan = timeline(language)
    body = open_issue(ctx, dan).body
    hints = [
        line for line in body.splitlines() if line.startswith("<!-- ") and "ritual" not in line
    ]
    first, second = hints  # the example under each heading
    noise = "```\n- [ ] in code\n```\n> - [x] quoted"
    body = body.replace(first, f"- [x] Ship a fix\n- [ ] \n\n{noise}")
    body = body.replace(second, "- [ ] Own releases\n\n## Notes\n\n- [ ] not a goal")
    goals = read_goals(body, dan)
    assert goals.of(Checklist.MONTH1) == (Goal("Ship a fix", True),)
    assert goals.of(Checklist.MONTH3) == (Goal("Own releases", False),)
    assert read_goals(open_issue(ctx, dan).body, dan).empty


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("buddy", [True, False])
def test_every_comment_renders(language: str, buddy: bool) -> None:
    ctx, dan = timeline(language, buddy)
    body = open_issue(ctx, dan).body + "\n- [x] @carol <b>bold</b>\n"
    bot = User("github-actions[bot]", "Bot")
    issue = Issue(1, "Onboarding · @dan", body, "open", bot, ctx.now, ctx.now)
    onboarding = Onboarding(ctx, Snapshot("acme/team", bot.login, (issue,)), issue, dan)
    goals = read_goals(body, dan)
    texts = [onboarding.reminder().body, onboarding.check(Checklist.MONTH3, goals).body]
    summary = onboarding.summary(goals).body
    assert ("@alice" in texts[0]) is buddy and "@dan" in texts[0]
    assert "@carol" not in texts[1] and "&lt;b&gt;" in texts[1]
    assert "@dan" not in summary and "1/1" in summary and "0/0" in summary
