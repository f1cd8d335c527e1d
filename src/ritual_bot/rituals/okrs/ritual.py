"""The OKR ritual (SPEC §8), registered so its config section is validated and composed.

Skeleton: it handles no event yet, so a run reads and writes nothing for it. Planning issues,
sign-off, the tracker, weekly check-ins and scoring come in issue 14's next steps.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ritual_bot.model import Snapshot
from ritual_bot.ops import Op
from ritual_bot.rituals.base import Context, Event, IssueQuery


class OkrRitual:
    name = "okrs"

    def handles(self, event: Event) -> bool:
        return False

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        return ()

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        return ()

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        return []
