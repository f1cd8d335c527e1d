"""A committed quarter's history of changes (SPEC §8, ``/okr change``).

Under the committed record, in the bot's own block of the planning issue, the bot keeps one
entry per change decision it applied: a marker naming the decision (``okr-change-applied
issue=45``, what makes applying idempotent) and one line saying when, by whom and what changed.
Like the record, it is read only as the bot last wrote it (``Snapshot.bot_body``): an entry a
person pastes into the body neither stops a change nor claims one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ritual_bot.markers import Marker, find_markers, read_block
from ritual_bot.model import Issue, Snapshot
from ritual_bot.rituals.keyresults.ledger import PLANNING, planning_identity

HISTORY = "okr-changes"  # the block, inside the planning issue's own block
APPLIED = "okr-change-applied"  # one per change decision applied: issue=<its number>


def history_of(snapshot: Snapshot, planning: Issue) -> str:
    """The history under a committed record, as the bot last wrote it ("" when none)."""
    return read_block(read_block(snapshot.bot_body(planning), PLANNING) or "", HISTORY) or ""


def applied_in(history: str) -> frozenset[int]:
    """The change decisions a history says were applied, by issue number."""
    found = (m.get("issue") or "" for m in find_markers(history) if m.kind == APPLIED)
    return frozenset(int(n) for n in found if n.isdigit())


def entry(number: int, line: str) -> str:
    """One history entry: the marker of change decision ``number`` and the line people read."""
    return f"{Marker.of(APPLIED, issue=str(number)).render()}\n{line.strip()}"


def entry_lines(history: str) -> tuple[str, ...]:
    """The lines people read, without the markers (for the record file)."""
    return tuple(
        line for line in history.splitlines() if line.strip() and not line.startswith("<!--")
    )


def quarter_changes(snapshot: Snapshot, quarter: str) -> Mapping[str, tuple[str, ...]]:
    """Each owner's history this quarter (owner as configured → lines), for the record file."""
    found: dict[str, tuple[str, ...]] = {}
    for issue in snapshot.issues:
        identity = planning_identity(snapshot, issue)
        if identity is not None and identity[1] == quarter:
            lines = entry_lines(history_of(snapshot, issue))
            if lines:
                found[identity[0]] = lines
    return found
