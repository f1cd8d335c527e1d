"""Last quarter's unreached key results, offered for ``/carry`` in the new plan (SPEC §8). Pure.

- **Unreached.** The owner's KRs in the previous quarter's committed plan (the committed block of
  that quarter's planning issue, as the bot wrote it) whose progress ended below 0.7, from the
  latest value the previous quarter's tracker ledger holds (``kr_progress``; no value: 0.0).
- **/carry KR1.2** (several ids on one line too; ``RC1.2`` alike) copies one into the new plan.
  *Placement*: into the new plan's objective with the same title (case and spacing aside), else
  into a new objective under the old title, after the written ones (one per old objective).
  *Renumbering*: the next free number in that objective (``KR2.3``). *Numbers*: the baseline
  becomes the value it ended at, when one was recorded in the target's unit (the new quarter
  starts from where the last one stopped); the target and words are kept. A KR whose words the
  plan already holds is not added twice. The author's text is never touched: the carried KRs live
  in what the bot understood and, once committed, in the committed plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ritual_bot.markdown import LineKind, classify_lines
from ritual_bot.model import Snapshot
from ritual_bot.rituals.keyresults.ledger import Committed, Ledger, committed_plans, quarter_ledger
from ritual_bot.rituals.keyresults.plan import KeyResult, Objective, Plan
from ritual_bot.rituals.keyresults.score import kr_progress
from ritual_bot.rituals.keyresults.text import KR_ID, Quantity, kr_id

REACHED = 0.7  # SPEC §8: "about 0.7 is healthy"; below it a KR is offered for carrying
_CARRY = re.compile(r"^\s{0,3}/carry(?=\s|$)(?P<rest>.*)$", re.I)


@dataclass(frozen=True)
class Unreached:
    """One KR of last quarter that ended below ``REACHED``: where it stood, and under what."""

    objective: str  # the old objective's title
    kr: KeyResult
    value: Quantity | None
    progress: float


def previous_committed(snapshot: Snapshot, owner: str, quarter: str) -> Committed | None:
    """The owner's committed plan of ``quarter``, read from what the bot wrote."""
    key = owner.casefold()
    found = [c for c in committed_plans(snapshot, quarter) if c.owner.casefold() == key]
    return found[0] if found else None


def previous_ledger(snapshot: Snapshot, tracker_label: str, quarter: str) -> Ledger | None:
    """The ledger of ``quarter``'s tracker (the bot's issue labelled ``okr: tracker``)."""
    return quarter_ledger(snapshot, quarter)


def unreached(committed: Committed | None, ledger: Ledger | None) -> tuple[Unreached, ...]:
    if committed is None:
        return ()
    found = []
    for objective in committed.plan.objectives:
        for kr in objective.key_results:
            record = ledger.record(committed.owner, kr.id) if ledger is not None else None
            value = record.value if record is not None else None
            progress = kr_progress(kr, value.value if value is not None else None)
            if progress < REACHED:
                found.append(Unreached(objective.title, kr, value, progress))
    return tuple(found)


def carry_ids(text: str) -> tuple[str, ...]:
    """The KR ids of every ``/carry`` line of a comment's own prose (quotes and code do not
    count, as for every command), in order; a ``/carry`` line with no id gives ``""``."""
    ids: list[str] = []
    for line in classify_lines(text):
        if line.kind is LineKind.TEXT and (match := _CARRY.match(line.text)):
            found = [kr_id(m) for m in KR_ID.finditer(match["rest"])]
            ids += found or [""]
    return tuple(ids)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _next_number(objective: Objective) -> int:
    numbers = [int(m["num"]) for kr in objective.key_results if (m := KR_ID.search(kr.id))]
    return max(numbers, default=0) + 1


def _carried(kr: KeyResult, ended: Quantity | None, objective: int, number: int) -> KeyResult:
    baseline = kr.baseline
    if kr.target is not None and ended is not None and ended.unit == kr.target.unit:
        baseline = ended
    return replace(kr, id=f"KR{objective}.{number}", baseline=baseline, line=0)


def apply_carries(plan: Plan, carried: Iterable[Unreached]) -> Plan:
    """``plan`` with the carried KRs placed and renumbered as the module says."""
    objectives = list(plan.objectives)
    for item in carried:
        if any(_same(k.text, item.kr.text) for o in objectives for k in o.key_results):
            continue
        index = next((i for i, o in enumerate(objectives) if _same(o.title, item.objective)), None)
        if index is None:
            number = max((o.number for o in objectives), default=0) + 1
            objectives.append(Objective(number, item.objective, ()))
            index = len(objectives) - 1
        target = objectives[index]
        kr = _carried(item.kr, item.value, target.number, _next_number(target))
        objectives[index] = replace(target, key_results=(*target.key_results, kr))
    return replace(plan, objectives=tuple(objectives))


def chosen(ids: Sequence[str], offered: Sequence[Unreached]) -> tuple[Unreached, ...]:
    """The offered KRs ``ids`` name, once each, in the order first named."""
    by_id = {u.kr.id: u for u in offered}
    picked = dict.fromkeys(by_id[i].kr.id for i in ids if i in by_id)
    return tuple(by_id[i] for i in picked)
