"""One bad item never stops the rest, inside a ritual's plan too (SPEC §7 "fault isolation").

A ritual that plans many items (planning issues, trackers) plans each with ``plan_each``: an item
whose planning crashes is left out and named, the others are planned. If any was left out, the
ritual's plan ends by raising ``PartialPlan`` with the ops it has; the runner's ``Guard`` keeps
those ops and reports each failed item, so the run goes on and then exits 1, and the next run
plans the failed items again. A bad config or template (exit code 2) is never partial: it stops
the run before any write, as everywhere (SPEC §2).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from ritual_bot.errors import RitualBotError
from ritual_bot.ops import Op

T = TypeVar("T")


class PartialPlan(Exception):
    """The ops planned, and (item, what went wrong) for each item that could not be planned."""

    def __init__(self, ops: Sequence[Op], failed: Sequence[tuple[str, str]]) -> None:
        super().__init__(f"{len(failed)} item(s) could not be planned")
        self.ops = list(ops)
        self.failed = list(failed)


def crash_text(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def plan_each(
    items: Iterable[T], plan_one: Callable[[T], list[Op]], name: Callable[[T], str]
) -> list[Op]:
    """Every item's ops; raises ``PartialPlan`` at the end when some item's planning crashed."""
    ops: list[Op] = []
    failed: list[tuple[str, str]] = []
    for item in items:
        try:
            ops += plan_one(item)
        except PartialPlan as partial:
            ops += partial.ops
            failed += partial.failed
        except RitualBotError as error:
            if error.exit_code == 2:
                raise
            failed.append((name(item), crash_text(error)))
        except Exception as error:  # a bug on one item: the others are still planned
            failed.append((name(item), crash_text(error)))
    if failed:
        raise PartialPlan(ops, failed)
    return ops


class Stages:
    """A plan made of stages that each may fail alone, later ones seeing what earlier ones
    planned (``ops``): ``run`` each, then ``result`` returns the ops or raises ``PartialPlan``
    with them and every failed item, as ``plan_each`` does for a list of items."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.failed: list[tuple[str, str]] = []

    def run(self, name: str, plan: Callable[[], list[Op]]) -> None:
        try:
            self.ops += plan_each([name], lambda _: plan(), lambda stage: stage)
        except PartialPlan as partial:
            self.ops += partial.ops
            self.failed += partial.failed

    def result(self, finish: Callable[[list[Op]], list[Op]] = list) -> list[Op]:
        """The ops, through ``finish`` (what wraps them whatever failed), or ``PartialPlan``."""
        ops = finish(self.ops)
        if self.failed:
            raise PartialPlan(ops, self.failed)
        return ops
