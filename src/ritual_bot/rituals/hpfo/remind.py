"""One reminder per silent check-in, and one reply to each ``/skip`` written by the wrong person.

Both are comments whose marker is their dedup key, found among the bot's own comments on the
issue as they read now (SPEC §7): nothing is remembered between runs.
"""

from __future__ import annotations

from datetime import datetime

from ritual_bot.config import Config
from ritual_bot.markers import Marker
from ritual_bot.model import Comment
from ritual_bot.ops import AddComment
from ritual_bot.rituals.hpfo.core import Checkin, Kind
from ritual_bot.rituals.hpfo.thread import ThreadView
from ritual_bot.templates import Templates


def reminder_due(config: Config, checkin: Checkin, view: ThreadView, now: datetime) -> bool:
    """Silent since ``remind_after`` (counted from when the issue opened), not away, not skipped."""
    member = config.member(checkin.member)
    if member is None or not checkin.issue.is_open:
        return False
    if view.answered or view.skip is not None:
        return False
    if member.is_away(now.astimezone(member.zone).date()):
        return False
    return now >= checkin.issue.created_at + config.hpfo.remind_after


def reminder(templates: Templates, checkin: Checkin) -> AddComment:
    marker = Marker.of(Kind.REMINDER, member=checkin.member, period=str(checkin.period))
    text = templates.render("hpfo_reminder.md.j2", login=checkin.member, period=str(checkin.period))
    return AddComment(checkin.issue.number, marker, f"{marker.render()}\n{text.strip()}\n")


def skip_refused(templates: Templates, checkin: Checkin, comment: Comment) -> AddComment:
    """SPEC §4's rule for commands, applied to /skip: one reply per comment, saying who may."""
    marker = Marker.of(Kind.SKIP_REFUSED, comment=str(comment.id))
    text = templates.render(
        "hpfo_skip_refused.md.j2", author=comment.author.login, member=checkin.member
    )
    return AddComment(checkin.issue.number, marker, f"{marker.render()}\n{text.strip()}\n")
