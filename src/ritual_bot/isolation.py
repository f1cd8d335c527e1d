"""Failure is per item (DESIGN.md, SPEC §7 "fault isolation"): what the runner uses so that one
bad issue, member, file, label or ritual never stops the rest.

- :func:`item_of` names the item an op concerns: an issue number, the marker of an issue being
  created, a file path, a label. Ops of one item keep their order and depend on each other (a
  close after a failed update must not go); ops of different items do not.
- :class:`Guard` runs a ritual's hooks (its reads and its plan): a crash drops that ritual from
  the run and is reported, the other rituals go on.
- :func:`apply_per_item` applies a plan: a GitHub error on one op is recorded, the remaining ops
  of that item are held back, and every other item is applied. State is derived, so the next run
  simply plans the failed items again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ritual_bot import links
from ritual_bot.errors import GitHubError, RitualBotError
from ritual_bot.gateway import Applied, Gateway, RunWideFailure, WriteBudgetReached
from ritual_bot.ops import CreateIssue, EnsureLabel, Op, PutFile
from ritual_bot.partial import PartialPlan, crash_text

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failure:
    """One item the run could not settle: which, at which step, and what GitHub (or Python) said."""

    item: str  # "issue #12", "new issue 'HPFO 2026-W48 · @bob'", "file docs/…", "ritual hpfo"
    step: str  # the op that failed, or the ritual hook that crashed
    message: str
    status: int | None = None

    def __str__(self) -> str:
        status = f" ({self.status})" if self.status is not None else ""
        return f"{self.item}: {self.step} failed{status}: {self.message}"


def item_of(op: Op) -> str:
    """The item an op concerns: ops with the same item are applied in order, or not at all."""
    if isinstance(op, CreateIssue):
        return f"new issue {op.title!r} [{op.marker.key}]"
    if isinstance(op, PutFile):
        return f"file {op.path}"
    if isinstance(op, EnsureLabel):
        return f"label {op.name!r}"
    return f"issue #{op.number}"


@dataclass
class Guard:
    """Runs ritual hooks; a ritual that crashes once is out of the run (it plans nothing on a
    snapshot it could not read in full) and its crash is a reported failure."""

    failures: list[Failure] = field(default_factory=list)
    crashed: set[str] = field(default_factory=set)

    def call(self, ritual: str, step: str, hook: Callable[[], T], default: T) -> T:
        if ritual in self.crashed:
            return default
        try:
            return hook()
        except PartialPlan as partial:  # some items could not be planned: keep the rest
            for item, message in partial.failed:
                self.failures.append(Failure(item, f"{ritual}: {step}", message))
            return partial.ops  # type: ignore[return-value]
        except RitualBotError as error:
            if error.exit_code == 2:
                raise  # bad config or template: never half-applied (SPEC §2), exit 2
            self._crashed(ritual, step, error)
            return default
        except Exception as error:  # any bug in one ritual: the others still run
            self._crashed(ritual, step, error)
            return default

    def _crashed(self, ritual: str, step: str, error: Exception) -> None:
        self.crashed.add(ritual)
        self.failures.append(Failure(f"ritual {ritual}", step, _crash(error)))

    def each(self, rituals: Iterable[R], step: str, hook: Callable[[R], Iterable[T]]) -> list[T]:
        """``hook`` of every ritual still in the run, concatenated."""
        found: list[T] = []
        for ritual in rituals:
            name = str(getattr(ritual, "name", type(ritual).__name__))
            found += self.call(name, step, lambda: list(hook(ritual)), [])  # noqa: B023
        return found


def _crash(error: BaseException) -> str:
    return crash_text(error)


@dataclass
class Outcome:
    applied: list[Applied] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    held: list[Op] = field(default_factory=list)  # ops of a failed item, not attempted
    left: list[Op] = field(default_factory=list)  # not attempted: the run stopped early
    stopped: str | None = None
    notices: list[str] = field(default_factory=list)


def apply_per_item(gateway: Gateway, ops: Sequence[Op]) -> Outcome:
    """Apply ``ops`` in order, isolating failures per item (see the module docstring).

    The run stops early only where going on cannot help any item: the write budget is reached
    (a clean stop, the next run continues), or GitHub refuses the whole run (rate limited past the
    wait cap, unreachable, the token refused): every op not attempted is reported as left.
    """
    out = Outcome()
    created: dict[str, str] = {}  # marker key -> URL of the issues this run opened
    failed: set[str] = set()
    for index, op in enumerate(ops):
        item = item_of(op)
        if item in failed:
            out.held.append(op)
            continue
        resolved = links.resolve(op, created)
        if links.unresolved(resolved):
            # It links to an issue this run could not open: never write the placeholder.
            failed.add(item)
            out.failures.append(
                Failure(item, op.describe(), "it links to an issue this run could not open")
            )
            continue
        try:
            for applied in gateway.apply([resolved]):
                out.applied.append(applied)
                links.remember(applied.op, applied.html_url, created)
                if applied.notice:
                    out.notices.append(applied.notice)
        except WriteBudgetReached as reached:
            out.stopped = str(reached)
            out.left = _not_held(ops[index:], failed)
            break
        except RunWideFailure as error:
            out.failures.append(Failure(item, op.describe(), str(error), error.status))
            out.stopped = str(error)
            out.left = _not_held(ops[index + 1 :], failed | {item})
            break
        except GitHubError as error:
            failed.add(item)
            out.failures.append(Failure(item, op.describe(), str(error), error.status))
    return out


def _not_held(ops: Iterable[Op], failed: set[str]) -> list[Op]:
    return [op for op in ops if item_of(op) not in failed]
