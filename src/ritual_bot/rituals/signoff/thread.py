"""A sign-off thread as read from GitHub: the bot's own comments (trusted), people's comments
(counted), and who wrote each comment's current text (SPEC §4, "Edits and authority").

Shared by every ritual that replays a sign-off (decisions, OKR plans): the markers below are the
sign-off's, whichever ritual's issue they are on, so a reply, a refusal, a reminder or a recorded
outcome is recognised the same way by each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ritual_bot.markers import Marker, find_markers, first_marker
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.rituals.base import Event
from ritual_bot.rituals.signoff.commands import parse_commands
from ritual_bot.rituals.signoff.state import (
    START,
    Rejection,
    Start,
    Written,
    as_created,
    people_comments,
)

REPLY = "decision-reply"
# The refusal of a comment whose text is not its author's (edited by someone else, or by someone
# unknown), one per saved version: later runs read the verdict back instead of asking again.
REFUSED = "decision-refused"
SUMMARY = "decision-summary"
WITHDRAWN = "decision-withdrawn"
REMINDER = "decision-remind"


class Reminder:
    BEFORE = "before"
    DUE = "due"


# --- Reading the thread ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    """One decision issue as read: the bot's own comments (trusted) and people's (counted).

    ``bot`` pairs each of the bot's comments with the text the bot wrote in it: people can edit
    the bot's comments too, so a marker pasted there (a fake "already replied", a fake record)
    counts for nothing; an edited bot comment whose history was not read is left out.
    """

    issue: Issue
    bot: tuple[tuple[Comment, str], ...]
    people: tuple[Comment, ...]

    @classmethod
    def read(cls, snapshot: Snapshot, issue: Issue) -> Thread:
        comments = snapshot.comments_on(issue.number)
        bot = tuple((c, text) for c in comments if (text := snapshot.bot_text(c)) is not None)
        return cls(issue, bot, people_comments(comments, snapshot.bot_login))

    def bot_markers(self, kind: str) -> list[tuple[Marker, Comment]]:
        return [(m, c) for c, text in self.bot for m in find_markers(text) if m.kind == kind]

    def refusals(self) -> dict[tuple[int, str], str | None]:
        """(comment id, version stamp) → who wrote that version (None: unknown), as recorded."""
        found: dict[tuple[int, str], str | None] = {}
        for marker, _ in self.bot_markers(REFUSED):
            by = marker.get("by")
            found[(marker_int(marker.get("comment")), marker.get("edit") or "")] = (
                None if by in (None, "-") else by
            )
        return found

    def replied(self) -> frozenset[int]:
        return frozenset(marker_int(m.get("comment")) for m, _ in self.bot_markers(REPLY))

    def records(self) -> dict[int, str]:
        """Outcome command id → the bot's comment that recorded it."""
        found = self.bot_markers(SUMMARY) + self.bot_markers(WITHDRAWN)
        return {marker_int(m.get("cmd")): c.html_url for m, c in found}

    def reminded(self, kind: str, deadline: date) -> bool:
        return any(
            m.get("when") == kind and m.get("deadline") == deadline.isoformat()
            for m, _ in self.bot_markers(REMINDER)
        )

    def recorded_start(self, snapshot: Snapshot) -> Start | None:
        """The start record: in the body of an issue the bot opened, else in its start comment.

        In a body, only as the bot wrote it when it opened the issue (the history's creation
        revision once people edited it): a start marker pasted into the body names nobody DRI.
        """
        if snapshot.is_bot_author(self.issue.author):
            original = snapshot.original_body(self.issue)
            marker = first_marker(self.issue.body if original is None else original, START)
            if marker is not None:
                return Start.from_marker(marker)
        found = self.bot_markers(START)
        return Start.from_marker(found[0][0]) if found else None


def version(comment: Comment) -> str:
    """A saved version of a comment: its ``updated_at``, which every edit of the body moves."""
    return comment.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def refusal_marker(rejection: Rejection) -> Marker:
    """One refusal per saved version of a comment, naming who saved it (as the replay found)."""
    comment = rejection.comment
    who = rejection.by or "-"
    return Marker.of(REFUSED, comment=str(comment.id), edit=version(comment), by=who)


def edited_by_event(event: Event, comment: Comment) -> str | None:
    """The editor of this version of the comment, when the event is its edit.

    An ``issue_comment.edited`` payload's ``sender`` is who saved the edit, and its ``comment``
    the version saved (https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment);
    the version read now must be that one, or a later edit came in between.
    """
    if event.name != "issue_comment" or event.action != "edited":
        return None
    payload = event.payload.get("comment")
    login = event.sender.get("login")
    if not isinstance(payload, Mapping) or payload.get("id") != comment.id:
        return None
    stamp = payload.get("updated_at")
    try:
        saved = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    same = saved.tzinfo is not None and saved.replace(microsecond=0) == comment.updated_at.replace(
        microsecond=0
    )
    return login if same and isinstance(login, str) else None


@dataclass(frozen=True)
class Authorship:
    """Who wrote each comment's current text, and when (SPEC §4, "Edits and authority").

    An unedited comment is its author's, written when created. An edited one is whoever saved
    the version read now, from (in order) the edit event that brought it, the refusal the bot
    recorded for that version, or GraphQL's ``editor`` / ``lastEditedAt``; with none of them the
    editor is unknown and the text counts as nobody's.
    """

    event: Event
    snapshot: Snapshot
    refusals: Mapping[tuple[int, str], str | None]

    def __call__(self, comment: Comment) -> Written:
        if not comment.was_edited:
            return as_created(comment)
        sender = edited_by_event(self.event, comment)
        if sender is not None:
            return Written(sender, comment.updated_at)
        key = (comment.id, version(comment))
        if key in self.refusals:
            return Written(self.refusals[key], comment.updated_at)
        history = self.snapshot.history(comment.node_id)
        if history is None:
            return Written(None, comment.updated_at)
        if not history.edited:
            return as_created(comment)
        return Written(history.editor, history.last_edited_at or comment.updated_at)

    def needs_history(self, comment: Comment) -> bool:
        """Whether only GraphQL can tell who wrote this comment's commands."""
        if not comment.was_edited or not parse_commands(comment.body):
            return False
        known = edited_by_event(self.event, comment) is not None
        return not known and (comment.id, version(comment)) not in self.refusals


def marker_int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1
