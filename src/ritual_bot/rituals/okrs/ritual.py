"""The OKR ritual (SPEC §8), composed of parts that each own one stage of the quarter.

- ``planning``: a planning issue per owner before the quarter, signed off like a decision;
- ``tracker``: the quarter's tracker, its values (``/kr``, HPFO answers), scoring at the end;
- ``change``: ``/okr change`` decisions applied to a committed quarter.

Each part has the ritual's own shape (``Part``): the ritual asks every part and unites what they
read, so a stage is one module plus one line in ``PARTS``. With ``okrs.enabled: false`` or no
owners, nothing is read or written. The weekly check-in inside HPFO is the HPFO ritual's; it reads
what this ritual records through ``rituals/keyresults/ledger.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Protocol

from ritual_bot.config import Config
from ritual_bot.model import Snapshot
from ritual_bot.moments import Due
from ritual_bot.ops import EnsureLabel, Op, after
from ritual_bot.partial import PartialPlan, plan_each
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.okrs.change import Changing
from ritual_bot.rituals.okrs.labels import DEFAULT_LABEL, label_ops
from ritual_bot.rituals.okrs.planning import Planning
from ritual_bot.rituals.okrs.tracker import Tracking


class Part(Protocol):
    """One stage of the quarter; every method is pure and may return nothing (no request)."""

    def handles(self, event: Event) -> bool: ...

    def due_on(self, config: Config, day: date) -> Iterator[Due]: ...

    def queries(self, ctx: Context) -> Sequence[IssueQuery]: ...

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]: ...

    def issue_numbers(self, ctx: Context) -> Collection[int]: ...

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]: ...

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]: ...


# In this order: a change applied to a committed plan is what the tracker renders in the same run.
PARTS: tuple[type[Part], ...] = (Planning, Changing, Tracking)


class OkrRitual:
    name = "okrs"

    def __init__(self) -> None:
        self.parts: list[Part] = [part() for part in PARTS]

    def _parts(self, ctx: Context) -> list[Part]:
        return self.parts if ctx.config.okrs.active else []

    def handles(self, event: Event) -> bool:
        return any(part.handles(event) for part in self.parts)

    def setup_labels(self) -> Sequence[EnsureLabel]:
        return label_ops(DEFAULT_LABEL)

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        if config.okrs.active:
            for part in self.parts:
                yield from part.due_on(config, day)

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        found = [
            q for part in self._parts(ctx) if part.handles(ctx.event) for q in part.queries(ctx)
        ]
        return list(dict.fromkeys(found))

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        return {n for part in self._handling(ctx) for n in part.comments_for(ctx, listed)}

    def issue_numbers(self, ctx: Context) -> Collection[int]:
        return {n for part in self._handling(ctx) for n in part.issue_numbers(ctx)}

    def folders(self, ctx: Context) -> Collection[str]:
        return ()

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return {n for part in self._handling(ctx) for n in part.edits_for(ctx, snapshot)}

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return {p for part in self._handling(ctx) for p in part.people_for(ctx, snapshot)}

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return {f for part in self._handling(ctx) for f in part.files_for(ctx, snapshot)}

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        # A stage whose planning crashes is reported; the other stages go on (SPEC §7). Each
        # plans on the snapshot as the earlier stages' writes will leave it (``ops.after``).
        planned: list[Op] = []

        def stage(part: Part) -> list[Op]:
            try:
                ops = part.plan(ctx, after(snapshot, planned))
            except PartialPlan as partial:
                planned.extend(partial.ops)
                raise
            planned.extend(ops)
            return ops

        return plan_each(
            self._handling(ctx), stage, lambda part: f"OKR stage {type(part).__name__}"
        )

    def _handling(self, ctx: Context) -> list[Part]:
        return [part for part in self._parts(ctx) if part.handles(ctx.event)]
