"""Healing what two concurrent runs can leave behind: the same issue opened twice.

Runs for one issue are serialised by the workflow's concurrency group, but scheduled runs and
event runs can still overlap, and both may create the same issue before either sees the other's.
The identity of a bot-created issue is the first marker in its body (its dedup key); the next run
keeps the oldest and closes the others as duplicates (``state_reason: duplicate``,
https://docs.github.com/rest/issues/issues#update-an-issue), in one request each.
"""

from __future__ import annotations

from collections import defaultdict

from ritual_bot.markers import find_markers, replace_block
from ritual_bot.model import Issue, Snapshot
from ritual_bot.ops import Op, UpdateIssue

NOTE_BLOCK = "duplicate"


def identity(issue: Issue) -> str | None:
    first = next(find_markers(issue.body), None)
    return first.key if first else None


def plan_duplicate_closing(snapshot: Snapshot) -> list[Op]:
    groups: dict[str, list[Issue]] = defaultdict(list)
    for issue in snapshot.issues:
        key = identity(issue) if snapshot.is_bot_author(issue.author) else None
        if key is not None:
            groups[key].append(issue)
    ops: list[Op] = []
    for copies in groups.values():
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
