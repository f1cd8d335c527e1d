"""The weekly check-in inside HPFO (SPEC §8): a member's check-in lists the key results they own
this quarter with the last value recorded, and asks for the new one as ``KR1.1: 38% 🟢`` lines.

What a member owns comes from the committed plans (their personal plan, and the plans of the
team groups they are in) and the last values from the quarter's ledger in the tracker: both are
records the OKR ritual writes (``keyresults.ledger``), read here as the bot wrote them. They are
read only on the runs that open check-ins (the hour after a member's opening moment), so idle runs
cost what they did; a check-in opened later by a catch-up run goes without the list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from ritual_bot.config import Config, Member
from ritual_bot.model import Snapshot
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.keyresults.ledger import committed_plans, okr_listing, quarter_ledger
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import format_quantity

# How long after a member's opening moment the run reads OKRs (the opening run and its catch-up).
OPENING_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class KrLine:
    """One key result a member reports on: its id, words, owner and last recorded value."""

    id: str
    text: str
    owner: str
    last: str  # "38% 🟢 on 2027-01-20", or "" before the first value


def opening_now(config: Config, now: datetime) -> bool:
    """Whether some member's check-in opens within the window before ``now``."""
    for member in config.members:
        period = local_period(now, member.zone)
        opens = due_at(period, config.hpfo.day, config.hpfo.time, member.zone)
        if opens <= now < opens + OPENING_WINDOW:
            return True
    return False


def okr_query(ctx: Context) -> IssueQuery | None:
    okrs = ctx.config.okrs
    if not okrs.active or not ctx.event.is_scheduled or not opening_now(ctx.config, ctx.now):
        return None
    return okr_listing(okrs.label, okrs.quarter_start, ctx.now.date())


def okr_bodies(ctx: Context, snapshot: Snapshot) -> Collection[str]:
    """The OKR issues whose bodies are read as the bot wrote them: their edit histories."""
    if okr_query(ctx) is None:
        return ()
    label = ctx.config.okrs.label
    return {
        i.node_id
        for i in snapshot.issues
        if i.has_label(label) and snapshot.is_bot_author(i.author) and not i.untouched
    }


def key_results_for(
    config: Config, snapshot: Snapshot, member: Member, period: Period
) -> tuple[KrLine, ...]:
    """The member's KRs of the quarter the week starts in, with the last value of each."""
    if not config.okrs.active:
        return ()
    quarter = str(Quarter.of(period.monday(), config.okrs.quarter_start))
    ledger = quarter_ledger(snapshot, quarter)
    key = member.login.casefold()
    lines = []
    for plan in sorted(committed_plans(snapshot, quarter), key=lambda c: c.owner.casefold()):
        mine = plan.owner.casefold() == key
        team = config.member(plan.owner) is None and key in {
            m.casefold() for m in config.expand([plan.owner])
        }
        if not (mine or team):
            continue
        for kr in plan.plan.key_results():
            record = ledger.record(plan.owner, kr.id) if ledger else None
            last = ""
            if record is not None and record.value is not None and record.at is not None:
                mark = f" {record.confidence.value}" if record.confidence else ""
                last = f"{format_quantity(record.value)}{mark} on {record.at.date().isoformat()}"
            lines.append(KrLine(kr.id, kr.text, plan.owner, last))
    return tuple(lines)
