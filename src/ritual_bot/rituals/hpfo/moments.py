"""When HPFO makes something due (each member's opening and reminder in their own timezone, the
digest in the team's), and what a scheduled run may skip between those moments (SPEC §7 cost).

Pure; ``schedule.py`` reaches ``due_on`` through the registry (``HpfoRitual.due_on``), and the
ritual asks ``quiet_since`` itself, so nothing here imports ``schedule`` (which imports the
registry: that would be a cycle).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.moments import CATCH_UP, REMINDER_LAG, Due, grouped, instant, run_offsets

# A run after every window below reads everything if an issue changed this recently: with the
# computed schedule some run comes at least daily when decisions are on (their midnights).
QUIET_LOOKBACK = timedelta(hours=26)


def due_on(config: Config, day: date) -> Iterator[Due]:
    """HPFO's moments on ``day``: openings and reminders per member, and the digest."""
    hpfo = config.hpfo
    if not hpfo.enabled:
        return
    for member in config.members:
        if day.weekday() == hpfo.day:
            zone = member.timezone
            opens = instant(day, hpfo.time, member.zone)
            yield Due(opens, f"@{member.login}'s check-in opens", zone, opens=1)
            reminded = opens + hpfo.remind_after
            what = f"@{member.login}'s reminder"
            yield Due(reminded, what, zone, lag=REMINDER_LAG, follows=opens)
    digest = hpfo.digest
    if digest is not None and day.weekday() == digest.day:
        at = instant(day, digest.time, ZoneInfo(config.timezone))
        yield Due(at, "the digest", config.timezone)


def runs_to_come(config: Config, now: datetime) -> list[datetime]:
    """The computed schedule's runs after ``now`` for the openings under way (an opening instant
    at or before ``now`` whose runs, ``run_offsets``, are not all past): the runs that open the
    check-ins one run leaves for later, in order. Empty when no opening is under way."""
    if not config.hpfo.enabled:
        return []
    days = [now.date() - timedelta(days=n) for n in range(2)]
    found = [due for day in days for due in due_on(config, day)]
    runs: set[datetime] = set()
    for at, _, lag, batch in grouped(found):
        if lag or at > now or batch == 0:
            continue  # a reminder, an opening to come, or no opening at all (the digest)
        runs.update(at + offset for offset in run_offsets(batch) if at + offset > now)
    return sorted(runs)


def quiet_since(config: Config, now: datetime) -> datetime | None:
    """None when a scheduled run now must read all of HPFO: something fell due within the
    runs of its moment (``run_offsets``, and an hour past the last one, so an hourly cron has a
    run in it too). Otherwise the instant since which a changed HPFO issue is news: the start of
    the last of those runs (it read everything, unless GitHub dropped it; then what it would
    have done waits for the next moment, see docs/action.md) or ``QUIET_LOOKBACK`` ago, the later.
    """
    if not config.hpfo.enabled:
        return None
    hpfo = config.hpfo
    back = timedelta(days=8) + hpfo.remind_after + REMINDER_LAG
    days = [now.date() - timedelta(days=n) for n in range(back.days + 2)]
    found = [due for day in days for due in due_on(config, day) if due.at <= now]
    last_read: datetime | None = None
    for at, _, lag, batch in grouped(found):
        end = at + lag + run_offsets(batch)[-1]
        if now < end + CATCH_UP:
            return None
        last_read = end if last_read is None else max(last_read, end)
    floor = now - QUIET_LOOKBACK
    return floor if last_read is None else max(last_read, floor)
