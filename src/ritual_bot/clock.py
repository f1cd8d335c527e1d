"""The clock seam: the only place that reads the current time.

Everything else receives ``now`` as an argument (DESIGN.md: time is an argument), so tests, the demo
and ``--now`` can set it.
"""

from __future__ import annotations

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


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class TravelClock(FixedClock):
    """A clock that runs at the pace of real time from ``start``, and jumps when told to (the
    playground: comments a minute apart are a minute apart, and time travel moves it on)."""

    def __init__(self, start: datetime, real: Clock | None = None) -> None:
        super().__init__(start)
        self._real = real or SystemClock()
        self._offset = self._at - self._real.now()

    def now(self) -> datetime:
        return self._real.now() + self._offset

    def set(self, at: datetime) -> None:
        super().set(at)
        self._offset = self._at - self._real.now()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
