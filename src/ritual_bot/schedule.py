"""The scheduled runs a config needs, as cron lines, and a check of a workflow's own (SPEC §7 cost).

An hourly cron starts 168 jobs a week, and a private repository is billed at least a minute for
each. Almost all of them find nothing to do: what falls due does so at moments the config fixes
in advance — each member's opening and reminder in their own timezone, the digest, a decision's
deadline at the team's midnight; each ritual declares its own (``rituals.base.Scheduled``), and
the registry lists the rituals. This module lists those moments over a year (so both sides of
every daylight-saving change are in), turns them into the UTC cron lines GitHub runs (schedules
are in UTC:
https://docs.github.com/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule),
and checks a workflow's lines against them. GitHub reads an optional IANA ``timezone`` on each
schedule entry (same page, and workflow syntax ``on.schedule``), so each timezone gets its own
lines in local time and a daylight-saving change costs no extra job; ``utc=True`` gives plain UTC
lines (both sides of each change) for servers that predate the key.

Each moment gets a run a few minutes after it and a catch-up run an hour later: GitHub may delay
scheduled runs, "especially at the start of every hour", and under high load may drop some
(same page), and a later run always catches up on what is due (derived state). When more
check-ins open at one instant than one run may create (``resilience.CREATES_PER_HOUR``), the
opening is spread: one run per batch, ``SPREAD`` apart, each opening the next members in config
order, then the catch-up (``moments.run_offsets``). Everything here is pure: the start of the
year examined is an argument.

Between those runs nothing falls due, so a run then only needs to know whether a ritual's issues
changed since the last run that read everything (``rituals.hpfo.moments.quiet_since``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.moments import (
    CATCH_UP,
    REMINDER_LAG,
    RUN_DELAY,
    SPREAD,
    Due,
    grouped,
    run_offsets,
)
from ritual_bot.rituals.base import Scheduled
from ritual_bot.rituals.registry import all_rituals

__all__ = [
    "CATCH_UP",
    "HOURLY",
    "REMINDER_LAG",
    "RUN_DELAY",
    "SPREAD",
    "Cron",
    "CronError",
    "Due",
    "Entry",
    "due_moments",
    "missed",
    "run_offsets",
    "schedule_advice",
    "schedule_entries",
    "schedule_gap",
]

# A moment is covered when some run starts within this long after it.
TOLERANCE = timedelta(minutes=60)
YEAR = 371  # days examined: a whole year and a week, so each weekday meets every DST state
HOURLY = "17 * * * *"


@dataclass(frozen=True, order=True)
class Entry:
    """One ``on.schedule`` entry: a cron line, in ``timezone`` when set (else UTC)."""

    cron: str
    timezone: str | None = None

    def yaml(self) -> str:
        zone = f'\n  timezone: "{self.timezone}"' if self.timezone else ""
        return f'- cron: "{self.cron}"{zone}'


# --- the moments a config needs --------------------------------------------------------------


def due_moments(config: Config, start: date, days: int = YEAR) -> list[Due]:
    """Every instant in ``[start, start + days)`` at which the config makes something due: what
    each registered ritual declares (``rituals.base.Scheduled``)."""
    scheduled = [ritual for ritual in all_rituals() if isinstance(ritual, Scheduled)]
    found: list[Due] = []
    for day in (start + timedelta(days=n) for n in range(days)):
        for ritual in scheduled:
            found.extend(ritual.due_on(config, day))
    return sorted(set(found), key=lambda d: (d.at, d.what))


# --- cron lines ------------------------------------------------------------------------------


def schedule_entries(config: Config, start: date, *, utc: bool = False) -> list[Entry]:
    """The fewest entries (by timezone, minute, then set of weekdays) covering every moment."""
    slots: dict[str | None, set[tuple[int, int, int]]] = defaultdict(set)
    for at, zone, lag, batch in grouped(due_moments(config, start)):
        where = None if utc else zone
        for offset in run_offsets(batch):
            run = at + lag + offset
            local = run if where is None else run.astimezone(ZoneInfo(where))
            slots[where].add((_cron_weekday(local), local.hour, local.minute))
    entries = [Entry(line, zone) for zone, found in slots.items() for line in _compact(found)]
    return sorted(entries, key=lambda e: (e.timezone or "", _line_order(e.cron)))


def _cron_weekday(moment: datetime) -> int:
    return (moment.weekday() + 1) % 7  # cron: 0 = Sunday


def _compact(slots: Iterable[tuple[int, int, int]]) -> list[str]:
    days_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    for weekday, hour, minute in slots:
        days_at[(minute, hour)].add(weekday)
    hours_for: dict[tuple[int, frozenset[int]], list[int]] = defaultdict(list)
    for (minute, hour), days in days_at.items():
        hours_for[(minute, frozenset(days))].append(hour)
    lines = []
    for (minute, weekday_set), hours in hours_for.items():
        days_text = ",".join(str(d) for d in sorted(weekday_set))
        weekdays = "*" if len(weekday_set) == 7 else days_text
        lines.append(f"{minute} {','.join(str(h) for h in sorted(hours))} * * {weekdays}")
    return sorted(lines, key=_line_order)


def _line_order(line: str) -> tuple[int, int]:
    minute, hours = line.split()[:2]
    return int(hours.split(",")[0]), int(minute)


# --- checking a workflow's lines -------------------------------------------------------------


class CronError(ValueError):
    """A cron line this module cannot read."""


@dataclass(frozen=True)
class Cron:
    """A POSIX cron line as GitHub reads it: minute hour day-of-month month day-of-week.

    Lists, ranges, steps and ``*`` (https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions#onschedule);
    when both day fields are restricted, either matching is enough (POSIX cron).
    """

    line: str
    zone: ZoneInfo
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, line: str, timezone: str | None = None) -> Cron:
        try:
            zone = ZoneInfo(timezone or "UTC")
        except (ValueError, KeyError):
            raise CronError(f"{line!r}: unknown timezone {timezone!r}") from None
        fields = line.split()
        if len(fields) != 5:
            raise CronError(f"{line!r}: a cron line has 5 fields")
        minute, hour, day, month, weekday = fields
        # 0 and 7 both mean Sunday.
        weekdays = frozenset(0 if d == 7 else d for d in _field(weekday, 0, 7, line))
        return cls(
            line=line,
            zone=zone,
            minutes=_field(minute, 0, 59, line),
            hours=_field(hour, 0, 23, line),
            days=_field(day, 1, 31, line),
            months=_field(month, 1, 12, line),
            weekdays=weekdays,
            any_day=day == "*",
            any_weekday=weekday == "*",
        )

    def fires_at(self, moment: datetime) -> bool:
        utc = moment.astimezone(self.zone)  # the entry's clock (UTC unless it names a zone)
        if utc.minute not in self.minutes or utc.hour not in self.hours:
            return False
        if utc.month not in self.months:
            return False
        in_days = utc.day in self.days
        in_weekdays = _cron_weekday(utc) in self.weekdays
        if self.any_day or self.any_weekday:
            return in_days and in_weekdays
        return in_days or in_weekdays


_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
_NAMES |= {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_PART = re.compile(r"^(?P<range>\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/(?P<step>\d+))?$")


def _field(text: str, low: int, high: int, line: str) -> frozenset[int]:
    values: set[int] = set()
    for part in text.lower().split(","):
        match = _PART.match(part)
        if match is None:
            raise CronError(f"{line!r}: cannot read {part!r}")
        first, last = _bounds(match["range"], low, high, line)
        step = int(match["step"] or 1)
        if step == 0:
            raise CronError(f"{line!r}: a step of 0")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _bounds(text: str, low: int, high: int, line: str) -> tuple[int, int]:
    if text == "*":
        return low, high
    ends = [_value(t, line) for t in text.split("-")]
    first, last = ends[0], ends[-1]
    if not (low <= first <= last <= high):
        raise CronError(f"{line!r}: {text!r} is outside {low}-{high}")
    return first, last


def _value(text: str, line: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _NAMES:
        return _NAMES[text]
    raise CronError(f"{line!r}: cannot read {text!r}")


def missed(entries: Sequence[Entry], config: Config, start: date, days: int = YEAR) -> list[Due]:
    """The moments of ``days`` days from ``start`` that no entry starts a run for within
    ``TOLERANCE`` after them."""
    crons = [Cron.parse(entry.cron, entry.timezone) for entry in entries]
    verdicts: dict[datetime, bool] = {}
    found = []
    for due in due_moments(config, start, days):
        if due.at not in verdicts:  # members in one timezone share their instants
            verdicts[due.at] = _covered(due.at, crons)
        if not verdicts[due.at]:
            found.append(due)
    return found


def _covered(moment: datetime, crons: Sequence[Cron]) -> bool:
    # Cron fires on whole minutes: look at each minute from the moment to the tolerance.
    first = moment.replace(second=0, microsecond=0)
    if first < moment:
        first += timedelta(minutes=1)
    minutes = int(TOLERANCE.total_seconds() // 60)
    candidates = (first + timedelta(minutes=n) for n in range(minutes + 1))
    return any(cron.fires_at(c) for c in candidates for cron in crons)


def schedule_gap(gaps: Sequence[Due]) -> str:
    """One line: how many moments the workflow misses, and the first."""
    first = gaps[0]
    when = first.at.strftime("%a %Y-%m-%d %H:%M UTC")
    return (
        f"the schedule misses {len(gaps)} moment(s) the config needs, first {first.what} on {when}"
    )


def schedule_advice(workflow: object, gaps: Sequence[Due], entries: Sequence[Entry]) -> str:
    """What to tell a person whose workflow misses moments: which, and the lines to paste."""
    pasted = "\n".join("    " + line for e in entries for line in e.yaml().split("\n"))
    return (
        f"{workflow}: {schedule_gap(gaps)}. Paste these lines under `on: schedule:` "
        f'(or use hourly, "{HOURLY}"):\n{pasted}'
    )
