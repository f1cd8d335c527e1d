"""The clock seam: the only place that reads the current time.

Everything else receives ``now`` as an argument (DESIGN.md: time is an argument), so tests, the demo
and ``--now`` can set it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: for tests, the demo and ``--now``."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class MonotonicClock:
    """Real time as it passes, from the monotonic counter (``_ticks``, which tests replace): a
    ``TravelClock`` runs at its pace, unmoved by changes to the machine's wall clock."""

    def now(self) -> datetime:
        return datetime.fromtimestamp(0, UTC) + timedelta(seconds=_ticks())


def _ticks() -> float:
    return time.monotonic()


class NaiveInstant(ValueError):
    """An instant written without its UTC offset."""


def parse_now(text: str) -> datetime:
    """A ``--now`` value: an ISO 8601 instant *with* its offset (``Z``, ``+01:00``).

    Issue 12: ``--now 2026-11-24T08:30`` was read as UTC; typed as Paris wall time it put the
    bot's clock an hour ahead of the sandbox's, and reminders came an hour early. A time without
    an offset means a different instant on each clock that reads it, so it is refused.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise NaiveInstant(text)
    return value.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class TravelClock(FixedClock):
    """A clock set to an instant that runs at the pace of real time from there, and jumps when
    told to: a served sandbox (``--now``) and the playground's time travel. Everything the
    sandbox stamps (issues, comments, its ``Date`` header, what its pages post) reads this one
    clock, so it agrees with a bot run at the same ``--now`` (issue 12)."""

    def __init__(self, start: datetime, real: Clock | None = None) -> None:
        super().__init__(start)
        self._real = real or MonotonicClock()
        self._offset = self._at - self._real.now()

    def now(self) -> datetime:
        return self._real.now() + self._offset

    def set(self, at: datetime) -> None:
        super().set(at)
        self._offset = self._at - self._real.now()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
