"""Periods (ISO weeks) and when a weekly ritual falls due in a member's own timezone.

A period is an ISO week such as ``2026-W48`` (ISO 8601, weeks start on Monday). Local day+time is
turned into an instant with zoneinfo, so the moment follows the member's clocks across DST changes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_PERIOD = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> Period:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text)
        if not match:
            raise ValueError(f"not an ISO week: {text!r} (expected e.g. 2026-W48)")
        period = cls(int(match["year"]), int(match["week"]))
        period.monday()  # raises for a week that does not exist in that year
        return period

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def day(self, weekday: int) -> date:
        """The date of ``weekday`` (0 = Monday) in this week."""
        return self.monday() + timedelta(days=weekday)

    def previous(self) -> Period:
        return Period.of(self.monday() - timedelta(days=7))

    def next(self) -> Period:
        return Period.of(self.monday() + timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``zone``, as a UTC instant.

    A wall time skipped by a DST jump (02:30 on the spring-forward night) resolves to the instant
    after the jump, and a repeated one (autumn) to its first occurrence (fold=0), which is when a
    person would expect a 'Monday 09:00' ritual.
    """
    # PEP 495: with fold=0 a time in a gap is read with the offset from before the jump, which
    # lands after the gap, and a repeated time resolves to its first occurrence.
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


# Pure, and asked for the same few (instant or week, zone) pairs for every member and check-in
# of a run: a team spans few timezones, so each conversion is done once (issue 11). Bounded.
@functools.lru_cache(maxsize=1024)
def local_period(now: datetime, zone: ZoneInfo) -> Period:
    """The period a person in ``zone`` is living in at instant ``now``."""
    return Period.of(now.astimezone(zone).date())


@functools.lru_cache(maxsize=1024)
def due_at(period: Period, weekday: int, at: time, zone: ZoneInfo) -> datetime:
    return local_instant(period.day(weekday), at, zone)
