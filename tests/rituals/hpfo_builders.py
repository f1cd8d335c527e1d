"""Pure builders for HPFO tests: check-in issues closed by the real code, without HTTP.

Each closed week goes through the same functions a run uses (render_checkin, read_thread,
closing_op), so digest tests read exactly what the bot would have written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ritual_bot.config import Config
from ritual_bot.model import Comment, Issue, Snapshot, User
from ritual_bot.periods import Period
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.core import Checkin, body_was_edited
from ritual_bot.rituals.hpfo.ritual import MANAGED_LABEL, render_checkin
from ritual_bot.rituals.hpfo.summary import closing_op
from ritual_bot.rituals.hpfo.thread import read_thread
from ritual_bot.templates import Templates

BOT = User("github-actions[bot]", "Bot")
URL = "https://github.com/acme/team/issues/{number}"


def context(config: Config, iso: str) -> Context:
    now = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return Context(config, Event("schedule"), now, Templates(config.language))


def open_checkin(config: Config, number: int, login: str, period: Period) -> Issue:
    member = config.member(login)
    assert member is not None
    opened = datetime.combine(period.monday(), datetime.min.time(), UTC) + timedelta(hours=8)
    body = render_checkin(Templates(config.language), member, period, None, ())
    return Issue(
        number=number,
        title=f"HPFO {period} · @{login}",
        body=body,
        state="open",
        author=BOT,
        created_at=opened,
        updated_at=opened,
        labels=(MANAGED_LABEL,),
        assignees=(login,),
        html_url=URL.format(number=number),
    )


def closed_checkin(
    config: Config,
    number: int,
    login: str,
    period: Period,
    comments: Sequence[tuple[str, str]] = (),
) -> Issue:
    """The check-in as the bot leaves it once the week is over; ``comments``: (author, body)."""
    issue = open_checkin(config, number, login, period)
    thread = [
        Comment(
            number * 1000 + i,
            number,
            User(author),
            body,
            issue.created_at + timedelta(hours=i + 1),
            issue.created_at + timedelta(hours=i + 1),
        )
        for i, (author, body) in enumerate(comments)
    ]
    view = read_thread(issue, login, thread, body_was_edited(issue.body))
    op = closing_op(Templates(config.language), Checkin(issue, login, period), view)
    return replace(
        issue,
        body=op.body if op.body is not None else issue.body,
        state="closed",
        state_reason=op.state_reason,
        comments_count=len(thread),
    )


def snapshot(issues: Sequence[Issue]) -> Snapshot:
    return Snapshot("acme/team", BOT.login, issues=tuple(issues))
