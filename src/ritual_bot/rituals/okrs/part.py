"""What every stage of the OKR ritual shares (``ritual.Part``): which events reach it, the event's
issue when it is an OKR issue, and the bodies whose edit history the OKR records are read from."""

from __future__ import annotations

from collections.abc import Collection

from ritual_bot.model import Snapshot
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.keyresults.ledger import okr_listing

COMMENT_ACTIONS = frozenset({"created", "edited", "deleted"})


def okr_event_issue(ctx: Context) -> int | None:
    """The issue of an event run when it carries the OKR label, else None (not OKRs' business)."""
    event = ctx.event
    if event.is_scheduled or event.issue_number is None:
        return None
    labelled = ctx.config.okrs.label.casefold() in event.labels
    return event.issue_number if labelled else None


def listing(ctx: Context) -> IssueQuery:
    return okr_listing(ctx.config.okrs.label, ctx.config.okrs.quarter_start, ctx.now.date())


def bot_okr_bodies(ctx: Context, snapshot: Snapshot) -> set[str]:
    """Bodies of the bot's OKR issues that people changed: who wrote which revision says whose
    plan it is, the body the bot first wrote says whose issue it is, and the one it last wrote
    holds the committed plans and the tracker's ledger (carry, record file, changes). The
    listing is the OKR label over two quarters: a few issues per owner, one query."""
    label = ctx.config.okrs.label
    return {
        i.node_id
        for i in snapshot.issues
        if snapshot.is_bot_author(i.author) and not i.untouched and i.node_id and i.has_label(label)
    }


class OkrPart:
    """The defaults of a stage: scheduled runs, comments on OKR issues and the issue events in
    ``issue_actions`` reach it; an event run reads its own issue; no role is weighed."""

    issue_actions: frozenset[str] = frozenset()

    def handles(self, event: Event) -> bool:
        if event.is_scheduled:
            return True
        if event.name == "issues":
            return event.action in self.issue_actions
        return event.name == "issue_comment" and event.action in COMMENT_ACTIONS

    def _event_issue(self, ctx: Context) -> int | None:
        return okr_event_issue(ctx)

    def issue_numbers(self, ctx: Context) -> Collection[int]:
        number = self._event_issue(ctx)
        return () if number is None else (number,)

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return bot_okr_bodies(ctx, snapshot)

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return ()
