"""What every ritual module provides, and the values passed to it.

A ritual says which events it handles, what it needs read (``needs`` and ``comments_for``), and
plans ops from the snapshot. It never does I/O: the runner reads and the gateway writes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ritual_bot.config import Config
from ritual_bot.model import Snapshot
from ritual_bot.moments import Due
from ritual_bot.ops import EnsureLabel, Op
from ritual_bot.templates import Templates

SCHEDULED_EVENTS = frozenset({"schedule", "workflow_dispatch"})


@dataclass(frozen=True)
class Event:
    """A GitHub Actions event: its name (``GITHUB_EVENT_NAME``) and webhook payload."""

    name: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str | None:
        action = self.payload.get("action")
        return action if isinstance(action, str) else None

    @property
    def is_scheduled(self) -> bool:
        return self.name in SCHEDULED_EVENTS

    @property
    def issue(self) -> Mapping[str, Any]:
        issue = self.payload.get("issue")
        return issue if isinstance(issue, Mapping) else {}

    @property
    def issue_number(self) -> int | None:
        number = self.issue.get("number")
        return number if isinstance(number, int) else None

    @property
    def labels(self) -> frozenset[str]:
        """The labels of the event's issue, and the one an ``issues.labeled`` event adds,
        casefolded: which ritual's issue an event is about, before anything is read."""
        found = self.issue.get("labels")
        names = [lab.get("name") for lab in found if isinstance(lab, Mapping)] if found else []
        added = self.payload.get("label")
        if isinstance(added, Mapping):
            names.append(added.get("name"))
        return frozenset(n.casefold() for n in names if isinstance(n, str))

    @property
    def sender(self) -> Mapping[str, Any]:
        sender = self.payload.get("sender")
        return sender if isinstance(sender, Mapping) else {}

    def ignore_reason(self, bot_login: str) -> str | None:
        """Why this event is none of the bot's business, or None to handle it.

        ``issue_comment`` also fires for comments on pull requests (the payload's issue then has a
        ``pull_request`` key: https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment),
        and events the bot caused itself would make it answer its own writes.
        """
        if self.name in {"issues", "issue_comment"} and "pull_request" in self.issue:
            return "the event is about a pull request"
        login = self.sender.get("login")
        if isinstance(login, str) and login.casefold() == bot_login.casefold():
            return f"the event was caused by the bot itself ({login})"
        return None


@dataclass(frozen=True)
class IssueQuery:
    """Issues to list by label (https://docs.github.com/rest/issues/issues#list-repository-issues).

    Dedup relies on these listings, never on search, whose results lag (SPEC §7).
    """

    label: str  # "": any label (one listing where several labels would each need their own)
    since: datetime | None = None
    state: str = "all"
    # Stop reading the newest-first listing at the first issue created before this: the pages of
    # older issues are never requested (the ``since`` filter is on updates, not creations).
    created_after: datetime | None = None


@dataclass(frozen=True)
class Context:
    config: Config
    event: Event
    now: datetime
    templates: Templates
    # The workflow's checkout of the default branch, on scheduled runs: files asked for through
    # ``ReadsMore.folders`` are read from it at no request. None reads them through the API.
    workspace: Path | None = None


class Ritual(Protocol):
    name: str

    def handles(self, event: Event) -> bool: ...

    def queries(self, ctx: Context) -> Sequence[IssueQuery]: ...

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        """Numbers of the listed issues whose comments the plan needs.

        ``listed`` is the snapshot before comments are read: asking for none costs no request.
        """
        ...

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]: ...


@runtime_checkable
class ReadsMore(Protocol):
    """What a ritual may need beyond label listings; the runner reads it after the comments.

    Event-driven rituals read the event's issue by number (fresh, not the payload's copy, which
    may be stale when runs queue up), with all its comments; then the repository role of the
    people whose authority the plan weighs, and files on the default branch. Each method is asked
    only once the previous reads are in ``snapshot``; returning nothing costs no request.
    """

    def issue_numbers(self, ctx: Context) -> Collection[int]: ...

    def folders(self, ctx: Context) -> Collection[str]: ...

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...


@runtime_checkable
class ReadsEdits(Protocol):
    """A ritual that weighs who edited a body: the runner reads those edit histories.

    Asked once the listed and event issues, their comments and folders are in ``snapshot``
    (before roles and files, which may depend on who wrote what); returns GraphQL node ids
    (``Issue.node_id``, ``Comment.node_id``). Returning nothing costs no request, so a ritual
    asks only for bodies that were edited and whose editor matters to the plan.
    """

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...


@runtime_checkable
class Reports(Protocol):
    """A ritual with something to tell people that is not an operation (the step summary's
    "Skipped" list): what it could not settle this run and left alone on purpose."""

    def notices(self, ctx: Context, snapshot: Snapshot) -> Sequence[str]: ...


@runtime_checkable
class ReadsRepository(Protocol):
    """A ritual that needs the repository itself this run (its visibility, its last push).

    Asked after everything else is read; answering False costs no request, so a ritual asks
    only on the run that uses it (e.g. the digest's run)."""

    def needs_repository(self, ctx: Context, snapshot: Snapshot) -> bool: ...


@runtime_checkable
class ReadsShipped(Protocol):
    """A ritual that lists what shipped in a window (the business review's previous week): pull
    requests merged and releases published, read after everything else. None costs nothing."""

    def shipped_window(self, ctx: Context) -> tuple[datetime, datetime] | None: ...


@runtime_checkable
class Scheduled(Protocol):
    """A ritual that makes things due at moments its config fixes in advance (an opening at 09:00
    in each member's timezone, a deadline at the team's midnight): ``schedule.py`` turns every
    registered ritual's moments into the workflow's cron lines and checks a workflow against them.
    Pure: the moments of ``day`` (a calendar date, read in each zone the ritual names)."""

    def due_on(self, config: Config, day: date) -> Iterable[Due]: ...


@runtime_checkable
class NeedsLabels(Protocol):
    """A ritual whose labels must exist before people use it (GitHub drops an issue form's labels
    that do not exist yet): ``ritual-bot init`` creates them, with the default config's names."""

    def setup_labels(self) -> Sequence[EnsureLabel]: ...
