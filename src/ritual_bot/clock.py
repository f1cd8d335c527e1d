"""The clock seam: the only place that reads the current time.

Everything else receives ``now`` as an argument (DESIGN.md: time is an argument), so tests, the demo
and ``--now`` can set it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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


class RunningClock:
    """A clock set to an instant that runs at real speed from there: a served sandbox started
    with ``--now``. Everything the sandbox stamps (issues, comments, its ``Date`` header, what the
    web page posts) reads this one clock, so it agrees with a bot run at the same ``--now``.
    ``ticks`` is the real time passing (monotonic seconds; tests pass their own)."""

    def __init__(self, at: datetime, ticks: Callable[[], float] | None = None) -> None:
        self._ticks = ticks or _ticks
        self._at, self._start = at, 0.0
        self.set(at)

    def now(self) -> datetime:
        return self._at + timedelta(seconds=self._ticks() - self._start)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("RunningClock needs a timezone-aware datetime")
        self._at, self._start = at.astimezone(UTC), self._ticks()

    def advance(self, delta: timedelta) -> None:
        self._at += delta


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
