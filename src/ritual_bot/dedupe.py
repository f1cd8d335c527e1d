"""Healing what two concurrent runs can leave behind: the same issue opened twice.

Runs for one issue are serialised by the workflow's concurrency group, but scheduled runs and
event runs can still overlap, and both may create the same issue before either sees the other's.
The next run keeps the oldest and closes the others as duplicates (``state_reason: duplicate``,
https://docs.github.com/rest/issues/issues#update-an-issue), in one request each.

Copies are keyed by their *verified* identity: the first marker of the body as the bot first
wrote it (``Snapshot.original_body``: the body of a never-touched issue, else the creation
revision of its edit history, SPEC §7). A person can paste any marker into any body, so a key read
from an edited body proves nothing: closing by it would let a pasted marker close someone's
check-in (or a member who copied last week's body would see this week's closed as a "duplicate"
of last week's). An edited copy whose history was not read is left open until a run reads it;
``edits_for`` asks for those histories only when two bot issues' bodies name the same key, so
runs without copies cost nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ritual_bot.markers import find_markers, replace_block
from ritual_bot.model import Issue, Snapshot
from ritual_bot.ops import Op, UpdateIssue

NOTE_BLOCK = "duplicate"


def first_key(body: str | None) -> str | None:
    first = next(find_markers(body), None)
    return first.key if first else None


def identity(snapshot: Snapshot, issue: Issue) -> str | None:
    """The issue's dedup key as the bot wrote it, None when that is not known."""
    original = snapshot.original_body(issue)
    return first_key(original) if original is not None else None


def _groups(snapshot: Snapshot, key_of: Iterable[tuple[Issue, str | None]]) -> list[list[Issue]]:
    groups: dict[str, list[Issue]] = defaultdict(list)
    for issue, key in key_of:
        if key is not None:
            groups[key].append(issue)
    return [copies for copies in groups.values() if len(copies) > 1]


def _bot_issues(snapshot: Snapshot) -> list[Issue]:
    return [issue for issue in snapshot.issues if snapshot.is_bot_author(issue.author)]


def edits_for(snapshot: Snapshot) -> list[str]:
    """Node ids of edited bot issues that may be copies: their current bodies share a key."""
    current = ((issue, first_key(issue.body)) for issue in _bot_issues(snapshot))
    return [
        issue.node_id
        for copies in _groups(snapshot, current)
        for issue in copies
        if not issue.untouched and issue.node_id
    ]


def plan_duplicate_closing(snapshot: Snapshot) -> list[Op]:
    verified = ((issue, identity(snapshot, issue)) for issue in _bot_issues(snapshot))
    ops: list[Op] = []
    for copies in _groups(snapshot, verified):
        keep = min(copies, key=lambda issue: issue.number)
        for copy in sorted(copies, key=lambda issue: issue.number):
            if copy is not keep and copy.is_open:
                note = f"Closed as a duplicate of #{keep.number}, opened twice by concurrent runs."
                ops.append(
                    UpdateIssue(
                        copy.number,
                        body=replace_block(copy.body, NOTE_BLOCK, note),
                        state="closed",
                        state_reason="duplicate",
                    )
                )
    return ops
