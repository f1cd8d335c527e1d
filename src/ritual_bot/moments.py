"""The instants a ritual makes something due, and the runs each one gets (SPEC §7 cost): shared
and pure, below the rituals (each declares its own moments, ``rituals.base.Scheduled``) and
``schedule.py`` (which turns them all into cron lines).

Each moment gets a run a few minutes after it and a catch-up run an hour later: GitHub may delay
scheduled runs, "especially at the start of every hour", and under high load may drop some
(https://docs.github.com/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule),
and a later run always catches up on what is due (derived state). When more check-ins open at one
instant than one run may create (``resilience.CREATES_PER_HOUR``), the opening is spread: one run
per batch, ``SPREAD`` apart, then the catch-up (``run_offsets``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.periods import local_instant
from ritual_bot.resilience import CREATES_PER_HOUR

# Minutes after a moment for its run: past the top of the hour, when GitHub is busiest.
RUN_DELAY = timedelta(minutes=7)
CATCH_UP = timedelta(hours=1)
# Between two runs of a spread opening: a run's 150 creations take 7.5 minutes at 3 s apart
# (``resilience.WritePacer``), so the next starts over an hour after the last creation, within
# GitHub's measured 150 creations an hour.
SPREAD = timedelta(minutes=75)
# A check-in opened by a later run of its moment is reminded ``remind_after`` after it opened:
# the reminder's runs come this much after its opening's runs, past the pacing of that run.
REMINDER_LAG = timedelta(minutes=15)


@dataclass(frozen=True)
class Due:
    """One instant something can fall due, what it is (for messages), and whose clock sets it."""

    at: datetime  # UTC
    what: str
    zone: str = "UTC"
    opens: int = 0  # check-ins opening at this instant (this member's: 0 or 1)
    lag: timedelta = timedelta(0)  # runs for it come this much later (reminders)
    follows: datetime | None = None  # a reminder: the opening it follows, spread like it


def instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``zone``, in UTC."""
    return local_instant(day, at, zone).astimezone(UTC)


def grouped(found: Iterable[Due]) -> set[tuple[datetime, str, timedelta, int]]:
    """(instant, zone, lag, check-ins opening then): a reminder is spread like its opening."""
    opening: dict[datetime, int] = defaultdict(int)
    for due in found:
        opening[due.at] += due.opens
    return {(d.at, d.zone, d.lag, opening[d.follows or d.at]) for d in found}


def run_offsets(openings: int) -> list[timedelta]:
    """When runs start after an instant at which ``openings`` check-ins open (or its reminders
    fall due): one per ``CREATES_PER_HOUR`` of them, ``SPREAD`` apart, then the catch-up."""
    batches = max(1, -(-openings // CREATES_PER_HOUR))
    starts = [RUN_DELAY + k * SPREAD for k in range(batches)]
    return [*starts, starts[-1] + CATCH_UP]
